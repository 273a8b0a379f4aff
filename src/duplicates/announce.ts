/**
 * Changes to this network's linkset, queued for its followers (issue 16): a pair confirmed is an
 * `Add`, a confirmation undone or forgotten (its listing deleted) a `Remove`. Queued on the store
 * in whatever process decided (API, command line, console, the finder), sent by the worker
 * (src/federation/linkset.ts) as signed activities of this network.
 */
import type { DuplicatePair } from "../store/duplicates.ts";
import type { Store } from "../store/store.ts";

export const LINKSET_QUEUE = "linkset";

export interface LinkChange {
  kind: "Add" | "Remove";
  a: string;
  b: string;
  score: number;
  decidedBy: string;
  decidedAt: string;
}

export const linkChange = (kind: LinkChange["kind"], p: DuplicatePair): LinkChange => ({
  kind,
  a: p.a,
  b: p.b,
  score: p.score,
  decidedBy: p.decidedBy ?? "unknown",
  decidedAt: p.decidedAt ?? new Date().toISOString(),
});

/** Queues linkset changes for the followers. */
export async function queueLinkChanges(store: Store, changes: LinkChange[]): Promise<void> {
  if (changes.length) await store.queue(LINKSET_QUEUE).enqueueMany(changes);
}
