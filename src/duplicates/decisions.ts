/**
 * Deciding on duplicate pairs, the same way from the admin API, the command line and the console:
 * only a pair the finder found can be decided, and every decision is in the audit log under the
 * name of whoever took it.
 */
import type { AuditActor } from "../store/accounts.ts";
import { pairOf, type DuplicatePair, type PairState } from "../store/duplicates.ts";
import type { Store } from "../store/store.ts";
import { linkChange, queueLinkChanges } from "./announce.ts";
import { regroup } from "./groups.ts";

export type Decision = "confirm" | "reject" | "undo";

const STATE: Record<Decision, PairState> = { confirm: "confirmed", reject: "rejected", undo: "candidate" };

/** Longest reason kept with a decision. */
export const MAX_REASON = 500;

/**
 * Confirms, rejects or undoes the decision on the pair of `x` and `y` (either order). Returns the
 * pair as it is now, or undefined when the finder never paired them (nothing is written then).
 */
export async function decidePair(
  store: Store,
  x: string,
  y: string,
  decision: Decision,
  by: AuditActor,
  reason?: string,
): Promise<DuplicatePair | undefined> {
  const [a, b] = pairOf(x, y);
  const at = new Date().toISOString();
  const before = await store.duplicates.getPair(a, b);
  if (!before) return undefined;
  const pair = await store.duplicates.decide(a, b, STATE[decision], by.name, at);
  if (!pair) return undefined;
  await regroup(store, [a, b]);
  // The followers hear of the linkset's change.
  if (pair.state === "confirmed" && before.state !== "confirmed")
    await queueLinkChanges(store, [linkChange("Add", pair)]);
  else if (before.state === "confirmed" && pair.state !== "confirmed")
    await queueLinkChanges(store, [linkChange("Remove", { ...before, decidedBy: by.name, decidedAt: at })]);
  await store.audit.append({
    at,
    actor: by,
    action: `duplicate.${decision}`,
    target: `${a} ${b}`,
    ...(reason ? { reason: reason.slice(0, MAX_REASON) } : {}),
    detail: { score: pair.score, before: before.state, reasons: pair.reasons.map((r) => r.kind) },
  });
  return pair;
}

/** A pair with what an admin needs to decide: each side's name and network. */
export interface PairView extends DuplicatePair {
  listings: { id: string; name?: string; source?: string; held: boolean }[];
}

/** Adds each side's name and network (from the records held now) to pairs. */
export async function viewPairs(store: Store, pairs: DuplicatePair[]): Promise<PairView[]> {
  const held = await store.getInitiatives([...new Set(pairs.flatMap((p) => [p.a, p.b]))]);
  return pairs.map((p) => ({
    ...p,
    listings: [p.a, p.b].map((id) => {
      const r = held.get(id);
      return r
        ? { id, name: r.initiative.name, ...(r.provenance ? { source: r.provenance.origin } : {}), held: true }
        : { id, held: false };
    }),
  }));
}

/**
 * The other listings confirmed to be the same organisation as `id` (directly or through one
 * another: its whole group), held here: their IRI, name and network.
 */
export async function alsoListed(store: Store, id: string): Promise<{ id: string; name: string; origin?: string }[]> {
  const group = (await store.duplicates.groupsOf([id])).get(id) ?? [];
  const held = await store.getInitiatives(group.filter((m) => m !== id));
  return [...held.values()]
    .map((r) => ({
      id: r.initiative.id,
      name: r.initiative.name,
      ...(r.provenance ? { origin: r.provenance.origin } : {}),
    }))
    .sort((x, y) => (x.name < y.name ? -1 : x.name > y.name ? 1 : 0));
}

/**
 * The listings the networks we follow linked `id` to, in the links this network adopted from
 * them (ADR 27, 33), by deciding network: each listing's IRI, and its name and network when held
 * here. At most 50 links.
 */
export async function linkedBy(
  store: Store,
  id: string,
): Promise<{ publisher: string; listings: { id: string; name?: string; origin?: string; held: boolean }[] }[]> {
  const links = await store.duplicates.adoptedLinksOf(id, 50);
  const others = links.map((l) => ({ publisher: l.publisher, other: l.a === id ? l.b : l.a }));
  const held = await store.getInitiatives([...new Set(others.map((o) => o.other))]);
  const out = new Map<string, { id: string; name?: string; origin?: string; held: boolean }[]>();
  for (const { publisher, other } of others) {
    const r = held.get(other);
    const listings = out.get(publisher) ?? [];
    listings.push(
      r
        ? {
            id: other,
            name: r.initiative.name,
            ...(r.provenance ? { origin: r.provenance.origin } : {}),
            held: true,
          }
        : { id: other, held: false },
    );
    out.set(publisher, listings);
  }
  return [...out].map(([publisher, listings]) => ({ publisher, listings }));
}
