/**
 * A SELECT answer is produced as the client takes it (ADR 20), so what a large answer holds in
 * memory is a few pages of records, not the whole answer: while the client has taken only the first
 * piece, the service has read at most a couple of pages of records from the store, whichever path
 * answers (the record pass, unordered or in name order either way, or the general engine over one pattern) and
 * whatever the format; taking the rest then gives every row. (The general engine's joins hold what
 * they join, up to the worker's heap limit: what the record pass is for.) The credit between the
 * worker and the HTTP layer (ADR 15) keeps the pieces in flight to a handful. On SQLite and
 * PostgreSQL.
 */
import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import type { SelectType } from "../../src/query/sparql-results.ts";
import type { Page, Store } from "../../src/store/store.ts";
import { BASE, record, SPARQL_STORES, sparqlService, type OpenStore } from "../support/sparql-stores.ts";

const N = 6000;
/** Records the store may hand out before the first piece leaves: two pages of the record pass, and change. */
const BOUND = 2200;
/**
 * Rows of plain columns (a name and coordinates each, far smaller than a record) the general engine may read
 * before the first piece leaves: its first page of 500 and one of 5,000 — still fewer than the directory's N.
 */
const SHAPE_BOUND = 5500;
const P =
  "PREFIX essglobal: <https://lod.coop/essglobal/2.1/vocab/> PREFIX gr: <http://purl.org/goodrelations/v1#> " +
  "PREFIX dc: <http://purl.org/dc/terms/>";
const PATHS: [string, string][] = [
  ["the record pass", `${P} SELECT ?i ?n ?d WHERE { ?i a essglobal:SSEInitiative ; gr:name ?n ; dc:description ?d }`],
  [
    "the record pass in name order",
    `${P} SELECT ?i ?n ?d WHERE { ?i a essglobal:SSEInitiative ; gr:name ?n ; dc:description ?d } ORDER BY ?n`,
  ],
  [
    "the record pass in descending name order",
    `${P} SELECT ?i ?n ?d WHERE { ?i a essglobal:SSEInitiative ; gr:name ?n ; dc:description ?d } ORDER BY DESC(?n)`,
  ],
  // One pattern: the engine's joins hold what they join (bounded by the worker's heap, ADR 20).
  ["the general engine", `${P} SELECT ?i ?n WHERE { ?i gr:name ?n FILTER(STRLEN(?n) > 3) }`],
];
const FORMATS: SelectType[] = [
  "application/sparql-results+json",
  "application/sparql-results+xml",
  "text/csv",
  "text/tab-separated-values",
];

/**
 * The store, counting the records its listings hand out, and apart the rows of plain columns `listShapes` hands
 * out (the general engine reads the patterns those columns hold from them).
 */
function counting(store: Store): { store: Store; read: () => number; shapes: () => number } {
  let read = 0;
  let shapes = 0;
  const listings = new Set(["listInitiatives", "listByName", "listNamed", "listShapes"]);
  const count = <T>(page: Page<T>, key?: string | symbol) => {
    if (key === "listShapes") shapes += page.items.length;
    else read += page.items.length;
    return page;
  };
  const search = new Proxy(store.search, {
    get(target, key, receiver) {
      const v = Reflect.get(target, key, receiver) as unknown;
      if (typeof v !== "function") return v;
      if (key !== "search") return (v as (...a: unknown[]) => unknown).bind(target);
      return async (...args: unknown[]) =>
        count(await (v as (...a: unknown[]) => Promise<Page<unknown>>).apply(target, args));
    },
  });
  const wrapped = new Proxy(store, {
    get(target, key, receiver) {
      if (key === "search") return search;
      const v = Reflect.get(target, key, receiver) as unknown;
      if (typeof v !== "function") return v;
      if (!listings.has(key as string)) return (v as (...a: unknown[]) => unknown).bind(target);
      return async (...args: unknown[]) =>
        count(await (v as (...a: unknown[]) => Promise<Page<unknown>>).apply(target, args), key);
    },
  });
  return { store: wrapped, read: () => read, shapes: () => shapes };
}

describe.each(SPARQL_STORES)("SPARQL answers produced as they are taken on %s", (_name, open) => {
  let held: OpenStore;
  beforeAll(async () => {
    held = await open();
    for (let k = 0; k < N; k += 2000)
      await held.store.putInitiatives(
        Array.from({ length: 2000 }, (_, j) =>
          record({ id: `${BASE}/initiatives/l${k + j}`, name: `Lazy ${k + j}`, description: "x".repeat(200) }),
        ),
      );
    await held.store.search.catchUp();
  }, 120_000);
  afterAll(async () => {
    await held.close();
  });

  it.each(PATHS.flatMap(([what, query]) => FORMATS.map((f) => [what, f, query] as [string, SelectType, string])))(
    "reads a few pages, not the directory, before %s's first piece as %s, then gives every row.",
    async (_what, format, query) => {
      const { store, read, shapes } = counting(held.store);
      const out = await sparqlService(store, { timeoutMs: 60_000 }).execute(query, format, "text/turtle");
      if (!out.ok) throw new Error(out.message);
      const pieces = (out.chunks as AsyncIterable<string>)[Symbol.asyncIterator]();
      const first = await pieces.next();
      expect(first.done).toBe(false);
      expect(read()).toBeLessThanOrEqual(BOUND);
      expect(shapes()).toBeLessThanOrEqual(SHAPE_BOUND);
      let body = first.value as string;
      for (let next = await pieces.next(); !next.done; next = await pieces.next()) body += next.value;
      expect(body.match(/Lazy \d+/g)).toHaveLength(N);
      expect(read() + shapes()).toBeGreaterThanOrEqual(N);
    },
    120_000,
  );
});
