/**
 * The storage port. Two real adapters implement it, `sqlite/` (the
 * embedded default) and `postgres/`, and one contract suite (`test/contract/`) holds them to the
 * same behaviour. Methods return `undefined` for "absent" and never throw for it.
 */
import type { KvStore } from "@fedify/fedify";
import type { PutOutcome } from "../domain/puts.ts";
import type { InitiativeRecord, Tombstone } from "../domain/initiative.ts";
import type { SearchIndex } from "./search.ts";
import type { LookupKind } from "./lookup-keys.ts";
import type { OutboxWrite, Page, ShapeRow, StoredInitiative } from "./records.ts";
import type { AccountStore, AuditLog } from "./accounts.ts";
import type { CurationStore } from "./curation.ts";
import type { DuplicateStore } from "./duplicates.ts";
import type { DurableQueue, QueueOptions } from "./queue.ts";

export type { PutOutcome } from "../domain/puts.ts";
export type { OutboxWrite, Page, ShapeRow, StoredInitiative } from "./records.ts";

/** How a write may be carried out. */
export interface WriteOptions {
  /**
   * The write copies what another network holds (mirrors from a peer): it may be acknowledged
   * before it is on disk, so a crash of the database may lose the last moments of such writes,
   * never part of one. Re-reading the source (reconciliation, back-fill) repairs that loss (ADR 31).
   * Own records are never written so.
   */
  replayable?: boolean;
}

/** How many records one source network holds under one licence and attribution (`Store.countTerms`). */
export interface SourceTerms {
  /** The origin network's actor; absent for this instance's own records. */
  source?: string;
  /** The records' own licence IRI; absent where they name none (their network's dataset licence). */
  license?: string;
  attribution?: string;
  count: number;
}

/** At most this many (source, licence, attribution) groups are read, largest first. */
export const MAX_TERM_GROUPS = 200;

/** A row of the aggregate as `SourceTerms` (empty or non-text values left out). */
export function termsRow(r: {
  source: string | null;
  license: unknown;
  attribution: unknown;
  count: number;
}): SourceTerms {
  const text = (v: unknown) => (typeof v === "string" && v.trim() ? v : undefined);
  const source = text(r.source),
    license = text(r.license),
    attribution = text(r.attribution);
  return {
    ...(source ? { source } : {}),
    ...(license ? { license } : {}),
    ...(attribution ? { attribution } : {}),
    count: Number(r.count),
  };
}

/** Options for listing in change order (newest first). */
export interface ListOptions {
  /** Opaque cursor from a previous page. */
  cursor?: string;
  limit: number;
  /** Only records from this origin network (`LOCAL_SOURCE` = only this instance's own). */
  source?: string;
  /** Leave the signed documents out (readers of the records alone, such as SPARQL's record pass). */
  unsigned?: boolean;
}

/** An actor that follows this instance. */
export interface Follower {
  actor: string;
  inbox: string;
  sharedInbox?: string;
  /** IRI of the Follow activity, needed to Accept or Reject it. */
  followId: string;
  state: "pending" | "accepted";
  since: string;
}

/** An actor this instance follows. */
export interface Following {
  actor: string;
  inbox: string;
  followId: string;
  state: "pending" | "accepted" | "rejected";
  since: string;
  /** The followed network's directory collection, for back-fill and reconciliation. */
  directory?: string;
  /** When its directory was last fully reconciled. */
  reconciledAt?: string;
}

/** How {@link Store.rewriteOwn} rewrites each own record and each queued message. */
export interface OwnRewrite {
  /** The record under its new IRI (re-versioned). */
  record(r: InitiativeRecord): InitiativeRecord;
  /** The message's new payload, or undefined to drop it. */
  message(queue: string, payload: unknown): unknown;
}

export interface RewriteCounts {
  records: number;
  tombstones: number;
  /** Queued messages whose payload changed. */
  messages: number;
  /** Queued messages dropped. */
  dropped: number;
}

/** The port. */
/** The store as `/readyz` and `/metrics` see it. */
export interface StoreHealth {
  /** The schema version in the database, and the one this essfed migrates to. */
  schema: { current: number; expected: number };
  /**
   * Changes written but not yet in the search index (0 where the index is kept in the writing
   * transaction, as on PostgreSQL; on SQLite the indexer follows writes in batches).
   */
  indexLag: number;
}

