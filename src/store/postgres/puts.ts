/**
 * The write rules of `putInitiatives`, decided in memory for a whole batch (the PostgreSQL adapter
 * reads the current rows once, then writes in one statement): equal version → unchanged; an older
 * `updated` than stored → stale; a tombstone at least as new as the record → stale; otherwise
 * created or updated. Several records for one IRI in a batch are applied in order.
 */
import type { InitiativeRecord } from "../../domain/initiative.ts";
import type { PutOutcome } from "../store.ts";

export interface ExistingRow {
  id: string;
  version: string;
  updated: string;
}

type Input = InitiativeRecord & { signed?: string };

export function planPuts(records: Input[], existing: Map<string, ExistingRow>, tombstones: Map<string, string>) {
  const state = new Map(existing);
  const outcomes: PutOutcome[] = [];
  const writes = new Map<string, Input>();
  const clear = new Set<string>();
  for (const r of records) {
    const id = r.initiative.id;
    const cur = state.get(id);
    if (cur) {
      if (cur.version === r.version) {
        outcomes.push("unchanged");
        continue;
      }
      if (Date.parse(r.updated) < Date.parse(cur.updated)) {
        outcomes.push("stale");
        continue;
      }
      outcomes.push("updated");
    } else {
      const tomb = tombstones.get(id);
      if (tomb !== undefined && Date.parse(tomb) >= Date.parse(r.updated)) {
        outcomes.push("stale");
        continue;
      }
      if (tomb !== undefined) clear.add(id);
      outcomes.push("created");
    }
    state.set(id, { id, version: r.version, updated: r.updated });
    writes.delete(id); // keep the write order of the last record per IRI
    writes.set(id, r);
  }
  return { outcomes, writes: [...writes.values()], clearTombstones: [...clear] };
}
