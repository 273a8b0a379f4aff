import { describe, expect, it } from "@jest/globals";
import {
  formatRegistrations,
  matchKey,
  normaliseCompaniesHouse,
  normaliseRegistration,
  parseRegistrations,
} from "./registrations.ts";

const number = (register: string, raw: string) => {
  const r = normaliseRegistration(register, raw);
  return r.ok ? `${r.registration.register}:${r.registration.number}` : undefined;
};

describe("normaliseCompaniesHouse", () => {
  it.each([
    ["4711097", "04711097"],
    ["04711097", "04711097"],
    ["1", "00000001"],
    ["SC123", "SC000123"],
    ["sc 668231", "SC668231"],
    ["SC668231", "SC668231"],
    // What an earlier normaliser stored for "SC123" (zeros before the prefix) reads as the same number.
    ["000SC123", "SC000123"],
    ["NI-030 524", "NI030524"],
    ["OC301234", "OC301234"],
    ["R123", "R0000123"],
    ["R1234567", "R1234567"],
    ["IP31297R", "IP31297R"],
    ["ip 123 r", "IP00123R"],
  ])("%j → %s", (raw, want) => {
    expect(normaliseCompaniesHouse(raw)).toBe(want);
  });

  it.each(["", "123456789", "SC1234567", "IP312970R", "ABC12345", "SCR123", "12X34", "SC", "SC123XY"])(
    "refuses %j",
    (raw) => {
      expect(normaliseCompaniesHouse(raw)).toBeUndefined();
    },
  );

  it("is the record field's, the GB-COH register's and the duplicate signals' normaliser alike.", () => {
    for (const raw of ["SC123", "4711097", "000SC123", "R123"])
      expect(number("GB-COH", raw)).toBe(`GB-COH:${normaliseCompaniesHouse(raw)}`);
  });
});

describe("normaliseRegistration", () => {
  it.each([
    ["GB-COH", "4711097", "GB-COH:04711097"],
    ["gb-coh", "sc 668231", "GB-COH:SC668231"],
    ["GB-COH", "SC1234", "GB-COH:SC001234"],
    ["GB-CHC", "1 123 456", "GB-CHC:1123456"],
    ["GB-SC", "SC012345", "GB-SC:SC012345"],
    ["GB-SC", "12345", "GB-SC:SC012345"],
    ["GB-NIC", "NIC100002", "GB-NIC:100002"],
    ["GB-MPR", "24524 r", "GB-MPR:24524R"],
    ["GB-MPR", "1951RS", "GB-MPR:1951RS"],
    ["FR-SIREN", "552 100 554", "FR-SIREN:552100554"],
    ["FR-SIRET", "552 100 554 00013", "FR-SIRET:55210055400013"],
    ["FR-RNA", "w751234567", "FR-RNA:W751234567"],
    ["DE-CR", "Amtsgericht Hamburg GnR 1234", "DE-CR:Hamburg GnR 1234"],
    ["DE-CR", "München  hrb 98765 b", "DE-CR:München HRB 98765 B"],
    ["ES-NIF", "ES F-12345678", "ES-NIF:F12345678"],
    ["US-EIN", "12-3456789", "US-EIN:123456789"],
    ["FR-VAT", "FR 40 303265045", "FR-VAT:40303265045"],
    ["XI-ABC", " ab 12/3 ", "XI-ABC:AB 12/3"],
  ])("%s %j → %s", (register, raw, want) => {
    expect(number(register, raw)).toBe(want);
  });

  it.each([
    ["Companies House", "04711097"],
    ["GB-COH", "12345678A"],
    ["GB-CHC", "12"],
    ["FR-SIREN", "55210055"],
    ["FR-SIRET", "552100554"],
    ["FR-RNA", "751234567"],
    ["DE-CR", "12345"],
    ["ES-NIF", "1234"],
    ["US-EIN", "12-34567"],
    ["XX-FREE", "<script>"],
    ["XX-FREE", "1".repeat(61)],
  ])("refuses %s %j, naming the register", (register, raw) => {
    const r = normaliseRegistration(register, raw);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.message).toMatch(/register/);
  });

  it("matches a SIRET by its SIREN, anything else by register and number.", () => {
    expect(matchKey({ register: "FR-SIRET", number: "55210055400013" })).toBe("FR-SIREN:552100554");
    expect(matchKey({ register: "GB-CHC", number: "1123456" })).toBe("GB-CHC:1123456");
  });

  it("reads and writes the text form of a CSV cell.", () => {
    const rs = [
      { register: "FR-SIREN", number: "552100554" },
      { register: "DE-CR", number: "Hamburg GnR 1234" },
    ];
    expect(parseRegistrations(formatRegistrations(rs))).toEqual(rs);
    expect(parseRegistrations(" GB-CHC:1123456 ;; 42")).toEqual([
      { register: "GB-CHC", number: "1123456" },
      { register: "", number: "42" },
    ]);
  });
});