/** How a bulk write ({@link Store.bulkWrite}) may write. */
export interface BulkWriteOptions {
  /**
   * Nothing else in the process writes meanwhile: the store may commit the bulk write's transactions
   * together (a group every few seconds) rather than one by one. What a group wrote is on disk when it
   * commits; until then the connection holds the write lock and its reads see the group's writes.
   */
  grouped?: boolean;
}

export interface Store {
  /** Creates or migrates the schema. Idempotent; safe to call from several processes at once. */
  initialize(): Promise<void>;
  /** Releases connections and file handles. */
  close(): Promise<void>;

  /** The record with this IRI, or undefined (also for deleted ones; see {@link getTombstone}). */
  getInitiative(id: string): Promise<StoredInitiative | undefined>;
  /** The records with these IRIs that exist, by IRI (one query for a whole import batch). */
  getInitiatives(ids: string[]): Promise<Map<string, StoredInitiative>>;
  /**
   * The current change number of a record, or undefined when there is none: a cheap check that a
   * cached rendering of the record is still current.
   */
  initiativeSeq(id: string): Promise<number | undefined>;
  /**
   * A token that changes whenever records may have changed, in this process or any other. Caches
   * compare it before anything else; an adapter that cannot tell cheaply returns a new token every
   * time (callers then fall back to {@link initiativeSeq}).
   */
  changeStamp(): Promise<string>;
  /** The latest change number given out (records and tombstones): a version of the whole store. */
  changeNumber(): Promise<number>;
  /** The tombstone left by a delete, or undefined. */
  getTombstone(id: string): Promise<Tombstone | undefined>;
  /**
   * Writes records in one transaction. A record equal in version to the stored one is `unchanged`;
   * one whose `updated` is older than the stored one is `stale` and ignored. Writing a record
   * removes any tombstone for its IRI. A record may come with its signed JSON-LD (`signed`), stored
   * with it; otherwise a changed record's signed document is cleared. `outbox` queues the messages
   * the outcomes call for in the same transaction.
   */
  putInitiatives(
    records: (InitiativeRecord & { signed?: string })[],
    outbox?: OutboxWrite<PutOutcome[]>,
    options?: WriteOptions,
  ): Promise<PutOutcome[]>;
  /**
   * Holds off index upkeep that would run between writes (SQLite's background indexer) until the
   * returned release is called, so that a bulk import writes at full speed and is indexed once,
   * at its end. Stores that index as they write leave this out.
   */
  deferIndexing?(): () => void;
  /**
   * A bulk write (an import) starts: like {@link deferIndexing}, and a store whose index runs
   * behind the writes may instead keep the index fields of the records it is given (it holds them
   * in memory) and build the index of all of them when the release is called, so the import returns
   * with the index up to date without reading every record back. Call the returned release when done.
   */
  bulkWrite?(o?: BulkWriteOptions): () => void;
  /**
   * Deletes a record and leaves a tombstone. Returns false when there was nothing to delete.
   * A tombstone is also written when the record was never seen (a Delete that arrives first).
   * `outbox` queues the messages the result calls for in the same transaction.
   */
  deleteInitiative(tombstone: Tombstone, outbox?: OutboxWrite<boolean>): Promise<boolean>;
  /** Records in change order, newest first. */
  listInitiatives(options: ListOptions): Promise<Page<StoredInitiative>>;
  /**
   * Every record, without its signed document, in the order SPARQL's `ORDER BY ?name` needs
   * (ADR 26): first those with translations (whose language-tagged names sort before plain
   * ones), then the others; each part by `initiative.name` in code point order, then by change
   * number. From an index: the first page comes at once however many records there are.
   * `descending` keeps the translated records first but reads each part backwards (names, then
   * change numbers, descending), as `ORDER BY DESC(?name)` needs; a cursor resumes the listing
   * in the direction that wrote it.
   */
  listByName(options: { cursor?: string; limit: number; descending?: boolean }): Promise<Page<StoredInitiative>>;
  /**
   * The records whose own name (`initiative.name`, not a translation's) is exactly `name`, code point
   * for code point, without their signed documents: those with translations first, then the others,
   * each part in change order (ADR 36). From the name index: one seek at any size.
   */
  listNamed(name: string, options: { cursor?: string; limit: number }): Promise<Page<StoredInitiative>>;
  /**
   * The records holding a lookup key (ADR 42, `lookup-keys.ts`): a postcode, a registration's
   * identifier or a Companies House number exactly as their triples write it, code point for code
   * point, without their signed documents, in change order. From the keys' index, which is written
   * with the record: one seek at any size.
   */
  listKeyed(
    kind: LookupKind,
    value: string,
    options: { cursor?: string; limit: number },
  ): Promise<Page<StoredInitiative>>;
  /**
   * Every record's plain columns (ADR 30), newest change first, from their own index (ADR 34), without
   * reading its JSON but for records with translations, which come whole (their other names live there).
   */
  listShapes(options: { cursor?: string; limit: number }): Promise<Page<ShapeRow>>;
  /** How many records hold each primary activity (SPARQL's GROUP BY over `essglobal:primarySector`). */
  countPrimaryActivities(): Promise<{ value: string; count: number }[]>;
  /**
   * Records held per source network, licence and attribution (the dataset description's subsets):
   * one aggregate in SQL, at most `MAX_TERM_GROUPS` groups, largest first.
   */
  countTerms(): Promise<SourceTerms[]>;
  /** How many records are held (optionally from one source; `LOCAL_SOURCE` = own ones). */
  countInitiatives(source?: string): Promise<number>;
  /** Caches the signed JSON-LD of record versions (one transaction); ignored where a version is no longer current. */
  setSigned(entries: { id: string; version: string; signed: string }[]): Promise<void>;
  /** IRIs of all records from one source (for reconciliation and unfollow). */
  listIdsBySource(source: string): Promise<string[]>;
  /** IRIs of all mirrored records that were relayed through `actor` (its `provenance.via`). */
  listIdsByVia(actor: string): Promise<string[]>;
  /**
   * Removes records outright, without tombstones (records mirrored from a network we stopped
   * following: they were not deleted by their owner, so nothing must block them coming back).
   * `outbox`'s messages, given how many were removed, are queued in the same transaction.
   * @returns how many were removed
   */
  purgeInitiatives(ids: string[], outbox?: OutboxWrite<number>): Promise<number>;
  /** Forgets tombstones deleted before `before` (ISO 8601); returns how many. */
  pruneTombstones(before: string): Promise<number>;
  /**
   * Moves this instance's own IRIs from the base URL `from` to `to` in one transaction (`essfed
   * move-url`): own records under `from/` become `map.record(r)` with new change numbers and no
   * signed document, own tombstones under `from/` move to the same path under `to`, and every
   * queued message's payload becomes `map.message(queue, payload)` (dropped when undefined).
   */
  rewriteOwn(from: string, to: string, map: OwnRewrite): Promise<RewriteCounts>;

