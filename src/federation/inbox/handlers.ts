/**
 * One handler per activity type, registered in one table. Each starts with guard
 * clauses; irrelevant input is ignored (202), an initiative that does not validate is refused
 * (422), unverifiable claims are refused (403).
 * The sender has already been authenticated by its HTTP signature.
 */
import { logger } from "../../logging.ts";
import { announce, withContext, type Json } from "../activities.ts";
import { deliveriesOf } from "../outbound/fan-out.ts";
import type { FederationContext } from "../context.ts";
import { BadRequestHttpError, UnprocessableHttpError } from "../../errors.ts";
import { visible } from "../../domain/text.ts";
import { JsonLdInputError } from "../../linkeddata/jsonld-in.ts";
import { acceptObjects, type MirrorResult } from "../mirror.ts";
import { hostOf, relayInboxes } from "../relay.ts";
import { curatorOf } from "../../curation/curator.ts";
import { onFlag } from "./flag.ts";
import { onWithdraw } from "./withdraw.ts";
import { idOf, verifyDeletion, verifyInitiative, fetchFromOrigin } from "../proofs/trust.ts";
import { onAccept, onFollow, onReject, onUndo } from "./follows.ts";
import { onMove } from "./move.ts";
import { onLinkChange } from "../linkset.ts";
import { own } from "../../domain/own.ts";

const log = logger("federation", "inbox");

export interface Outcome {
  status: string;
  /** Set when the activity is refused (the caller answers 403; nothing was stored). */
  refused?: string;
  /** The refusal's code (default `unverifiable-origin`). */
  code?: string;
}

type Handler = (ctx: FederationContext, activity: Json, sender: string) => Promise<Outcome>;

const isInitiative = (o: unknown): o is Json => {
  if (typeof o !== "object" || o === null) return false;
  const t = (o as Json).type;
  return (Array.isArray(t) ? t : [t]).some((x) => typeof x === "string" && /(^|:|\/)SSEInitiative$/.test(x));
};
const typesOf = (o: unknown): string[] => {
  const t = (o as Json | undefined)?.type;
  return (Array.isArray(t) ? t : [t]).filter((x): x is string => typeof x === "string");
};

/**
 * What the sender is told about its object. An object over the JSON-LD budget or not readable is
 * refused with the budget's problem (413, 422 or 400); an invalid initiative with 422 naming each
 * field, so that the sending peer learns of it (and, like any 4xx, does not retry it). One of our
 * own records relayed back to us is no one's mistake: it is ignored.
 */
function outcomeOf(r: MirrorResult, id: unknown): Outcome {
  if (r.ok) return { status: r.outcome };
  if (r.own) return { status: "ignored" };
  // A record from a blocked source refuses the activity (curation).
  if (r.blocked) return { status: "refused", refused: r.issues[0]!.message, code: "blocked" };
  if (r.refusal instanceof JsonLdInputError) throw new BadRequestHttpError(r.refusal.message, r.refusal.code);
  if (r.refusal) throw r.refusal;
  const fields = r.issues.map((i) => `${i.field} ${i.message}`).join("; ");
  throw new UnprocessableHttpError(
    `the initiative ${visible(String(id)).slice(0, 2048)} is not valid and was not stored: ${fields}`.slice(0, 4096),
    r.issues.slice(0, 50),
  );
}

/** Create and Update: the object must come from its owner (or prove it does). */
const onCreateOrUpdate: Handler = async (ctx, activity, sender) => {
  let object = withContext(activity.object, activity);
  if (typeof object === "string") {
    if (hostOf(object) !== hostOf(sender))
      return { status: "ignored", refused: `object ${object} is on another host than its sender` };
    const fetched = await fetchFromOrigin(ctx, object);
    if (!fetched) return { status: "ignored" };
    object = fetched.doc;
  }
  if (!isInitiative(object)) return { status: "ignored" };
  const verified = await verifyInitiative(ctx, object, sender);
  if (!verified)
    return {
      status: "refused",
      refused:
        `the origin of ${String(object.id)} cannot be verified: it is not on ${sender}'s host, ` +
        "has no valid proof by its owner and could not be fetched from it",
    };
  return outcomeOf((await acceptObjects(ctx, [verified]))[0]!, verified.doc.id);
};

