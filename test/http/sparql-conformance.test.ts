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
import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import type { Store as Oxigraph } from "oxigraph";
import { ESSGLOBAL_BASES } from "../../src/linkeddata/namespaces.ts";
import type { SparqlService } from "../../src/query/sparql.ts";
import { awkwardDirectory } from "../support/sparql-directory.ts";
import { differences, essSelect, oxigraphOver, oxSelect, planOf } from "../support/sparql-oracle.ts";
import { SPARQL_STORES, sparqlService, type OpenStore } from "../support/sparql-stores.ts";
import { inBase, CONFORMANCE_CASES } from "../support/sparql-cases.ts";

const BASES = [...ESSGLOBAL_BASES, "http://purl.org/essglobal/vocab/v1.1/"];

it("covers every W3C category that applies, with cases under every ESSGLOBAL base.", () => {
  const categories = new Set(CONFORMANCE_CASES.map(([c]) => c));
  expect([...categories].sort()).toEqual(
    ["basic", "bind", "distinct", "filter", "group", "optional", "order", "slice", "union", "values"].sort(),
  );
  expect(CONFORMANCE_CASES.length).toBeGreaterThanOrEqual(BASES.length);
});

describe.each(SPARQL_STORES)("SPARQL 1.1 conformance against an independent engine on %s", (_name, open) => {
  let held: OpenStore;
  let service: SparqlService;
  let ox: Oxigraph;
  beforeAll(async () => {
    held = await open();
    await held.store.putInitiatives(awkwardDirectory());
    await held.store.search.catchUp();
    service = sparqlService(held.store, { timeoutMs: 60_000 });
    ox = await oxigraphOver(held.store);
  }, 60_000);
  afterAll(async () => {
    await held.close();
  });

  it.each(CONFORMANCE_CASES.map(([category, what, query], k) => [category, what, BASES[k % BASES.length]!, query]))(
    "%s: %s (under %s)",
    async (_category, _what, base, query) => {
      const plan = planOf(query);
      const expected = oxSelect(ox, query);
      const whole = plan.slice ? oxSelect(ox, plan.unsliced) : undefined;
      const got = await essSelect(service, inBase(query, base));
      expect(differences(got, expected, { ...plan, ...(whole ? { whole } : {}) })).toEqual([]);
    },
    60_000,
  );
});
