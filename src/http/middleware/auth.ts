/**
 * Bearer-token guard for the admin API (`Authorization: Bearer $ESSFED_ADMIN_TOKEN`).
 */
import { createHash, timingSafeEqual } from "node:crypto";
import type { RequestHandler } from "express";
import { UnauthorizedHttpError } from "../../errors.ts";

const digest = (s: string) => createHash("sha256").update(s).digest();

/** Refuses with 401 unless the request carries the admin token; always 401 when none is configured. */
export function requireAdmin(token: string | undefined): RequestHandler {
  const expected = token ? digest(token) : undefined;
  return (req, _res, next) => {
    if (!expected)
      return next(new UnauthorizedHttpError("the admin API is disabled: set ESSFED_ADMIN_TOKEN to enable it"));
    const m = /^Bearer\s+(\S+)\s*$/i.exec(req.headers.authorization ?? "");
    // Compare digests so that the comparison takes the same time whatever the length.
    if (!m || !timingSafeEqual(digest(m[1]!), expected)) return next(new UnauthorizedHttpError());
    next();
  };
}
