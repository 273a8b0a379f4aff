/**
 * `/sparql`, the SPARQL 1.1 Protocol: GET ?query=, POST application/sparql-query, POST form
 * `query=`. SELECT and ASK as SPARQL JSON, XML, CSV or TSV; CONSTRUCT and DESCRIBE as Turtle,
 * N-Triples or JSON-LD, by Accept. A page with a query form for people.
 */
import { once } from "node:events";
import express, { Router, type Request, type Response } from "express";
import { AnswerBroken } from "../../query/sparql-chunks.ts";
import type { RunOptions } from "../../query/sparql-pool.ts";
import {
  refuseDatasetParameters,
  SPARQL_LIMITS,
  type GraphType,
  type SparqlOutcome,
} from "../../query/sparql-types.ts";
import type { SelectType as Select } from "../../query/sparql-results.ts";
import { SELECT_TYPES } from "../../query/sparql-results.ts";
import { BadRequestHttpError, HttpError, UnsupportedMediaTypeHttpError } from "../../errors.ts";
import { esc, layout } from "../html.ts";

const GRAPH_TYPES: GraphType[] = ["text/turtle", "application/n-triples", "application/ld+json"];

/** The client's preferred type among `types` (first one when it accepts anything). */
function pick<T extends string>(accept: string | undefined, types: readonly T[], fallback: T): T {
  if (!accept) return fallback;
  const ranges = accept
    .split(",")
    .map((p) => {
      const [t, ...params] = p.trim().split(";");
      const q = Number(params.find((x) => x.trim().startsWith("q="))?.split("=")[1] ?? 1);
      return { t: t!.trim().toLowerCase(), q };
    })
    .filter((r) => r.q > 0)
    .sort((a, b) => b.q - a.q);
  for (const r of ranges) {
    const hit = types.find((t) => t === r.t || (r.t === "application/json" && t === "application/sparql-results+json"));
    if (hit) return hit;
  }
  return fallback;
}

const EXAMPLE = `PREFIX essglobal: <https://lod.coop/essglobal/2.1/vocab/>
PREFIX gr: <http://purl.org/goodrelations/v1#>
SELECT ?structure (COUNT(?i) AS ?n) WHERE {
  ?i a essglobal:SSEInitiative ; essglobal:organisationalStructure ?structure .
} GROUP BY ?structure ORDER BY DESC(?n)`;

/** Whatever runs queries: the worker pool in production. */
export interface SparqlRunner {
  execute(query: string, selectType: Select, graphType: GraphType, o?: RunOptions): Promise<SparqlOutcome>;
}

/**
 * Who is asking, for the per-client share of the query workers: the address (behind a trusted
 * proxy, the one it reports), IPv6 addresses by their /64, which one host usually holds whole.
 */
export function clientKey(ip: string | undefined): string {
  if (!ip) return "";
  if (ip.startsWith("::ffff:")) return ip.slice(7);
  if (!ip.includes(":")) return ip;
  const [head, tail = ""] = ip.split("::");
  const groups = [
    ...head!.split(":"),
    ...Array<string>(Math.max(0, 8 - head!.split(":").length - (tail ? tail.split(":").length : 0))).fill("0"),
    ...(tail ? tail.split(":") : []),
  ];
  return `${groups
    .slice(0, 4)
    .map((g) => g || "0")
    .join(":")}::/64`;
}

/**
 * The values of a protocol parameter that may repeat (`default-graph-uri`, `named-graph-uri`): the simple query parser
 * and the non-extended form parser give a string, or an array of strings when it is repeated.
 */
const all = (v: unknown): string[] => (Array.isArray(v) ? v.map(String) : typeof v === "string" ? [v] : []);

export function sparqlRoutes(service: SparqlRunner): Router {
  const router = Router();
  const bodies = [
    express.text({ type: "application/sparql-query", limit: SPARQL_LIMITS.queryLength * 4 }),
    express.urlencoded({ extended: false, limit: SPARQL_LIMITS.queryLength * 4 }),
  ];

  const answer = async (req: Request, res: Response, query: unknown, params: Record<string, unknown>) => {
    if (typeof query !== "string" || !query.trim()) {
      throw new BadRequestHttpError("give one SPARQL query: ?query=… or a POST body", "missing-query", {
        errors: [{ param: "query", message: "is required" }],
      });
    }
    const dataset = refuseDatasetParameters(all(params["default-graph-uri"]), all(params["named-graph-uri"]));
    if (dataset) throw new HttpError(dataset.status, dataset.code, dataset.message);
    // A client that goes away cancels its query, waiting or running.
    const gone = new AbortController();
    res.on("close", () => {
      if (!res.writableFinished) gone.abort();
    });
    const out = await service.execute(
      query,
      pick(req.headers.accept, SELECT_TYPES, "application/sparql-results+json"),
      pick(req.headers.accept, GRAPH_TYPES, "text/turtle"),
      { client: clientKey(req.ip), signal: gone.signal },
    );
    if (!out.ok) {
      if (out.retryAfter !== undefined) res.setHeader("Retry-After", String(out.retryAfter));
      throw new HttpError(out.status, out.code, out.message);
    }
    res.setHeader("Vary", "Accept");
    res.type(out.type);
    try {
      for await (const chunk of out.chunks) {
        if (!res.write(chunk)) await Promise.race([once(res, "drain"), once(res, "close")]);
        if (gone.signal.aborted) break;
      }
    } catch (e) {
      // Cut short after the status line went out: break the connection, so that the client sees
      // an error instead of a result that looks complete.
      if (!res.headersSent) throw e instanceof AnswerBroken ? new HttpError(503, e.code, e.message) : e;
      return void res.destroy(e as Error);
    }
    res.end();
  };

  router.get("/sparql", async (req, res) => {
    if (req.query.query === undefined && (req.headers.accept ?? "").includes("text/html")) {
      return void res
        .type("text/html")
        .send(
          layout(
            "SPARQL",
            "<h1>SPARQL</h1><p>SPARQL 1.1 over every initiative held here and the ESSGLOBAL vocabularies. " +
              `Queries must start answering within ${SPARQL_LIMITS.timeoutMs / 1000} s; SELECT answers then stream, ` +
              `every row, for up to ${(SPARQL_LIMITS.timeoutMs * SPARQL_LIMITS.streamFactor) / 1000} s.</p>\n` +
              `<form method="get"><textarea name="query" rows="10" cols="90">${esc(EXAMPLE)}</textarea>` +
              "<br><button>Run</button></form>",
          ),
        );
    }
    await answer(req, res, req.query.query, req.query);
  });

  router.post("/sparql", ...bodies, async (req, res) => {
    const type = (req.headers["content-type"] ?? "").split(";")[0]!.trim();
    if (type === "application/sparql-query") return answer(req, res, req.body, req.query);
    if (type === "application/x-www-form-urlencoded") {
      if ((req.body as Record<string, unknown>)?.update !== undefined)
        throw new BadRequestHttpError("updates are not accepted; this endpoint answers queries", "not-a-query");
      const form = (req.body ?? {}) as Record<string, unknown>;
      return answer(req, res, form.query, { ...req.query, ...form });
    }
    throw new UnsupportedMediaTypeHttpError(["application/sparql-query", "application/x-www-form-urlencoded"]);
  });
  return router;
}
