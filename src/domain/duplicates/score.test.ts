import { describe, expect, it } from "@jest/globals";
import { emptyInitiative, type Initiative } from "../initiative.ts";
import { CANDIDATE_SCORE, scorePair } from "./score.ts";
import { blockingKeys, signalsOf } from "./signals.ts";

const GB = "https://lod.coop/essglobal/2.1/standard/countries-iso/GB";
const FR = "https://lod.coop/essglobal/2.1/standard/countries-iso/FR";
let n = 0;
const org = (name: string, more: Partial<Initiative> = {}) =>
  signalsOf({ ...emptyInitiative(`https://a.example/i/${++n}`, name), ...more });
const kinds = (a: ReturnType<typeof org>, b: ReturnType<typeof org>) =>
  scorePair(a, b)
    .reasons.map((r) => r.kind)
    .sort();

describe("scorePair", () => {
  it("scores one registration number in one register as near certain.", () => {
    const s = scorePair(
      org("Metro-Boulot-Dodo", { companiesHouseNumber: "4711097" }),
      org("MBD Limited", { companiesHouseNumber: "04711097" }),
    );
    expect(s.score).toBeGreaterThanOrEqual(0.95);
    expect(s.reasons[0]).toMatchObject({ kind: "registration", detail: "GB-COH:04711097" });
  });

  it("agrees a Companies House number in the record's field with the same number as a GB-COH registration.", () => {
    for (const [field, registered] of [
      ["SC123", "SC000123"],
      ["000SC123", "sc 123"],
      ["4711097", "04711097"],
    ]) {
      const s = scorePair(
        org("Edinburgh Bike Co-op", { companiesHouseNumber: field }),
        org("Bike Co-op Edinburgh", { registrations: [{ register: "GB-COH", number: registered! }] }),
      );
      expect([field, s.reasons[0]]).toEqual([field, expect.objectContaining({ kind: "registration" })]);
      expect(s.score).toBeGreaterThanOrEqual(0.95);
    }
  });

  it("rules out a pair registered under different numbers, whatever else agrees.", () => {
    const s = scorePair(
      org("Suma", { companiesHouseNumber: "01", homepage: "suma.coop" }),
      org("Suma", { companiesHouseNumber: "02", homepage: "suma.coop" }),
    );
    expect(s.score).toBe(0);
    expect(s.reasons[0]!.kind).toBe("different-registration");
  });

  it("pairs listings by a SIREN, or a SIRET of one of its premises, whatever their names.", () => {
    const siren = org("Scop Ardelaine", { registrations: [{ register: "FR-SIREN", number: "552100554" }] });
    const siret = org("Laines du Vivarais", { registrations: [{ register: "FR-SIRET", number: "55210055400013" }] });
    const s = scorePair(siren, siret);
    expect(s.score).toBeGreaterThanOrEqual(CANDIDATE_SCORE);
    expect(s.reasons).toEqual([{ kind: "registration", detail: "FR-SIREN:552100554", weight: 0.95 }]);
    expect(blockingKeys(siren).filter((k) => k.startsWith("reg:"))).toEqual(
      blockingKeys(siret).filter((k) => k.startsWith("reg:")),
    );
    // Another register agreeing does not outweigh different numbers in one.
    const other = org("Scop Ardelaine", {
      registrations: [
        { register: "FR-SIREN", number: "732829320" },
        { register: "FR-RNA", number: "W123456789" },
      ],
    });
    expect(scorePair(siren, other)).toMatchObject({ score: 0, reasons: [{ kind: "different-registration" }] });
    // Different registers say nothing either way.
    const ein = org("Scop Ardelaine", { registrations: [{ register: "US-EIN", number: "123456789" }] });
    expect(kinds(siren, ein)).toEqual(["name"]);
  });

  it("finds a name with and without its legal form at one postcode (English).", () => {
    const a = org("Green Bay Projects", { country: GB, address: { postcode: "LE1 5EW" } });
    const b = org("Green Bay Projects Limited", { country: GB, address: { postcode: "le15ew" } });
    expect(kinds(a, b)).toEqual(["name", "postcode"]);
    expect(scorePair(a, b).score).toBeGreaterThan(0.6);
  });

  it("finds a French listing with an accent dropped and the SCOP form, nearby.", () => {
    const a = org("Coopérative Ardelaine SCOP", { country: FR, address: { lat: 44.9587, long: 4.5632 } });
    const b = org("Ardelaine", { country: FR, address: { lat: 44.959, long: 4.564 } });
    expect(kinds(a, b)).toEqual(["name", "near"]);
    expect(scorePair(a, b).score).toBeGreaterThanOrEqual(CANDIDATE_SCORE);
  });

  it("finds a German and a Spanish listing by a typo'd name and the same website.", () => {
    expect(
      scorePair(
        org("Weiberwirtschaft eG", { homepage: "https://weiberwirtschaft.de" }),
        org("Weiberwirtchaft", { homepage: "http://www.weiberwirtschaft.de/" }),
      ).score,
    ).toBeGreaterThan(0.8);
    expect(
      scorePair(
        org("Som Energia S.Coop.", { email: "info@somenergia.coop" }),
        org("Som Energia SCCL", { email: "INFO@somenergia.coop" }),
      ).score,
    ).toBeGreaterThan(0.8);
  });

  it("does not make a candidate of one name alone, with nothing else agreeing.", () => {
    expect(scorePair(org("Green Bay Projects"), org("Green Bay Projects Ltd")).score).toBeLessThan(CANDIDATE_SCORE);
  });

  it("keeps apart two organisations of one name far from each other.", () => {
    const a = org("Unicorn Grocery", { address: { lat: 53.44, long: -2.27 } });
    const b = org("Unicorn Grocery", { address: { lat: 51.5, long: -0.12 } });
    expect(kinds(a, b)).toEqual(["far-apart", "name"]);
    expect(scorePair(a, b).score).toBeLessThan(CANDIDATE_SCORE);
  });

  it("does not count neighbours: one postcode with different names is not a candidate.", () => {
    const a = org("Leicester Bike", { country: GB, address: { postcode: "LE1 5EW", lat: 52.63, long: -1.13 } });
    const b = org("Leeds Bakery", { country: GB, address: { postcode: "LE1 5EW", lat: 52.63, long: -1.13 } });
    expect(scorePair(a, b)).toEqual({ score: 0, reasons: [] });
  });

  it("combines moderate signals into a strong one and never passes 1.", () => {
    const all = {
      homepage: "suma.coop",
      email: "a@suma.coop",
      phone: "01422 313845",
      country: GB,
      address: { postcode: "HX5 9DA", lat: 53.7, long: -1.83 },
    };
    const s = scorePair(org("Suma Wholefoods", all), org("Suma Wholefoods Ltd", all));
    expect(s.score).toBeLessThanOrEqual(1);
    expect(s.score).toBeGreaterThan(0.99);
    expect(s.reasons.map((r) => r.kind)).toEqual(["website", "email", "phone", "name", "postcode", "near"]);
  });
});

