/**
 * Following and being followed, from this side: `follow`/`unfollow` other networks (CLI and admin
 * API), and approving or refusing follow requests held for the admin.
 */
import { BadRequestHttpError } from "../errors.ts";
import { logger } from "../logging.ts";
import { acceptOrReject, follow as followActivity, undoFollow } from "./activities.ts";
import type { FederationContext } from "./context.ts";
import type { Follower, Following } from "../store/store.ts";

const log = logger("federation", "follows");

/** `follow` was asked to follow this network's own actor. */
export class SelfFollowError extends BadRequestHttpError {
  constructor() {
    super("a network cannot follow itself", "invalid-target");
  }
}

/** Sends a Follow to `target` (actor URL or acct:handle@host); the Accept starts the back-fill. */
export async function follow(ctx: FederationContext, target: string): Promise<Following> {
  const actorId = await ctx.actors.resolve(target, ctx.config.allowPrivate);
  if (actorId === ctx.iris.actor) throw new SelfFollowError();
  const actor = await ctx.actors.get(actorId, true);
  const existing = await ctx.store.getFollowing(actorId);
  const following: Following = {
    actor: actorId,
    inbox: actor.inbox,
    followId: existing?.state === "accepted" ? existing.followId : ctx.iris.activity("follow"),
    state: existing?.state === "accepted" ? "accepted" : "pending",
    since: existing?.since ?? new Date().toISOString(),
    ...(actor.directory ? { directory: actor.directory } : {}),
    ...(existing?.reconciledAt ? { reconciledAt: existing.reconciledAt } : {}),
  };
  await ctx.store.putFollowing(following);
  await ctx.outbox.send([followActivity(ctx.iris, following.followId, actorId)], [actor.inbox]);
  log.info("Following {actor}", { actor: actorId });
  return following;
}

/**
 * Sends Undo{Follow} and forgets the relation. With ESSFED_UNFOLLOW_MIRRORS=delete, the records
 * mirrored from that network (directly or relayed through it) are removed without tombstones.
 * @returns undefined when we did not follow `target`
 */
export async function unfollow(
  ctx: FederationContext,
  target: string,
): Promise<{ following: Following; removed: number } | undefined> {
  const actorId = await ctx.actors.resolve(target, ctx.config.allowPrivate).catch(() => target);
  const following = await ctx.store.getFollowing(actorId);
  if (!following) return undefined;
  await ctx.outbox.send([undoFollow(ctx.iris, following.followId, actorId)], [following.inbox]);
  await ctx.store.removeFollowing(actorId);
  let removed = 0;
  if (ctx.config.unfollowMirrors === "delete") {
    const ids = new Set([...(await ctx.store.listIdsBySource(actorId)), ...(await ctx.store.listIdsByVia(actorId))]);
    // Keep what another network we still follow also relays to us.
    const others = new Set((await ctx.store.listFollowing()).map((f) => f.actor));
    const keep = new Set<string>();
    for (const id of ids) {
      const rec = await ctx.store.getInitiative(id);
      const p = rec?.provenance;
      if (p && (others.has(p.origin) || p.via.some((v) => others.has(v)))) keep.add(id);
    }
    removed = await ctx.store.purgeInitiatives([...ids].filter((id) => !keep.has(id)));
  }
  log.info("Unfollowed {actor}; removed {removed} mirrored records", { actor: actorId, removed });
  return { following, removed };
}

/** Approves (or refuses) a follow request held under ESSFED_FOLLOW_APPROVAL=manual. */
export async function answerFollower(
  ctx: FederationContext,
  actor: string,
  accept: boolean,
): Promise<Follower | undefined> {
  const follower = await ctx.store.getFollower(actor);
  if (!follower) return undefined;
  const activity = acceptOrReject(ctx.iris, accept ? "Accept" : "Reject", follower.followId, actor);
  if (accept) await ctx.store.putFollower({ ...follower, state: "accepted" });
  else await ctx.store.removeFollower(actor);
  await ctx.outbox.send([activity], [follower.inbox]);
  return { ...follower, state: accept ? "accepted" : follower.state };
}
