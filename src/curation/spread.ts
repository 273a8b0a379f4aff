/**
 * What followers are told when curation changes what this network serves. A record taken out of
 * service is withdrawn with an `Undo` of our `Announce` of it (essfed receivers drop the copy they
 * got from us, with no tombstone, so it may come back); a record served again is announced anew
 * (a mirror: the origin's signed document) or published again (our own).
 */
import { DOCUMENT_CONTEXT } from "../linkeddata/context.ts";
import { PUBLIC } from "../linkeddata/namespaces.ts";
import type { Json } from "../federation/activities.ts";
import type { FederationContext } from "../federation/context.ts";
import { hostOf, relayToFollowers } from "../federation/relay.ts";
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

/** Tells followers (not those on a record's origin host: they own it) that these records are withdrawn. */
export async function withdraw(ctx: FederationContext, records: HeldRecord[]): Promise<void> {
  const byHost = new Map<string, string[]>();
  for (const r of records) {
    const host = r.provenance ? hostOf(r.provenance.origin) : "";
    byHost.set(host, [...(byHost.get(host) ?? []), r.initiative.id]);
  }
  for (const [host, ids] of byHost) {
    const inboxes = await ctx.outbox.followerInboxes((f) => host !== "" && hostOf(f.actor) === host);
    if (inboxes.length)
      await ctx.outbox.send(
        ids.map((id) => withdrawal(ctx, id)),
        inboxes,
      );
  }
}

/** Tells followers about records served again: a mirror's signed document in an Announce, our own in a Create. */
export async function reannounce(ctx: FederationContext, records: HeldRecord[]): Promise<void> {
  const own = records.filter((r) => !r.provenance);
  if (own.length) await ctx.publisher.changed(own.map((record) => ({ record, outcome: "created" as const })));
  for (const r of records) {
    if (!r.provenance || !r.signed) continue;
    await relayToFollowers(ctx, [JSON.parse(r.signed) as Json], [r.provenance.via], r.provenance.origin);
  }
}