describe("blockingKeys", () => {
  it("gives two listings of one organisation a shared key even when name and website vary.", () => {
    const a = org("Green Bay Projects Limited", { country: GB, address: { postcode: "LE1 5EW" } });
    for (const name of ["Greenbay Projects", "Green Bay Projcts", "Projects Green Bay CIC"]) {
      const b = org(name, { country: GB, address: { postcode: "LE1 5EW" } });
      expect(blockingKeys(a).filter((k) => blockingKeys(b).includes(k)).length).toBeGreaterThan(0);
    }
  });

  it("shares a map cell for places a few hundred metres apart across a cell edge.", () => {
    const a = org("Ardelaine", { address: { lat: 44.9999, long: 4.5 } });
    const b = org("Ardelaine Laines", { address: { lat: 45.0001, long: 4.5003 } });
    expect(blockingKeys(a).filter((k) => k.startsWith("geo:") && blockingKeys(b).includes(k)).length).toBeGreaterThan(
      0,
    );
  });

  it("is bounded in number and length whatever the record holds.", () => {
    const huge = org(Array.from({ length: 5000 }, (_, i) => `word${i}`).join(" "), {
      homepage: `https://x.example/${"p".repeat(100_000)}`,
      address: { postcode: "X".repeat(10_000), lat: 1, long: 1 },
    });
    const keys = blockingKeys(huge);
    expect(keys.length).toBeLessThanOrEqual(20);
    expect(Math.max(...keys.map((k) => k.length))).toBeLessThanOrEqual(200);
  });
});
