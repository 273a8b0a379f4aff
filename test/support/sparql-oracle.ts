/**
 * An independent engine to hold essfed's SPARQL answers to: Oxigraph, loaded with the store's
 * N-Quads dump (each record in its source's graph, queried as their union, as a client that
 * downloads the dump would) and the shipped vocabularies. Answers are compared as multisets of
 * solutions, and an ordered answer is checked against SPARQL 1.1's ORDER BY (§15.1) wherever the
 * specification decides the order of two terms (see `compareDetermined`).
 */
import { Store as Oxigraph, type Term as OxTerm } from "oxigraph";
import { makeIris } from "../../src/directory/ids.ts";
import { exportAll } from "../../src/exporters/export.ts";
import { writeQuads } from "../../src/linkeddata/serialize.ts";
import { loadTaxonomies, vocabularyQuads } from "../../src/linkeddata/vocabulary.ts";
import { parseQuery } from "../../src/query/sparql-guard.ts";
import type { SparqlService } from "../../src/query/sparql.ts";
import type { Store } from "../../src/store/store.ts";
import { BASE } from "./sparql-stores.ts";

/** A term as the SPARQL 1.1 JSON results format writes it. */
export interface JsonTerm {
  type: string;
  value: string;
  datatype?: string;
  "xml:lang"?: string;
}
export type Solution = Record<string, JsonTerm>;

const XSD = "http://www.w3.org/2001/XMLSchema#";
const NUMERIC = new Set(["integer", "decimal", "double", "float", "int", "long"].map((t) => XSD + t));

export async function oxigraphOver(store: Store): Promise<Oxigraph> {
  const ox = new Oxigraph();
  const iris = makeIris(BASE, "network");
  for await (const piece of exportAll({ store, taxonomies: loadTaxonomies(), iris }, "nquads"))
    ox.load(piece, { format: "application/n-quads", no_transaction: true });
  ox.load(writeQuads([...vocabularyQuads().values()].flat(), "nquads"), {
    format: "application/n-quads",
    no_transaction: true,
  });
  return ox;
}

function oxJson(t: OxTerm): JsonTerm {
  if (t.termType === "NamedNode") return { type: "uri", value: t.value };
  if (t.termType === "BlankNode") return { type: "bnode", value: t.value };
  const l = t as OxTerm & { language: string; datatype: { value: string } };
  if (l.language) return { type: "literal", value: t.value, "xml:lang": l.language };
  return l.datatype.value === `${XSD}string`
    ? { type: "literal", value: t.value }
    : { type: "literal", value: t.value, datatype: l.datatype.value };
}

/**
 * Oxigraph's solutions (the query is given in the stored ESSGLOBAL base: Oxigraph knows no other).
 * Where Oxigraph is known to stray from SPARQL 1.1, its answer is corrected to the specification's:
 * counts without GROUP BY over a pattern whose FILTER it finds always false come back as no row,
 * where §18.5 gives one solution with each count 0.
 */
export function oxSelect(ox: Oxigraph, query: string): Solution[] {
  const rows = ox.query(query, { use_default_graph_as_union: true }) as Map<string, OxTerm>[];
  const counts = [...query.matchAll(/\(COUNT\([^)]*\) AS \?(\w+)\)/g)].map((m) => m[1]!);
  if (!rows.length && counts.length && !/GROUP BY/i.test(query) && /SELECT\s+\(COUNT/i.test(query))
    return [Object.fromEntries(counts.map((v) => [v, { type: "literal", value: "0", datatype: `${XSD}integer` }]))];
  return rows.map((r) => Object.fromEntries([...r].map(([k, t]) => [k, oxJson(t)])));
}

/** essfed's solutions, through its SPARQL service (the record pass or the general engine). */
export async function essSelect(service: SparqlService, query: string): Promise<Solution[]> {
  const out = await service.execute(query, "application/sparql-results+json", "text/turtle");
  if (!out.ok) throw new Error(`${out.code}: ${out.message}`);
  let body = "";
  for await (const c of out.chunks) body += c;
  return (JSON.parse(body) as { results: { bindings: Solution[] } }).results.bindings;
}

