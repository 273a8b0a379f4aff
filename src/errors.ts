/**
 * The one error family of essfed. Every error thrown on purpose, in any layer, is an
 * {@link EssfedError}: told apart by its class and its stable `code`, never by its message text, and
 * logged under its own class name. {@link HttpError} and its subclasses also carry the status an
 * answer to a client gets; only the HTTP layer (`http/middleware/problem.ts`) turns them into RFC 9457
 * `application/problem+json`.
 */

/** Base class: a stable `code` (a slug); `name` is the class's own name, so logs say which error it was. */
export class EssfedError extends Error {
  readonly code: string;
  constructor(code: string, message: string, options?: ErrorOptions) {
    super(message, options);
    this.code = code;
    this.name = new.target.name;
  }
}

/** An error with the status a client gets; `code` is also the last segment of the problem type URI. */
export class HttpError extends EssfedError {
  readonly status: number;
  /** Extension members added to the problem document (e.g. `errors`). */
  readonly extensions: Record<string, unknown>;
  constructor(
    status: number,
    code: string,
    message: string,
    extensions: Record<string, unknown> = {},
    options?: ErrorOptions,
  ) {
    super(code, message, options);
    this.status = status;
    this.extensions = extensions;
  }
  static isInstance(e: unknown): e is HttpError {
    return e instanceof HttpError;
  }
}

type Ext = Record<string, unknown>;
export class BadRequestHttpError extends HttpError {
  constructor(message: string, code = "bad-request", ext: Ext = {}, o?: ErrorOptions) {
    super(400, code, message, ext, o);
  }
}
export class UnauthorizedHttpError extends HttpError {
  constructor(message = "a valid admin bearer token is required") {
    super(401, "unauthorized", message);
  }
}
export class ForbiddenHttpError extends HttpError {
  constructor(message: string, code = "forbidden") {
    super(403, code, message);
  }
}
export class NotFoundHttpError extends HttpError {
  constructor(message = "no such resource") {
    super(404, "not-found", message);
  }
}
export class NotAcceptableHttpError extends HttpError {
  constructor(available: string[]) {
    super(406, "not-acceptable", `available representations: ${available.join(", ")}`, { available });
  }
}
export class ConflictHttpError extends HttpError {
  constructor(message: string, code = "conflict") {
    super(409, code, message);
  }
}
export class GoneHttpError extends HttpError {
  constructor(message: string) {
    super(410, "gone", message);
  }
}
export class PayloadTooLargeHttpError extends HttpError {
  constructor(limit: number) {
    super(413, "payload-too-large", `the body is larger than ${limit} bytes`, { limit });
  }
}
export class UnsupportedMediaTypeHttpError extends HttpError {
  constructor(accepted: string[]) {
    super(415, "unsupported-media-type", `send one of: ${accepted.join(", ")}`, { accepted });
  }
}
/** Validation failures: `errors` lists each field and why. */
export class UnprocessableHttpError extends HttpError {
  constructor(
    message: string,
    errors: { field: string; message: string; property?: string; value?: string }[],
    code = "invalid-initiative",
  ) {
    super(422, code, message, { errors });
  }
}
