/**
 * The one error middleware (STYLE.md §13): every error becomes RFC 9457 problem+json with a stable
 * `type` per kind, `title`, `status`, `detail`, `instance` (the request path) and extension members.
 * Unknown errors become a generic 500; stack traces never reach clients.
 */
import type { ErrorRequestHandler, RequestHandler } from "express";
import { logger } from "../../logging.ts";
import { HttpError, NotFoundHttpError, PayloadTooLargeHttpError } from "../errors.ts";

const log = logger("http");

const TITLES: Record<number, string> = {
  400: "Bad Request", 401: "Unauthorized", 403: "Forbidden", 404: "Not Found", 405: "Method Not Allowed",
  406: "Not Acceptable", 409: "Conflict", 410: "Gone", 413: "Content Too Large", 415: "Unsupported Media Type",
  422: "Unprocessable Content", 429: "Too Many Requests", 500: "Internal Server Error", 503: "Service Unavailable",
};

/** Base of the problem type URIs; `/problems/{code}` is also served as a page that explains it. */
export function problemType(baseUrl: string, code: string): string {
  return `${baseUrl}/problems/${code}`;
}

/** Maps body-parser's own errors (size, syntax) onto ours. */
function normalise(err: unknown): HttpError {
  if (HttpError.isInstance(err)) return err;
  const e = err as { type?: string; status?: number; limit?: number; message?: string };
  if (e?.type === "entity.too.large") return new PayloadTooLargeHttpError(e.limit ?? 0);
  if (e?.type === "entity.parse.failed") return new HttpError(400, "invalid-json", `the body is not valid JSON: ${e.message}`);
  if (e?.type === "encoding.unsupported" || e?.type === "charset.unsupported") return new HttpError(415, "unsupported-encoding", String(e.message));
  if (e?.type === "request.aborted") return new HttpError(400, "request-aborted", "the client aborted the request");
  return new HttpError(500, "internal-error", "an unexpected error occurred; it has been logged");
}

export function problemHandler(baseUrl: string): ErrorRequestHandler {
  return (err, req, res, _next) => {
    const e = normalise(err);
    if (e.status >= 500) log.error("Unhandled error on {method} {path}: {error}", { method: req.method, path: req.path, error: err });
    else log.debug("Refused {method} {path}: {code}", { method: req.method, path: req.path, code: e.code });
    const body = {
      type: problemType(baseUrl, e.code),
      title: TITLES[e.status] ?? "Error",
      status: e.status,
      detail: e.message,
      instance: req.originalUrl.split("?")[0],
      code: e.code,
      ...e.extensions,
    };
    if (res.headersSent) return void res.end();
    if (e.status === 401) res.setHeader("WWW-Authenticate", 'Bearer realm="essfed admin"');
    try {
      res.status(e.status).type("application/problem+json").send(JSON.stringify(body));
    } catch {
      res.status(e.status).type("text/plain").send(`${e.status} ${body.title}`);
    }
  };
}

/** Final handler for unmatched routes. */
export const notFound: RequestHandler = (_req, _res, next) => next(new NotFoundHttpError());
