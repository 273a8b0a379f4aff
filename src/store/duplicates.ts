/**
 * The duplicates part of the storage port (issue 16): blocking keys of every record held, pairs
 * of records that may be one organisation (candidates) with their score and reasons, and the
 * decisions taken on them. The store notes every record that is written, changed or removed (by
 * triggers on the records table, in the writing transaction), and the duplicate finder
 * (`src/duplicates/finder.ts`) works through those notes: candidates follow the records as they
 * arrive, change and go, with no pass over everything.
 */
import type { Reason } from "../domain/duplicates/score.ts";
import type { Page } from "./records.ts";

export type PairState = "candidate" | "confirmed" | "rejected";

/** Two records that may be one organisation; `a` sorts before `b`. */
export interface DuplicatePair {
  a: string;
  b: string;
  score: number;
  reasons: Reason[];
  state: PairState;
  /** Who confirmed or rejected it (`auto` when confirmed by its score), and when. */
  decidedBy?: string;
  decidedAt?: string;
  /** When the pair was last scored (ISO 8601). */
  updated: string;
}

/** A record noted as changed since the finder last looked, and the note's stamp. */
export interface PendingRecord {
  id: string;
  stamp: number;
}

/** A pair as scored, before it is stored. */
export interface ScoredPair {
  a: string;
  b: string;
  score: number;
  reasons: Reason[];
}

/** What one round of the finder found, applied in one transaction by {@link DuplicateStore.apply}. */
export interface FinderBatch {
  /** The notes worked through: cleared unless the record was noted again meanwhile. */
  done: PendingRecord[];
  /** The blocking keys of each record worked through (none for a record that is gone). */
  keys: Map<string, string[]>;
  /** The candidate pairs of the records worked through, replacing their undecided ones. */
  pairs: ScoredPair[];
  /** When set, undecided pairs scoring at least `score` are confirmed as `by` at `at`. */
  auto?: { score: number; by: string; at: string };
  /** ISO 8601 time of this round. */
  at: string;
}

export interface PairQuery {
  limit: number;
  /** Opaque cursor from a previous page. */
  cursor?: string;
  state?: PairState;
  /** Only pairs with this record on one side. */
  id?: string;
}

export interface DuplicateStore {
  /** Records noted as changed, oldest notes first, at most `limit`. */
  pending(limit: number): Promise<PendingRecord[]>;
  /** How many records are noted as changed and not yet looked at. */
  pendingCount(): Promise<number>;
  /**
   * The records holding each key, at most `limit + 1` per key (so that the caller can tell a key
   * held by more than `limit` records, which it does not compare: the fan-out stays bounded).
   */
  keyMembers(keys: string[], limit: number): Promise<Map<string, string[]>>;
  /**
   * Applies a round in one transaction: the keys of the records worked through replace their old
   * ones; their undecided pairs are replaced by the new pairs, while decided pairs keep their
   * decision and take the new score; pairs a gone record was in stay only if decided. Returns the
   * pairs confirmed automatically in this round.
   */
  apply(batch: FinderBatch): Promise<DuplicatePair[]>;
  getPair(a: string, b: string): Promise<DuplicatePair | undefined>;
  /** Pairs, highest score first within a state. */
  listPairs(query: PairQuery): Promise<Page<DuplicatePair>>;
  /**
   * Confirms or rejects a pair that exists, or returns it to candidate; returns the pair as it is
   * now, or undefined when there is no such pair.
   */
  decide(a: string, b: string, state: PairState, by: string, at: string): Promise<DuplicatePair | undefined>;
  /** Confirmed pairs (for the linkset and for collapsing listings), in a stable order. */
  confirmedPairs(limit: number, cursor?: string): Promise<Page<DuplicatePair>>;
  /**
   * Records that `members` are one group of listings confirmed to be one organisation, `shown`
   * being the one that stands for the group when results collapse duplicates (the others are
   * left out of them). Replaces what was held for each member; fewer than two members (a pair
   * undone) leaves them in no group.
   */
  setGroup(members: string[], shown: string | undefined): Promise<void>;
  /**
   * Removes the confirmed and candidate pairs of records their network deleted (rejections stay,
   * so a record re-created under the IRI is not proposed again); returns the pairs removed.
   */
  forget(ids: string[]): Promise<DuplicatePair[]>;
  /** Keeps (or replaces) a link another network decided and sent us. */
  adopt(link: AdoptedLink): Promise<void>;
  /** Forgets a link its network took back; false when it was not kept. */
  unadopt(publisher: string, a: string, b: string): Promise<boolean>;
  /** Adopted links by network, then pair; `cursor` from a previous page. */
  adoptedLinks(limit: number, cursor?: string): Promise<Page<AdoptedLink>>;
  /** The adopted links with record `id` on one side, by network then pair, at most `limit`. */
  adoptedLinksOf(id: string, limit: number): Promise<AdoptedLink[]>;
  /** For each of `ids` that is in a group, every member of its group (itself included), at most 200. */
  groupsOf(ids: string[]): Promise<Map<string, string[]>>;
}

/** A sameAs link another network decided and sent us, kept with its provenance. */
export interface AdoptedLink {
  /** The deciding network's actor, and its linkset the link belongs to. */
  publisher: string;
  linkset: string;
  a: string;
  b: string;
  score: number;
  decidedBy: string;
  decidedAt: string;
  receivedAt: string;
}

/** The pair of two ids in stored order. */
export function pairOf(x: string, y: string): [string, string] {
  return x < y ? [x, y] : [y, x];
}

/** A pair as both adapters' tables hold it. */
export interface PairRow {
  a: string;
  b: string;
  score: number;
  reasons: string | Reason[];
  state: string;
  decided_by: string | null;
  decided_at: string | null;
  updated: string;
}

export const pairFromRow = (r: PairRow): DuplicatePair => ({
  a: r.a,
  b: r.b,
  score: Number(r.score),
  reasons: (typeof r.reasons === "string" ? JSON.parse(r.reasons) : r.reasons) as Reason[],
  state: r.state as PairState,
  updated: r.updated,
  ...(r.decided_by !== null ? { decidedBy: r.decided_by } : {}),
  ...(r.decided_at !== null ? { decidedAt: r.decided_at } : {}),
});

/** An adopted link as both adapters' tables hold it. */
export const adoptedFromRow = (r: Record<string, unknown>): AdoptedLink => ({
  publisher: String(r.publisher),
  linkset: String(r.linkset),
  a: String(r.a),
  b: String(r.b),
  score: Number(r.score),
  decidedBy: String(r.decided_by),
  decidedAt: String(r.decided_at),
  receivedAt: String(r.received_at),
});

/** Splits a keyset cursor "a b" (IRIs hold no spaces). */
export function splitPairCursor(cursor: string | undefined): [string, string] | undefined {
  if (cursor === undefined) return undefined;
  const i = cursor.indexOf(" ");
  return i > 0 ? [cursor.slice(0, i), cursor.slice(i + 1)] : undefined;
}
