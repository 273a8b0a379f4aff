/**
 * Passing on what came from elsewhere: which of our followers hear of a relayed document (not its
 * origin's server, nor the relays it came through) and the Announce that carries it to them. Used
 * by mirroring, by the inbox and by curation (re-announcing what a curator restored).
 */
import { announce, type Json } from "./activities.ts";
import type { FederationContext } from "./context.ts";

/** Our followers' inboxes that hear of relayed documents: not the origin's host, nor the relays they came through. */
export function relayInboxes(ctx: FederationContext, vias: string[][], origin: string): Promise<string[]> {
  const originHost = hostOf(origin);
  return ctx.outbox.followerInboxes(
    (f) => f.actor === origin || hostOf(f.actor) === originHost || vias.some((v) => v.includes(f.actor)),
  );
}

/** Re-announces origin-signed documents (initiatives or Deletes) to our followers. */
export async function relayToFollowers(
  ctx: FederationContext,
  docs: Json[],
  vias: string[][],
  origin: string,
): Promise<void> {
  const inboxes = await relayInboxes(ctx, vias, origin);
  if (!inboxes.length) return;
  await ctx.outbox.send(
    docs.map((doc, n) => announce(ctx.iris, doc, vias[n] ?? [])),
    inboxes,
  );
}

export function hostOf(iri: string): string {
  try {
    return new URL(iri).host;
  } catch {
    return "";
  }
}
