/**
 * The admin API for federation (bearer token): follow and unfollow networks, approve or refuse
 * follow requests, and see the state of it all.
 */
import express, { Router } from "express";
import type { FederationContext } from "../../federation/context.ts";
import { federationStatus } from "../../federation/status.ts";
import { FetchError } from "../../federation/outbound/fetcher.ts";
import { answerFollower, follow, unfollow } from "../../federation/follows.ts";
import { BadRequestHttpError, HttpError, NotFoundHttpError } from "../../errors.ts";
import { requireAdmin } from "../middleware/auth.ts";
import { checkedBody } from "../middleware/text.ts";

function target(body: unknown, key = "target"): string {
  const v = (body as Record<string, unknown> | undefined)?.[key];
  if (typeof v !== "string" || !v.trim() || v.length > 2000) {
    throw new BadRequestHttpError(
      `the body must be JSON with "${key}": an actor URL or acct:handle@host`,
      "invalid-target",
      { errors: [{ field: key, message: "is required" }] },
    );
  }
  return v.trim();
}

/** Maps failures to reach a remote actor onto 502-style problems instead of 500s. */
function remote(e: unknown): never {
  // Our own address policy, not the remote side: nothing to wait for.
  if (e instanceof FetchError && e.kind === "refused")
    throw new BadRequestHttpError(`will not fetch the actor: ${e.message}`, "refused-address");
  if (e instanceof FetchError)
    throw new HttpError(502, "remote-unavailable", `could not reach the actor: ${e.message}`);
  throw e;
}

export function adminRoutes(ctx: FederationContext): Router {
  const router = Router();
  router.use("/api/follows", requireAdmin(ctx.config.adminToken));
  router.use("/api/followers", requireAdmin(ctx.config.adminToken));
  router.use("/api/status", requireAdmin(ctx.config.adminToken));
  const json = checkedBody(express.json({ limit: 16 * 1024 }));

  router.get("/api/status", async (_req, res) => void res.json(await federationStatus(ctx)));
  router.get("/api/follows", async (_req, res) => void res.json(await ctx.store.listFollowing()));
  router.post("/api/follows", json, async (req, res) => {
    const f = await follow(ctx, target(req.body)).catch(remote);
    res.status(202).json(f);
  });
  router.delete("/api/follows", async (req, res) => {
    const actor = typeof req.query.actor === "string" ? req.query.actor : "";
    if (!actor) throw new BadRequestHttpError("give the followed actor as ?actor=", "invalid-target");
    const done = await unfollow(ctx, actor);
    if (!done) throw new NotFoundHttpError(`not following ${actor}`);
    res.json({ unfollowed: done.following.actor, removed: done.removed });
  });
  router.get("/api/followers", async (_req, res) => void res.json(await ctx.store.listFollowers()));
  for (const [path, accept] of [
    ["/api/followers/accept", true],
    ["/api/followers/reject", false],
  ] as const) {
    router.post(path, json, async (req, res) => {
      const actor = target(req.body, "actor");
      const f = await answerFollower(ctx, actor, accept);
      if (!f) throw new NotFoundHttpError(`${actor} has not asked to follow`);
      res.json(f);
    });
  }
  return router;
}
