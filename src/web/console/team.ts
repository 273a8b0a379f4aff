/**
 * The console's home, the team's accounts (admins only) and the audit log.
 */
import { Router, type Response } from "express";
import { AccountError } from "../../accounts/accounts.ts";
import type { Role } from "../../store/accounts.ts";
import type { ConsoleDeps } from "./context.ts";
import { sendConsolePage } from "./context.ts";
import { actorOf, adminOnly, field, formBody, signedIn, type SignedInRequest } from "./session.ts";
import { LOCAL_SOURCE } from "../../store/records.ts";

const AUDIT_PAGE = 50;

export function teamRoutes(d: ConsoleDeps): Router {
  const { accounts, sessions, store } = d;
  const router = Router();

  router.get("/console", signedIn, async (req: SignedInRequest, res) => {
    const [own, followers, following, waiting] = await Promise.all([
      store.countInitiatives(LOCAL_SOURCE),
      store.listFollowers("accepted"),
      store.listFollowing(),
      store.curation.countQueue(),
    ]);
    await sendConsolePage(d, req, res, "console/home", "console.title", {
      own,
      waiting,
      followers: followers.length,
      following: following.filter((f) => f.state === "accepted").length,
      notice: req.query.welcome !== undefined ? "welcome" : undefined,
    });
  });

  const accountsPage = async (
    req: SignedInRequest,
    res: Response,
    data: Record<string, unknown> = {},
    status = 200,
  ) => {
    await sendConsolePage(
      d,
      req,
      res,
      "console/accounts",
      "accounts.title",
      { accounts: await accounts.list(), me: req.account!.id, ...data },
      status,
    );
  };
  const id = (req: SignedInRequest) => field(req, "id").slice(0, 100);
  // Accounts refuses a role other than admin or editor (role-invalid), whoever asks.
  const role = (req: SignedInRequest) => field(req, "role") as Role;
  /** Runs an account change; a refusal is shown on the page, anything else is thrown. */
  const change =
    (fn: (req: SignedInRequest) => Promise<Record<string, unknown>>) => async (req: SignedInRequest, res: Response) => {
      try {
        const shown = await fn(req);
        await accountsPage(req, res, shown, shown.link ? 201 : 200);
      } catch (e) {
        if (!(e instanceof AccountError)) throw e;
        await accountsPage(req, res, { error: e.code }, e.code === "no-such-account" ? 404 : 422);
      }
    };

  router.get("/console/accounts", signedIn, adminOnly, (req: SignedInRequest, res) => accountsPage(req, res));
  router.post(
    "/console/accounts",
    formBody,
    signedIn,
    sessions.csrf,
    adminOnly,
    change(async (req) => {
      const { account, link } = await accounts.add(field(req, "name").slice(0, 200), role(req), actorOf(req));
      return { link: { name: account.name, url: link }, notice: "added" };
    }),
  );
  router.post(
    "/console/accounts/role",
    formBody,
    signedIn,
    sessions.csrf,
    adminOnly,
    change(async (req) => {
      await accounts.setRole(id(req), role(req), actorOf(req));
      return { notice: "roleChanged" };
    }),
  );
  router.post(
    "/console/accounts/link",
    formBody,
    signedIn,
    sessions.csrf,
    adminOnly,
    change(async (req) => {
      const account = await accounts.get(id(req));
      const url = await accounts.link(id(req), actorOf(req));
      return { link: { name: account!.name, url } };
    }),
  );
  router.post(
    "/console/accounts/sign-out",
    formBody,
    signedIn,
    sessions.csrf,
    adminOnly,
    change(async (req) => {
      await accounts.signOutEverywhere(id(req), actorOf(req));
      return { notice: "signedOut" };
    }),
  );
  router.post(
    "/console/accounts/remove",
    formBody,
    signedIn,
    sessions.csrf,
    adminOnly,
    change(async (req) => {
      await accounts.remove(id(req), actorOf(req));
      return { notice: "removed" };
    }),
  );

  router.get("/console/audit", signedIn, async (req: SignedInRequest, res) => {
    const cursor =
      typeof req.query.cursor === "string" && /^\d{1,16}$/.test(req.query.cursor) ? req.query.cursor : undefined;
    const page = await store.audit.list({ limit: AUDIT_PAGE, ...(cursor ? { cursor } : {}) });
    await sendConsolePage(d, req, res, "console/audit", "audit.title", { entries: page.items, next: page.next });
  });

  return router;
}
