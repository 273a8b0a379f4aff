/**
 * Records a followed network sent that were dropped after the sender could be told: during a
 * back-fill or reconciliation (a queued job, long after the pages were served), an item that does
 * not validate, is over the JSON-LD budget or cannot be verified is refused alone and the rest of
 * its page stored. The inbox answers such a record with 422 itself; here nobody is waiting for an
 * answer, so each drop is counted per peer and reason in the shared store, where `essfed status`,
 * the console's network page and `/metrics` read it.
 *
 * A page's drops are added with a compare-and-set on the stored list, tried again when another
 * process (or another back-fill of this one) changed the list in between: concurrent back-fills
 * and reconciliations add up instead of overwriting each other's counts.
 */
import type { KvStore } from "@fedify/fedify";
import type { MirrorResult } from "./mirror.ts";

/** Why a record was dropped (the `reason` label of `essfed_records_dropped`). */
export type DropReason =
  | "invalid-initiative"
  | "jsonld-too-large"
  | "jsonld-too-complex"
  | "invalid-jsonld"
  | "remote-context"
  | "unverifiable-origin"
  | "blocked";

export interface PeerDrops {
  /** The followed network's actor IRI. */
  peer: string;
  /** Records dropped, by reason, since the count began. */
  counts: Partial<Record<DropReason, number>>;
  /** The latest drop: which record, why, and the first problem found in it. */
  last: { id: string; reason: DropReason; message: string; at: string };
}

const KEY = ["essfed", "records-dropped"] as const;
/** Peers remembered; the one dropped from longest ago gives way. */
const KEPT = 500;

/** One dropped record of a page. */
export interface Drop {
  id: string;
  reason: DropReason;
  message: string;
}

/** The reason and message of a refused mirror result. */
export function dropOf(id: string, r: Extract<MirrorResult, { ok: false }>): Drop {
  const reason: DropReason = r.blocked
    ? "blocked"
    : ((r.refusal?.code as DropReason | undefined) ?? "invalid-initiative");
  const first = r.issues[0];
  return { id, reason, message: (first ? `${first.field}: ${first.message}` : reason).slice(0, 500) };
}

/** Compare-and-set attempts before a page's drops give up (each failed attempt means another writer succeeded). */
const ATTEMPTS = 100;

/** A key–value store with compare-and-set (both stores' have it). */
export type CasKvStore = KvStore & Required<Pick<KvStore, "cas">>;

export class DroppedRecords {
  readonly #kv: CasKvStore;
  constructor(kv: CasKvStore) {
    this.#kv = kv;
  }

  /** Adds a page's drops from `peer` (nothing is written for none), atomically. */
  async record(peer: string, drops: Drop[]): Promise<void> {
    if (!drops.length) return;
    for (let attempt = 0; attempt < ATTEMPTS; attempt++) {
      const list = await this.#kv.get<PeerDrops[]>(KEY);
      if (await this.#kv.cas(KEY, list, added(list ?? [], peer, drops))) return;
    }
    throw new Error(`the dropped-record counts changed ${ATTEMPTS} times while adding ${drops.length} drops`);
  }

  /** Every peer with drops, latest drop last. */
  async list(): Promise<PeerDrops[]> {
    return (await this.#kv.get<PeerDrops[]>(KEY)) ?? [];
  }

  /** Drops from `peer`, if any. */
  async of(peer: string): Promise<PeerDrops | undefined> {
    return (await this.list()).find((p) => p.peer === peer);
  }
}

/** `list` with a page's drops from `peer` added: its counts summed, its entry moved to the end. */
function added(list: PeerDrops[], peer: string, drops: Drop[]): PeerDrops[] {
  const at = new Date().toISOString();
  const old = list.find((p) => p.peer === peer);
  const counts = { ...old?.counts };
  for (const d of drops) counts[d.reason] = (counts[d.reason] ?? 0) + 1;
  const latest = drops[drops.length - 1]!;
  const next = list.filter((p) => p.peer !== peer);
  next.push({ peer, counts, last: { ...latest, id: latest.id.slice(0, 2048), at } });
  return next.slice(-KEPT);
}

/** All of a peer's drops together. */
export const totalOf = (p: PeerDrops): number => Object.values(p.counts).reduce((n, c) => n + c, 0);
