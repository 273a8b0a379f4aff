import { describe, expect, it } from "@jest/globals";
import { loadTaxonomies } from "../linkeddata/vocabulary.ts";
import { isOneByte } from "../../test/support/one-byte.ts";
import { WIDE } from "./one-byte.ts";
import { validateInitiative } from "./validate.ts";
import { stableJson } from "./version.ts";

const taxonomies = loadTaxonomies();

describe("Strings held one byte a character", () => {
  it("holds the taxonomies' IRIs and Latin-1 labels so, though their files hold other scripts.", () => {
    const concepts = taxonomies.parts().concepts;
    expect(concepts.length).toBeGreaterThan(100);
    for (const c of concepts) {
      expect(isOneByte(c.iri)).toBe(true);
      for (const label of Object.values(c.labels)) if (!WIDE.test(label)) expect(isOneByte(label)).toBe(true);
    }
  });

  it("makes the text a record of Latin-1 values is hashed from one byte a character.", () => {
    const v = validateInitiative(
      {
        id: "https://coops.example/initiatives/one",
        name: "Coopérative des Producteurs de Lyon",
        organisationalStructure: ["OS60"],
        primaryActivity: "ICA140",
        baseMembershipType: "BMT20",
        country: "FR",
        address: { locality: "Lyon", countryName: "France" },
      },
      taxonomies,
    );
    expect(v.ok).toBe(true);
    if (v.ok) expect(isOneByte(stableJson(v.initiative))).toBe(true);
  });
});
