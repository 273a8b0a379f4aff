/**
 * Signing in and out: the sign-in form, choosing a password from a one-time link, signing out of
 * this browser or of every one. A sign-in always starts a new session with a new token: a session
 * id planted in a browser before sign-in is never promoted (no session fixation).
 */
import { Router, type Response } from "express";
import { AccountError } from "../../accounts/accounts.ts";
import type { ConsoleDeps } from "./context.ts";
import { sendConsolePage } from "./context.ts";
import { actorOf, field, formBody, formOf, signedIn, type SignedInRequest } from "./session.ts";

/** Where to go after signing in: only a path of the console itself. */
function safeNext(v: unknown): string {
  return typeof v === "string" && /^\/console(\/[\w\-/.?=&%]*)?$/.test(v) && !v.startsWith("//") ? v : "/console";
}

export function authRoutes(d: ConsoleDeps): Router {
  const { accounts, sessions } = d;
  const router = Router();

  const signInPage = async (req: SignedInRequest, res: Response, data: Record<string, unknown> = {}, status = 200) => {
    await sendConsolePage(
      d,
      req,
      res,
      "console/signin",
      "signin.title",
      {
        csrf: sessions.preSessionToken(req, res),
        next: safeNext(req.query.next ?? formOf(req).next),
        ...data,
      },
      status,
      { section: "signin" },
    );
  };

  router.get("/console/sign-in", async (req: SignedInRequest, res) => {
    if (req.account) return void res.redirect(303, safeNext(req.query.next));
    await signInPage(req, res, req.query.signedOut !== undefined ? { signedOut: true } : {});
  });

  router.post("/console/sign-in", formBody, sessions.preSessionCsrf, async (req: SignedInRequest, res) => {
    const name = field(req, "name").slice(0, 200);
    const password = field(req, "password");
    const result = await accounts.signIn(name, password, req.ip ?? "unknown");
    if (!result.ok) {
      if (result.reason === "limited") res.setHeader("Retry-After", String(result.retryAfter));
      return signInPage(
        req,
        res,
        {
          name,
          error: result.reason,
          retryMinutes: result.reason === "limited" ? Math.ceil(result.retryAfter / 60) : 0,
        },
        result.reason === "limited" ? 429 : 401,
      );
    }
    // Whatever session this browser had ends here; the new one has a new token.
    const old = sessions.token(req);
    if (old) await accounts.signOut(old);
    sessions.start(res, result.token);
    res.redirect(303, safeNext(formOf(req).next));
  });

  router.post("/console/sign-out", formBody, sessions.csrf, async (req: SignedInRequest, res) => {
    const t = sessions.token(req);
    if (t) await accounts.signOut(t);
    sessions.clear(res);
    res.redirect(303, "/console/sign-in?signedOut");
  });

  router.post("/console/sign-out-everywhere", formBody, signedIn, sessions.csrf, async (req: SignedInRequest, res) => {
    await accounts.signOutEverywhere(req.account!.id, actorOf(req));
    sessions.clear(res);
    res.redirect(303, "/console/sign-in?signedOut");
  });

  const welcome = async (req: SignedInRequest, res: Response, error?: string, status = 200) => {
    const account = await accounts.linkAccount(String(req.params.token));
    if (!account) {
      return sendConsolePage(
        d,
        req,
        res,
        "error",
        "welcome.expiredTitle",
        { headingKey: "welcome.expiredTitle", messageKey: "welcome.expired", back: "/console/sign-in" },
        410,
      );
    }
    await sendConsolePage(
      d,
      req,
      res,
      "console/welcome",
      "welcome.pageTitle",
      { account, csrf: sessions.preSessionToken(req, res), ...(error ? { error } : {}) },
      status,
      { section: "signin" },
    );
  };

  router.get("/console/welcome/:token", (req: SignedInRequest, res) => welcome(req, res));

  router.post("/console/welcome/:token", formBody, sessions.preSessionCsrf, async (req: SignedInRequest, res) => {
    try {
      const signed = await accounts.redeem(String(req.params.token), field(req, "password"));
      const old = sessions.token(req);
      if (old) await accounts.signOut(old);
      sessions.start(res, signed.token);
      res.redirect(303, "/console?welcome");
    } catch (e) {
      if (!(e instanceof AccountError)) throw e;
      await welcome(req, res, e.code, 422);
    }
  });

  return router;
}
