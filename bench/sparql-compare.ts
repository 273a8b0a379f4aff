/**
 * The side-by-side of bench/sparql.ts: Oxigraph, an independent SPARQL engine, loaded with the
 * N-Quads dump of the same store (each record in its source's graph, queried as the union, as a
 * client that downloads the dump would) and the vocabularies; and a comparison of answers.
 */
import { Store as Oxigraph, type Term as OxTerm } from "oxigraph";
import type { Iris } from "../src/directory/ids.ts";
import { exportAll } from "../src/exporters/export.ts";
import { writeQuads } from "../src/linkeddata/serialize.ts";
import { loadTaxonomies, vocabularyQuads } from "../src/linkeddata/vocabulary.ts";
import type { Store } from "../src/store/store.ts";

type JsonTerm = { type: string; value: string; datatype?: string; "xml:lang"?: string };
export interface Answer {
  vars: string[];
  rows: Record<string, JsonTerm>[];
}

const XSD_STRING = "http://www.w3.org/2001/XMLSchema#string";
const keyOf = (t: JsonTerm) =>
  t.type === "uri"
    ? `<${t.value}>`
    : t.type === "bnode"
      ? `_:${t.value}`
      : `"${t.value}"@${t["xml:lang"] ?? ""}^^${t["xml:lang"] ? "" : (t.datatype ?? XSD_STRING)}`;

function oxJson(t: OxTerm): JsonTerm {
  if (t.termType === "NamedNode") return { type: "uri", value: t.value };
  if (t.termType === "BlankNode") return { type: "bnode", value: t.value };
  const l = t as OxTerm & { language: string; datatype: { value: string } };
  return l.language
    ? { type: "literal", value: t.value, "xml:lang": l.language }
    : { type: "literal", value: t.value, datatype: l.datatype.value };
}

/** True when both answers have the same solutions (and, when `orderedBy` is given, the same order of its values). */
export function sameAnswers(a: Answer, b: Answer, orderedBy?: string): boolean {
  const lines = (x: Answer) =>
    x.rows
      .map((r) =>
        Object.keys(r)
          .sort()
          .map((v) => `${v}=${keyOf(r[v]!)}`)
          .join(" "),
      )
      .sort();
  const [la, lb] = [lines(a), lines(b)];
  if (la.length !== lb.length || la.some((l, k) => l !== lb[k])) return false;
  if (!orderedBy) return true;
  const order = (x: Answer) => x.rows.map((r) => (r[orderedBy] ? keyOf(r[orderedBy]) : "")).join("\n");
  return order(a) === order(b);
}

/** Oxigraph holding the store's N-Quads dump and the vocabularies; `time` runs a SELECT once. */
export async function oxigraphOver(store: Store, iris: Iris) {
  const t0 = performance.now();
  const ox = new Oxigraph();
  let quads = 0;
  for await (const piece of exportAll({ store, taxonomies: loadTaxonomies(), iris }, "nquads")) {
    ox.load(piece, { format: "application/n-quads", no_transaction: true });
    quads += piece.split("\n").length - 1;
  }
  const vocab = [...vocabularyQuads().values()].flat();
  ox.load(writeQuads(vocab, "nquads"), { format: "application/n-quads", no_transaction: true });
  quads += vocab.length;
  const loadMs = performance.now() - t0;
  return {
    quads,
    loadMs,
    /** Oxigraph knows one ESSGLOBAL base, the stored one: the query is given in it. */
    time(query: string): { ms: number; answer: Answer } {
      const q = query.replaceAll(
        "https://w3id.solidarityeconomy.coop/essglobal/V2a/",
        "https://lod.coop/essglobal/2.1/",
      );
      const t = performance.now();
      const rows = ox.query(q, { use_default_graph_as_union: true }) as Map<string, OxTerm>[];
      const ms = performance.now() - t;
      const vars = [...new Set(rows.flatMap((r) => [...r.keys()]))];
      return {
        ms,
        answer: { vars, rows: rows.map((r) => Object.fromEntries([...r].map(([k, t]) => [k, oxJson(t)]))) },
      };
    },
  };
}
