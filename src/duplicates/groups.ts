/**
 * Groups of listings confirmed to be one organisation: the records joined by confirmed pairs,
 * directly or through one another (A = B and B = C make one group of three). Each group has one
 * listing that stands for it when results collapse duplicates (`?collapse=sameAs`): this
 * network's own record if it holds one, else the held listing with the smallest IRI. Groups are
 * worked out again whenever a decision changes them and whenever one of their records is
 * written, changed or goes (the finder's notes), so that collapsing costs queries nothing beyond
 * leaving the other members out.
 */
import type { InitiativeRecord } from "../domain/initiative.ts";
import type { Store } from "../store/store.ts";

/** Most members followed from one record (a group larger than this is cut there). */
export const MAX_GROUP = 200;

/** The listing that stands for a group among the records held: own first, then the smallest IRI. */
export function shownOf(held: InitiativeRecord[]): string | undefined {
  return held
    .map((r) => ({ id: r.initiative.id, own: r.provenance === undefined }))
    .sort((x, y) => (x.own !== y.own ? (x.own ? -1 : 1) : x.id < y.id ? -1 : x.id > y.id ? 1 : 0))[0]?.id;
}

/** The records joined to `start` by confirmed pairs (itself included), at most {@link MAX_GROUP}. */
export async function groupAround(store: Store, start: string): Promise<string[]> {
  const members = new Set([start]);
  const queue = [start];
  while (queue.length && members.size < MAX_GROUP) {
    const id = queue.shift()!;
    const pairs = (await store.duplicates.listPairs({ id, state: "confirmed", limit: MAX_GROUP })).items;
    for (const p of pairs) {
      const other = p.a === id ? p.b : p.a;
      if (members.has(other) || members.size >= MAX_GROUP) continue;
      members.add(other);
      queue.push(other);
    }
  }
  return [...members];
}

/** Works out again the groups of these records (after a decision, or when they changed or went). */
export async function regroup(store: Store, ids: Iterable<string>): Promise<void> {
  const done = new Set<string>();
  for (const id of ids) {
    if (done.has(id)) continue;
    const members = await groupAround(store, id);
    for (const m of members) done.add(m);
    const held = await store.getInitiatives(members);
    await store.duplicates.setGroup(members, shownOf([...held.values()]));
  }
}

/** Of these records, those in a group: worked out again (the finder's round calls this for its records). */
export async function regroupChanged(store: Store, ids: string[]): Promise<void> {
  if (!ids.length) return;
  const grouped = await store.duplicates.groupsOf(ids);
  if (grouped.size) await regroup(store, grouped.keys());
}

/** One listing of an organisation: its IRI and the network that publishes it. */
export interface Listing {
  id: string;
  network: string;
}

/**
 * For records shown in collapsed results, every listing of the organisation each stands for
 * (itself first, then the others held here, by IRI). Records in no group are not in the map.
 */
export async function listingsOf(
  store: Store,
  records: InitiativeRecord[],
  ownNetwork: string,
): Promise<Map<string, Listing[]>> {
  const groups = await store.duplicates.groupsOf(records.map((r) => r.initiative.id));
  const out = new Map<string, Listing[]>();
  if (!groups.size) return out;
  const held = await store.getInitiatives([...new Set([...groups.values()].flat())]);
  for (const [id, members] of groups) {
    const listings = [id, ...members.filter((m) => m !== id)]
      .map((m) => held.get(m))
      .filter((r) => r !== undefined)
      .map((r) => ({ id: r.initiative.id, network: r.provenance?.origin ?? ownNetwork }));
    if (listings.length > 1) out.set(id, listings);
  }
  return out;
}
