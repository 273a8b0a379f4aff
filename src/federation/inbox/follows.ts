/**
 * Follow relations: Follow (someone follows us), Undo of a Follow, and Accept/Reject of the Follows
 * we sent. Accept starts the back-fill of the followed network's directory.
 */
import { logger } from "../../logging.ts";
import { acceptOrReject, type Json } from "../activities.ts";
import type { FederationContext } from "../context.ts";
import { idOf } from "../proofs/trust.ts";

const log = logger("federation", "follows");

type Result = Promise<{ status: string }>;

export async function onFollow(ctx: FederationContext, activity: Json, sender: string): Result {
  if (idOf(activity.object) !== ctx.iris.actor) return { status: "ignored" };
  let actor;
  try {
    actor = await ctx.actors.get(sender);
  } catch (e) {
    log.info("Follow from {sender} dropped: its actor could not be fetched ({error})", {
      sender,
      error: (e as Error).message,
    });
    return { status: "ignored" };
  }
  const state = ctx.config.followApproval === "auto" ? "accepted" : "pending";
  await ctx.store.putFollower({
    actor: sender,
    inbox: actor.inbox,
    ...(actor.sharedInbox ? { sharedInbox: actor.sharedInbox } : {}),
    followId: String(activity.id),
    state,
    since: new Date().toISOString(),
  });
  if (state === "accepted")
    await ctx.outbox.send([acceptOrReject(ctx.iris, "Accept", String(activity.id), sender)], [actor.inbox]);
  log.info("{sender} follows us ({state})", { sender, state });
  return { status: state };
}

export async function onUndo(ctx: FederationContext, activity: Json, sender: string): Result {
  const inner = activity.object as Json | string;
  const innerType = typeof inner === "object" && inner ? inner.type : undefined;
  const follower = await ctx.store.getFollower(sender);
  if (!follower) return { status: "ignored" };
  // Undo of the Follow we hold (by its id), or of an embedded Follow without an id that names our
  // actor. An Undo of an older Follow, such as the one of an actor we were before a move (sent by a
  // follower that has since followed our new actor), leaves the current follow alone.
  const innerId = idOf(inner);
  const undoesCurrent =
    innerId === follower.followId ||
    (innerType === "Follow" &&
      (typeof inner !== "object" || !inner.id) &&
      idOf((inner as Json).object) === ctx.iris.actor);
  if (undoesCurrent) {
    await ctx.store.removeFollower(sender);
    log.info("{sender} unfollowed us", { sender });
    return { status: "unfollowed" };
  }
  return { status: "ignored" };
}

async function answered(
  ctx: FederationContext,
  activity: Json,
  sender: string,
  state: "accepted" | "rejected",
): Result {
  const following = await ctx.store.getFollowing(sender);
  if (!following) return { status: "ignored" };
  const followId = idOf(activity.object);
  // Accept{Follow} may embed the Follow or name it; some servers send the Follow's actor/object only.
  if (followId && followId !== following.followId && !(activity.object as Json | undefined)?.actor)
    return { status: "ignored" };
  if (following.state === state) return { status: "unchanged" };
  await ctx.store.putFollowing({ ...following, state });
  log.info("{sender} {state} our follow", { sender, state });
  if (state === "accepted") ctx.scheduleBackfill(sender);
  return { status: state };
}

export const onAccept = (ctx: FederationContext, a: Json, s: string) => answered(ctx, a, s, "accepted");
export const onReject = (ctx: FederationContext, a: Json, s: string) => answered(ctx, a, s, "rejected");
