/**
 * Hands ActivityPub requests to Fedify (Fedify's published Express adapter is a dev
 * build pinned to Express 4, so essfed owns this small bridge). Only the paths Fedify serves are
 * routed here, so the initiative pages never pay for the conversion to a fetch `Request`.
 */
import { Readable } from "node:stream";
import type { Federation } from "@fedify/fedify";
import type { Request as ExpressRequest, RequestHandler, Response as ExpressResponse } from "express";

/** Paths Fedify answers (everything else stays with Express). */
export const FEDERATION_PATHS = ["/.well-known/webfinger", "/.well-known/nodeinfo", "/nodeinfo/2.1", "/actors/"];

function toRequest(req: ExpressRequest, origin: string): Request {
  const url = new URL(req.originalUrl, origin);
  const headers = new Headers();
  for (const [k, v] of Object.entries(req.headers)) {
    if (Array.isArray(v)) for (const x of v) headers.append(k, x);
    else if (typeof v === "string") headers.append(k, v);
  }
  const hasBody = req.method !== "GET" && req.method !== "HEAD";
  return new Request(url, {
    method: req.method,
    headers,
    ...(hasBody ? { body: Readable.toWeb(req), duplex: "half" } : {}),
  } as RequestInit);
}

async function send(res: ExpressResponse, response: Response): Promise<void> {
  res.status(response.status);
  response.headers.forEach((v, k) => res.append(k, v));
  if (!response.body) return void res.end();
  const body = Buffer.from(await response.arrayBuffer());
  res.end(body);
}

/**
 * Express middleware: requests under {@link FEDERATION_PATHS} go to `federation.fetch`; when Fedify
 * has no route or the client wants HTML, Express continues (the HTML profile page, 404s).
 */
export function federationMiddleware(federation: Federation<void>, origin: string): RequestHandler {
  return (req, res, next) => {
    if (!FEDERATION_PATHS.some((p) => req.path === p || (p.endsWith("/") && req.path.startsWith(p)))) return next();
    let passed = false;
    const pass = () => {
      passed = true;
      return new Response(null, { status: 404 });
    };
    federation
      .fetch(toRequest(req, origin), { contextData: undefined, onNotFound: pass, onNotAcceptable: pass })
      .then(async (response) => (passed ? next() : send(res, response)))
      .catch(next);
  };
}
