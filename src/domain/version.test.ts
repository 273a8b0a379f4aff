import { describe, expect, it } from "@jest/globals";
import { emptyInitiative, type Initiative } from "./initiative.ts";
import { stableJson, versionOf } from "./version.ts";

const ESS = "https://dev.lod.coop/essglobal/2.1/standard/";

describe("versionOf", () => {
  it("is the same for equal content whatever the key order.", () => {
    const a = { ...emptyInitiative("https://x.example/initiatives/1", "A"), address: { lat: 1, locality: "L" } };
    const b = { address: { locality: "L", lat: 1 }, ...emptyInitiative("https://x.example/initiatives/1", "A") };
    expect(stableJson(a)).toBe(stableJson(b));
    expect(versionOf(a)).toBe(versionOf(b));
  });

  it("changes when any value changes.", () => {
    const a = emptyInitiative("https://x.example/initiatives/1", "A");
    expect(versionOf(a)).not.toBe(versionOf({ ...a, name: "B" }));
    expect(versionOf(a)).not.toBe(versionOf({ ...a, activities: ["x"] }));
    expect(versionOf(a)).toHaveLength(22);
  });

  // Stored versions are compared on re-import and with versions met by other paths: the text they hash must never
  // change, however it is produced. These were computed before the serialiser was made faster.
  it("keeps the versions already stored.", () => {
    const full = {
      ...emptyInitiative("https://x.example/initiatives/full", 'Coopérative "Ñandú" \\ 🐝'),
      description: "<p>Line one\nline two\ttab \u2028 and \u0007</p>",
      homepage: "https://coop.example/a?b=c&d=e",
      organisationalStructure: [`${ESS}organisational-structure/OS10`],
      activities: [`${ESS}activities-modified/AM10`, `${ESS}activities-modified/AM20`],
      primaryActivity: `${ESS}activities-ica/ICA10`,
      country: `${ESS}countries-iso/FR`,
      address: {
        streetAddress: "1 rue de la Paix",
        locality: "Paris",
        postcode: "75001",
        countryName: "France",
        lat: 48.8566,
        long: 2.3522,
        geoContainerLat: -0,
        geoContainerLong: 1e21,
      },
      email: "a@coop.example",
      sicCodes: ["01110", "9003"],
      registrations: [{ register: "FR-SIREN", number: "552100554" }],
      translations: { fr: { name: "Nom", description: "Déscription" }, "pt-br": { name: "Nome" } },
      sameAs: ["https://other.example/x"],
      sharing: { email: "network", phone: "none" },
      license: "https://creativecommons.org/licenses/by/4.0/",
    } as const;
    expect(versionOf(emptyInitiative("https://x.example/initiatives/1", "A"))).toBe("S4SXFtpP4ap0KVHrRjKwU7");
    // Twice: the second time the key orders come from the serialiser's cache.
    for (let n = 0; n < 2; n++) expect(versionOf(full as unknown as Initiative)).toBe("VgO1035fBEBagfBvI6IK0M");
  });

  it("writes sorted-key JSON, escaping as JSON.stringify does.", () => {
    const odd = {
      b: 1,
      a: [3, { z: "é", y: null, "\u00e8": true, u: undefined }],
      "": "",
      "10": 0.1,
      "9": -0,
      c: '\ud800 \ud83d\ude00 \\ " \n \u001f \u2028',
      f: () => 1,
    };
    const text =
      String.raw`{"":"","10":0.1,"9":0,"a":[3,{"y":null,"z":"é","è":true}],"b":1,"c":"\ud800 😀 \\ \" \n \u001f ` +
      '\u2028"}';
    expect(stableJson(odd)).toBe(text);
    expect(stableJson(odd)).toBe(text);
  });
});
