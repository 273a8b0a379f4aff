/**
 * Every ESSGLOBAL base found in the wild answers (ADR 20): a query naming classes, properties or
 * concepts under any of them gets the same solutions as with the stored base, and the solutions
 * carry the stored base. On SQLite and PostgreSQL.
 */
import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import { ESSGLOBAL_BASE, ESSGLOBAL_BASES } from "../../src/linkeddata/namespaces.ts";
import type { SparqlService } from "../../src/query/sparql.ts";
import { BASE, record, select, SPARQL_STORES, sparqlService, type OpenStore } from "../support/sparql-stores.ts";

const OS = (b: string) => `${b}standard/organisational-structure/OS115`;
const BASES = [...ESSGLOBAL_BASES, "http://purl.org/essglobal/vocab/v1.1/"].map((b) => [b] as [string]);
/** The 1.1 DSP put terms under vocab/v1.1/ but concepts under standard/, as the other bases do. */
const parts = (b: string) =>
  b.endsWith("v1.1/") ? { vocab: b, std: "http://purl.org/essglobal/" } : { vocab: `${b}vocab/`, std: b };

describe.each(SPARQL_STORES)("ESSGLOBAL bases in SPARQL on %s", (_name, open) => {
  let held: OpenStore;
  let service: SparqlService;
  beforeAll(async () => {
    held = await open();
    await held.store.putInitiatives([
      record({ id: `${BASE}/initiatives/a`, name: "Alpha", organisationalStructure: [OS(ESSGLOBAL_BASE)] }),
      record({ id: `${BASE}/initiatives/b`, name: "Beta", organisationalStructure: [OS(ESSGLOBAL_BASE)] }),
      record({ id: `${BASE}/initiatives/c`, name: "Gamma" }),
    ]);
    await held.store.search.catchUp();
    service = sparqlService(held.store);
  }, 60_000);
  afterAll(async () => {
    await held.close();
  });

  const names = async (q: string) =>
    (await select(service, `PREFIX gr: <http://purl.org/goodrelations/v1#> ${q}`)).map((r) => r.n).sort();

  it.each(BASES)("answers a class, a property and a concept under %s.", async (b) => {
    const { vocab, std } = parts(b);
    expect(await names(`SELECT ?n WHERE { ?i a <${vocab}SSEInitiative> ; gr:name ?n }`)).toEqual([
      "Alpha",
      "Beta",
      "Gamma",
    ]);
    expect(await names(`SELECT ?n WHERE { ?i <${vocab}organisationalStructure> <${OS(std)}> ; gr:name ?n }`)).toEqual([
      "Alpha",
      "Beta",
    ]);
    expect(
      await names(`SELECT ?n WHERE { ?i <${vocab}organisationalStructure> ?s ; gr:name ?n FILTER(?s = <${OS(std)}>) }`),
    ).toEqual(["Alpha", "Beta"]);
    expect(
      await names(
        `SELECT ?n WHERE { VALUES ?s { <${OS(std)}> } ?i <${vocab}organisationalStructure> ?s ; gr:name ?n }`,
      ),
    ).toEqual(["Alpha", "Beta"]);
    const labels = await select(
      service,
      `SELECT ?l WHERE { <${OS(std)}> <http://www.w3.org/2004/02/skos/core#prefLabel> ?l FILTER(lang(?l) = "en") }`,
    );
    expect(labels.length).toBe(1);
  });

  it("gives solutions in the stored base, whatever base the query used.", async () => {
    const rows = await select(
      service,
      `SELECT DISTINCT ?s ?t WHERE { ?i a ?t ; ` +
        `<https://w3id.solidarityeconomy.coop/essglobal/V2a/vocab/organisationalStructure> ?s ` +
        `FILTER(STRENDS(STR(?t), "SSEInitiative")) }`,
    );
    expect(rows).toEqual([{ s: OS(ESSGLOBAL_BASE), t: `${ESSGLOBAL_BASE}vocab/SSEInitiative` }]);
  });
});
