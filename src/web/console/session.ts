/**
 * Sessions in the browser: the cookie that carries a session's token (HttpOnly, SameSite=Lax,
 * Secure when the instance is served over HTTPS, `__Host-` prefixed then), the CSRF checks that
 * every form changing something passes, and the guards of the console's pages.
 *
 * CSRF: a signed-in form carries its session's token (`_csrf`), compared in constant time; a form
 * shown before sign-in (sign-in, choosing a password) carries the value of a short-lived cookie
 * set with it (double submit). Either way a request whose `Origin` is another site is refused.
 */
import { randomBytes, timingSafeEqual } from "node:crypto";
import express, { type NextFunction, type Request, type RequestHandler, type Response } from "express";
import { stringifySetCookie } from "cookie";
import type { Accounts } from "../../accounts/accounts.ts";
import type { Account, AuditActor, Session } from "../../store/accounts.ts";
import { ForbiddenHttpError } from "../../errors.ts";
import { checkedBody } from "../../http/middleware/text.ts";
import { cookieValue } from "../i18n.ts";
import type { Viewer } from "../render.ts";

export interface SignedInRequest extends Request {
  account?: Account;
  session?: Session;
}

const same = (a: string, b: string) => a.length === b.length && timingSafeEqual(Buffer.from(a), Buffer.from(b));

export class SessionCookies {
  readonly #accounts: Accounts;
  readonly #origin: string;
  readonly #secure: boolean;
  readonly name: string;
  readonly #csrfName: string;

  constructor(accounts: Accounts, baseUrl: string) {
    this.#accounts = accounts;
    this.#origin = new URL(baseUrl).origin;
    this.#secure = baseUrl.startsWith("https:");
    // __Host-: the browser takes it only from this host, over HTTPS, for the whole site.
    this.name = this.#secure ? "__Host-essfed_session" : "essfed_session";
    this.#csrfName = this.#secure ? "__Host-essfed_csrf" : "essfed_csrf";
  }

  #cookie(name: string, value: string, maxAge: number): string {
    return stringifySetCookie({
      name,
      value,
      httpOnly: true,
      sameSite: "lax",
      secure: this.#secure,
      path: "/",
      maxAge,
    });
  }

  /** Sends the cookie of a new session. */
  start(res: Response, token: string): void {
    res.append("Set-Cookie", this.#cookie(this.name, token, 7 * 86400));
  }

  clear(res: Response): void {
    res.append("Set-Cookie", this.#cookie(this.name, "", 0));
  }

  token(req: Request): string | undefined {
    return cookieValue(req, this.name);
  }

  /** Reads the session (if any) into `req.account` / `req.session`. */
  readonly read: RequestHandler = (req, _res, next) => {
    const t = this.token(req);
    if (!t) return next();
    this.#accounts.session(t).then((found) => {
      if (found) Object.assign(req, found);
      next();
    }, next);
  };

  /** What the layout needs to know about who is signed in. */
  viewer(req: SignedInRequest): Viewer | undefined {
    return req.account && req.session
      ? { name: req.account.name, role: req.account.role, csrf: req.session.csrf }
      : undefined;
  }

  /** Who is signed in, for pages outside the console (which do not run {@link read}). */
  async viewerOf(req: SignedInRequest): Promise<Viewer | undefined> {
    if (!req.account) {
      const t = this.token(req);
      const found = t ? await this.#accounts.session(t) : undefined;
      if (found) Object.assign(req, found);
    }
    return this.viewer(req);
  }

  /** A token for a form shown before sign-in, set as a cookie alongside. */
  preSessionToken(req: Request, res: Response): string {
    const kept = cookieValue(req, this.#csrfName);
    const t = kept && /^[A-Za-z0-9_-]{32}$/.test(kept) ? kept : randomBytes(24).toString("base64url");
    if (t !== kept) res.append("Set-Cookie", this.#cookie(this.#csrfName, t, 3600));
    return t;
  }

  /** Refuses a cross-site request: its Origin (sent by browsers with every POST) names another site. */
  #sameOrigin(req: Request): boolean {
    const origin = req.headers.origin;
    return origin === undefined || origin === this.#origin;
  }

  /** CSRF check for forms of signed-in people. */
  readonly csrf: RequestHandler = (req, _res, next) => {
    const s = (req as SignedInRequest).session;
    const { _csrf } = formOf(req);
    const sent = typeof _csrf === "string" ? _csrf : String(req.headers["x-csrf-token"] ?? "");
    if (!s || !this.#sameOrigin(req) || !same(sent, s.csrf))
      return next(
        new ForbiddenHttpError(
          "this form has expired or came from another site; reload the page and try again",
          "csrf",
        ),
      );
    next();
  };

  /** CSRF check for forms shown before sign-in (double submit). */
  readonly preSessionCsrf: RequestHandler = (req, _res, next) => {
    const kept = cookieValue(req, this.#csrfName) ?? "";
    const sent = field(req, "_csrf");
    if (!this.#sameOrigin(req) || !kept || !same(sent, kept))
      return next(
        new ForbiddenHttpError(
          "this form has expired or came from another site; reload the page and try again",
          "csrf",
        ),
      );
    next();
  };
}

/** Form bodies: small, flat (no nested objects from `a[b]=c`), of text every store holds (ADR 19). */
export const formBody = checkedBody(express.urlencoded({ extended: false, limit: "64kb", parameterLimit: 200 }));

/** A form's fields as {@link formBody} leaves them: text, or a list of texts for a name sent more than once. */
export type FormFields = Partial<Record<string, string | string[]>>;

/** The form sent with `req`; empty when it came without one. */
export function formOf(req: Request): FormFields {
  const body: unknown = req.body;
  return typeof body === "object" && body !== null ? body : {};
}

/** One text field of the form: "" when it is missing or was sent more than once. */
export function field(req: Request, name: string): string {
  const value = formOf(req)[name];
  return typeof value === "string" ? value : "";
}

/** Pages for signed-in people: others are sent to sign in (and back afterwards). */
export function signedIn(req: SignedInRequest, res: Response, next: NextFunction): void {
  if (req.account) return next();
  if (req.method === "GET")
    return void res.redirect(303, `/console/sign-in?next=${encodeURIComponent(req.originalUrl)}`);
  res.status(401);
  next(new ForbiddenHttpError("sign in first", "unauthorized"));
}

/** Pages for admins only (managing accounts). */
export function adminOnly(req: SignedInRequest, _res: Response, next: NextFunction): void {
  if (req.account?.role === "admin") return next();
  next(new ForbiddenHttpError("only an admin may do this", "admin-only"));
}

/** The audit log's name for whoever is signed in. */
export function actorOf(req: SignedInRequest): AuditActor {
  return { kind: "account", name: req.account!.name, id: req.account!.id };
}
