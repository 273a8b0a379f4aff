/**
 * Request rate limits (express-rate-limit, counts in this process's memory), so that one client
 * or one peer cannot starve the others:
 * - `api`: every request except inbox POSTs, health and metrics, the actor document and WebFinger
 *   as JSON (peers fetch keys from them), and the admin's (bearer token), counted per client
 *   address (IPv6 by /64);
 * - the inbox, counted per signing actor's host once the signature has verified (`inboxHost`),
 *   and before that per client address, counting only requests that never got that far
 *   (`inboxAddress`: unsigned, forged, malformed), so peers that share an address do not share a
 *   limit while a stranger sending junk does not get unlimited work done.
 * Beyond a limit: 429 problem+json with `Retry-After` (seconds to the end of the window).
 * The client address is the TCP peer unless ESSFED_TRUST_PROXY names the proxy in front.
 */
import { createHash, timingSafeEqual } from "node:crypto";
import type { Request, RequestHandler, Response } from "express";
import { rateLimit, type Options, type RateLimitInfo } from "express-rate-limit";
import type { Config } from "../../config.ts";
import { HttpError } from "../../errors.ts";
import { clientKey } from "../routes/sparql.ts";

/** Paths that are never limited: probes and scrapes come often and cost nothing. */
export const UNLIMITED_PATHS = new Set(["/healthz", "/readyz", "/metrics"]);

export interface RateLimits {
  api: RequestHandler;
  inboxAddress: RequestHandler;
  /** Counts one inbox POST for the verified signer's host; rejects with a 429 HttpError beyond the limit. */
  inboxHost(req: Request, res: Response, host: string): Promise<void>;
}

const digest = (s: string) => createHash("sha256").update(s).digest();

/** Whether the request carries the admin token (admin scripts are not limited). */
function adminOf(token: string | undefined): (req: Request) => boolean {
  const expected = token ? digest(token) : undefined;
  return (req) => {
    if (!expected) return false;
    const m = /^Bearer\s+(\S+)\s*$/i.exec(req.headers.authorization ?? "");
    return Boolean(m && timingSafeEqual(digest(m[1]!), expected));
  };
}

function limited(what: string, windowMs: number): Options["handler"] {
  return (request, _res, next) => {
    const req = request as Request & { rateLimit?: RateLimitInfo };
    const reset = req.rateLimit?.resetTime?.getTime() ?? Date.now() + windowMs;
    const retryAfter = Math.max(1, Math.ceil((reset - Date.now()) / 1000));
    next(
      new HttpError(429, "rate-limited", `too many requests ${what}; try again in ${retryAfter} s`, {
        retryAfter,
        limit: req.rateLimit?.limit,
      }),
    );
  };
}

const base = (config: Config, limit: number) => ({
  windowMs: config.rateLimitWindowMs,
  limit,
  standardHeaders: "draft-6" as const,
  legacyHeaders: false,
  // Our own key functions (clientKey groups IPv6 by /64); the library's checks of the
  // trust-proxy setting would only repeat what config.ts validated.
  validate: false,
});

export function rateLimits(config: Config): RateLimits {
  const isAdmin = adminOf(config.adminToken);
  const byAddress = (req: Request) => clientKey(req.ip) || "unknown";
  const api = rateLimit({
    ...base(config, config.rateLimitApi),
    keyGenerator: byAddress,
    skip: (req) =>
      config.rateLimitApi === 0 ||
      UNLIMITED_PATHS.has(req.path) ||
      isInbox(req, config) ||
      isKeyDocument(req, config) ||
      isAdmin(req),
    handler: limited("from this address", config.rateLimitWindowMs),
  });
  const inboxAddress = rateLimit({
    ...base(config, config.rateLimitInbox),
    keyGenerator: byAddress,
    skip: () => config.rateLimitInbox === 0,
    // Counted here only while the signer is unknown; once known, its host's limit applies.
    skipSuccessfulRequests: true,
    requestWasSuccessful: (_req, res) => typeof res.locals.signerHost === "string",
    handler: limited("to the inbox from this address", config.rateLimitWindowMs),
  });
  const host = rateLimit({
    ...base(config, config.rateLimitInbox),
    keyGenerator: (_req, res) => `host:${String(res.locals.signerHost)}`,
    skip: () => config.rateLimitInbox === 0,
    handler: limited("to the inbox from this host", config.rateLimitWindowMs),
  });
  return {
    api,
    inboxAddress,
    inboxHost: (req, res, signer) =>
      new Promise((resolve, reject) => {
        res.locals.signerHost = signer;
        // The limiter passes on only its store's failures, which are Errors; anything else becomes the cause of one.
        const failed = (e: unknown) => (e instanceof Error ? e : new Error("the rate limiter failed", { cause: e }));
        void host(req, res, (e?: unknown) => (e ? reject(failed(e)) : resolve()));
      }),
  };
}

/**
 * The actor document (which carries the public keys) and WebFinger, asked for as JSON: peers need
 * them to verify our signatures, and a refused key fetch turns into a refused (and, by most
 * senders, dropped) activity. Both are small documents from memory.
 */
function isKeyDocument(req: Request, config: Config): boolean {
  if (req.method !== "GET" && req.method !== "HEAD") return false;
  if (req.path !== `/actors/${config.handle}` && req.path !== "/.well-known/webfinger") return false;
  return /json/i.test(req.headers.accept ?? "");
}

function isInbox(req: Request, config: Config): boolean {
  return req.method === "POST" && (req.path === "/inbox" || req.path === `/actors/${config.handle}/inbox`);
}
