/**
 * The state of federation, as the admin API (`GET /api/status`) answers it and `essfed status`
 * prints it: one use case both call.
 */
import type { FederationContext } from "./context.ts";
import { RefusedInboxes } from "./outbound/delivery.ts";
import { LOCAL_SOURCE } from "../store/records.ts";
import { DroppedRecords } from "./dropped.ts";

/** Counts and relations, as `essfed status` prints them. */
export async function federationStatus(ctx: FederationContext) {
  const queue = ctx.store.queue("delivery");
  const [own, total, followers, following, pending, depth, refused, dropped] = await Promise.all([
    ctx.store.countInitiatives(LOCAL_SOURCE),
    ctx.store.countInitiatives(),
    ctx.store.listFollowers(),
    ctx.store.listFollowing(),
    queue.pending(),
    queue.getDepth(),
    new RefusedInboxes(ctx.store.kv).list(),
    new DroppedRecords(ctx.store.kv).list(),
  ]);
  return {
    actor: ctx.iris.actor,
    initiatives: { own, mirrored: total - own, total },
    followers,
    following,
    // Inboxes the outbound address policy refuses: their deliveries are dropped, not retried.
    deliveries: { pending, ready: depth.ready ?? 0, retrying: depth.delayed ?? 0, refused },
    // Records followed networks served that a back-fill or reconciliation dropped, per peer and reason.
    dropped,
  };
}
