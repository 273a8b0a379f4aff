/**
 * What the SPARQL endpoint's parts say to each other: limits, outcomes, and which graphs it holds.
 * Kept free of the query engine, so that the main thread (which only admits queries and passes
 * answers on) never loads it: the engine runs in worker threads (ADR 7).
 */

/**
 * A query must start answering within `timeoutMs`; a SELECT answer then streams, row count
 * unbounded, for up to `streamFactor` times as long. Graphs (CONSTRUCT, DESCRIBE) are built whole,
 * so they stop at `triples`.
 */
export const SPARQL_LIMITS = { queryLength: 10_000, timeoutMs: 10_000, streamFactor: 6, triples: 100_000 } as const;

export type GraphType = "text/turtle" | "application/n-triples" | "application/ld+json";

/** A refusal the HTTP layer turns into problem details (`retryAfter` in seconds, when worth retrying). */
export type SparqlRefusal = {
  ok: false;
  status: 400 | 413 | 429 | 503;
  code: string;
  message: string;
  retryAfter?: number;
};
/** An answer: its media type and its body, a piece at a time. */
export type SparqlAnswer = {
  ok: true;
  kind: "select" | "ask" | "graph";
  type: string;
  chunks: AsyncIterable<string> | Iterable<string>;
};
export type SparqlOutcome = SparqlAnswer | SparqlRefusal;

/**
 * Named graphs this endpoint answers for. It holds one default graph (every initiative and the
 * vocabularies) and no named graph, so every IRI a dataset clause or protocol parameter names is
 * one we do not hold.
 */
export const HELD_GRAPHS: ReadonlySet<string> = new Set();

export function remoteRefusal(what: string, iri: string): SparqlRefusal {
  return {
    ok: false,
    status: 400,
    code: "remote-data-refused",
    message:
      `${what} <${iri}> names data this endpoint does not hold; ` +
      "it answers over its own initiatives and vocabularies only",
  };
}

/** Refuses graphs named by the protocol's `default-graph-uri` / `named-graph-uri` parameters. */
export function refuseDatasetParameters(defaultGraphs: string[], namedGraphs: string[]): SparqlRefusal | undefined {
  const foreign = [...defaultGraphs, ...namedGraphs].find((g) => !HELD_GRAPHS.has(g));
  return foreign === undefined
    ? undefined
    : remoteRefusal(defaultGraphs.includes(foreign) ? "default-graph-uri" : "named-graph-uri", foreign);
}
