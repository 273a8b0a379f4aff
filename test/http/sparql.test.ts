/**
 * The SPARQL endpoint, queried by clients that are not essfed's: `fetch-sparql-endpoint` (the
 * SPARQL 1.1 Protocol client Comunica itself uses) and plain HTTP for each result format. Answers
 * are checked against the imported spreadsheet.
 */
import { createReadStream, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import { parse } from "csv-parse/sync";
import { SparqlEndpointFetcher } from "fetch-sparql-endpoint";
import { Parser } from "n3";
import { importCsv } from "../../src/importers/import.ts";
import { startInstance, type TestInstance } from "../support/instance.ts";

const CSV = fileURLToPath(new URL("../fixtures/csv/ica-youth-coops-standard-v1.csv", import.meta.url));
const rows = parse<Record<string, string>>(readFileSync(CSV), { columns: true });
const P =
  "PREFIX essglobal: <https://lod.coop/essglobal/2.1/vocab/> PREFIX gr: <http://purl.org/goodrelations/v1#> PREFIX " +
  "skos: <http://www.w3.org/2004/02/skos/core#>";
let inst: TestInstance;
let endpoint: string;
const fetcher = new SparqlEndpointFetcher();

beforeAll(async () => {
  // The triple-cap refusal must come before the time limit even on a machine busy with other work.
  inst = await startInstance({ ESSFED_SPARQL_TIMEOUT_SECONDS: "25" });
  await importCsv(createReadStream(CSV), inst.directory, inst.iris);
  endpoint = `${inst.base}/sparql`;
});
afterAll(async () => {
  await inst.stop();
});

async function bindings(query: string): Promise<Record<string, { value: string }>[]> {
  const stream = await fetcher.fetchBindings(endpoint, query);
  const out: Record<string, { value: string }>[] = [];
  for await (const b of stream as AsyncIterable<Record<string, { value: string }>>) out.push(b);
  return out;
}

describe("The SPARQL endpoint, asked by an independent client", () => {
  it("looks initiatives up by name.", async () => {
    const found = await bindings(`${P} SELECT ?i WHERE { ?i gr:name "Coop. CASMUL" }`);
    expect(found.map((b) => b.i!.value)).toEqual([inst.iris.initiative("1")]);
  });

  it("counts initiatives per structure with GROUP BY, as the data has them.", async () => {
    const counts = await bindings(`${P} SELECT ?label (COUNT(?i) AS ?n) WHERE {
      ?i a essglobal:SSEInitiative ; essglobal:organisationalStructure ?s .
      ?s skos:prefLabel ?label FILTER(lang(?label) = "en") }
      GROUP BY ?label ORDER BY DESC(?n)`);
    const byLabel = Object.fromEntries(counts.map((b) => [b.label!.value, Number(b.n!.value)]));
    const expected: Record<string, number> = {};
    const label = {
      "Co-operative": "Cooperative",
      "Multi-stakeholder co-operative": "Multi-stakeholder cooperative",
      "Producer co-operative": "Producer cooperative",
      "Self-employed": "Self-employed",
      "Consumer co-operative": "Consumer/User coops",
    } as Record<string, string>;
    for (const r of rows)
      expected[label[r["Organisational Structure"]!]!] = (expected[label[r["Organisational Structure"]!]!] ?? 0) + 1;
    expect(byLabel).toEqual(expected);
  });

  it("answers ASK.", async () => {
    expect(await fetcher.fetchAsk(endpoint, `${P} ASK { ?i gr:name "Coop. CASMUL" }`)).toBe(true);
    expect(await fetcher.fetchAsk(endpoint, `${P} ASK { ?i gr:name "No Such Co-op" }`)).toBe(false);
  });

  it("answers CONSTRUCT and DESCRIBE with triples.", async () => {
    const stream = await fetcher.fetchTriples(
      endpoint,
      `${P} CONSTRUCT { ?i gr:name ?n } WHERE { ?i essglobal:country_id ` +
        `<https://lod.coop/essglobal/2.1/standard/countries-iso/AR> ; gr:name ?n }`,
    );
    const triples: unknown[] = [];
    for await (const t of stream as AsyncIterable<unknown>) triples.push(t);
    expect(triples).toHaveLength(rows.filter((r) => r["Country Name"] === "Argentina").length);
    const ttl = await (
      await fetch(`${endpoint}?query=${encodeURIComponent(`DESCRIBE <${inst.iris.initiative("1")}>`)}`, {
        headers: { accept: "text/turtle" },
      })
    ).text();
    expect(new Parser().parse(ttl).some((q) => q.object.value === "Coop. CASMUL")).toBe(true);
  });
});

describe("The SPARQL protocol", () => {
  const q = `${P} SELECT ?i ?n WHERE { ?i gr:name ?n } ORDER BY ?n LIMIT 2`;
  it.each([
    [
      "application/sparql-results+json",
      (t: string) => (JSON.parse(t) as { results: { bindings: unknown[] } }).results.bindings.length === 2,
    ],
    ["application/sparql-results+xml", (t: string) => (t.match(/<result>/g) ?? []).length === 2],
    ["text/csv", (t: string) => t.trim().split("\r\n").length === 3],
    ["text/tab-separated-values", (t: string) => t.trim().split("\n").length === 3 && t.startsWith("?i\t?n")],
  ])("answers SELECT as %s.", async (type, check) => {
    const res = await fetch(`${endpoint}?query=${encodeURIComponent(q)}`, { headers: { accept: type } });
    expect(res.headers.get("content-type")).toContain(type);
    expect(check(await res.text())).toBe(true);
  });

  it("takes POSTed queries, raw and form-encoded.", async () => {
    const raw = await fetch(endpoint, {
      method: "POST",
      headers: { "content-type": "application/sparql-query" },
      body: q,
    });
    const form = await fetch(endpoint, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({ query: q }),
    });
    expect([raw.status, form.status]).toEqual([200, 200]);
  });

  it.each([
    ["a syntax error", "SELEC ?x", 400, "invalid-query"],
    ["an update", "INSERT DATA { <a:b> <a:c> <a:d> }", 400, "not-a-query"],
    ["a query too long", `SELECT * WHERE { ?s ?p ?o } # ${"x".repeat(10_001)}`, 413, "query-too-long"],
    [
      "a graph over its triple cap",
      "CONSTRUCT { ?s <urn:x:with> ?x } WHERE { ?s a ?t . ?x a ?u }",
      413,
      "too-many-results",
    ],
  ])("refuses %s with problem details.", async (_w, query, status, code) => {
    const res = await fetch(endpoint, {
      method: "POST",
      headers: { "content-type": "application/sparql-query" },
      body: query,
    });
    expect(res.status).toBe(status);
    expect(((await res.json()) as { code: string }).code).toBe(code);
  });

  it("refuses a missing query and wrong media types.", async () => {
    expect((await fetch(endpoint, { headers: { accept: "application/json" } })).status).toBe(400);
    expect(
      (await fetch(endpoint, { method: "POST", headers: { "content-type": "text/plain" }, body: "ASK {}" })).status,
    ).toBe(415);
  });
});

