/**
 * Move: a network this instance follows has moved to a new actor (`essfed move-url` there, or a
 * Mastodon account migration). As Mastodon does, the move is believed only when the actor that
 * signed it moves itself and the new actor names the old one in `alsoKnownAs`. Then this instance
 * follows the new actor, stops following the old one, and forgets the records mirrored under the
 * old IRIs: the new actor's back-fill brings them again under their new ones.
 */
import { logger } from "../../logging.ts";
import { undoFollow, type Json } from "../activities.ts";
import type { FederationContext } from "../context.ts";
import { follow } from "../follows.ts";
import { idOf } from "../proofs/trust.ts";

const log = logger("federation", "inbox");

export async function onMove(
  ctx: FederationContext,
  activity: Json,
  sender: string,
): Promise<{ status: string; refused?: string }> {
  const target = idOf(activity.target);
  if (idOf(activity.object) !== sender || !target || target === sender) return { status: "ignored" };
  const following = await ctx.store.getFollowing(sender);
  if (!following) return { status: "ignored" };
  let aliases: string[];
  try {
    aliases = (await ctx.actors.get(target, true)).aliases;
  } catch (e) {
    log.info("Move of {sender} to {target} dropped: the target could not be fetched ({error})", {
      sender,
      target,
      error: (e as Error).message,
    });
    return { status: "ignored" };
  }
  if (!aliases.includes(sender))
    return { status: "refused", refused: `${target} does not name ${sender} among the actors it was (alsoKnownAs)` };
  await follow(ctx, target);
  await ctx.outbox.send([undoFollow(ctx.iris, following.followId, sender)], [following.inbox]);
  await ctx.store.removeFollowing(sender);
  const removed = await ctx.store.purgeInitiatives(await ctx.store.listIdsBySource(sender));
  log.info("{sender} moved to {target}: following the new actor; {removed} records under the old IRIs forgotten", {
    sender,
    target,
    removed,
  });
  return { status: "moved" };
}
