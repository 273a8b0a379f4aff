/**
 * Answers a query over the initiative shape (see `sparql-shape.ts`) record by record: each held
 * record is read once, in pages, turned into its own triples (the same `initiativeToQuads` the
 * general engine's source uses, so the answers are the same), and the pattern is matched against
 * those few triples alone. Whole-dataset queries then cost one pass over the records instead of
 * joins across millions of triples; counts of initiatives, and counts grouped by a taxonomy
 * property, come from the store's own counters.
 */
import type * as RDFJS from "@rdfjs/types";
import type { Term } from "n3";
import { DataFactory } from "n3";
import { AS, ESS, GR, RDF, XSD } from "../linkeddata/namespaces.ts";
import { namedNode } from "../linkeddata/terms.ts";
import type { FacetName, SearchFilter } from "../store/search.ts";
import type { ShapeRow, StoredInitiative } from "../store/store.ts";
import { FACET_OF, keptWhileUnchanged, totalOf } from "./sparql-source.ts";
import { columnsSuffice, shapeTriples } from "./sparql-columns.ts";
import { columnRows } from "./sparql-column-rows.ts";
import { keyedRecords, lookupKeyOf, type Keyed } from "./sparql-keyed.ts";
import { matcherOf, matchRecord, matchTriples } from "./sparql-record.ts";
import { mandatory, type Count, type ShapedQuery } from "./sparql-shape.ts";
import { orderedByName, solutionsByName, type FastContext } from "./sparql-ordered.ts";
import { compareKeys, firstInOrder, sortKey, type SortKey } from "./sparql-order.ts";
import type { Row } from "./sparql-results.ts";

const PAGE = 1000;
/** Rows of plain columns are small: more of them a page. */
const COLUMN_PAGE = 5000;
/** The first page smaller: a client sees rows before a whole page of records is matched. */
const FIRST_COLUMN_PAGE = 500;
type Solution = Map<string, Term>;

/** Which facet counter answers "GROUP BY ?v" over "?i <predicate> ?v" (one value per record each). */
const COUNTED_FACETS: Record<string, FacetName> = {
  [ESS.organisationalStructure]: "structure",
  [ESS.baseMembershipType]: "membership",
  [ESS.qualifier]: "qualifier",
  [ESS.country_id]: "country",
};

export type { FastContext } from "./sparql-ordered.ts";

/** Rows a batch: handing rows on one by one through async generators costs more than making them. */
const BATCH = 256;

/** The rows of a shaped query, in order, in batches as they are produced. */
export async function* answerShaped(q: ShapedQuery, cx: FastContext): AsyncGenerator<Row[]> {
  const counted = q.group ? await fromCounters(q, cx) : undefined;
  let pages: AsyncIterable<Solution[]>;
  if (orderedByName(q) && !narrowing(q) && !lookupOf(q)) pages = batched(solutionsByName(q, cx));
  else if (!q.group && !q.renames.length && !q.order.length) pages = solutionPages(q, cx);
  else {
    let rows: AsyncIterable<Solution> | Iterable<Solution> =
      counted ?? (q.group ? grouped(q, solutions(q, cx)) : solutions(q, cx));
    if (q.renames.length) rows = renamed(q, rows);
    if (q.order.length) rows = await sorted(q, rows, cx);
    pages = batched(rows);
  }
  const seen = q.distinct ? new Set<string>() : undefined;
  let skip = q.offset;
  let left = q.limit ?? Infinity;
  if (left <= 0) return;
  for await (const page of pages) {
    const out: Row[] = [];
    // A solution is its row: the writers read the projected variables alone.
    for (const row of page) {
      if (seen) {
        const key = q.vars.map((v) => keyOf(row.get(v))).join("\u0000");
        if (seen.has(key)) continue;
        seen.add(key);
      }
      if (skip > 0) {
        skip--;
        continue;
      }
      out.push(row);
      if (--left <= 0) break;
    }
    if (out.length) yield out;
    if (left <= 0) return;
  }
}

async function* batched(input: AsyncIterable<Solution> | Iterable<Solution>): AsyncGenerator<Solution[]> {
  let batch: Solution[] = [];
  for await (const s of input) {
    batch.push(s);
    if (batch.length >= BATCH) {
      yield batch;
      batch = [];
    }
  }
  if (batch.length) yield batch;
}

/**
 * The records that can match, as a search: those with a taxonomy value that the pattern requires
 * of the initiative (a superset: each record is still matched in full).
 */
function narrowing(q: ShapedQuery): SearchFilter | undefined {
  const facets: SearchFilter["facets"] = {};
  for (const p of mandatory(q.tree)) {
    if (p.subject.value !== q.root) continue;
    const facet = FACET_OF[p.predicate.value];
    const object = objectOf(q, p.object);
    if (facet && object.termType === "NamedNode") facets[facet] ??= [object.value];
  }
  return Object.keys(facets).length ? { facets } : undefined;
}

