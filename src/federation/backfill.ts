/**
 * Back-fill and reconciliation: page through a followed network's directory collection and mirror
 * everything in it. Items owned by that network are trusted because we fetched them from its own
 * host; items it mirrors from elsewhere need their owner's integrity proof (or a fetch from the
 * owner). Reconciliation is the same pass plus a re-check of records that are no longer listed:
 * a 404 or 410 from the owner counts as deleted.
 */
import { prescanContext } from "../linkeddata/jsonld-budget.ts";
import { isJsonLdRefusal } from "../linkeddata/jsonld-in.ts";
import { logger } from "../logging.ts";
import type { Following } from "../store/store.ts";
import { withContext, type Json } from "./activities.ts";
import type { FederationContext } from "./context.ts";
import { FetchError } from "./outbound/fetcher.ts";
import { acceptObjects, type VerifiedObject } from "./mirror.ts";
import { DroppedRecords, dropOf, type Drop } from "./dropped.ts";
import { hostOf } from "./relay.ts";
import { verifyProof } from "./proofs/proof.ts";
import { claimedOwner, fetchFromOrigin, idOf } from "./proofs/trust.ts";

const log = logger("federation", "backfill");

/** Items asked per page (the directory serves up to 1000). */
const PAGE_SIZE = 1000;
/** A hard stop against a collection whose `next` links never end. */
const MAX_PAGES = 100_000;

export interface BackfillReport {
  pages: number;
  items: number;
  created: number;
  updated: number;
  unchanged: number;
  refused: number;
  /** Records waiting in the review queue (curation). */
  held: number;
  /** Records from that source no longer listed and confirmed gone (reconciliation only). */
  deleted: number;
}

/** Waits after a 429 (the followed network rate-limits its readers): 2 s, 4 s … 60 s, about 4 minutes in all. */
const THROTTLED_WAITS_MS = [2000, 4000, 8000, 16_000, 32_000, 60_000, 60_000, 60_000];

/** A fetch that is tried again, after a wait, while the other side answers 429. */
async function patiently<T>(get: () => Promise<T>, waits: readonly number[] = THROTTLED_WAITS_MS): Promise<T> {
  for (let attempt = 0; ; attempt++) {
    try {
      return await get();
    } catch (e) {
      if (!(e instanceof FetchError && e.status === 429) || attempt >= waits.length) throw e;
      await new Promise((r) => setTimeout(r, waits[attempt]));
    }
  }
}

