/**
 * `/sparql`, the SPARQL 1.1 Protocol: GET ?query=, POST application/sparql-query, POST form
 * `query=`. SELECT and ASK as SPARQL JSON, XML, CSV or TSV; CONSTRUCT and DESCRIBE as Turtle,
 * N-Triples or JSON-LD, by Accept. A page with a query form for people.
 */
import express, { Router, type Request, type Response } from "express";
import { SPARQL_LIMITS, type GraphType, type SparqlOutcome } from "../../query/sparql.ts";
import type { SelectType as Select } from "../../query/sparql-results.ts";
import { SELECT_TYPES, type SelectType } from "../../query/sparql-results.ts";
import { BadRequestHttpError, HttpError, UnsupportedMediaTypeHttpError } from "../errors.ts";
import { esc, layout } from "../html.ts";

const GRAPH_TYPES: GraphType[] = ["text/turtle", "application/n-triples", "application/ld+json"];

/** The client's preferred type among `types` (first one when it accepts anything). */
function pick<T extends string>(accept: string | undefined, types: readonly T[], fallback: T): T {
  if (!accept) return fallback;
  const ranges = accept.split(",").map((p) => {
    const [t, ...params] = p.trim().split(";");
    const q = Number(params.find((x) => x.trim().startsWith("q="))?.split("=")[1] ?? 1);
    return { t: t!.trim().toLowerCase(), q };
  }).filter((r) => r.q > 0).sort((a, b) => b.q - a.q);
  for (const r of ranges) {
    const hit = types.find((t) => t === r.t || r.t === "application/json" && t === "application/sparql-results+json");
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
  execute(query: string, selectType: Select, graphType: GraphType): Promise<SparqlOutcome>;
}

export function sparqlRoutes(service: SparqlRunner): Router {
  const router = Router();
  const bodies = [
    express.text({ type: "application/sparql-query", limit: SPARQL_LIMITS.queryLength * 4 }),
    express.urlencoded({ extended: false, limit: SPARQL_LIMITS.queryLength * 4 }),
  ];

  const answer = async (req: Request, res: Response, query: unknown) => {
    if (typeof query !== "string" || !query.trim()) {
      throw new BadRequestHttpError("give one SPARQL query: ?query=… or a POST body", "missing-query", { errors: [{ param: "query", message: "is required" }] });
    }
    const out = await service.execute(query, pick(req.headers.accept, SELECT_TYPES, "application/sparql-results+json" as SelectType), pick(req.headers.accept, GRAPH_TYPES, "text/turtle"));
    if (!out.ok) throw new HttpError(out.status, out.code, out.message);
    res.setHeader("Vary", "Accept");
    res.type(out.type).send(out.body);
  };

  router.get("/sparql", async (req, res) => {
    if (req.query.query === undefined && (req.headers.accept ?? "").includes("text/html")) {
      return void res.type("text/html").send(layout("SPARQL", `<h1>SPARQL</h1><p>SPARQL 1.1 over every initiative held here and the ESSGLOBAL vocabularies. Queries run for at most ${SPARQL_LIMITS.timeoutMs / 1000} s and return at most ${SPARQL_LIMITS.rows} rows.</p>
<form method="get"><textarea name="query" rows="10" cols="90">${esc(EXAMPLE)}</textarea><br><button>Run</button></form>`));
    }
    await answer(req, res, req.query.query);
  });

  router.post("/sparql", ...bodies, async (req, res) => {
    const type = (req.headers["content-type"] ?? "").split(";")[0]!.trim();
    if (type === "application/sparql-query") return answer(req, res, req.body);
    if (type === "application/x-www-form-urlencoded") {
      if ((req.body as Record<string, unknown>)?.update !== undefined) throw new BadRequestHttpError("updates are not accepted; this endpoint answers queries", "not-a-query");
      return answer(req, res, (req.body as Record<string, unknown>)?.query);
    }
    throw new UnsupportedMediaTypeHttpError(["application/sparql-query", "application/x-www-form-urlencoded"]);
  });
  return router;
}
