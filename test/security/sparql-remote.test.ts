/**
 * SPARQL that would make the endpoint reach other servers: SERVICE (anywhere in the query),
 * FROM / FROM NAMED and the protocol's dataset parameters naming graphs we do not hold, LOAD.
 * A real HTTP server on 127.0.0.1 stands in for the remote endpoint and counts what it receives
 * (private addresses are allowed in tests, so only our own check can stop the request). Each case
 * asserts the refusal, that nothing was fetched or stored, and that an ordinary query sent at the
 * same time was answered.
 */
import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import { createReadStream } from "node:fs";
import { createServer, type Server } from "node:http";
import { fileURLToPath } from "node:url";
import { importCsv } from "../../src/importers/import.ts";
import { startInstance, type TestInstance } from "../support/instance.ts";

const CSV = fileURLToPath(new URL("../fixtures/csv/ica-youth-coops-standard-v1.csv", import.meta.url));
const ORDINARY = 'PREFIX gr: <http://purl.org/goodrelations/v1#> SELECT ?i WHERE { ?i gr:name "Coop. CASMUL" }';

let inst: TestInstance;
let remote: Server;
let remoteUrl: string;
let hits = 0;
let held = 0;

beforeAll(async () => {
  remote = createServer((_req, res) => {
    hits++;
    res.setHeader("content-type", "application/sparql-results+json");
    res.end('{"head":{"vars":["s"]},"results":{"bindings":[{"s":{"type":"uri","value":"http://remote.example/x"}}]}}');
  });
  await new Promise<void>((r) => remote.listen(0, "127.0.0.1", () => r()));
  remoteUrl = `http://127.0.0.1:${(remote.address() as { port: number }).port}/sparql`;
  inst = await startInstance();
  await importCsv(createReadStream(CSV), inst.directory, inst.iris);
  held = await inst.store.countInitiatives();
  await inst.sparql.ready();
}, 120_000);
afterAll(async () => {
  await inst.stop();
  await new Promise((r) => remote.close(r));
});

function post(body: string | URLSearchParams, type = "application/sparql-query", path = "/sparql"): Promise<Response> {
  return fetch(`${inst.base}${path}`, {
    method: "POST",
    headers: { "content-type": type, accept: "application/sparql-results+json" },
    body,
  });
}

/** Sends the hostile request and an ordinary query together; checks the refusal and the answer. */
async function refusedBesideOrdinary(hostile: () => Promise<Response>, code: string): Promise<void> {
  const [bad, ok] = await Promise.all([hostile(), post(ORDINARY)]);
  expect(bad.status).toBe(400);
  expect(bad.headers.get("content-type")).toContain("application/problem+json");
  expect(((await bad.json()) as { code: string }).code).toBe(code);
  expect(ok.status).toBe(200);
  expect(((await ok.json()) as { results: { bindings: unknown[] } }).results.bindings).toHaveLength(1);
  expect(hits).toBe(0);
  expect(await inst.store.countInitiatives()).toBe(held);
}

describe("SPARQL that would reach other servers", () => {
  it.each([
    ["SERVICE", () => `SELECT * WHERE { SERVICE <${remoteUrl}> { ?s ?p ?o } }`],
    ["SERVICE SILENT", () => `SELECT * WHERE { SERVICE SILENT <${remoteUrl}> { ?s ?p ?o } }`],
    [
      "SERVICE with a variable endpoint",
      () => `SELECT * WHERE { VALUES ?e { <${remoteUrl}> } SERVICE ?e { ?s ?p ?o } }`,
    ],
    [
      "SERVICE inside OPTIONAL",
      () => `SELECT * WHERE { ?i a ?t OPTIONAL { SERVICE <${remoteUrl}> { ?i ?p ?o } } } LIMIT 1`,
    ],
    [
      "SERVICE inside FILTER EXISTS",
      () => `SELECT * WHERE { ?i a ?t FILTER EXISTS { SERVICE <${remoteUrl}> { ?i ?p ?o } } } LIMIT 1`,
    ],
    [
      "SERVICE inside a subquery",
      () => `SELECT * WHERE { { SELECT ?s WHERE { SERVICE <${remoteUrl}> { ?s ?p ?o } } } }`,
    ],
    ["SERVICE in a CONSTRUCT", () => `CONSTRUCT { ?s ?p ?o } WHERE { SERVICE <${remoteUrl}> { ?s ?p ?o } }`],
  ])("refuses %s.", async (_what, query) => {
    await refusedBesideOrdinary(() => post(query()), "service-refused");
  });

  it.each([
    ["FROM", () => `SELECT * FROM <${remoteUrl}> WHERE { ?s ?p ?o } LIMIT 1`],
    ["FROM NAMED", () => `SELECT * FROM NAMED <${remoteUrl}> WHERE { GRAPH ?g { ?s ?p ?o } } LIMIT 1`],
    ["FROM in an ASK", () => `ASK FROM <${remoteUrl}> { ?s ?p ?o }`],
  ])("refuses %s naming a graph it does not hold.", async (_what, query) => {
    await refusedBesideOrdinary(() => post(query()), "remote-data-refused");
  });

  it.each([
    ["default-graph-uri", "default-graph-uri"],
    ["named-graph-uri", "named-graph-uri"],
  ])("refuses the protocol parameter %s naming a graph it does not hold (GET and POST).", async (_what, param) => {
    const q = encodeURIComponent("SELECT * WHERE { ?s ?p ?o } LIMIT 1");
    await refusedBesideOrdinary(
      () => fetch(`${inst.base}/sparql?query=${q}&${param}=${encodeURIComponent(remoteUrl)}`),
      "remote-data-refused",
    );
    await refusedBesideOrdinary(
      () =>
        post(
          new URLSearchParams({ query: "ASK { ?s ?p ?o }", [param]: remoteUrl }),
          "application/x-www-form-urlencoded",
        ),
      "remote-data-refused",
    );
    await refusedBesideOrdinary(
      () => post("ASK { ?s ?p ?o }", "application/sparql-query", `/sparql?${param}=${encodeURIComponent(remoteUrl)}`),
      "remote-data-refused",
    );
  });

  it("refuses LOAD, sent as a query or as an update form field.", async () => {
    await refusedBesideOrdinary(() => post(`LOAD <${remoteUrl}>`), "not-a-query");
    await refusedBesideOrdinary(
      () => post(`LOAD SILENT <${remoteUrl}> INTO GRAPH <urn:x> ; INSERT DATA { <urn:a> <urn:b> <urn:c> }`),
      "not-a-query",
    );
    await refusedBesideOrdinary(
      () => post(new URLSearchParams({ update: `LOAD <${remoteUrl}>` }), "application/x-www-form-urlencoded"),
      "not-a-query",
    );
  });
});