/**
 * A term as one string, equal for equal RDF terms: language tags compare without case (RDF 1.1),
 * a plain literal is an xsd:string, numbers are written as their value (engines may write a
 * computed number's lexical form differently).
 */
export function termKey(t: JsonTerm | undefined): string {
  if (!t) return "";
  if (t.type === "uri") return `<${t.value}>`;
  if (t.type === "bnode") return `_:${t.value}`;
  if (t["xml:lang"]) return `"${t.value}"@${t["xml:lang"].toLowerCase()}`;
  const datatype = t.datatype ?? `${XSD}string`;
  return NUMERIC.has(datatype) ? `${Number(t.value)}^^number` : `"${t.value}"^^<${datatype}>`;
}

export const solutionKey = (s: Solution): string =>
  Object.keys(s)
    .filter((v) => s[v])
    .sort()
    .map((v) => `${v}=${termKey(s[v])}`)
    .join(" ");

/** The solutions as a sorted list of keys: two answers are the same multiset when these are equal. */
export const multiset = (rows: Solution[]): string[] => rows.map(solutionKey).sort();

function codePoints(a: string, b: string): number {
  const x = [...a].map((c) => c.codePointAt(0)!);
  const y = [...b].map((c) => c.codePointAt(0)!);
  for (let k = 0; k < Math.min(x.length, y.length); k++) if (x[k] !== y[k]) return x[k]! - y[k]!;
  return x.length - y.length;
}

/**
 * How ORDER BY must order two terms, or undefined where SPARQL 1.1 leaves it to the engine:
 * unbound before blank nodes before IRIs before literals; numbers by value, simple literals and
 * xsd:strings in code point order, IRIs as their strings. Literals of other or different kinds
 * (language-tagged ones among them: `<` is not defined on them) are not decided.
 */
export function compareDetermined(a: JsonTerm | undefined, b: JsonTerm | undefined): number | undefined {
  const rank = (t: JsonTerm | undefined) => (!t ? 0 : t.type === "bnode" ? 1 : t.type === "uri" ? 2 : 3);
  if (rank(a) !== rank(b)) return rank(a) - rank(b);
  if (!a || !b) return 0;
  if (a.type === "bnode") return a.value === b.value ? 0 : undefined;
  if (a.type === "uri") return codePoints(a.value, b.value);
  const kind = (t: JsonTerm) =>
    t["xml:lang"] ? "lang" : NUMERIC.has(t.datatype ?? "") ? "number" : (t.datatype ?? `${XSD}string`);
  const [ka, kb] = [kind(a), kind(b)];
  if (ka !== kb) return undefined;
  if (ka === "number") return Number(a.value) - Number(b.value);
  if (ka === `${XSD}string`) return codePoints(a.value, b.value);
  return termKey(a) === termKey(b) ? 0 : undefined;
}

export interface OrderKey {
  variable: string;
  descending: boolean;
}

/** How two solutions compare under the keys: <0, 0 (tied), >0, or undefined (not decided). */
export function compareSolutions(a: Solution, b: Solution, keys: OrderKey[]): number | undefined {
  for (const k of keys) {
    const c = compareDetermined(a[k.variable], b[k.variable]);
    if (c === undefined) return undefined;
    if (c !== 0) return k.descending ? -c : c;
  }
  return 0;
}

/** Pairs of solutions the answer gives in an order ORDER BY forbids (empty when it is in order). */
export function misordered(rows: Solution[], keys: OrderKey[]): [Solution, Solution][] {
  const out: [Solution, Solution][] = [];
  for (let i = 0; i < rows.length; i++)
    for (let j = i + 1; j < rows.length; j++) {
      const c = compareSolutions(rows[i]!, rows[j]!, keys);
      if (c !== undefined && c > 0) out.push([rows[i]!, rows[j]!]);
    }
  return out;
}