/** Delete of an initiative by its owner; Delete of an actor (account gone) drops the relations. */
const onDelete: Handler = async (ctx, activity, sender) => {
  const objectId = idOf(activity.object);
  if (!objectId) return { status: "ignored" };
  if (objectId === sender) {
    await ctx.store.removeFollower(sender);
    await ctx.store.removeFollowing(sender);
    return { status: "actor-deleted" };
  }
  if (ctx.iris.localId(objectId)) return { status: "ignored" };
  const owner = await verifyDeletion(ctx, activity, objectId, sender);
  if (!owner)
    return {
      status: "refused",
      refused: `${sender} may not delete ${objectId}: it is not the owner and the owner's deletion cannot be verified`,
    };
  return applyDeletion(ctx, activity, objectId, owner, []);
};

async function applyDeletion(
  ctx: FederationContext,
  activity: Json,
  objectId: string,
  owner: string,
  via: string[],
): Promise<Outcome> {
  // Nothing is passed on, or kept, on a blocked source's behalf.
  const applied = await curatorOf(ctx).applied(owner, via);
  if (applied.policy === "block")
    return { status: "refused", refused: `deletions by ${applied.by!.source} are blocked here`, code: "blocked" };
  // Withheld copies and waiting versions of a deleted record go too.
  await ctx.store.curation.dropWithheld(objectId);
  await ctx.store.curation.dequeueTarget(objectId);
  const deleted =
    typeof activity.published === "string" && !Number.isNaN(Date.parse(activity.published))
      ? new Date(activity.published).toISOString()
      : new Date().toISOString();
  // The relay of the Delete is queued in the deletion's own transaction.
  const inboxes = await relayInboxes(ctx, [via], owner);
  const relayed = inboxes.length ? deliveriesOf([announce(ctx.iris, activity, via)], inboxes) : [];
  const done = await ctx.writer.delete({ id: objectId, deleted, origin: owner }, (gone) => (gone ? relayed : []));
  return { status: done ? "deleted" : "unchanged" };
}

/**
 * Announce: a relay forwards an origin's signed initiative or signed Delete. Announces of anything
 * else (a boosted post, say) are none of our business.
 */
const onAnnounce: Handler = async (ctx, activity, sender) => {
  const via = Array.isArray(activity["essfed:via"])
    ? (activity["essfed:via"] as unknown[]).filter((x): x is string => typeof x === "string").slice(0, 16)
    : [];
  const object = withContext(activity.object, activity);
  if (typeof object === "string") {
    const fetched = await fetchFromOrigin(ctx, object);
    if (!fetched) return { status: "ignored" };
    return outcomeOf((await acceptObjects(ctx, [{ ...fetched, via: [...via, sender] }]))[0]!, fetched.doc.id);
  }
  if (isInitiative(object)) {
    const verified = await verifyInitiative(ctx, object, sender, via);
    if (!verified) return { status: "refused", refused: `the origin of ${String(object.id)} cannot be verified` };
    return outcomeOf((await acceptObjects(ctx, [verified]))[0]!, verified.doc.id);
  }
  if (typesOf(object).includes("Delete")) {
    const inner = object as Json;
    const objectId = idOf(inner.object);
    if (!objectId || ctx.iris.localId(objectId)) return { status: "ignored" };
    const owner = await verifyDeletion(ctx, inner, objectId, "");
    if (!owner) return { status: "refused", refused: `the deletion of ${objectId} cannot be verified` };
    return applyDeletion(ctx, inner, objectId, owner, [...via, sender]);
  }
  return { status: "ignored" };
};

const HANDLERS: Record<string, Handler> = {
  Follow: onFollow,
  Undo: onUndo,
  Accept: onAccept,
  Reject: onReject,
  Create: onCreateOrUpdate,
  Update: onCreateOrUpdate,
  Delete: onDelete,
  Announce: onAnnounce,
  Move: onMove,
  Flag: onFlag,
  Add: onLinkChange,
  Remove: onLinkChange,
};

export async function handleActivity(ctx: FederationContext, activity: Json, sender: string): Promise<Outcome> {
  if (activity.type === "Undo" && typesOf(activity.object).includes("Announce"))
    return onWithdraw(ctx, activity, sender);
  const handler = own(HANDLERS, String(activity.type));
  if (!handler) {
    log.debug("Ignoring {type} from {sender}", { type: activity.type, sender });
    return { status: "ignored" };
  }
  return handler(ctx, activity, sender);
}
