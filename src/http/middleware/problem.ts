/**
 * The one error middleware: every error becomes RFC 9457 problem+json with a stable `type` per
 * kind, `title`, `status`, `detail`, `instance` (the request path) and extension members. Unknown
 * errors become a generic 500 and are the only ones logged as errors; a refusal or an unreachable
 * peer is an expected outcome, logged at debug or info. Stack traces never reach clients.
 */
import type { ErrorRequestHandler, RequestHandler } from "express";
import { logger } from "../../logging.ts";
import { BadRequestHttpError, HttpError, NotFoundHttpError, PayloadTooLargeHttpError } from "../../errors.ts";
import { FetchError } from "../../federation/outbound/fetcher.ts";
import { storeTextError } from "./text.ts";

const log = logger("http");

const TITLES: Record<number, string> = {
  400: "Bad Request",
  401: "Unauthorized",
  403: "Forbidden",
  404: "Not Found",
  405: "Method Not Allowed",
  406: "Not Acceptable",
  409: "Conflict",
  410: "Gone",
  413: "Content Too Large",
  415: "Unsupported Media Type",
  422: "Unprocessable Content",
  429: "Too Many Requests",
  500: "Internal Server Error",
  503: "Service Unavailable",
};

/** Base of the problem type URIs; `/problems/{code}` is also served as a page that explains it. */
export function problemType(baseUrl: string, code: string): string {
  return `${baseUrl}/problems/${code}`;
}

const MALFORMED_PATH =
  "the path has malformed percent-encoding (a % not followed by two hex digits, or bytes that are not UTF-8)";

/**
 * Refuses a path that cannot be percent-decoded before any route tries to (Express's router would
 * throw a URIError, and Fedify would answer 404 for what is the client's mistake).
 */
export const refuseMalformedPath: RequestHandler = (req, _res, next) => {
  try {
    decodeURIComponent(req.path);
  } catch {
    return next(new BadRequestHttpError(MALFORMED_PATH, "malformed-path"));
  }
  next();
};

/** Maps the errors of body-parser, the router and the outbound fetcher onto ours. */
function normalise(err: unknown): HttpError {
  if (HttpError.isInstance(err)) return err;
  const e = err as { type?: string; status?: number; limit?: number; message?: string; name?: string };
  // The router's "Failed to decode param" (a path parameter that is not valid percent-encoding).
  if (e instanceof URIError || (e?.name === "URIError" && e.status === 400))
    return new BadRequestHttpError(MALFORMED_PATH, "malformed-path");
  // A remote server that could not be reached or answered badly: not our failure.
  if (err instanceof FetchError) return new HttpError(502, "remote-unavailable", String(e.message));
  if (e?.type === "entity.too.large") return new PayloadTooLargeHttpError(e.limit ?? 0);
  if (e?.type === "entity.parse.failed")
    return new HttpError(400, "invalid-json", `the body is not valid JSON: ${e.message}`);
  if (e?.type === "encoding.unsupported" || e?.type === "charset.unsupported")
    return new HttpError(415, "unsupported-encoding", String(e.message));
  if (e?.type === "request.aborted") return new HttpError(400, "request-aborted", "the client aborted the request");
  const text = storeTextError(e);
  if (text) return text;
  return new HttpError(500, "internal-error", "an unexpected error occurred; it has been logged");
}

export function problemHandler(baseUrl: string): ErrorRequestHandler {
  return (err, req, res, _next) => {
    const e = normalise(err);
    const where = { method: req.method, path: req.path.slice(0, 200), client: req.ip ?? "", code: e.code };
    if (e.code === "internal-error") log.error("Unhandled error on {method} {path}: {error}", { ...where, error: err });
    else if (e.status >= 500)
      log.info("Answered {method} {path} with {status} {code}: {detail}", {
        ...where,
        status: e.status,
        detail: e.message,
      });
    else log.debug("Refused {method} {path}: {code}", where);
    // For the request metrics: refusals are counted by their stable code.
    res.locals.problemCode = e.code;
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
    if (e.status === 401 && !res.getHeader("WWW-Authenticate"))
      res.setHeader("WWW-Authenticate", 'Bearer realm="essfed admin"');
    const retryAfter = e.extensions.retryAfter;
    if (typeof retryAfter === "number") res.setHeader("Retry-After", String(Math.max(1, Math.ceil(retryAfter))));
    try {
      res.status(e.status).type("application/problem+json").send(JSON.stringify(body));
    } catch {
      res.status(e.status).type("text/plain").send(`${e.status} ${body.title}`);
    }
  };
}

/** Final handler for unmatched routes. */
export const notFound: RequestHandler = (_req, _res, next) => next(new NotFoundHttpError());
