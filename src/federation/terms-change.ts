/**
 * A change of the network's licence or attribution (`ESSFED_LICENSE`, `ESSFED_ATTRIBUTION`) told to
 * followers. Own records travel as signed documents carrying the terms, and those documents are
 * kept (in the store, and by every peer that mirrors them): without this, peers would learn of new
 * terms only when each record next changed. At start the worker compares the terms with those the
 * records were last announced under; when they differ it re-signs the own records that take the
 * network's terms (not those with a licence and attribution of their own), in batches, and queues
 * an Update of each to every follower through the durable delivery queue.
 *
 * The pass keeps its place in the store after every batch: a process stopped half way resumes
 * where it was, and a pass for terms changed again meanwhile starts over for the newest. Before a
 * batch it waits while the delivery queue holds more than {@link QUEUE_HIGH} deliveries, so a large
 * directory with many followers never fills the queue faster than it drains.
 */
import { createHash } from "node:crypto";
import { datasetTerms } from "../linkeddata/licences.ts";
import { logger } from "../logging.ts";
import { LOCAL_SOURCE } from "../store/records.ts";
import { DELIVERY_QUEUE } from "../write/writer.ts";
import { createOrUpdate } from "./activities.ts";
import type { FederationContext } from "./context.ts";
import { deliveriesOf } from "./outbound/fan-out.ts";

const log = logger("federation", "terms");

export const TERMS_KEY = ["essfed", "announced-terms"] as const;
/** Own records re-signed and announced per batch. */
export const BATCH = 200;
/** Deliveries the queue may hold before a batch waits for it to drain. */
export const QUEUE_HIGH = 20_000;

interface Terms {
  license: string | null;
  attribution: string;
}
/** What the store keeps: the terms last announced, and a pass in progress towards other ones. */
interface Announced extends Terms {
  pass?: Terms & { cursor?: string; sent: number; started: string };
}

const same = (a: Terms, b: Terms) => a.license === b.license && a.attribution === b.attribution;

export interface TermsPassOptions {
  signal?: AbortSignal;
  batch?: number;
  /** How long to wait between looks at a full delivery queue. */
  pollMs?: number;
}

/**
 * Announces own records again if the terms changed since they were last announced.
 * @returns how many records were announced (0: nothing to do), or undefined when stopped by `signal`
 */
export async function announceTermsChange(
  ctx: FederationContext,
  o: TermsPassOptions = {},
): Promise<number | undefined> {
  const { kv } = ctx.store;
  const t = datasetTerms(ctx.config);
  const now: Terms = { license: t.license ?? null, attribution: t.attribution ?? "" };
  const stored = await kv.get<Announced>(TERMS_KEY);
  if (!stored) {
    // The first start records the terms: nothing was announced under others.
    await kv.set(TERMS_KEY, now);
    return 0;
  }
  if (same(stored, now) && !stored.pass) return 0;
  // A pass for these terms resumes; one for others (or terms changed back half way) starts over.
  const resume = stored.pass && same(stored.pass, now) ? stored.pass : undefined;
  const pass = resume ?? { ...now, sent: 0, started: new Date().toISOString() };
  log.info("The data's terms changed ({from} → {to}): announcing own records again from {cursor}", {
    from: `${stored.license ?? "none"}, ${stored.attribution}`,
    to: `${now.license ?? "none"}, ${now.attribution}`,
    cursor: pass.cursor ?? "the start",
  });
  // Activity ids name the terms, so an Update for new terms is never taken for one already seen.
  const tag = createHash("sha256").update(JSON.stringify(now)).digest("base64url").slice(0, 10);
  const queue = ctx.store.queue(DELIVERY_QUEUE);
  let cursor = pass.cursor;
  let sent = pass.sent;
  for (;;) {
    while ((await queue.pending()) > QUEUE_HIGH) {
      if (o.signal?.aborted) return undefined;
      await new Promise((r) => setTimeout(r, o.pollMs ?? 5_000));
    }
    if (o.signal?.aborted) return undefined;
    const page = await ctx.store.listInitiatives({
      source: LOCAL_SOURCE,
      limit: o.batch ?? BATCH,
      ...(cursor ? { cursor } : {}),
    });
    const records = page.items.filter((r) => !(r.initiative.license && r.initiative.attribution));
    if (records.length) {
      const docs = await ctx.publisher.signMany(records);
      await ctx.store.setSigned(
        records.map((r, k) => ({ id: r.initiative.id, version: r.version, signed: JSON.stringify(docs[k]) })),
      );
      const inboxes = await ctx.outbox.followerInboxes();
      if (inboxes.length) {
        const updates = records.map((r, k) => createOrUpdate(ctx.iris, "Update", docs[k]!, `${r.version}-${tag}`));
        await ctx.outbox.enqueue(deliveriesOf(updates, inboxes));
      }
      sent += records.length;
    }
    cursor = page.next;
    if (!cursor) break;
    await kv.set(TERMS_KEY, { ...stored, pass: { ...pass, cursor, sent } } satisfies Announced);
  }
  await kv.set(TERMS_KEY, now);
  log.info("Announced {sent} own records under the new terms", { sent });
  return sent;
}
