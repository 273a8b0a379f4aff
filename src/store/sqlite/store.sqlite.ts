/**
 * The embedded adapter: one SQLite file (node:sqlite, WAL). The default for a regional network.
 */
import { decidePut, deleteRemoves } from "../../domain/puts.ts";
import type { InitiativeRecord, Tombstone } from "../../domain/initiative.ts";
import { EventEmitter } from "node:events";
import { DurableQueue, type QueueOptions } from "../queue.ts";
import type {
  Follower,
  Following,
  ListOptions,
  OutboxWrite,
  OwnRewrite,
  Page,
  PutOutcome,
  RewriteCounts,
  ShapeRow,
  SourceTerms,
  Store,
  BulkWriteOptions,
  StoredInitiative,
  StoreHealth,
} from "../store.ts";
import { insertMessages, sqliteQueueBackend } from "./queue.sqlite.ts";
import { unindex } from "./indexer.sqlite.ts";
import { BulkWrites } from "./bulk-write.sqlite.ts";
import { rewriteOwnSqlite } from "./rewrite.sqlite.ts";
import { SqliteSearchIndex } from "./search.sqlite.ts";
import { openSqlite, type SqliteDatabase } from "./database.ts";
import { SqliteKvStore } from "./kv.sqlite.ts";
import { SqliteAccountStore, SqliteAuditLog } from "./accounts.sqlite.ts";
import { SqliteCurationStore } from "./curation.sqlite.ts";
import { SqliteDuplicateStore } from "./duplicates.sqlite.ts";
import { SQLITE_MIGRATIONS } from "./migrations.ts";
import { shapeColumns } from "../shape-columns.ts";
import type { LookupKind } from "../lookup-keys.ts";
import { countTermsSqlite, countPrimaryActivitiesSqlite, listByNameSqlite, listShapesSqlite } from "./names.sqlite.ts";
import { listKeyedSqlite, listNamedSqlite } from "./named.sqlite.ts";
import { writeKeys } from "./keys.sqlite.ts";
import { endDeferral, keysDeferred } from "./deferred-indexes.sqlite.ts";
import { ignoreFailure } from "../../logging.ts";
import { LOCAL_SOURCE } from "../records.ts";

interface InitiativeRow {
  seq: number;
  record: string;
  signed: string | null;
}

/** A record's row as a put needs it. */
type Existing = { rid: number; version: string; updated: string; seq: number; lookup_keys: string | null };
/** What is stored under a batch's IRIs: rows, and tombstones' times. */
type Known = { stored: Map<string, Existing>; tombs: Map<string, string> };

export class SqliteStore implements Store {
  readonly db: SqliteDatabase;
  readonly kv: SqliteKvStore;
  readonly search: SqliteSearchIndex;
  readonly accounts: SqliteAccountStore;
  readonly audit: SqliteAuditLog;
  readonly curation: SqliteCurationStore;
  readonly duplicates: SqliteDuplicateStore;
  /** Wakes queue listeners in this process when something is enqueued through this store. */
  readonly #events = new EventEmitter().setMaxListeners(0);

  /**
   * @param path a file path, or `:memory:` for tests
   * @param o.checkpointerAfterMs how long an import alone in its process writes before its log is checkpointed from
   *   a thread of its own (ADR 48; tests shorten it)
   * @param o.stageCountsEvery rows an import stages between two writes of its index counts (tests lower it)
   */
  constructor(path: string, o: { checkpointerAfterMs?: number; stageCountsEvery?: number } = {}) {
    this.db = openSqlite(path);
    this.#bulkWrites = new BulkWrites(this.db, path, () => this.search.memo, o);
    this.kv = new SqliteKvStore(this.db);
    this.search = new SqliteSearchIndex(this.db);
    this.accounts = new SqliteAccountStore(this.db);
    this.audit = new SqliteAuditLog(this.db);
    this.duplicates = new SqliteDuplicateStore(this.db);
    this.curation = new SqliteCurationStore(this.db, {
      writing: (fn) => this.#writing(fn),
      nextSeq: () => this.#nextSeq(),
      put: (r) => this.#put(r),
      queueIn: (outbox, result) => this.#queueIn(outbox, result),
      queued: (queue) => this.#events.emit(queue),
      memo: () => this.search.memo,
      written: () => this.#scheduleIndex(),
    });
  }

