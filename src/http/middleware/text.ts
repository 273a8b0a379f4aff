/**
 * Text that every store holds, at the HTTP edge (ADR 19). A request whose path, query or form
 * holds characters essfed does not store is refused (400 `unstorable-text`) before a route reads
 * it: such a value can name nothing held, and PostgreSQL refuses U+0000 even in a lookup, so it
 * would otherwise surface as a 500 from whichever route reads it first. Last, {@link storeTextError}
 * turns what PostgreSQL still refuses on a path that does not check its text into a 422, not a 500.
 */
import type { RequestHandler } from "express";
import { findUnstorableText, unstorableReason } from "../../domain/text.ts";
import { BadRequestHttpError, HttpError } from "../../errors.ts";

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
      if (reason)
        return next(
          new BadRequestHttpError(
            `the query parameter ${JSON.stringify(name.slice(0, 50))} ${reason}`,
            "unstorable-text",
          ),
        );
    }
  }
  next();
};

/** Refuses a parsed form or JSON body holding text essfed does not store, naming the field. */
export const refuseUnstorableBody: RequestHandler = (req, _res, next) => {
  const bad = typeof req.body === "object" && req.body !== null ? findUnstorableText(req.body) : undefined;
  if (bad)
    return next(new BadRequestHttpError(`the field ${bad.path.replace(/^\./, "")} ${bad.reason}`, "unstorable-text"));
  next();
};

/**
 * PostgreSQL's refusals of text (U+0000, an unpaired surrogate in `jsonb`, an index entry too
 * long) as the client's mistake, for paths that store text without checking it first; undefined
 * for any other error. SQLite stores such text, so every path that takes text from outside
 * should check it itself; this keeps the ones that do not from answering 500.
 */
export function storeTextError(e: { code?: unknown; message?: unknown; detail?: unknown }): HttpError | undefined {
  const text = `${typeof e.message === "string" ? e.message : ""} ${typeof e.detail === "string" ? e.detail : ""}`;
  if (e.code === "22021" || e.code === "22P05" || (e.code === "22P02" && /surrogate/i.test(text))) {
    return new HttpError(
      422,
      "unstorable-text",
      "the request holds text that cannot be stored (U+0000, an unpaired surrogate or another control character)",
    );
  }
  if (e.code === "54000" && /index row/i.test(text))
    return new HttpError(
      422,
      "text-too-long",
      "a value is too long to be stored as a key (IRIs and names: at most 2000 bytes)",
    );
  return undefined;
}

/** A body parser followed by {@link refuseUnstorableBody}, as one handler. */
export function checkedBody(parse: RequestHandler): RequestHandler {
  return (req, res, next) =>
    parse(req, res, (err?: unknown) => (err ? next(err) : refuseUnstorableBody(req, res, next)));
}
