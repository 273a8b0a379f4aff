/**
 * What a query worker runs before it says it is ready (ADR 7, 39), so that the first queries a
 * client sends do not pay for it against their time limit: the general engine's first query builds
 * its pipeline and the vocabulary index, and the record-by-record answers' code is compiled by the
 * JavaScript engine only once it has run a few thousand rows (the first whole-dataset answers cost
 * several times the CPU of the later ones). So it also reads a few thousand records' names and
 * coordinates, in every result format, and a page of the map client's query in name order. Over an
 * empty store this only warms the engine; over a large one it reads the first pages.
 */
import { ESS, GEO, GR } from "../linkeddata/namespaces.ts";
import { ignoreFailure } from "../logging.ts";
import type { SparqlService } from "./sparql.ts";
import { SELECT_TYPES } from "./sparql-results.ts";

const WHOLE = `SELECT ?i ?name ?lat ?lng WHERE { ?i a <${ESS.SSEInitiative}> ; <${GR.name}> ?name ;
  <${ESS.hasAddress}> ?a . ?a <${GEO.lat}> ?lat ; <${GEO.long}> ?lng }`;
const BY_NAME = `SELECT ?i ?name ?p ?lat WHERE { ?i a <${ESS.SSEInitiative}> ; <${GR.name}> ?name
  OPTIONAL { ?i <${ESS.primarySector}> ?p } OPTIONAL { ?i <${ESS.hasAddress}> ?a . ?a <${GEO.lat}> ?lat } }
  ORDER BY ?name LIMIT 500`;

/** Runs a query and reads its answer; a failure is left to the queries that follow (as a refusal is). */
async function drain(service: SparqlService, query: string, type: (typeof SELECT_TYPES)[number]): Promise<void> {
  const outcome = await service.execute(query, type, "text/turtle");
  if (!outcome.ok) return;
  try {
    for await (const piece of outcome.chunks) void piece;
  } catch (e) {
    // Broken off (the store failed or it ran out of time): the warm-up is done with that query; the
    // clients' queries meet the same failure and report it.
    ignoreFailure("sparql-warm-up", "debug")(e);
  }
}

export async function warmUp(service: SparqlService): Promise<void> {
  await drain(service, "ASK { ?s a ?t }", "application/sparql-results+json");
  // Clients mostly ask for JSON: its writer gets most of the rows.
  for (const type of SELECT_TYPES) await drain(service, `${WHOLE} LIMIT 300`, type);
  await drain(service, `${WHOLE} LIMIT 2000`, "application/sparql-results+json");
  await drain(service, `${WHOLE} LIMIT 2000`, "application/sparql-results+json");
  await drain(service, BY_NAME, "application/sparql-results+json");
}