  async initialize(): Promise<void> {
    this.db.transaction(() => {
      const { user_version: current } = this.db.prepare("PRAGMA user_version").get() as { user_version: number };
      if (current > SQLITE_MIGRATIONS.length) {
        throw new Error(
          `database schema version ${current} is newer than this essfed (${SQLITE_MIGRATIONS.length}); upgrade essfed`,
        );
      }
      for (let v = current; v < SQLITE_MIGRATIONS.length; v++) {
        this.db.exec(SQLITE_MIGRATIONS[v]!);
        this.db.exec(`PRAGMA user_version = ${v + 1}`);
      }
    });
    // An import that stopped before its end left the record table's indexes to rebuild (ADR 47).
    endDeferral(this.db);
  }

  async close(): Promise<void> {
    clearTimeout(this.#indexTimer);
    // A bulk write never released (its caller failed) ends with the store.
    this.#bulkWrites.close(() => this.db.close());
  }

  /**
   * Brings the search index up to date a little after writes stop (at most ten seconds after the
   * first), so that a bulk import is not slowed by indexing every batch as it goes. A search never
   * waits for this: it catches up first.
   */
  #indexTimer: NodeJS.Timeout | undefined;
  #indexDue = 0;
  /** Bulk writes in progress that asked for indexing to wait ({@link deferIndexing}). */
  #deferred = 0;
  deferIndexing(): () => void {
    this.#deferred++;
    clearTimeout(this.#indexTimer);
    this.#indexTimer = undefined;
    let released = false;
    return () => {
      if (released) return;
      released = true;
      if (--this.#deferred === 0 && this.db.isOpen()) this.#scheduleIndex();
    };
  }
  /** Bulk writes (imports): their settings, stage and threads. */
  readonly #bulkWrites: BulkWrites;
  bulkWrite(o: BulkWriteOptions = {}): () => void {
    const release = this.deferIndexing();
    const end = this.#bulkWrites.start(o);
    return () => {
      try {
        end();
      } finally {
        release();
      }
    };
  }

  #scheduleIndex(): void {
    if (this.#deferred) return;
    const now = Date.now();
    if (!this.#indexTimer) this.#indexDue = now + 10_000;
    clearTimeout(this.#indexTimer);
    this.#indexTimer = setTimeout(
      () => {
        this.#indexTimer = undefined;
        // The next write or timer catches up again; the index lag shows in readiness and metrics.
        if (this.db.isOpen()) void this.search.catchUp().catch(ignoreFailure("sqlite-index-catch-up"));
      },
      Math.max(0, Math.min(500, this.#indexDue - now)),
    ).unref();
  }

  async getInitiatives(ids: string[]): Promise<Map<string, StoredInitiative>> {
    const out = new Map<string, StoredInitiative>();
    if (!ids.length) return out;
    const rows = this.db
      .prepare("SELECT seq, record, signed FROM initiative WHERE id IN (SELECT value FROM json_each(?))")
      .all(JSON.stringify(ids)) as unknown as InitiativeRow[];
    for (const row of rows) {
      const r = toStored(row);
      out.set(r.initiative.id, r);
    }
    return out;
  }

  async getInitiative(id: string): Promise<StoredInitiative | undefined> {
    const row = this.db.prepare("SELECT seq, record, signed FROM initiative WHERE id = ?").get(id) as
      InitiativeRow | undefined;
    return row ? toStored(row) : undefined;
  }

  /** Writes through this connection (SQLite's data_version counts only other connections'). */
  #localWrites = 0;

  async changeStamp(): Promise<string> {
    const { data_version } = this.db.prepare("PRAGMA data_version").get() as { data_version: number };
    return `${data_version}.${this.#localWrites}`;
  }

  async changeNumber(): Promise<number> {
    return (this.db.prepare("SELECT value FROM meta WHERE key = 'seq'").get() as { value: number }).value;
  }

  async initiativeSeq(id: string): Promise<number | undefined> {
    return (this.db.prepare("SELECT seq FROM initiative WHERE id = ?").get(id) as { seq: number } | undefined)?.seq;
  }

  async getTombstone(id: string): Promise<Tombstone | undefined> {
    const row = this.db.prepare("SELECT id, deleted, source FROM tombstone WHERE id = ?").get(id) as
      { id: string; deleted: string; source: string | null } | undefined;
    return row ? { id: row.id, deleted: row.deleted, ...(row.source ? { origin: row.source } : {}) } : undefined;
  }

  async putInitiatives(
    records: (InitiativeRecord & { signed?: string })[],
    outbox?: OutboxWrite<PutOutcome[]>,
  ): Promise<PutOutcome[]> {
    const outcomes = this.#writing(() => {
      // In a bulk write, the index fields of what the transaction writes are staged, from these objects.
      const stage = this.#bulkWrites.active && this.#bulkWrites.stage.staging ? this.#bulkWrites.stage : undefined;
      const before = stage ? this.#currentSeq() : undefined;
      const written: { seq: number; record: InitiativeRecord; created: boolean }[] = [];
      const known = this.#lookUp(records);
      const done = records.map((r) => {
        const outcome = this.#put(r, known);
        if (before !== undefined && (outcome === "created" || outcome === "updated"))
          written.push({ seq: this.#seq!, record: r, created: outcome === "created" });
        return outcome;
      });
      if (before !== undefined) stage!.add(before, written);
      if (outbox) this.#queueIn(outbox, done);
      return done;
    });
    this.#scheduleIndex();
    if (outbox) this.#events.emit(outbox.queue);
    return outcomes;
  }

  /** Queues an outbox's messages inside the current write transaction. */
  #queueIn<T>(outbox: OutboxWrite<T>, result: T): void {
    const messages = outbox.messages(result);
    if (messages.length) insertMessages(this.db, outbox.queue, messages, Date.now(), null);
  }

  /**
   * In the write transaction, before a batch's puts: what is stored under its records' IRIs, looked up with two
   * statements for the batch instead of two a record (a fifth to a quarter of the puts' own time in a bulk import).
   * Undefined when an IRI comes twice (the second put must see the first) or there is only one record.
   */
  #lookUp(records: InitiativeRecord[]): Known | undefined {
    if (records.length < 2) return undefined;
    const ids = records.map((r) => r.initiative.id);
    if (new Set(ids).size !== ids.length) return undefined;
    const list = JSON.stringify(ids);
    const stored = this.db
      .prepare(
        "SELECT id, rid, version, updated, seq, lookup_keys FROM initiative " +
          "WHERE id IN (SELECT value FROM json_each(?))",
      )
      .all(list) as (Existing & { id: string })[];
    const tombs = this.db
      .prepare("SELECT id, deleted FROM tombstone WHERE id IN (SELECT value FROM json_each(?))")
      .all(list) as { id: string; deleted: string }[];
    return { stored: new Map(stored.map((e) => [e.id, e])), tombs: new Map(tombs.map((t) => [t.id, t.deleted])) };
  }

  #put(input: InitiativeRecord & { signed?: string }, known?: Known): PutOutcome {
    const { signed, ...r } = input;
    const id = r.initiative.id;
    const existing = known
      ? known.stored.get(id)
      : (this.db.prepare("SELECT rid, version, updated, seq, lookup_keys FROM initiative WHERE id = ?").get(id) as
          Existing | undefined);
    const deleted = existing
      ? undefined
      : known
        ? known.tombs.get(id)
        : (this.db.prepare("SELECT deleted FROM tombstone WHERE id = ?").get(id) as { deleted: string } | undefined)
            ?.deleted;
    const { outcome, clearTombstone } = decidePut(existing, deleted, r);
    const source = r.provenance?.origin ?? null;
    if (outcome === "updated") {
      const columns = shapeColumns(r);
      const seq = this.#nextSeq();
      this.db
        .prepare(
          "UPDATE initiative SET seq = ?, source = ?, version = ?, updated = ?, record = ?, signed = ?, " +
            "name = ?, plain = ?, primary_activity = ?, lat = ?, lng = ?, lookup_keys = ? WHERE rid = ?",
        )
        .run(seq, source, r.version, r.updated, JSON.stringify(r), signed ?? null, ...columns, existing!.rid);
      writeKeys(this.db, seq, this.#keysDeferred() ? null : columns[5], existing);
    } else if (outcome === "created") {
      if (clearTombstone) this.db.prepare("DELETE FROM tombstone WHERE id = ?").run(id);
      const columns = shapeColumns(r);
      const seq = this.#nextSeq();
      this.db
        .prepare(
          "INSERT INTO initiative (id, seq, source, version, updated, record, signed, name, plain, primary_activity, " +
            "lat, lng, lookup_keys) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        )
        .run(id, seq, source, r.version, r.updated, JSON.stringify(r), signed ?? null, ...columns);
      writeKeys(this.db, seq, this.#keysDeferred() ? null : columns[5]);
    }
    return outcome;
  }

  /** Whether key entries wait for the end of a deferral (ADR 47): read once per write transaction. */
  #keysOff: boolean | undefined;
  #keysDeferred(): boolean {
    return (this.#keysOff ??= keysDeferred(this.db));
  }

  /** Next change number. Only called inside a write transaction, which holds SQLite's write lock. */
  #seq: number | undefined;
  #nextSeq(): number {
    return (this.#seq = this.#currentSeq() + 1);
  }
  #currentSeq(): number {
    return (this.#seq ??= (
      this.db.prepare("SELECT value FROM meta WHERE key = 'seq'").get() as { value: number }
    ).value);
  }
  /**
   * Runs `fn` in a write transaction that may take change numbers, and writes the counter back at
   * the end. The counter is forgotten afterwards either way: another process may write next.
   */
  #writing<T>(fn: () => T): T {
    this.#localWrites++;
    try {
      return this.db.transaction(() => {
        const out = fn();
        if (this.#seq !== undefined) this.db.prepare("UPDATE meta SET value = ? WHERE key = 'seq'").run(this.#seq);
        return out;
      });
    } finally {
      this.#seq = this.#keysOff = undefined;
    }
  }

  async deleteInitiative(t: Tombstone, outbox?: OutboxWrite<boolean>): Promise<boolean> {
    this.#scheduleIndex();
    const done = this.#writing(() => {
      const removed = this.#delete(t);
      if (outbox) this.#queueIn(outbox, removed);
      return removed;
    });
    if (outbox) this.#events.emit(outbox.queue);
    return done;
  }

  /** The delete rule inside the caller's write transaction. */
  #delete(t: Tombstone): boolean {
    const existing = this.db.prepare("SELECT rid, updated FROM initiative WHERE id = ?").get(t.id) as
      { rid: number; updated: string } | undefined;
    if (existing && !deleteRemoves(existing.updated, t.deleted)) return false;
    this.db
      .prepare(
        "INSERT INTO tombstone (id, deleted, source, seq) VALUES (?, ?, ?, ?) ON CONFLICT (id) DO UPDATE " +
          "SET deleted = excluded.deleted, source = excluded.source, seq = excluded.seq",
      )
      .run(t.id, t.deleted, t.origin ?? null, this.#nextSeq());
    if (!existing) return false;
    this.db.prepare("DELETE FROM initiative WHERE rid = ?").run(existing.rid);
    return true;
  }

  async listInitiatives(o: ListOptions): Promise<Page<StoredInitiative>> {
    const before = o.cursor === undefined ? Number.MAX_SAFE_INTEGER : Number(o.cursor);
    if (!Number.isSafeInteger(before)) return { items: [] };
    const limit = Math.max(1, Math.min(o.limit, 10_000));
    const signed = o.unsigned ? "NULL AS signed" : "signed";
    const rows = (o.source === undefined
      ? this.db
          .prepare(`SELECT seq, record, ${signed} FROM initiative WHERE seq < ? ORDER BY seq DESC LIMIT ?`)
          .all(before, limit + 1)
      : o.source === LOCAL_SOURCE
        ? this.db
            .prepare(
              `SELECT seq, record, ${signed} FROM initiative WHERE source IS NULL AND seq < ?
              ORDER BY seq DESC LIMIT ?`,
            )
            .all(before, limit + 1)
        : this.db
            .prepare(
              `SELECT seq, record, ${signed} FROM initiative WHERE source = ? AND seq < ? ORDER BY seq DESC LIMIT ?`,
            )
            .all(o.source, before, limit + 1)) as unknown as InitiativeRow[];
    const items = rows.slice(0, limit).map(toStored);
    return rows.length > limit ? { items, next: String(items[items.length - 1]!.seq) } : { items };
  }

  async listByName(o: { cursor?: string; limit: number; descending?: boolean }): Promise<Page<StoredInitiative>> {
    return listByNameSqlite(this.db, o);
  }

  async listNamed(name: string, o: { cursor?: string; limit: number }): Promise<Page<StoredInitiative>> {
    return listNamedSqlite(this.db, name, o);
  }

  async listKeyed(
    kind: LookupKind,
    value: string,
    o: { cursor?: string; limit: number },
  ): Promise<Page<StoredInitiative>> {
    return listKeyedSqlite(this.db, kind, value, o);
  }

  async listShapes(o: { cursor?: string; limit: number }): Promise<Page<ShapeRow>> {
    return listShapesSqlite(this.db, o);
  }

  async countPrimaryActivities(): Promise<{ value: string; count: number }[]> {
    return countPrimaryActivitiesSqlite(this.db);
  }

  async countTerms(): Promise<SourceTerms[]> {
    return countTermsSqlite(this.db);
  }

  async countInitiatives(source?: string): Promise<number> {
    const row = (
      source === undefined
        ? this.db.prepare("SELECT count(*) AS n FROM initiative").get()
        : source === LOCAL_SOURCE
          ? this.db.prepare("SELECT count(*) AS n FROM initiative WHERE source IS NULL").get()
          : this.db.prepare("SELECT count(*) AS n FROM initiative WHERE source = ?").get(source)
    ) as { n: number };
    return row.n;
  }

  async setSigned(entries: { id: string; version: string; signed: string }[]): Promise<void> {
    if (!entries.length) return;
    this.#localWrites++;
    this.db.transaction(() => {
      const update = this.db.prepare("UPDATE initiative SET signed = ? WHERE id = ? AND version = ?");
      for (const e of entries) update.run(e.signed, e.id, e.version);
    });
  }

  async listIdsBySource(source: string): Promise<string[]> {
    return (this.db.prepare("SELECT id FROM initiative WHERE source = ?").all(source) as { id: string }[]).map(
      (r) => r.id,
    );
  }

  async listIdsByVia(actor: string): Promise<string[]> {
    return (
      this.db
        .prepare(
          `SELECT id FROM initiative WHERE source IS NOT NULL
      AND EXISTS (SELECT 1 FROM json_each(record, '$.provenance.via') WHERE value = ?)`,
        )
        .all(actor) as { id: string }[]
    ).map((r) => r.id);
  }

  async purgeInitiatives(ids: string[], outbox?: OutboxWrite<number>): Promise<number> {
    this.#localWrites++;
    const removed = this.db.transaction(() => {
      let n = 0;
      const del = this.db.prepare("DELETE FROM initiative WHERE id = ?");
      for (const id of ids) {
        unindex(this.db, id, undefined, this.search.memo);
        n += Number(del.run(id).changes);
      }
      // Other processes' in-memory facet values cannot see this: tell them to reload.
      if (n)
        this.db
          .prepare(
            "INSERT INTO meta (key, value) VALUES ('index_epoch', 1) ON CONFLICT (key) DO UPDATE SET value = value + 1",
          )
          .run();
      if (outbox) this.#queueIn(outbox, n);
      return n;
    });
    if (outbox) this.#events.emit(outbox.queue);
    return removed;
  }

  async pruneTombstones(before: string): Promise<number> {
    const rows = this.db.prepare("SELECT id, deleted FROM tombstone").all() as { id: string; deleted: string }[];
    const cutoff = Date.parse(before);
    const old = rows.filter((r) => Date.parse(r.deleted) < cutoff).map((r) => r.id);
    return this.db.transaction(() =>
      old.reduce((n, id) => n + Number(this.db.prepare("DELETE FROM tombstone WHERE id = ?").run(id).changes), 0),
    );
  }

  async rewriteOwn(from: string, to: string, map: OwnRewrite): Promise<RewriteCounts> {
    const counts = this.#writing(() =>
      rewriteOwnSqlite(this.db, () => this.#nextSeq(), this.search.memo, from, to, map),
    );
    this.#scheduleIndex();
    return counts;
  }

  async putFollower(f: Follower): Promise<void> {
    this.db
      .prepare(
        `INSERT INTO follower (actor, inbox, shared_inbox, follow_id, state, since) VALUES (?, ?, ?, ?, ?, ?)
      ON CONFLICT (actor) DO UPDATE SET inbox = excluded.inbox, shared_inbox = excluded.shared_inbox,
      follow_id = excluded.follow_id, state = excluded.state, since = excluded.since`,
      )
      .run(f.actor, f.inbox, f.sharedInbox ?? null, f.followId, f.state, f.since);
  }

  async removeFollower(actor: string): Promise<boolean> {
    return Number(this.db.prepare("DELETE FROM follower WHERE actor = ?").run(actor).changes) > 0;
  }

  async getFollower(actor: string): Promise<Follower | undefined> {
    const row = this.db.prepare("SELECT * FROM follower WHERE actor = ?").get(actor) as FollowerRow | undefined;
    return row ? toFollower(row) : undefined;
  }

  async listFollowers(state?: Follower["state"]): Promise<Follower[]> {
    const rows = (state
      ? this.db.prepare("SELECT * FROM follower WHERE state = ? ORDER BY since, actor").all(state)
      : this.db.prepare("SELECT * FROM follower ORDER BY since, actor").all()) as unknown as FollowerRow[];
    return rows.map(toFollower);
  }

  async putFollowing(f: Following): Promise<void> {
    this.db
      .prepare(
        `INSERT INTO following (actor, inbox, follow_id, state, since, directory, reconciled_at)
        VALUES (?, ?, ?, ?, ?, ?, ?)
      ON CONFLICT (actor) DO UPDATE SET inbox = excluded.inbox, follow_id = excluded.follow_id, state = excluded.state,
      since = excluded.since, directory = excluded.directory, reconciled_at = excluded.reconciled_at`,
      )
      .run(f.actor, f.inbox, f.followId, f.state, f.since, f.directory ?? null, f.reconciledAt ?? null);
  }

  async removeFollowing(actor: string): Promise<boolean> {
    return Number(this.db.prepare("DELETE FROM following WHERE actor = ?").run(actor).changes) > 0;
  }

  async getFollowing(actor: string): Promise<Following | undefined> {
    const row = this.db.prepare("SELECT * FROM following WHERE actor = ?").get(actor) as FollowingRow | undefined;
    return row ? toFollowing(row) : undefined;
  }

  async listFollowing(): Promise<Following[]> {
    return (this.db.prepare("SELECT * FROM following ORDER BY since, actor").all() as unknown as FollowingRow[]).map(
      toFollowing,
    );
  }

  queue(name: string, options?: QueueOptions): DurableQueue {
    return new DurableQueue(sqliteQueueBackend(this.db, name, this.#events), options);
  }

  async markSeen(activityId: string): Promise<boolean> {
    return (
      Number(
        this.db
          .prepare("INSERT INTO seen (id, at) VALUES (?, ?) ON CONFLICT (id) DO NOTHING")
          .run(activityId, Date.now()).changes,
      ) === 1
    );
  }

  async pruneSeen(before: number): Promise<number> {
    return Number(this.db.prepare("DELETE FROM seen WHERE at < ?").run(before).changes);
  }

  async health(): Promise<StoreHealth> {
    const { user_version: current } = this.db.prepare("PRAGMA user_version").get() as { user_version: number };
    const row = this.db
      .prepare(
        "SELECT (SELECT value FROM meta WHERE key = 'seq') - (SELECT value FROM meta WHERE key = 'indexed_seq') AS lag",
      )
      .get() as { lag: number | null };
    return { schema: { current, expected: SQLITE_MIGRATIONS.length }, indexLag: Math.max(0, Number(row.lag ?? 0)) };
  }
}

function toStored(row: InitiativeRow): StoredInitiative {
  const rec = JSON.parse(row.record) as InitiativeRecord;
  return row.signed ? { ...rec, seq: row.seq, signed: row.signed } : { ...rec, seq: row.seq };
}

interface FollowerRow {
  actor: string;
  inbox: string;
  shared_inbox: string | null;
  follow_id: string;
  state: string;
  since: string;
}
function toFollower(r: FollowerRow): Follower {
  return {
    actor: r.actor,
    inbox: r.inbox,
    followId: r.follow_id,
    state: r.state as Follower["state"],
    since: r.since,
    ...(r.shared_inbox ? { sharedInbox: r.shared_inbox } : {}),
  };
}

interface FollowingRow {
  actor: string;
  inbox: string;
  follow_id: string;
  state: string;
  since: string;
  directory: string | null;
  reconciled_at: string | null;
}
function toFollowing(r: FollowingRow): Following {
  return {
    actor: r.actor,
    inbox: r.inbox,
    followId: r.follow_id,
    state: r.state as Following["state"],
    since: r.since,
    ...(r.directory ? { directory: r.directory } : {}),
    ...(r.reconciled_at ? { reconciledAt: r.reconciled_at } : {}),
  };
}
