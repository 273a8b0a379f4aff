/**
 * What the SPARQL conformance and differential tests share: a fresh store holding the awkward
 * directory, essfed's SPARQL service over it and Oxigraph over its N-Quads dump, and the check of
 * one query (written under a given base for essfed, the stored base for Oxigraph) against it.
 */
import { afterAll, beforeAll } from "@jest/globals";
import type { Store as Oxigraph } from "oxigraph";
import { ESSGLOBAL_BASES } from "../../src/linkeddata/namespaces.ts";
import type { SparqlService } from "../../src/query/sparql.ts";
import { inBase } from "./sparql-cases.ts";
import { awkwardDirectory } from "./sparql-directory.ts";
import { differences, essSelect, oxigraphOver, oxSelect, planOf } from "./sparql-oracle.ts";
import { sparqlService, type OpenStore } from "./sparql-stores.ts";

/** Every base a client may write its query under: the ESSGLOBAL bases and the older vocabulary's. */
export const QUERY_BASES = [...ESSGLOBAL_BASES, "http://purl.org/essglobal/vocab/v1.1/"];

/**
 * Opens the store before the enclosing `describe`'s tests and closes it after them.
 * @returns the differences between essfed's answer and Oxigraph's for a query (none when equal)
 */
export function againstOxigraph(open: () => Promise<OpenStore>): (query: string, base: string) => Promise<string[]> {
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
  return async (query, base) => {
    const plan = planOf(query);
    const expected = oxSelect(ox, query);
    const whole = plan.slice ? oxSelect(ox, plan.unsliced) : undefined;
    const got = await essSelect(service, inBase(query, base));
    return differences(got, expected, { ...plan, ...(whole ? { whole } : {}) });
  };
}
