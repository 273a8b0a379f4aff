/**
 * Following other networks from the console: follow by handle or URL, the networks followed and
 * the followers with their state, accepting or refusing held follow requests, stopping to follow,
 * and how the delivery queue stands for each peer. The same functions as the CLI and the admin API;
 * each change is written to the audit log.
 */
import { Router, type Response } from "express";
import type { FederationContext } from "../../federation/context.ts";
import { FetchError } from "../../federation/outbound/fetcher.ts";
import { answerFollower, follow, SelfFollowError, unfollow } from "../../federation/follows.ts";
import type { ConsoleDeps } from "./context.ts";
import { DroppedRecords, totalOf } from "../../federation/dropped.ts";
import { sendConsolePage } from "./context.ts";
import { actorOf, field, formBody, signedIn, type SignedInRequest } from "./session.ts";

export interface FederationConsoleDeps extends ConsoleDeps {
  federation: FederationContext;
}

/** Deliveries waiting, per receiving host. */
async function queueByHost(
  ctx: FederationContext,
): Promise<{ host: string; total: number; ready: number; retrying: number; nextRetry?: number }[]> {
  const rows = await ctx.store.queue("delivery").countsBy("inbox");
  const byHost = new Map<
    string,
    { host: string; total: number; ready: number; retrying: number; nextRetry?: number }
  >();
  for (const r of rows) {
    let host = r.value;
    try {
      host = new URL(r.value).host;
    } catch {
      /* not a URL: shown as it is */
    }
    const h = byHost.get(host) ?? { host, total: 0, ready: 0, retrying: 0 };
    h.total += r.total;
    h.ready += r.ready;
    h.retrying += r.delayed;
    if (r.nextVisibleAt !== undefined) h.nextRetry = Math.min(h.nextRetry ?? Infinity, r.nextVisibleAt);
    byHost.set(host, h);
  }
  return [...byHost.values()].sort((a, b) => b.total - a.total);
}

export function federationRoutes(d: FederationConsoleDeps): Router {
  const { store, names, sessions, federation: ctx } = d;
  const router = Router();
  const audit = (req: SignedInRequest, action: string, target: string) =>
    store.audit.append({ at: new Date().toISOString(), actor: actorOf(req), action, target });

  const page = async (req: SignedInRequest, res: Response, data: Record<string, unknown> = {}, status = 200) => {
    const [following, followers, queue] = await Promise.all([
      store.listFollowing(),
      store.listFollowers(),
      queueByHost(ctx),
    ]);
    const known = await names.getAll([...following.map((f) => f.actor), ...followers.map((f) => f.actor)]);
    const held = await Promise.all(following.map((f) => store.countInitiatives(f.actor)));
    const dropped = new Map((await new DroppedRecords(store.kv).list()).map((p) => [p.peer, p]));
    await sendConsolePage(
      d,
      req,
      res,
      "console/federation",
      "federation.title",
      {
        following: following.map((f, k) => ({
          ...f,
          name: known.get(f.actor)!.name,
          handle: known.get(f.actor)!.handle,
          held: held[k],
          ...(dropped.has(f.actor)
            ? { dropped: { ...dropped.get(f.actor)!, total: totalOf(dropped.get(f.actor)!) } }
            : {}),
        })),
        followers: followers.map((f) => ({ ...f, name: known.get(f.actor)!.name, handle: known.get(f.actor)!.handle })),
        queue,
        approval: d.config.followApproval,
        ...data,
      },
      status,
    );
  };

  router.get("/console/federation", signedIn, (req: SignedInRequest, res) =>
    page(req, res, typeof req.query.done === "string" ? { notice: req.query.done.replace(/[^a-z-]/g, "") } : {}),
  );

  router.post("/console/federation/follow", formBody, signedIn, sessions.csrf, async (req: SignedInRequest, res) => {
    const target = field(req, "target").trim().replace(/^@/, "");
    if (!target || target.length > 2000) return page(req, res, { error: "target", target }, 422);
    // "network@host" is a fediverse handle: look it up with WebFinger.
    const asked = /^[^@\s/]+@[^@\s/]+$/.test(target) ? `acct:${target}` : target;
    try {
      const f = await follow(ctx, asked);
      await audit(req, "follow.create", f.actor);
      res.redirect(303, "/console/federation?done=follow-sent");
    } catch (e) {
      const code = e instanceof FetchError ? "unreachable" : e instanceof SelfFollowError ? "self" : undefined;
      if (!code) throw e;
      await page(req, res, { error: code, target, detail: e instanceof Error ? e.message : "" }, 422);
    }
  });

  router.post("/console/federation/unfollow", formBody, signedIn, sessions.csrf, async (req: SignedInRequest, res) => {
    const actor = field(req, "actor").slice(0, 2000);
    const done = await unfollow(ctx, actor);
    if (done) await audit(req, "follow.delete", done.following.actor);
    res.redirect(303, "/console/federation?done=unfollowed");
  });

  for (const [path, accept] of [
    ["/console/federation/accept", true],
    ["/console/federation/reject", false],
  ] as const) {
    router.post(path, formBody, signedIn, sessions.csrf, async (req: SignedInRequest, res) => {
      const actor = field(req, "actor").slice(0, 2000);
      const f = await answerFollower(ctx, actor, accept);
      if (f) await audit(req, accept ? "follower.accept" : "follower.reject", actor);
      res.redirect(303, `/console/federation?done=${accept ? "accepted" : "rejected"}`);
    });
  }
  return router;
}