  /** Adds or replaces a follower. */
  putFollower(follower: Follower): Promise<void>;
  /** Removes a follower; returns false when it was not one. */
  removeFollower(actor: string): Promise<boolean>;
  getFollower(actor: string): Promise<Follower | undefined>;
  listFollowers(state?: Follower["state"]): Promise<Follower[]>;

  /** Adds or replaces a followed actor. */
  putFollowing(following: Following): Promise<void>;
  removeFollowing(actor: string): Promise<boolean>;
  getFollowing(actor: string): Promise<Following | undefined>;
  listFollowing(): Promise<Following[]>;

  /**
   * A durable message queue on this database (Fedify's `MessageQueue` interface). The delivery
   * worker uses `queue("delivery")`; every process on the database shares each named queue.
   */
  queue(name: string, options?: QueueOptions): DurableQueue;

  /**
   * Records an activity IRI as processed. Returns true the first time, false when it was seen
   * before (a duplicate or a loop).
   */
  markSeen(activityId: string): Promise<boolean>;
  /** Forgets seen activities recorded before `before` (epoch ms); returns how many. */
  pruneSeen(before: number): Promise<number>;

  /** What readiness and metrics read: a round trip to the database, cheap queries, no locks. */
  health(): Promise<StoreHealth>;

  /** A Fedify key–value store on the same database (keys, caches, idempotence), with compare-and-set. */
  readonly kv: KvStore & Required<Pick<KvStore, "cas">>;

  /** Search over everything held (own and mirrored records). */
  readonly search: SearchIndex;

  /** The team's accounts, sign-in links and sessions (`accounts.ts`). */
  readonly accounts: AccountStore;

  /** Who changed what, and why (`accounts.ts`). */
  readonly audit: AuditLog;

  /** What this network serves and passes on: source policies, withheld records, the review queue (`curation.ts`). */
  readonly curation: CurationStore;

  /** Blocking keys, candidate duplicate pairs and the decisions on them (`duplicates.ts`). */
  readonly duplicates: DuplicateStore;
}
