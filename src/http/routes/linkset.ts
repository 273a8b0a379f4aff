/**
 * The network's sameAs linkset (issue 16) at a stable URL: Turtle by default, N-Triples, or
 * N-Quads in the linkset's own named graph, streamed a page of pairs at a time.
 */
import { Router, type Response } from "express";
import { ADOPTED_PATH, adoptedChunks, linksetChunks, LINKSET_PATH } from "../../linkeddata/linkset.ts";
import type { RdfFormat } from "../../linkeddata/serialize.ts";
import type { HttpDeps } from "../deps.ts";
import { NotAcceptableHttpError } from "../../errors.ts";
import { own } from "../../domain/own.ts";

const TYPES: Record<string, RdfFormat> = {
  "text/turtle": "turtle",
  "application/n-triples": "ntriples",
  "application/n-quads": "nquads",
};
const BY_FORMAT: Record<string, string> = {
  ttl: "text/turtle",
  nt: "application/n-triples",
  nq: "application/n-quads",
};

/** Writes the linkset (or the adopted links) in `format` to the response, a page at a time. */
export async function sendLinkset(deps: HttpDeps, res: Response, type: string, adopted = false): Promise<void> {
  res.setHeader("Content-Type", `${type}; charset=utf-8`);
  res.setHeader("Cache-Control", "no-cache");
  const chunks = adopted
    ? adoptedChunks(deps.store, TYPES[type]!)
    : linksetChunks(deps.store, deps.config.url, deps.iris.actor, TYPES[type]!);
  for await (const chunk of chunks) {
    if (!res.write(chunk)) await new Promise((r) => res.once("drain", r));
  }
  res.end();
}

export function linksetRoutes(deps: HttpDeps): Router {
  const router = Router();
  for (const [path, adopted] of [
    [LINKSET_PATH, false],
    [ADOPTED_PATH, true],
  ] as const)
    router.get(path, async (req, res) => {
      // (As the other routes read it: without case, and an empty one as none.)
      const format =
        typeof req.query.format === "string" && req.query.format ? req.query.format.toLowerCase() : undefined;
      const asked = format === undefined ? undefined : own(BY_FORMAT, format);
      // A format asked by name that is none of these is refused, as the other routes' `format` is.
      if (format !== undefined && !asked)
        throw new NotAcceptableHttpError(Object.keys(BY_FORMAT).map((f) => `format=${f}`));
      const type = asked ?? req.accepts(Object.keys(TYPES));
      if (!type) throw new NotAcceptableHttpError(Object.keys(TYPES));
      res.vary("Accept");
      await sendLinkset(deps, res, type, adopted);
    });
  return router;
}

/** One linkset document in the OpenAPI description: a summary, and what its 200 response is. */
const linksetOperation = (summary: string, description: string) => ({
  get: {
    summary,
    parameters: [
      {
        name: "format",
        in: "query",
        description: "ttl, nt or nq (default: Accept, then Turtle); any other is refused with 406",
        schema: { type: "string", enum: ["ttl", "nt", "nq"] },
      },
    ],
    responses: {
      200: { description, content: { "text/turtle": {}, "application/n-triples": {}, "application/n-quads": {} } },
      406: {
        description: "Problem details (RFC 9457)",
        content: { "application/problem+json": { schema: { $ref: "#/components/schemas/Problem" } } },
      },
    },
  },
});

export const linksetPaths = () => ({
  [LINKSET_PATH]: linksetOperation(
    "This network's sameAs linkset: the records it has confirmed to be one organisation (owl:sameAs), each " +
      "with who decided and when (a VoID linkset in its own named graph)",
    "The linkset",
  ),
  [ADOPTED_PATH]: linksetOperation(
    "The sameAs links this network adopted from the networks it follows (ESSFED_SAMEAS_ADOPT): each attributed " +
      "to the network that decided it, in the named graph of that network's linkset",
    "The adopted links",
  ),
});
