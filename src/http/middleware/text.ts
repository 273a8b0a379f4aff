/**
 * Refuses (400 `unstorable-text`) a request whose path or query holds characters essfed does not
 * store (ADR 19): such a value can name nothing held, and PostgreSQL refuses U+0000 even in a
 * lookup, so it would otherwise surface as a 500 from whichever route reads it first.
 */
import type { RequestHandler } from "express";
import { unstorableReason } from "../../domain/text.ts";
import { BadRequestHttpError } from "../errors.ts";

export const refuseUnstorableUrl: RequestHandler = (req, _res, next) => {
  let path: string;
  try {
    path = decodeURIComponent(req.path);
  } catch {
    return next(); // malformed percent-encoding: refused on its own before this
  }
  const inPath = unstorableReason(path);
  if (inPath) return next(new BadRequestHttpError(`the path ${inPath}`, "unstorable-text"));
  for (const [name, value] of Object.entries(req.query)) {
    for (const v of [name, ...(Array.isArray(value) ? value : [value])]) {
      const reason = typeof v === "string" ? unstorableReason(v) : undefined;
      if (reason) return next(new BadRequestHttpError(`the query parameter ${JSON.stringify(name.slice(0, 50))} ${reason}`, "unstorable-text"));
    }
  }
  next();
};
