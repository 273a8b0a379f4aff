/**
 * Deciding whether to believe that an initiative (or a deletion) really comes from the network that
 * owns its IRI: it came straight from the owner, or it carries the owner's
 * integrity proof, or we fetch it from the owner ourselves. A relay's word alone is never enough.
 */
import type { Json } from "../activities.ts";
import type { FederationContext } from "../context.ts";
import { FetchError } from "../outbound/fetcher.ts";
import type { VerifiedObject } from "../mirror.ts";
import { hostOf } from "../relay.ts";
import { verifyProof } from "./proof.ts";

const idOf = (v: unknown): string | undefined =>
  typeof v === "string" ? v : typeof (v as { id?: unknown })?.id === "string" ? (v as { id: string }).id : undefined;

/** The owner an initiative document claims: its `attributedTo`, which must be on the IRI's host. */
export function claimedOwner(doc: Json): string | undefined {
  const owner = idOf(Array.isArray(doc.attributedTo) ? doc.attributedTo[0] : doc.attributedTo);
  const id = idOf(doc);
  if (!owner || !id || hostOf(owner) !== hostOf(id) || !hostOf(id)) return undefined;
  return owner;
}

/**
 * Verifies an initiative document.
 * @param sender the actor that authenticated the request carrying it (HTTP signature), or that owns
 *               the host it was fetched from
 * @param via the relays it passed through before `sender`, when `sender` is a relay
 * @returns the verified object, or undefined when the origin cannot be established
 */
export async function verifyInitiative(
  ctx: FederationContext,
  doc: Json,
  sender: string,
  via: string[] = [],
): Promise<VerifiedObject | undefined> {
  const owner = claimedOwner(doc);
  if (!owner) return undefined;
  if (owner === sender) return { doc, origin: owner, via: [] };
  const controller = await verifyProof(doc, (vm) => ctx.actors.assertionKey(vm));
  if (controller === owner) return { doc, origin: owner, via: [...via, sender] };
  return fetchFromOrigin(ctx, String(doc.id));
}

/** Fetches an initiative from its owner; what the owner serves is the truth. */
export async function fetchFromOrigin(ctx: FederationContext, id: string): Promise<VerifiedObject | undefined> {
  try {
    const fetched = await ctx.fetcher.getJson(id, { maxBytes: 1024 * 1024 });
    const owner = claimedOwner(fetched);
    if (idOf(fetched) !== id || !owner) return undefined;
    return { doc: fetched, origin: owner, via: [] };
  } catch {
    return undefined;
  }
}

/**
 * Establishes that the initiative `objectId` was deleted by its owner: the Delete came from the
 * owner, or carries the owner's proof, or the owner answers 404/410 for the IRI.
 * @returns the owner's actor IRI when the deletion is verified
 */
export async function verifyDeletion(
  ctx: FederationContext,
  deleteActivity: Json,
  objectId: string,
  sender: string,
): Promise<string | undefined> {
  const actor = idOf(deleteActivity.actor);
  if (!actor || hostOf(actor) !== hostOf(objectId)) return undefined;
  if (actor === sender) return actor;
  const controller = await verifyProof(deleteActivity, (vm) => ctx.actors.assertionKey(vm));
  if (controller === actor) return actor;
  try {
    await ctx.fetcher.getJson(objectId, { maxBytes: 1024 * 1024 });
    return undefined;
  } catch (e) {
    return e instanceof FetchError && e.gone ? actor : undefined;
  }
}

export { idOf };