/** True when the keys decide the place of every solution: any two differ decidedly, or are the same solution. */
export function totallyOrdered(rows: Solution[], keys: OrderKey[]): boolean {
  for (let i = 0; i < rows.length; i++)
    for (let j = i + 1; j < rows.length; j++) {
      const c = compareSolutions(rows[i]!, rows[j]!, keys);
      if (c === undefined || (c === 0 && solutionKey(rows[i]!) !== solutionKey(rows[j]!))) return false;
    }
  return true;
}

/**
 * Differences between essfed's answer and Oxigraph's for one query, as readable lines (none when
 * they agree). `whole` is Oxigraph's answer without the query's OFFSET/LIMIT: a page the order
 * does not fully decide may hold any of the tied solutions, so it is checked to be a page of
 * `whole` of the right size; a fully decided one must equal Oxigraph's page, in order.
 */
export function differences(
  ess: Solution[],
  ox: Solution[],
  o: { order: OrderKey[]; slice?: { offset: number; limit?: number }; whole?: Solution[] },
): string[] {
  const out: string[] = [];
  const bad = misordered(ess, o.order);
  if (bad.length) out.push(`out of order: ${solutionKey(bad[0]![0])} before ${solutionKey(bad[0]![1])}`);
  const decided = !o.slice || (o.order.length > 0 && totallyOrdered(o.whole ?? ox, o.order));
  if (decided) {
    const [a, b] = [multiset(ess), multiset(ox)];
    if (a.join("\n") !== b.join("\n")) {
      const extra = a.filter((x) => !b.includes(x));
      const missing = b.filter((x) => !a.includes(x));
      out.push(`essfed ${a.length} rows, Oxigraph ${b.length}; only essfed: ${extra.slice(0, 3).join(" | ")}`);
      out.push(`only Oxigraph: ${missing.slice(0, 3).join(" | ")}`);
    }
    return out;
  }
  const whole = o.whole!;
  const size = Math.max(0, Math.min(o.slice!.limit ?? Infinity, whole.length - o.slice!.offset));
  if (ess.length !== size) out.push(`a page of ${ess.length} rows where ${size} were due`);
  const left = multiset(whole);
  for (const k of multiset(ess)) {
    const at = left.indexOf(k);
    if (at < 0) out.push(`not a solution: ${k}`);
    else left.splice(at, 1);
  }
  return out;
}

/** What a query's outer ORDER BY and OFFSET/LIMIT are, read from its algebra, and the query without the slice. */
export function planOf(query: string): {
  order: OrderKey[];
  slice?: { offset: number; limit?: number };
  unsliced: string;
} {
  const parsed = parseQuery(query);
  if (!parsed.ok) throw new Error(parsed.message);
  type Node = {
    type: string;
    input?: Node;
    start?: number;
    length?: number;
    expressions?: Expr[];
    variables?: { value: string }[];
  };
  type Expr = { subType: string; operator?: string; args?: Expr[]; term?: { termType: string; value: string } };
  let op = parsed.algebra as unknown as Node;
  let slice: { offset: number; limit?: number } | undefined;
  if (op.type === "slice") {
    slice = { offset: op.start ?? 0, ...(op.length !== undefined ? { limit: op.length } : {}) };
    op = op.input!;
  }
  const order: OrderKey[] = [];
  let projected: Set<string> | undefined;
  for (; op && op.type !== "orderby"; op = op.input!) {
    if (op.type === "project") projected = new Set(op.variables!.map((v) => v.value));
    if (!op.input || op.type === "group") break;
  }
  for (const e of op?.type === "orderby" ? op.expressions! : []) {
    const descending = e.subType === "operator" && e.operator === "desc";
    const v = descending ? e.args![0]! : e;
    if (v.term?.termType !== "Variable") throw new Error("the tests order by variables only");
    // A key the answer does not show cannot be checked, nor can the keys after it.
    if (!projected?.has(v.term.value)) break;
    order.push({ variable: v.term.value, descending });
  }
  return { order, ...(slice ? { slice } : {}), unsliced: query.replace(/(\s+(LIMIT|OFFSET)\s+\d+)+\s*$/i, "") };
}