describe("A SPARQL query that runs too long", () => {
  it("has its worker terminated (the CPU is freed) and the next query still answered.", async () => {
    const { SparqlPool } = await import("../../src/query/sparql-pool.ts");
    const pool = new SparqlPool(inst.config, { workers: 1, timeoutMs: 300 });
    try {
      await pool.ready();
      const out = await pool.execute(
        "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }",
        "application/sparql-results+json",
        "text/turtle",
      );
      expect(out).toEqual(expect.objectContaining({ ok: false, status: 503, code: "query-timeout" }));
      // The stuck worker's thread has exited (so its CPU is free), and a replacement has started.
      for (let k = 0; k < 600 && pool.stats.exited < 1; k++) await new Promise((r) => setTimeout(r, 50));
      expect(pool.stats.exited).toBe(1);
      await pool.ready();
      expect(pool.stats).toEqual(expect.objectContaining({ workers: 1, busy: 0, timeouts: 1 }));
      const next = await pool.execute(
        `${P} ASK { ?i gr:name "Coop. CASMUL" }`,
        "application/sparql-results+json",
        "text/turtle",
      );
      expect(next.ok).toBe(true);
      let body = "";
      for await (const c of (next as { chunks: AsyncIterable<string> }).chunks) body += c;
      expect(body).toBe('{"head":{},"boolean":true}');
    } finally {
      await pool.close();
    }
  }, 120_000);
});