/** Pages through `following.directory`, mirroring every item; with `reconcile`, also prunes. */
export async function backfill(
  ctx: FederationContext,
  following: Following,
  reconcile = false,
): Promise<BackfillReport> {
  const report: BackfillReport = {
    pages: 0,
    items: 0,
    created: 0,
    updated: 0,
    unchanged: 0,
    refused: 0,
    held: 0,
    deleted: 0,
  };
  const directory = following.directory ?? (await ctx.actors.get(following.actor)).directory;
  if (!directory) {
    log.info("{actor} has no directory collection (not an essfed network?); nothing to back-fill", {
      actor: following.actor,
    });
    return report;
  }
  if (hostOf(directory) !== hostOf(following.actor))
    throw new FetchError(directory, "the directory is not on the followed network's host", "invalid");
  const seen = reconcile ? new Set<string>() : undefined;
  const collection = await patiently(() => ctx.fetcher.getJson(directory));
  const host = hostOf(following.actor);
  const fetchPage = (link: string | undefined) => {
    if (!link) return undefined;
    const url = new URL(link);
    if (url.host !== host)
      return Promise.reject(new FetchError(link, "a directory page is not on the followed network's host", "invalid"));
    if (!url.searchParams.has("limit")) url.searchParams.set("limit", String(PAGE_SIZE));
    // A page of a thousand signed records is a few megabytes; a slow link gets a minute for it.
    return patiently(() => ctx.fetcher.getJson(url.href, { maxBytes: 64 * 1024 * 1024, timeoutMs: 60_000 }));
  };
  let pending = fetchPage(firstPage(collection, directory));
  while (pending && report.pages < MAX_PAGES) {
    const page = await pending;
    report.pages++;
    // The page's @context is every item's (JSON-LD scoping): its shape is checked once, here.
    refuseOverBudgetPage(page, directory);
    // Ask for the next page while this one is checked and stored: the two ends work at once.
    pending = fetchPage(typeof page.next === "string" ? page.next : idOf(page.next));
    // Awaited on the next turn, which throws it; this only keeps it from counting as unhandled meanwhile.
    pending?.catch(() => {});
    const items = (
      Array.isArray(page.orderedItems) ? page.orderedItems : Array.isArray(page.items) ? page.items : []
    ) as unknown[];
    const verified: VerifiedObject[] = [];
    // Nobody waits for an answer here: what is dropped is counted per peer for status and metrics.
    const drops: Drop[] = [];
    for (const raw of items) {
      report.items++;
      const item = withContext(raw, page);
      const v = await verifyItem(ctx, item, following.actor, host);
      if (v) {
        verified.push(v);
        seen?.add(String(v.doc.id));
      } else {
        report.refused++;
        const id = idOf(item);
        if (id) seen?.add(id);
        drops.push({
          id: id ?? "(no id)",
          reason: "unverifiable-origin",
          message:
            "its origin cannot be verified: it names no owner, or has no valid proof by its owner " +
            "and its owner did not serve it",
        });
      }
    }
    const results = await acceptObjects(ctx, verified);
    for (const [k, r] of results.entries()) {
      if (!r.ok) {
        report.refused++;
        if (!r.own) drops.push(dropOf(String(verified[k]!.doc.id), r));
      } else if (r.outcome === "created") report.created++;
      else if (r.outcome === "updated") report.updated++;
      else if (r.outcome === "held") report.held++;
      else report.unchanged++;
    }
    await new DroppedRecords(ctx.store.kv).record(following.actor, drops);
  }
  if (seen) report.deleted = await pruneMissing(ctx, following.actor, seen);
  await ctx.store.putFollowing({
    ...following,
    ...(directory ? { directory } : {}),
    reconciledAt: new Date().toISOString(),
  });
  log.info("Back-filled {actor}: {report}", { actor: following.actor, report });
  return report;
}

/** A directory page whose @context is over the JSON-LD budget (ADR 18) stops the back-fill, named. */
function refuseOverBudgetPage(page: Json, directory: string): void {
  try {
    prescanContext(page["@context"]);
  } catch (e) {
    if (!isJsonLdRefusal(e)) throw e;
    throw new FetchError(
      typeof page.id === "string" ? page.id : directory,
      `the directory page is over the JSON-LD budget: ${e.message}`,
      "invalid",
    );
  }
}

function firstPage(collection: Json, directory: string): string | undefined {
  const first = collection.first;
  if (typeof first === "string") return first;
  if (first && typeof first === "object") return idOf(first);
  // A collection that is its own first page.
  return Array.isArray(collection.orderedItems) ? directory : undefined;
}

async function verifyItem(
  ctx: FederationContext,
  item: unknown,
  source: string,
  pageHost: string,
): Promise<VerifiedObject | undefined> {
  if (typeof item === "string") return fetchFromOrigin(ctx, item);
  if (!item || typeof item !== "object") return undefined;
  const doc = item as Json;
  const owner = claimedOwner(doc);
  if (!owner) return undefined;
  // Fetched from the owner's own host: the owner's word.
  if (hostOf(owner) === pageHost && owner === source) return { doc, origin: owner, via: [] };
  const controller = await verifyProof(doc, (vm) => ctx.actors.assertionKey(vm));
  if (controller === owner) return { doc, origin: owner, via: [source] };
  return fetchFromOrigin(ctx, String(doc.id));
}

/** Re-checks records we hold from `source` (directly or relayed) that its directory no longer lists. */
async function pruneMissing(ctx: FederationContext, source: string, listed: Set<string>): Promise<number> {
  let deleted = 0;
  const ids = new Set([...(await ctx.store.listIdsBySource(source)), ...(await ctx.store.listIdsByVia(source))]);
  for (const id of ids) {
    if (listed.has(id)) continue;
    try {
      await ctx.fetcher.getJson(id, { maxBytes: 1024 * 1024 });
    } catch (e) {
      if (e instanceof FetchError && e.gone) {
        const rec = await ctx.store.getInitiative(id);
        if (
          await ctx.writer.delete({
            id,
            deleted: new Date().toISOString(),
            ...(rec?.provenance ? { origin: rec.provenance.origin } : {}),
          })
        )
          deleted++;
      }
    }
  }
  return deleted;
}
