/**
 * Only what this network asked for: initiatives arrive (Create, Update, Announce) only from
 * networks this one follows — an accepted follow — and a Delete only from those or from the origin
 * of a record this instance holds (or an actor removing itself, when there is a relation to
 * remove). Anything else is refused before it is handled, so it is never stored, relayed, or the
 * cause of a fetch. Follow, Undo, Accept and Reject come from anyone, as before. Each refusal has
 * a stable code (the problem's `code`), so refusals can be counted by reason.
 */
import type { Json } from "../activities.ts";
import type { FederationContext } from "../context.ts";
import { idOf } from "../proofs/trust.ts";
import { curatorOf } from "../../curation/curator.ts";
import { policyFor } from "../../curation/policy.ts";

export interface Refusal {
  /** `not-followed` or `unsolicited-delete`. */
  code: string;
  message: string;
}

const CARRIERS = new Set(["Create", "Update", "Announce"]);

const followed = async (ctx: FederationContext, actor: string) =>
  (await ctx.store.getFollowing(actor))?.state === "accepted";

/** Why `actor` (authenticated by its signature) may not send `activity` here, if it may not. */
export async function admission(ctx: FederationContext, activity: Json, actor: string): Promise<Refusal | undefined> {
  const type = String(activity.type);
  // A blocked network or domain is heard on nothing (curation, ADR 13).
  const applied = policyFor(await curatorOf(ctx).policies(), [actor]);
  if (applied.policy === "block")
    return { code: "blocked", message: `${applied.by!.source} is blocked by this network` };
  if (CARRIERS.has(type)) {
    if (await followed(ctx, actor)) return undefined;
    return {
      code: "not-followed",
      message: `${type} is accepted only from networks this one follows, and it does not follow ${actor}`,
    };
  }
  if (type !== "Delete" || (await followed(ctx, actor))) return undefined;
  const objectId = idOf(activity.object);
  if (objectId && objectId === actor) {
    if ((await ctx.store.getFollower(actor)) || (await ctx.store.getFollowing(actor))) return undefined;
  } else if (objectId && (await ctx.store.getInitiative(objectId))?.provenance?.origin === actor) {
    return undefined;
  }
  return {
    code: "unsolicited-delete",
    message:
      "a Delete is accepted only from networks this one follows or from the origin of a record it holds; " +
      `${actor} is neither for ${objectId ?? "its object"}`,
  };
}
