/**
 * `Undo` of an `Announce` from a network we follow: it no longer passes that record on (it hid it,
 * or blocked its source). The copy we hold through that network is dropped without a tombstone
 * (so it may come back by another path or a later decision) and the withdrawal goes on to our own
 * followers. A copy we hold from another path, or of our own record, is left alone.
 */
import { prepareWithdrawal } from "../../curation/spread.ts";
import type { Json } from "../activities.ts";
import type { FederationContext } from "../context.ts";
import { idOf } from "../proofs/trust.ts";

export async function onWithdraw(ctx: FederationContext, activity: Json, sender: string): Promise<{ status: string }> {
  if ((await ctx.store.getFollowing(sender))?.state !== "accepted") return { status: "ignored" };
  const inner = activity.object as Json;
  const recordId = idOf(inner.object);
  if (!recordId || idOf(inner.actor) !== sender) return { status: "ignored" };
  const held = await ctx.store.getInitiative(recordId);
  const p = held?.provenance;
  if (!held || !p || (p.origin !== sender && p.via[p.via.length - 1] !== sender)) return { status: "ignored" };
  // The withdrawal is queued in the transaction that drops the copy, and only if it did.
  const messages = await prepareWithdrawal(ctx, [held]);
  await ctx.writer.purge([recordId], (removed) => (removed ? messages([held]) : []));
  return { status: "withdrawn" };
}
