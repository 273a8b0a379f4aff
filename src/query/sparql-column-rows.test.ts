import { describe, expect, it } from "@jest/globals";
import { literal, namedNode } from "../linkeddata/terms.ts";
import { XSD } from "../linkeddata/namespaces.ts";
import type { ShapeRow } from "../store/store.ts";
import { canonicalizeAlgebra } from "./sparql-alias.ts";
import { columnRows } from "./sparql-column-rows.ts";
import { decimalLiteral, shapeTriples, stringLiteral } from "./sparql-columns.ts";
import { parseQuery } from "./sparql-guard.ts";
import { matcherOf, matchTriples } from "./sparql-record.ts";
import { recogniseShape, type ShapedQuery } from "./sparql-shape.ts";

const P = `PREFIX e: <https://w3id.solidarityeconomy.coop/essglobal/V2a/vocab/> PREFIX gr: <http://purl.org/goodrelations/v1#>
PREFIX as: <https://www.w3.org/ns/activitystreams#> PREFIX geo: <http://www.w3.org/2003/01/geo/wgs84_pos#>`;
const ICA = "https://lod.coop/essglobal/2.1/standard/activities-ica/ICA140";

const shaped = (body: string): ShapedQuery => {
  const parsed = parseQuery(`${P} SELECT * WHERE { ${body} }`);
  if (!parsed.ok) throw new Error(parsed.message);
  canonicalizeAlgebra(parsed.algebra);
  const q = recogniseShape(parsed.algebra);
  if (!q) throw new Error(`not a shape: ${body}`);
  return q;
};

/** Every combination of present columns, with values a stand-in could be confused with. */
const rows: ShapeRow[] = [
  { seq: 1, id: "https://a.example/i/1", name: "Plain" },
  { seq: 2, id: "https://a.example/i/2", name: 'Bó "q"', primaryActivity: ICA, lat: 51.5, long: -0.1 },
  { seq: 3, id: "https://a.example/i/3", name: "0.25", lat: 0.25 },
  { seq: 4, id: "https://a.example/i/4", name: "", long: 0.75, primaryActivity: "" },
  { seq: 5, id: "https://a.example/i/5", name: "x", lat: 0, long: 0, primaryActivity: ICA },
  { seq: 6, id: "https://a.example/i/6", name: "y", primaryActivity: ICA, long: 1e-7 },
  { seq: 7, id: "https://a.example/i/7", name: "z", primaryActivity: ICA, lat: 3 },
  { seq: 8, id: "https://a.example/i/8", name: "w", lat: 3, long: 4 },
];

/** Solutions as text, in a stable order (terms by id: datatype and language included). */
const text = (solutions: Map<string, { id: string }>[]) =>
  solutions
    .map((s) =>
      [...s]
        .map(([v, t]) => `${v}=${t.id}`)
        .sort()
        .join(" "),
    )
    .sort();

const PLANNED = [
  "?i a e:SSEInitiative ; gr:name ?name ; e:hasAddress ?a . ?a geo:lat ?lat ; geo:long ?lng",
  "?i a e:SSEInitiative ; gr:name ?name OPTIONAL { ?i e:hasAddress ?a . ?a geo:lat ?lat } " +
    "OPTIONAL { ?i e:primarySector ?p }",
  "?i a e:SSEInitiative, ?t ; as:name ?n ; gr:name ?n",
  "?i a e:SSEInitiative OPTIONAL { ?i e:hasAddress ?a . ?a geo:long ?lng ; a ?t }",
  "?i a e:SSEInitiative ; e:primarySector ?p " +
    "OPTIONAL { ?i e:hasAddress ?a . ?a geo:lat ?x OPTIONAL { ?a geo:long ?y } }",
];
/** Comparisons a stand-in cannot decide: a constant, a FILTER, one variable for two columns. */
const NOT_PLANNED = [
  `?i a e:SSEInitiative ; e:primarySector <${ICA}>`,
  "?i a e:SSEInitiative ; e:hasAddress ?a . ?a geo:lat ?x ; geo:long ?x",
  "?i a e:SSEInitiative ; gr:name ?n ; e:hasAddress ?a . ?a geo:lat ?n",
  "?i a e:SSEInitiative, ?t ; e:primarySector ?t",
  `?i a e:SSEInitiative ; e:primarySector ?p FILTER(?p = <${ICA}>)`,
];

describe("solutions from a record's columns by templates", () => {
  it.each(PLANNED)("are those matched from its triples: %s", (body) => {
    const q = shaped(body);
    const m = matcherOf(q);
    const rowsOf = columnRows(q, m);
    expect(rowsOf).toBeDefined();
    for (const r of rows) {
      const expected = matchTriples(m, shapeTriples(r, m.predicates), namedNode(r.id));
      expect(text(rowsOf!(r))).toEqual(text(expected));
      // Equal as terms too, each way (n3's equality by id, and by parts).
      const made = rowsOf!(r);
      expected.forEach((s, k) => {
        for (const [v, t] of s)
          expect(
            made.some((x) => {
              const u = x.get(v);
              return !!u && u.equals(t) && t.equals(u);
            }),
          ).toBe(true);
        expect(made[k]!.size).toBe(s.size);
      });
    }
  });

  it.each(NOT_PLANNED)("are not planned where a stand-in would decide a comparison: %s", (body) => {
    const q = shaped(body);
    expect(columnRows(q, matcherOf(q))).toBeUndefined();
  });

  it("make literals equal to n3's in every part", () => {
    for (const [made, n3] of [
      [stringLiteral('Bó "q"'), literal('Bó "q"')],
      [stringLiteral(""), literal("")],
      [decimalLiteral(-0.1), literal("-0.1", namedNode(XSD.decimal))],
      [decimalLiteral(1e-7), literal("0.0000001", namedNode(XSD.decimal))],
    ] as const) {
      expect([made.id, made.value, made.language, made.datatype.value, made.datatypeString, made.termType]).toEqual([
        n3.id,
        n3.value,
        n3.language,
        n3.datatype.value,
        n3.datatypeString,
        n3.termType,
      ]);
      expect(made.equals(n3) && n3.equals(made)).toBe(true);
      expect(made.equals({ ...n3.toJSON(), equals: () => false } as never)).toBe(true);
    }
    expect(stringLiteral("1").equals(decimalLiteral(1))).toBe(false);
  });
});
