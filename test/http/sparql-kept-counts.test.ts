/**
 * Counts over every record that the shaped path keeps between queries (the COUNT of initiatives,
 * counts by primary activity) follow every write on both stores: a record added, one changed, one
 * deleted.
 */
import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import { PREFIXES as P } from "../../bench/sparql-queries.ts";
import type { SparqlService } from "../../src/query/sparql.ts";
import { BASE, record, select, SPARQL_STORES, sparqlService, type OpenStore } from "../support/sparql-stores.ts";

const ICA = "https://lod.coop/essglobal/2.1/standard/activities-ica/";
const COUNT = `${P} SELECT (COUNT(?i) AS ?n) WHERE { ?i a essglobal:SSEInitiative }`;
const BY_PRIMARY =
  `${P} SELECT ?a (COUNT(?i) AS ?n) WHERE { ?i a essglobal:SSEInitiative ; essglobal:primarySector ?a } ` +
  `GROUP BY ?a ORDER BY ?a`;

describe.each(SPARQL_STORES)("Kept counts on %s", (_name, open) => {
  let held: OpenStore;
  let service: SparqlService;
  beforeAll(async () => {
    held = await open();
    service = sparqlService(held.store);
  }, 60_000);
  afterAll(async () => {
    await held.close();
  });

  it("change with each write.", async () => {
    const one = (k: number, primary: string) =>
      record({ id: `${BASE}/initiatives/k${k}`, name: `K ${k}`, primaryActivity: `${ICA}${primary}` });
    await held.store.putInitiatives([one(1, "ICA10"), one(2, "ICA10")]);
    const counts = async () => [
      (await select(service, COUNT))[0]!.n,
      (await select(service, BY_PRIMARY)).map((r) => `${r.a!.slice(ICA.length)} ${r.n}`),
    ];
    expect(await counts()).toEqual(["2", ["ICA10 2"]]);
    expect(await counts()).toEqual(["2", ["ICA10 2"]]);
    await held.store.putInitiatives([one(3, "ICA20")]);
    expect(await counts()).toEqual(["3", ["ICA10 2", "ICA20 1"]]);
    const changed = { ...one(1, "ICA20"), updated: "2026-01-01T00:00:00.000Z", version: "v2" };
    await held.store.putInitiatives([changed]);
    expect(await counts()).toEqual(["3", ["ICA10 1", "ICA20 2"]]);
    await held.store.deleteInitiative({ id: `${BASE}/initiatives/k2`, deleted: "2026-01-02T00:00:00.000Z" });
    expect(await counts()).toEqual(["2", ["ICA20 2"]]);
  });
});
