/**
 * The curation gate on everything that arrives from other networks (inbox, back-fill,
 * reconciliation), decided for a whole batch before anything is stored: a record from a blocked
 * source is refused; one from a source in review, or a newer version of a record this network
 * withheld, waits in the queue (the approved version, if any, stays as it is); the rest is served.
 */
import type { FederationContext } from "../federation/context.ts";
import type { HeldRecord } from "../store/curation.ts";
import type { StoredInitiative } from "../store/store.ts";
import { curatorOf } from "./curator.ts";

export type GateOutcome = { go: "serve" } | { go: "held" } | { go: "refused"; reason: string };

export async function gate(ctx: FederationContext, records: HeldRecord[]): Promise<GateOutcome[]> {
  if (!records.length) return [];
  const curator = curatorOf(ctx);
  const c = ctx.store.curation;
  const ids = records.map((r) => r.initiative.id);
  const withheld = await c.getWithhelds(ids);
  const policies = await curator.policies();
  const served = policies.some((p) => p.policy === "review")
    ? await ctx.store.getInitiatives(ids)
    : new Map<string, StoredInitiative>();
  const out: GateOutcome[] = [];
  const now = new Date().toISOString();
  for (const r of records) {
    const p = r.provenance;
    const applied = await curator.applied(p?.origin, p?.via);
    if (applied.policy === "block") {
      out.push({ go: "refused", reason: `records from ${applied.by!.source} are blocked here` });
      continue;
    }
    const w = withheld.get(r.initiative.id);
    const current = w?.record ?? served.get(r.initiative.id);
    if (!w && current?.version === r.version) {
      out.push({ go: "serve" }); // the approved version again: unchanged
      continue;
    }
    const waiting = w || applied.policy === "review";
    if (!waiting) {
      out.push({ go: "serve" });
      continue;
    }
    // Same version as the approved or withheld one, or older: nothing to decide.
    if (current && (current.version === r.version || Date.parse(r.updated) < Date.parse(current.updated))) {
      out.push({ go: "held" });
      continue;
    }
    const queued = (await c.listQueue({ limit: 1, kind: "change", target: r.initiative.id })).items[0];
    if (queued?.record?.version !== r.version) {
      await c.enqueue({
        kind: "change",
        target: r.initiative.id,
        record: r,
        text: w ? w.state : "review",
        ...(p ? { from: p.origin } : {}),
        received: now,
      });
    }
    out.push({ go: "held" });
  }
  return out;
}
