import { describe, expect, it } from "@jest/globals";
import { loadTaxonomies } from "../linkeddata/vocabulary.ts";
import { validateInitiative, type InitiativeDraft } from "./validate.ts";

const taxonomies = loadTaxonomies();
const ID = "https://coops.example/initiatives/one";
const check = (d: Partial<InitiativeDraft>) => validateInitiative({ id: ID, name: "A Co-op", ...d }, taxonomies);
const issues = (d: Partial<InitiativeDraft>) => {
  const r = check(d);
  return r.ok ? [] : r.issues.map((i) => `${i.field}: ${i.message}`);
};

describe("validateInitiative", () => {
  it.each<[string, Partial<InitiativeDraft>, string]>([
    ["no name", { name: "  " }, "name: is required"],
    ["a name too long", { name: "x".repeat(301) }, "name: is longer than 300 characters"],
    [
      "an unknown structure",
      { organisationalStructure: ["OS9999"] },
      'organisationalStructure: "OS9999" is not a concept of organisational-structure',
    ],
    [
      "a structure given as an activity",
      { organisationalStructure: ["ICA10"] },
      'organisationalStructure: "ICA10" is not a concept',
    ],
    ["an unknown activity", { activities: ["Juggling"] }, 'activities: "Juggling" is not a concept of activities-ica'],
    ["an unknown country", { country: "XX" }, 'country: "XX" is not a concept of countries-iso'],
    ["a latitude out of range", { address: { lat: 91, long: 0 } }, "address.lat: must be between -90 and 90"],
    ["a longitude out of range", { address: { lat: 0, long: -181 } }, "address.long: must be between -180 and 180"],
    ["a latitude that is not a number", { address: { lat: "north", long: 1 } }, "address.lat: is not a number"],
    [
      "a latitude without longitude",
      { address: { lat: 10 } },
      "address.long: latitude and longitude must be given together",
    ],
    ["a website that is not a URL", { homepage: "call us" }, "homepage: must be an http(s) URL"],
    ["a bad email", { email: "nobody" }, "email: is not an email address"],
    [
      "a bad Companies House number",
      { companiesHouseNumber: "12X34" },
      "companiesHouseNumber: must be up to 8 digits, or a prefix such as SC and digits (8 characters in all)",
    ],
    ["an IRI that is not http(s)", { id: "urn:x:1" }, "id: must be an absolute http(s) IRI"],
  ])("refuses %s, saying which field and why.", (_what, draft, expected) => {
    expect(issues(draft).join("\n")).toContain(expected);
  });

  it.each([
    ["an IRI on the lod.coop 2.1 base", "https://lod.coop/essglobal/2.1/standard/organisational-structure/OS60"],
    ["an IRI on the lod.coop V2a base", "https://lod.coop/essglobal/V2a/standard/organisational-structure/OS60"],
    ["an IRI on the dev.lod.coop base", "https://dev.lod.coop/essglobal/2.1/standard/organisational-structure/OS60"],
    [
      "an IRI on the w3id.solidarityeconomy.coop base",
      "https://w3id.solidarityeconomy.coop/essglobal/V2a/standard/organisational-structure/OS60",
    ],
    ["an IRI on the purl.org base", "http://purl.org/essglobal/standard/organisational-structure/OS60"],
    ["a code", "OS60"],
    ["a prefixed code", "os:OS60"],
    ["the English label", "Workers cooperative"],
    ["the label with other spelling", "workers co-operative"],
  ])("accepts a taxonomy value as %s and stores the canonical IRI.", (_what, value) => {
    const r = check({ organisationalStructure: [value] });
    expect(r.ok && r.initiative.organisationalStructure).toEqual([
      "https://lod.coop/essglobal/2.1/standard/organisational-structure/OS60",
    ]);
  });

  it("accepts labels in other languages the schemes carry.", () => {
    const r = check({ country: "Royaume-Uni", activities: ["Agricultura"] });
    expect(r.ok && [r.initiative.country, r.initiative.activities]).toEqual([
      "https://lod.coop/essglobal/2.1/standard/countries-iso/GB",
      [expect.stringMatching(/standard\/activities(-ica|-modified)?\//)],
    ]);
  });

  it("keeps a free-text country name it cannot resolve, with a warning.", () => {
    const r = check({ address: { countryName: "Atlantis" } });
    expect(r.ok && r.initiative.address?.countryName).toBe("Atlantis");
    expect(r.ok && r.warnings.map((w) => w.field)).toEqual(["address.countryName"]);
  });

  it("adds the scheme to a bare www address and pads Companies House numbers.", () => {
    const r = check({ homepage: "www.coop.example", companiesHouseNumber: "4711097" });
    expect(r.ok && [r.initiative.homepage, r.initiative.companiesHouseNumber]).toEqual([
      "http://www.coop.example",
      "04711097",
    ]);
  });

  it("normalises registrations per register, and refuses a bad one strictly or drops it leniently.", () => {
    const registrations = [
      { register: "fr-siren", number: "552 100 554" },
      { register: "GB-COH", number: "4711097" },
      { register: "DE-CR", number: "Amtsgericht Hamburg GnR 1234" },
      { register: "FR-SIREN", number: "552100554" },
    ];
    const r = check({ registrations });
    expect(r.ok && [r.initiative.companiesHouseNumber, r.initiative.registrations]).toEqual([
      "04711097",
      [
        { register: "DE-CR", number: "Hamburg GnR 1234" },
        { register: "FR-SIREN", number: "552100554" },
      ],
    ]);
    const bad = [...registrations, { register: "FR-SIRET", number: "123" }];
    expect(issues({ registrations: bad })).toEqual(['registrations: "123" is not a number of the register FR-SIRET']);
    const lenient = validateInitiative({ id: ID, name: "A Co-op", registrations: bad }, taxonomies, { lenient: true });
    expect(lenient.ok && lenient.warnings.map((w) => [w.field, w.value])).toEqual([["registrations", "FR-SIRET:123"]]);
    expect(lenient.ok && lenient.initiative.registrations?.length).toBe(2);
    expect(issues({ registrations: [{ register: "Companies House", number: "1" }] })).toEqual([
      'registrations: "Companies House" is not a register code such as GB-COH or FR-SIREN',
    ]);
  });
});
