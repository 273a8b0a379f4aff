/**
 * The write rules: what writing a record or a tombstone does, given what is stored. Pure code,
 * one place: both store adapters apply these rules inside their write transaction, so an own
 * record, an import, a peer's activity and a back-fill page are all decided the same way.
 *
 * - A record whose version equals the stored one is `unchanged`.
 * - A record whose `updated` is older than the stored one's is `stale` (ignored).
 * - A record for an IRI with a tombstone at least as new as the record is `stale`; a newer record
 *   brings the IRI back and clears the tombstone.
 * - Otherwise the record is `created` or `updated`.
 * - A delete removes the record unless the stored record is newer than the delete; a tombstone is
 *   left either way (also for a record never seen: a Delete may arrive before its Create).
 */

/** What a write did. `stale` means an older version than the stored one was offered and ignored. */
export type PutOutcome = "created" | "updated" | "unchanged" | "stale";

/** What the rules need of a stored or offered record. */
export interface Versioned {
  version: string;
  /** ISO 8601. */
  updated: string;
}

/** The decision for one record: its outcome, and whether a tombstone for its IRI must go. */
export interface PutDecision {
  outcome: PutOutcome;
  clearTombstone: boolean;
}

/**
 * Decides one write.
 * @param current the stored record for the IRI, if any
 * @param tombstone when the IRI was deleted (ISO 8601), if it has a tombstone
 */
export function decidePut(current: Versioned | undefined, tombstone: string | undefined, r: Versioned): PutDecision {
  if (current) {
    if (current.version === r.version) return { outcome: "unchanged", clearTombstone: false };
    if (Date.parse(r.updated) < Date.parse(current.updated)) return { outcome: "stale", clearTombstone: false };
    return { outcome: "updated", clearTombstone: false };
  }
  if (tombstone === undefined) return { outcome: "created", clearTombstone: false };
  if (Date.parse(tombstone) >= Date.parse(r.updated)) return { outcome: "stale", clearTombstone: false };
  return { outcome: "created", clearTombstone: true };
}

/** Whether a delete dated `deleted` removes the stored record last updated at `current` (both ISO 8601). */
export function deleteRemoves(current: string, deleted: string): boolean {
  return Date.parse(current) <= Date.parse(deleted);
}

/**
 * Decides a whole batch against the stored state read once (several records for one IRI are
 * applied in order): one outcome per record, the records to write (the last one per IRI, in write
 * order) and the IRIs whose tombstones go.
 */
export function planPuts<R extends Versioned & { initiative: { id: string } }>(
  records: R[],
  existing: Map<string, Versioned>,
  tombstones: Map<string, string>,
): { outcomes: PutOutcome[]; writes: R[]; clearTombstones: string[] } {
  const state = new Map(existing);
  const tombs = new Map(tombstones);
  const outcomes: PutOutcome[] = [];
  const writes = new Map<string, R>();
  const clear = new Set<string>();
  for (const r of records) {
    const id = r.initiative.id;
    const d = decidePut(state.get(id), tombs.get(id), r);
    outcomes.push(d.outcome);
    if (d.outcome !== "created" && d.outcome !== "updated") continue;
    if (d.clearTombstone) {
      clear.add(id);
      tombs.delete(id);
    }
    state.set(id, { version: r.version, updated: r.updated });
    writes.delete(id); // keep the write order of the last record per IRI
    writes.set(id, r);
  }
  return { outcomes, writes: [...writes.values()], clearTombstones: [...clear] };
}