/** A pattern's object, or the term a FILTER fixes it to. */
const objectOf = (q: ShapedQuery, o: RDFJS.Term): RDFJS.Term =>
  o.termType === "Variable" ? (q.fixed.get(o.value) ?? o) : o;

/**
 * The one record the query can match (its root fixed to an IRI), or the one name it requires of
 * the initiative: its own name is that plain string (names of translations are tagged), or the
 * lookup key (postcode, identifier, company) a pattern requires of it. Read from the record's key,
 * the name index (ADR 36) or the keys index (ADR 42) instead of every record.
 */
function lookupOf(q: ShapedQuery): { id: string } | { name: string } | { key: Keyed } | "none" | undefined {
  const id = q.fixed.get(q.root);
  if (id) return { id: id.value };
  for (const p of mandatory(q.tree)) {
    // A postcode, a registration's identifier or a company (ADR 42); the pattern is one record's.
    const key = lookupKeyOf(p.predicate.value, objectOf(q, p.object));
    if (key) return key === "none" ? key : { key };
    if (p.subject.value !== q.root || (p.predicate.value !== GR.name && p.predicate.value !== AS.name)) continue;
    const object = objectOf(q, p.object);
    if (object.termType !== "Literal" || object.language) continue;
    // Names are plain strings: a literal of another datatype is no record's name.
    return object.datatype.value === XSD.string ? { name: object.value } : "none";
  }
  return undefined;
}

/** Every solution of the pattern, record after record. */
async function* solutions(q: ShapedQuery, cx: FastContext): AsyncGenerator<Solution> {
  for await (const page of solutionPages(q, cx)) yield* page;
}

/** The same, a page of records' solutions at a time. */
async function* solutionPages(q: ShapedQuery, cx: FastContext): AsyncGenerator<Solution[]> {
  const filter = narrowing(q);
  const matcher = matcherOf(q);
  const match = (r: StoredInitiative) => matchRecord(matcher, r, cx.taxonomies, r.provenance?.origin ?? cx.iris.actor);
  let cursor: string | undefined;
  const lookup = lookupOf(q);
  if (lookup === "none") return;
  if (lookup && "id" in lookup) {
    const r = await cx.store.getInitiative(lookup.id);
    if (r) yield match(r);
    return;
  }
  if (lookup && "key" in lookup) {
    for await (const records of keyedRecords(cx.store, lookup.key, () => cx.stopped())) yield records.flatMap(match);
    if (cx.stopped()) throw new Error("stopped");
    return;
  }
  if (lookup) {
    do {
      if (cx.stopped()) throw new Error("stopped");
      const page = await cx.store.listNamed(lookup.name, { limit: PAGE, ...(cursor ? { cursor } : {}) });
      yield page.items.flatMap(match);
      cursor = page.next;
    } while (cursor);
    return;
  }
  if (!filter && columnsSuffice(q)) {
    const fromColumns =
      columnRows(q, matcher) ??
      ((r: ShapeRow) => matchTriples(matcher, shapeTriples(r, matcher.predicates), namedNode(r.id)));
    do {
      if (cx.stopped()) throw new Error("stopped");
      const page = await cx.store.listShapes(cursor ? { limit: COLUMN_PAGE, cursor } : { limit: FIRST_COLUMN_PAGE });
      const out: Solution[] = [];
      for (const r of page.items)
        out.push(...(r.translated ? matchRecord(matcher, r.translated, cx.taxonomies, cx.iris.actor) : fromColumns(r)));
      yield out;
      cursor = page.next;
    } while (cursor);
    return;
  }
  do {
    if (cx.stopped()) throw new Error("stopped");
    const page = filter
      ? await cx.store.search.search(filter, PAGE, cursor)
      : await cx.store.listInitiatives({ limit: PAGE, unsigned: true, ...(cursor ? { cursor } : {}) });
    yield page.items.flatMap(match);
    cursor = page.next;
  } while (cursor);
}

const integer = (n: number) => DataFactory.literal(String(n), DataFactory.namedNode(XSD.integer));

/** Groups solutions and counts them (SPARQL 1.1 §18.5: no solutions and no GROUP BY still give one row). */
async function* grouped(q: ShapedQuery, input: AsyncIterable<Solution>): AsyncGenerator<Solution> {
  const { by, counts } = q.group!;
  const groups = new Map<string, { keys: Solution; n: number[]; distinct: Set<string>[] }>();
  for await (const s of input) {
    const key = by.map((v) => keyOf(s.get(v))).join("\u0000");
    let g = groups.get(key);
    if (!g) {
      g = {
        keys: new Map(by.flatMap((v) => (s.has(v) ? [[v, s.get(v)!] as [string, Term]] : []))),
        n: counts.map(() => 0),
        distinct: counts.map(() => new Set()),
      };
      groups.set(key, g);
    }
    counts.forEach((c: Count, k) => {
      if (c.of !== undefined && !s.has(c.of)) return;
      if (!c.distinct) {
        g.n[k]!++;
        return;
      }
      g.distinct[k]!.add(c.of !== undefined ? keyOf(s.get(c.of)) : q.vars.map((v) => keyOf(s.get(v))).join("\u0000"));
    });
  }
  if (!groups.size && !by.length)
    groups.set("", { keys: new Map(), n: counts.map(() => 0), distinct: counts.map(() => new Set()) });
  for (const g of groups.values()) {
    const out = new Map(g.keys);
    counts.forEach((c, k) => out.set(c.as, integer(c.distinct ? g.distinct[k]!.size : g.n[k]!)));
    yield out;
  }
}

