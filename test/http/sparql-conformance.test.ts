/**
 * SPARQL 1.1 semantics, case by case, in the categories of the W3C query-evaluation tests that
 * apply to a directory of initiatives: basic patterns, OPTIONAL (nested, with FILTER scope), FILTER
 * on literals (language tags, datatypes, unbound), DISTINCT, ORDER BY (ascending, descending, mixed
 * kinds, unbound), LIMIT/OFFSET, COUNT/GROUP BY/HAVING, UNION, BIND, VALUES. The W3C manifests are
 * not shipped by any package this project can install, so the expected answers are not written by
 * hand either: each is an independent engine's (Oxigraph over the same store's N-Quads dump), and
 * essfed must give the same solutions (as multisets), in an order SPARQL allows. Each case names
 * its vocabulary under one of the ESSGLOBAL bases in turn (every base answers, ADR 20); Oxigraph is
 * given the stored base. On SQLite and PostgreSQL.
 */
import { describe, expect, it } from "@jest/globals";
import { againstOxigraph, QUERY_BASES as BASES } from "../support/sparql-against-oxigraph.ts";
import { CONFORMANCE_CASES } from "../support/sparql-cases.ts";
import { SPARQL_STORES } from "../support/sparql-stores.ts";

it("covers every W3C category that applies, with cases under every ESSGLOBAL base.", () => {
  const categories = new Set(CONFORMANCE_CASES.map(([c]) => c));
  expect([...categories].sort()).toEqual(
    ["basic", "bind", "distinct", "filter", "group", "optional", "order", "slice", "union", "values"].sort(),
  );
  expect(CONFORMANCE_CASES.length).toBeGreaterThanOrEqual(BASES.length);
});

describe.each(SPARQL_STORES)("SPARQL 1.1 conformance against an independent engine on %s", (_name, open) => {
  const differencesOf = againstOxigraph(open);
  it.each(CONFORMANCE_CASES.map(([category, what, query], k) => [category, what, BASES[k % BASES.length]!, query]))(
    "%s: %s (under %s)",
    async (_category, _what, base, query) => {
      expect(await differencesOf(query, base)).toEqual([]);
    },
    60_000,
  );
});
