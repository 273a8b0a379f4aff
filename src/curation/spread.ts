/**
 * What followers are told when curation changes what this network serves. A record taken out of
 * service is withdrawn with an `Undo` of our `Announce` of it (essfed receivers drop the copy they
 * got from us, with no tombstone, so it may come back); a record served again is announced anew
 * (a mirror: the origin's signed document) or published again (our own).
 *
 * Both are queued in the transaction that withholds or releases the records (the outbox, ADR 23):
 * each `prepare…` does the I/O first (signing our records, reading followers) from the records as
 * read before the write, and returns the function the write calls, inside its transaction, with
 * the records it actually moved.
 */
import type { Announce } from "../write/writer.ts";
import { DOCUMENT_CONTEXT } from "../linkeddata/context.ts";
import { PUBLIC } from "../linkeddata/namespaces.ts";
import { announce, type Json } from "../federation/activities.ts";
import type { FederationContext } from "../federation/context.ts";
import { deliveriesOf } from "../federation/outbound/fan-out.ts";
import { hostOf, relayInboxes } from "../federation/relay.ts";
import type { HeldRecord } from "../store/curation.ts";

/** `Undo` of our `Announce` of a record: we no longer pass it on. */
export function withdrawal(ctx: FederationContext, recordId: string): Json {
  return {
    "@context": DOCUMENT_CONTEXT,
    id: ctx.iris.activity("undo"),
    type: "Undo",
    actor: ctx.iris.actor,
    to: [PUBLIC],
    cc: [`${ctx.iris.actor}/followers`],
    object: { type: "Announce", actor: ctx.iris.actor, object: recordId },
  };
}

/** The host of a record's origin network ("" for our own records). */
const originHost = (r: HeldRecord) => (r.provenance ? hostOf(r.provenance.origin) : "");

/**
 * Prepares telling followers that these records are withdrawn: every follower, except those on a
 * mirrored record's origin host (they own it).
 */
export async function prepareWithdrawal(
  ctx: FederationContext,
  records: HeldRecord[],
): Promise<Announce<HeldRecord[]>> {
  const inboxes = new Map<string, string[]>();
  for (const host of new Set(records.map(originHost)))
    inboxes.set(host, await ctx.outbox.followerInboxes((f) => host !== "" && hostOf(f.actor) === host));
  if (![...inboxes.values()].some((i) => i.length)) return () => [];
  return (gone) => {
    const byHost = new Map<string, string[]>();
    for (const r of gone) byHost.set(originHost(r), [...(byHost.get(originHost(r)) ?? []), r.initiative.id]);
    return [...byHost].flatMap(([host, ids]) =>
      deliveriesOf(
        ids.map((id) => withdrawal(ctx, id)),
        inboxes.get(host) ?? [],
      ),
    );
  };
}

const versionKey = (r: HeldRecord) => `${r.initiative.id} ${r.version}`;
const relayKey = (r: HeldRecord) => JSON.stringify([r.provenance!.origin, r.provenance!.via]);

/**
 * Prepares telling followers about records served again: our own in a `Create` (signed now), a
 * mirror's signed document in an `Announce` to the followers that relaying reaches. A record whose
 * version changed between this read and the write is not announced by it (the change that
 * replaced it was told on its own).
 */
export async function prepareReannouncement(
  ctx: FederationContext,
  records: HeldRecord[],
): Promise<Announce<HeldRecord[]>> {
  const own = records.filter((r) => !r.provenance);
  const prepared = own.length ? await ctx.publisher.prepareChanges(own) : undefined;
  const ownVersions = new Set(own.map(versionKey));
  const relays = new Map<string, string[]>();
  for (const r of records) {
    if (!r.provenance || !r.signed || relays.has(relayKey(r))) continue;
    relays.set(relayKey(r), await relayInboxes(ctx, [r.provenance.via], r.provenance.origin));
  }
  return (served) => {
    const ours = served.filter((r) => !r.provenance && ownVersions.has(versionKey(r)));
    const messages =
      prepared && ours.length ? prepared.messages(ours.map((record) => ({ record, outcome: "created" }))) : [];
    for (const r of served) {
      const inboxes = r.provenance && r.signed ? relays.get(relayKey(r)) : undefined;
      if (inboxes?.length)
        messages.push(...deliveriesOf([announce(ctx.iris, JSON.parse(r.signed!) as Json, r.provenance!.via)], inboxes));
    }
    return messages;
  };
}