/**
 * Counts the store keeps or makes itself: COUNT of initiatives (`?i a essglobal:SSEInitiative`
 * alone), and the same grouped by a taxonomy property every record holds each value of once
 * (from the facet counters, or for the primary activity, one SQL count over its index, ADR 30).
 * The two read from the records themselves are kept while the store does not change, so a client
 * repeating them does not rescan (the facet counters are read as they are: they follow the indexer).
 */
async function fromCounters(q: ShapedQuery, cx: FastContext): Promise<Solution[] | undefined> {
  const { by, counts } = q.group!;
  if (q.tree.kind !== "bgp" || q.fixed.size) return undefined;
  const [typed, other, ...more] = [...q.tree.patterns].sort((a) => (a.predicate.value === RDF.type ? -1 : 1));
  if (more.length || typed?.predicate.value !== RDF.type || typed.subject.value !== q.root) return undefined;
  // Counting the root (or every solution): distinct or not, one per record.
  if (counts.some((c) => c.of !== undefined && c.of !== q.root && c.of !== by[0])) return undefined;
  if (!other) return by.length ? undefined : [await countAll(cx, counts)];
  const facet = COUNTED_FACETS[other.predicate.value];
  const primary = other.predicate.value === ESS.primarySector;
  if (
    (!facet && !primary) ||
    other.subject.value !== q.root ||
    other.object.termType !== "Variable" ||
    by.length !== 1 ||
    by[0] !== other.object.value
  )
    return undefined;
  let values: { value: string; count: number }[];
  if (facet) {
    const summary = await cx.store.search.facets({ facets: {} });
    if (summary.approximate) return undefined;
    values = summary.counts[facet];
  } else values = await keptWhileUnchanged(cx.store, "primary", () => cx.store.countPrimaryActivities());
  // Each record holds the value once: a group's solutions are its records, and its one value.
  return values
    .filter((c) => c.count > 0)
    .map(
      ({ value, count }) =>
        new Map<string, Term>([
          [by[0]!, DataFactory.namedNode(value)],
          ...counts.map((c) => [c.as, integer(c.distinct && c.of === by[0] ? 1 : count)] as [string, Term]),
        ]),
    );
}

async function countAll(cx: FastContext, counts: Count[]): Promise<Solution> {
  const n = await totalOf(cx.store);
  return new Map(counts.map((c) => [c.as, integer(n)]));
}

async function* renamed(q: ShapedQuery, input: AsyncIterable<Solution> | Iterable<Solution>): AsyncGenerator<Solution> {
  for await (const s of input) {
    const out = new Map(s);
    for (const [to, from] of q.renames) if (s.has(from)) out.set(to, s.get(from)!);
    yield out;
  }
}

/**
 * The solutions in the query's order; with a LIMIT (and no DISTINCT, which drops rows after the
 * sort) no more than the first OFFSET + LIMIT and a batch are held (`firstInOrder`).
 */
async function sorted(
  q: ShapedQuery,
  input: AsyncIterable<Solution> | Iterable<Solution>,
  cx: FastContext,
): Promise<Solution[]> {
  type Keyed = { s: Solution; keys: (SortKey | undefined)[] };
  const compare = (a: Keyed, b: Keyed) => {
    for (let k = 0; k < q.order.length; k++) {
      const c = compareKeys(a.keys[k], b.keys[k]);
      if (c) return q.order[k]!.descending ? -c : c;
    }
    return 0;
  };
  async function* keyed(): AsyncGenerator<Keyed> {
    let n = 0;
    for await (const s of input) {
      if (++n % 10_000 === 0 && cx.stopped()) throw new Error("stopped");
      yield { s, keys: q.order.map((o) => sortKey(s.get(o.variable))) };
    }
  }
  const keep = q.limit !== undefined && !q.distinct ? q.offset + q.limit : Infinity;
  return (await firstInOrder(keyed(), compare, keep)).map((x) => x.s);
}

function keyOf(t: Term | undefined): string {
  if (!t) return "";
  if (t.termType === "Literal") return `"${t.value}"@${t.language}^^${t.datatype.value}`;
  return `${t.termType[0]}${t.value}`;
}
