/**
 * A property-based differential test of the SPARQL endpoint: fast-check writes random
 * initiative-shaped queries (random properties, mandatory or OPTIONAL, nested or side by side,
 * constants, FILTERs, DISTINCT, ORDER BY ascending and descending, OFFSET/LIMIT, counts grouped or
 * not) under a random ESSGLOBAL base, over a directory of awkward values, and essfed's answer must
 * equal Oxigraph's over the store's N-Quads dump: the same solutions (as multisets), in an order
 * SPARQL allows, the same page where the order decides it. Most of them take the record-by-record
 * path (ADR 20), the rest the general engine. On SQLite and PostgreSQL.
 */
import { describe, expect, it } from "@jest/globals";
import fc from "fast-check";
import { canonicalizeAlgebra } from "../../src/query/sparql-alias.ts";
import { parseQuery } from "../../src/query/sparql-guard.ts";
import { recogniseShape } from "../../src/query/sparql-shape.ts";
import { againstOxigraph, QUERY_BASES as BASES } from "../support/sparql-against-oxigraph.ts";
import { randomQuery } from "../support/sparql-random.ts";
import { SPARQL_STORES } from "../support/sparql-stores.ts";

/** Queries per store: enough to meet every kind of pattern, bounded for a shared machine. */
const RUNS = Number(process.env.SPARQL_DIFFERENTIAL_RUNS ?? 150);

const shaped = (query: string) => {
  const parsed = parseQuery(query);
  if (!parsed.ok) throw new Error(`${parsed.message}\n${query}`);
  canonicalizeAlgebra(parsed.algebra);
  return recogniseShape(parsed.algebra) !== undefined;
};

describe.each(SPARQL_STORES)("random initiative-shaped queries against an independent engine on %s", (_name, open) => {
  const differencesOf = againstOxigraph(open);
  it(`gives Oxigraph's answers to ${RUNS} random queries, most of them on the record-by-record path.`, async () => {
    let onShape = 0;
    await fc.assert(
      fc.asyncProperty(randomQuery, fc.constantFrom(...BASES), async ({ query }, base) => {
        if (shaped(query)) onShape++;
        expect({ query, base, differences: await differencesOf(query, base) }).toEqual({
          query,
          base,
          differences: [],
        });
      }),
      { numRuns: RUNS },
    );
    expect(onShape).toBeGreaterThan(RUNS / 2);
  }, 600_000);
});
