import { describe, expect, it } from "@jest/globals";
import { Parser } from "n3";
import { validateInitiative, type InitiativeDraft } from "../domain/validate.ts";
import { versionOf } from "../domain/version.ts";
import type { InitiativeRecord } from "../domain/initiative.ts";
import { initiativeToJsonLd } from "./initiative-jsonld.ts";
import { draftsFromQuads, initiativeToQuads } from "./initiative-rdf.ts";
import { draftsFromJsonLd, jsonLdToQuads } from "./jsonld-in.ts";
import { writeQuads } from "./serialize.ts";
import { loadTaxonomies } from "./vocabulary.ts";

const taxonomies = loadTaxonomies();
const OWNER = "https://regional.example/actors/network";

function record(draft: InitiativeDraft): InitiativeRecord {
  const v = validateInitiative(draft, taxonomies);
  if (!v.ok) throw new Error(JSON.stringify(v.issues));
  return {
    initiative: v.initiative,
    published: "2026-01-01T00:00:00.000Z",
    updated: "2026-02-01T10:00:00.000Z",
    version: versionOf(v.initiative),
  };
}

const FULL: InitiativeDraft = {
  id: "https://regional.example/initiatives/R1",
  name: "Brixton Energy",
  description: "Community <em>energy</em> co-op",
  homepage: "https://brixtonenergy.example",
  organisationalStructure: ["OS60", "OS130"],
  legalForm: ["L2"],
  primaryActivity: "aci:ICA230",
  activities: ["AM50"],
  qualifiers: ["q01"],
  baseMembershipType: "BMT40",
  country: "GB",
  territory: "I-EU-WE",
  address: {
    streetAddress: "1 Electric Ave",
    locality: "London",
    region: "Lambeth",
    postcode: "SW9 8JX",
    lat: "51.4613",
    long: "-0.1156",
    geoContainer: "http://data.ordnancesurvey.co.uk/id/postcodeunit/SW98JX",
    geoContainerLat: 51.46,
    geoContainerLong: -0.11,
  },
  phone: "+44 20 0000 0000",
  email: "hello@brixtonenergy.example",
  twitter: "brixtonenergy",
  facebook: "brixtonenergy",
  companiesHouseNumber: "4711097",
  sameAs: ["https://other.example/org/9"],
  license: "CC-BY-4.0",
  attribution: "Brixton Energy Co-op",
  sharing: { email: "network", phone: "public" },
};
const MINIMAL: InitiativeDraft = { id: "https://regional.example/initiatives/R2", name: "Tiny Co-op" };

describe("An initiative rendered as JSON-LD", () => {
  it.each([
    ["full", FULL],
    ["minimal", MINIMAL],
  ])("describes the same graph as its quads (%s).", async (_n, draft) => {
    const rec = record(draft);
    const fromJsonLd = await jsonLdToQuads(initiativeToJsonLd(rec, taxonomies, { owner: OWNER, audience: "public" }));
    expect(fromJsonLd).toBeRdfIsomorphic(initiativeToQuads(rec, taxonomies, OWNER));
  });

  it("reads back to the same initiative by the fast path and by full JSON-LD processing.", async () => {
    const rec = record(FULL);
    const doc = initiativeToJsonLd(rec, taxonomies, { owner: OWNER, audience: "public" });
    const [fast] = await draftsFromJsonLd(doc);
    const [slow] = draftsFromQuads(await jsonLdToQuads(doc));
    for (const d of [fast!, slow!]) {
      const v = validateInitiative(d, taxonomies);
      expect(v.ok && versionOf(v.initiative)).toBe(rec.version);
    }
  });

  it("round-trips through Turtle.", () => {
    const rec = record(FULL);
    const turtle = writeQuads(initiativeToQuads(rec, taxonomies, OWNER), "turtle");
    const [draft] = draftsFromQuads(new Parser().parse(turtle));
    const v = validateInitiative(draft!, taxonomies);
    expect(v.ok && versionOf(v.initiative)).toBe(rec.version);
  });

  it("pairs the ESSGLOBAL type with an ActivityStreams type and keeps lod.coop terms.", () => {
    const doc = initiativeToJsonLd(record(FULL), taxonomies, { owner: OWNER, audience: "public" });
    expect(doc.type).toEqual(["Page", "essglobal:SSEInitiative"]);
    expect(doc["gr:name"]).toBe("Brixton Energy");
    expect(doc["essglobal:organisationalStructure"]).toEqual([
      "https://lod.coop/essglobal/2.1/standard/organisational-structure/OS130",
      "https://lod.coop/essglobal/2.1/standard/organisational-structure/OS60",
    ]);
    expect((doc["essglobal:hasAddress"] as Record<string, unknown>)["geo:lat"]).toBe("51.4613");
    expect(doc.summary).toContain("London, United Kingdom");
  });
});
