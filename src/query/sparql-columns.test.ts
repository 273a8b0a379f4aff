import { describe, expect, it } from "@jest/globals";
import { initiativeToQuads } from "../linkeddata/initiative-rdf.ts";
import { AS, ESS, GEO, GR, RDF } from "../linkeddata/namespaces.ts";
import { loadTaxonomies } from "../linkeddata/vocabulary.ts";
import type { ShapeRow } from "../store/store.ts";
import { recordOfShape, shapeTriples } from "./sparql-columns.ts";

const taxonomies = loadTaxonomies();
const ICA = "https://lod.coop/essglobal/2.1/standard/activities-ica/ICA140";

const rows: ShapeRow[] = [
  { seq: 1, id: "https://a.example/initiatives/1", name: "Plain" },
  { seq: 2, id: "https://a.example/initiatives/2", name: 'Bó "quoted"', primaryActivity: ICA, lat: 51.5, long: -0.1 },
  { seq: 3, id: "https://a.example/initiatives/3", name: "Lat only", lat: 1e-7 },
  { seq: 4, id: "https://a.example/initiatives/4", name: "Long only", long: -180, primaryActivity: "" },
  { seq: 5, id: "https://a.example/initiatives/5", name: "", lat: 0, long: 12345678.123456789 },
];
const SETS = [
  [RDF.type, GR.name, ESS.hasAddress, GEO.lat, GEO.long],
  [AS.name, ESS.primarySector],
  [RDF.type],
  [GR.name, AS.name, RDF.type, ESS.primarySector, ESS.hasAddress, GEO.lat, GEO.long],
  [GEO.lat],
];

/** Each triple as text, in the order the index gives them (subject, then predicate, then as made). */
const text = (triples: ReturnType<typeof shapeTriples>) =>
  [...triples].flatMap(([, byPredicate]) =>
    [...byPredicate].flatMap(([p, held]) => held.map((h) => `${h.subject.id} <${p}> ${h.object.id}`)),
  );

describe("triples made from a record's plain columns", () => {
  it.each(SETS.map((s) => [s.join(" ")] as const))("are those initiativeToQuads makes of its columns (%s)", (set) => {
    const predicates = new Set(set.split(" "));
    for (const r of rows) {
      const made = initiativeToQuads(recordOfShape(r), taxonomies, "https://a.example/actor", undefined, predicates);
      const expected = made.map((q) => `${q.subject.id} <${q.predicate.value}> ${q.object.id}`);
      expect(text(shapeTriples(r, predicates)).sort()).toEqual(expected.sort());
      // Terms equal in every part (datatype, language), not only in their text.
      for (const q of made) {
        const held = shapeTriples(r, predicates).get(q.subject.value)!.get(q.predicate.value)!;
        expect(held.some((h) => h.object.equals(q.object) && h.subject.equals(q.subject))).toBe(true);
      }
    }
  });
});
