/**
 * Streamed SELECT answers are bounded by time, not rows (ADR 20): one that runs past its whole
 * time is broken off with `answer-timeout` — never ended as if it were complete — whether the
 * record pass or the general engine produces it. On SQLite and PostgreSQL.
 */
import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import { AnswerBroken } from "../../src/query/sparql-chunks.ts";
import { BASE, record, SPARQL_STORES, sparqlService, type OpenStore } from "../support/sparql-stores.ts";

const P = "PREFIX essglobal: <https://lod.coop/essglobal/2.1/vocab/> PREFIX gr: <http://purl.org/goodrelations/v1#>";

describe.each(SPARQL_STORES)("SPARQL answers out of time on %s", (_name, open) => {
  let held: OpenStore;
  beforeAll(async () => {
    held = await open();
    await held.store.putInitiatives(
      Array.from({ length: 2500 }, (_, k) => record({ id: `${BASE}/initiatives/t${k}`, name: `Timed ${k}` })),
    );
  }, 60_000);
  afterAll(async () => {
    await held.close();
  });

  it.each([
    ["the record pass", `${P} SELECT ?i ?n WHERE { ?i a essglobal:SSEInitiative ; gr:name ?n }`],
    ["the record pass, ordered", `${P} SELECT ?i ?n WHERE { ?i a essglobal:SSEInitiative ; gr:name ?n } ORDER BY ?n`],
    ["the general engine", `${P} SELECT ?i ?n WHERE { ?i gr:name ?n }`],
  ])(
    "are broken off, not ended, from %s.",
    async (_what, query) => {
      // No time at all after the start: the answer cannot be complete.
      const service = sparqlService(held.store, { timeoutMs: 10_000, streamMs: 0 });
      const out = await service.execute(query, "application/sparql-results+json", "text/turtle");
      if (!out.ok) return expect(out.code).toBe("query-timeout");
      let body = "";
      let error: unknown;
      try {
        for await (const c of out.chunks) body += c;
      } catch (e) {
        error = e;
      }
      expect(error).toBeInstanceOf(AnswerBroken);
      expect((error as AnswerBroken).code).toBe("answer-timeout");
      expect(body.endsWith("]}}")).toBe(false);
    },
    60_000,
  );
});
