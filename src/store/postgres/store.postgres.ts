/**
 * The PostgreSQL adapter, for aggregators and for several processes on one database. Same
 * behaviour as the SQLite adapter (the contract suite holds both to it); records are jsonb.
 */
import { EventEmitter } from "node:events";
import pg from "pg";
import type { InitiativeRecord, Tombstone } from "../../domain/initiative.ts";
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
  StoredInitiative,
  StoreHealth,
  WriteOptions,
} from "../store.ts";
import { PostgresKvStore } from "./kv.postgres.ts";
import { PostgresAccountStore, PostgresAuditLog } from "./accounts.postgres.ts";
import { PostgresCurationStore } from "./curation.postgres.ts";
import { POSTGRES_MIGRATIONS } from "./migrations.ts";
import { SHAPE_ARRAYS, SHAPE_COLUMNS, SHAPE_UPDATE, shapeArrays } from "./shape.postgres.ts";
import { PostgresDuplicateStore } from "./duplicates.postgres.ts";
import { deleteRemoves, planPuts, type Versioned } from "../../domain/puts.ts";
import { PostgresListener } from "./listen.postgres.ts";
import { QUEUE_CHANNEL, insertMessages, notifyQueue, notifyQueueSql, postgresQueueBackend } from "./queue.postgres.ts";
import { PostgresSearchIndex, keptCount, type SearchTuning } from "./search.postgres.ts";
import { schemaFromUrl, toFollower, withSettings, toFollowing, toStored, type Row } from "./rows.postgres.ts";
import { rewriteOwnPostgres } from "./rewrite.postgres.ts";
import {
  countTermsPostgres,
  countPrimaryActivitiesPostgres,
  listByNamePostgres,
  listShapesPostgres,
} from "./names.postgres.ts";
import { withTransaction } from "./tx.ts";
import type { LookupKind } from "../lookup-keys.ts";
import { listKeyedPostgres, listNamedPostgres } from "./named.postgres.ts";
import { LOCAL_SOURCE } from "../search.ts";
import { ignoreFailure } from "../../logging.ts";

/** A row read as text columns (followers and followings). */
type FlatRow = Record<string, string | null>;

export { schemaFromUrl } from "./rows.postgres.ts";

const CHANGE_CHANNEL = "essfed_change";

/**
 * A replayable write (a mirror, ADR 31) is acknowledged before its WAL is flushed: it no longer
 * waits for the disk, and a database crash may lose its last moments, never part of a transaction.
 */
const REPLAYABLE = "SET LOCAL synchronous_commit = off";

/** Writes of more distinct IRIs than this lock every record of the schema at once (one lock). */
export const IRI_LOCKS_MAX = 64;

/**
 * Takes this transaction's write locks on IRIs (an advisory lock per schema and IRI, in one order
 * so that two writers never wait on each other in a circle). Every write of a record or tombstone
 * takes them before it reads what is stored: a row lock alone cannot order two writes of an IRI
 * not stored yet, which would both read "nothing" and both report `created`. No parameters, so it
 * can go with the BEGIN in one round trip; the read after it sees what the previous holder wrote.
 *
 * Advisory locks take room in the server's shared lock table (`max_locks_per_transaction` times the
 * connections), so a transaction takes at most {@link IRI_LOCKS_MAX} + 1 of them: a small write holds
 * the schema's lock shared and one lock per IRI; a larger one (an import batch, a back-fill page, a
 * group of mirror writes) holds the schema's lock alone and exclusively, so it waits for the small
 * writes under way and runs alone. Thousands of locks a transaction would make a few concurrent
 * batches fail with "out of shared memory" (ADR 31).
 */
export function lockIrisSql(ids: string[]): string {
  const schemaKey = "hashtextextended(current_schema() || ' every record', 0)";
  const distinct = [...new Set(ids)];
  if (distinct.length > IRI_LOCKS_MAX) return `SELECT pg_advisory_xact_lock(${schemaKey})`;
  const list = distinct.map((id) => pg.escapeLiteral(id)).join(", ");
  return `SELECT pg_advisory_xact_lock_shared(${schemaKey});
    SELECT pg_advisory_xact_lock(k) FROM (SELECT DISTINCT hashtextextended(current_schema() || ' ' || id, 0) AS k
    FROM unnest(ARRAY[${list}]::text[]) AS id ORDER BY k) AS locks`;
}

export interface PostgresStoreOptions {
  /** Schema to use (created if missing); default: the connection's search_path. */
  schema?: string;
  /** Pool size. */
  max?: number;
  /** Search access-path thresholds (tests use small ones to exercise every path). */
  searchTuning?: Partial<SearchTuning>;
}

export class PostgresStore implements Store {
  readonly pool: pg.Pool;
  readonly kv: PostgresKvStore;
  readonly search: PostgresSearchIndex;
  readonly accounts: PostgresAccountStore;
  readonly audit: PostgresAuditLog;
  readonly duplicates: PostgresDuplicateStore;
  readonly curation: PostgresCurationStore;
  readonly schema: string | undefined;
  readonly #url: string;
  readonly #events = new EventEmitter().setMaxListeners(0);
  #listener: PostgresListener | undefined;
  #changes = 0;

  constructor(url: string, o: PostgresStoreOptions = {}) {
    this.#url = url;
    // DATABASE_URL=postgres://…?options=-c%20search_path%3Dname puts the instance in its own schema.
    this.schema = o.schema ?? schemaFromUrl(url);
    if (o.schema !== undefined && !/^[a-z_][a-z0-9_]{0,62}$/.test(o.schema))
      throw new Error(`invalid schema name ${o.schema}`);
    // JIT compiling costs 30-100 ms on large estimated costs and wins nothing on short API queries.
    const settings = { ...(o.schema ? { search_path: o.schema } : {}), jit: "off" };
    // Idle connections are kept for minutes, not pg's 10 s: a new backend pays page faults on its
    // first touch of a large shared_buffers, tens of ms on a big query (ADR 8).
    this.pool = new pg.Pool({
      connectionString: withSettings(url, settings),
      max: o.max ?? 10,
      idleTimeoutMillis: 300_000,
    });
    // An idle client lost its connection: the pool replaces it; without a listener the process would exit.
    this.pool.on("error", ignoreFailure("pg-pool-idle-client"));
    this.kv = new PostgresKvStore(this.pool);
    this.search = new PostgresSearchIndex(this.pool, () => this.changeStamp(), o.searchTuning);
    this.accounts = new PostgresAccountStore(this.pool);
    this.audit = new PostgresAuditLog(this.pool);
    this.duplicates = new PostgresDuplicateStore(this.pool, () => this.#changed());
    this.curation = new PostgresCurationStore(this.pool, {
      transaction: (fn) => this.transaction(fn),
      put: async (c, records) => {
        await c.query(lockIrisSql(records.map((r) => r.initiative.id)));
        return (await this.#putWith(c, records)).outcomes;
      },
      queueIn: (c, outbox, result) => this.#queueIn(c, outbox, result),
      queued: (queue) => this.#queued(queue),
      changed: () => this.#changed(),
    });
  }

  /** What NOTIFY payloads of this database and schema start with. */
  get #notifyKey(): string {
    return this.schema ?? "public";
  }

  async initialize(): Promise<void> {
    if (this.schema) await this.pool.query(`CREATE SCHEMA IF NOT EXISTS ${this.schema}`);
    await this.transaction(async (client) => {
      await client.query("SELECT pg_advisory_xact_lock(hashtext('essfed_migrations:' || current_schema()))");
      await client.query(
        "CREATE TABLE IF NOT EXISTS essfed_schema " +
          "(version integer PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now())",
      );
      const { rows } = await client.query<{ v: number }>("SELECT coalesce(max(version), 0) AS v FROM essfed_schema");
      const current = Number(rows[0]!.v);
      if (current > POSTGRES_MIGRATIONS.length)
        throw new Error(
          `database schema version ${current} is newer than this essfed (${POSTGRES_MIGRATIONS.length}); ` +
            "upgrade essfed",
        );
      for (let v = current; v < POSTGRES_MIGRATIONS.length; v++) {
        await client.query(POSTGRES_MIGRATIONS[v]!);
        await client.query("INSERT INTO essfed_schema (version) VALUES ($1)", [v + 1]);
      }
    });
    await this.#listen();
  }

  /** Notifications from every process on this database; comes back by itself when lost. */
  async #listen(): Promise<void> {
    this.#listener ??= new PostgresListener(
      this.#url,
      `essfed-listen:${this.#notifyKey}`,
      [QUEUE_CHANNEL, CHANGE_CHANNEL],
      {
        notification: (channel, payload) => {
          const [key, queue] = payload.split(":");
          if (key !== this.#notifyKey) return;
          if (channel === CHANGE_CHANNEL) this.#changes++;
          else if (queue) this.#events.emit(queue);
        },
        reconnected: () => {
          this.#changes++;
          for (const queue of this.#events.eventNames()) this.#events.emit(queue);
        },
      },
    );
    if (!this.#listener.listening) await this.#listener.start();
  }

  /** Whether notifications from other processes reach this one right now (readiness, tests). */
  get listening(): boolean {
    return this.#listener?.listening ?? false;
  }

  async close(): Promise<void> {
    await this.#listener?.close();
    await this.pool.end();
  }

  /** Drops the schema (tests). */
  async drop(): Promise<void> {
    if (!this.schema) throw new Error("drop() needs an explicit schema");
    await this.pool.query(`DROP SCHEMA IF EXISTS ${this.schema} CASCADE`);
  }

  /**
   * Tells every process of this database that records changed. Sent after the write commits, in
   * a statement of its own: a NOTIFY inside the write would hold PostgreSQL's single notification
   * lock through that transaction's commit, serialising every concurrent writer (~300 commits/s).
   */
  async #changed(): Promise<void> {
    this.#changes++;
    await this.pool.query("SELECT pg_notify($1, $2)", [CHANGE_CHANNEL, `${this.#notifyKey}:`]);
  }

  changeStamp(): Promise<string> {
    // Without the notification connection we cannot tell: a new token every time (callers recheck).
    return Promise.resolve(this.#listener?.listening ? `pg.${this.#changes}` : `pg.${this.#changes}.${Math.random()}`);
  }

  async getInitiatives(ids: string[]): Promise<Map<string, StoredInitiative>> {
    const out = new Map<string, StoredInitiative>();
    if (!ids.length) return out;
    const { rows } = await this.pool.query<Row>("SELECT seq, record, signed FROM initiative WHERE id = ANY($1)", [ids]);
    for (const row of rows) {
      const r = toStored(row);
      out.set(r.initiative.id, r);
    }
    return out;
  }

  async getInitiative(id: string): Promise<StoredInitiative | undefined> {
    const { rows } = await this.pool.query<Row>("SELECT seq, record, signed FROM initiative WHERE id = $1", [id]);
    return rows.length ? toStored(rows[0]!) : undefined;
  }

  async changeNumber(): Promise<number> {
    const { rows } = await this.pool.query<{ n: string }>(
      "SELECT CASE WHEN is_called THEN last_value ELSE 0 END AS n FROM initiative_seq",
    );
    return Number(rows[0]!.n);
  }

  async initiativeSeq(id: string): Promise<number | undefined> {
    const { rows } = await this.pool.query<{ seq: string }>("SELECT seq FROM initiative WHERE id = $1", [id]);
    return rows.length ? Number(rows[0]!.seq) : undefined;
  }

  async getTombstone(id: string): Promise<Tombstone | undefined> {
    const { rows } = await this.pool.query<{ id: string; deleted: string; source: string | null }>(
      "SELECT id, deleted, source FROM tombstone WHERE id = $1",
      [id],
    );
    const t = rows[0];
    return t ? { id: t.id, deleted: t.deleted, ...(t.source ? { origin: t.source } : {}) } : undefined;
  }

  async putInitiatives(
    records: (InitiativeRecord & { signed?: string })[],
    outbox?: OutboxWrite<PutOutcome[]>,
    o: WriteOptions = {},
  ): Promise<PutOutcome[]> {
    if (!records.length) return [];
    return this.#write(
      async (c) => {
        const { outcomes, wrote } = await this.#putWith(c, records);
        return { result: outcomes, changed: wrote };
      },
      outbox,
      [...(o.replayable ? [REPLAYABLE] : []), lockIrisSql(records.map((r) => r.initiative.id))],
    );
  }

  /**
   * One write transaction: `work` inside it, then `outbox`'s messages given its result; the notices
   * of what it did go with the COMMIT, and this process's change count and queue listeners follow.
   */
  async #write<T>(
    work: (c: pg.PoolClient) => Promise<{ result: T; changed: boolean }>,
    outbox: OutboxWrite<T> | undefined,
    begin?: string[],
  ): Promise<T> {
    let changed = false;
    let queued = false;
    const result = await withTransaction(
      this.pool,
      async (c) => {
        const done = await work(c);
        changed = done.changed;
        if (outbox) queued = await this.#queueIn(c, outbox, done.result);
        return done.result;
      },
      { ...(begin ? { begin } : {}), commit: (c) => this.#notices(c, changed, queued ? outbox!.queue : undefined) },
    );
    if (changed) this.#changes++;
    if (queued) this.#events.emit(outbox!.queue);
    return result;
  }

  /**
   * What a write tells other processes once it has committed (records changed, messages queued),
   * sent with its COMMIT in one round trip. Each NOTIFY runs after the COMMIT, in a short
   * transaction of its own (see {@link #changed} for why not inside the write).
   */
  #notices(c: pg.PoolClient, changed: boolean, queue: string | undefined): string[] {
    return [
      ...(changed
        ? [`SELECT pg_notify(${c.escapeLiteral(CHANGE_CHANNEL)}, ${c.escapeLiteral(`${this.#notifyKey}:`)})`]
        : []),
      ...(queue ? [notifyQueueSql(c, this.#notifyKey, queue)] : []),
    ];
  }

  /** Queues an outbox's messages inside the caller's transaction; says whether there were any. */
  async #queueIn<T>(c: pg.PoolClient, outbox: OutboxWrite<T>, result: T): Promise<boolean> {
    const messages = outbox.messages(result);
    if (messages.length) await insertMessages(c, outbox.queue, messages, Date.now(), null);
    return messages.length > 0;
  }

  /** After commit: wakes the queue's listeners here and in every other process. */
  async #queued(queue: string): Promise<void> {
    await notifyQueue(this.pool, this.#notifyKey, queue);
    this.#events.emit(queue);
  }

  /** The write rules of {@link putInitiatives} inside the caller's transaction, which holds the IRIs' locks. */
  async #putWith(
    c: pg.PoolClient,
    records: (InitiativeRecord & { signed?: string })[],
  ): Promise<{ outcomes: PutOutcome[]; wrote: boolean }> {
    const ids = [...new Set(records.map((r) => r.initiative.id))];
    // The stored versions (locked until commit) and the tombstones, in one round trip; named, so
    // each connection plans these statements once.
    const { rows } = await c.query<{
      id: string;
      version: string | null;
      updated: string | null;
      deleted: string | null;
    }>({
      name: "essfed_put_state",
      text: `WITH e AS (SELECT id, version, updated FROM initiative WHERE id = ANY($1) FOR UPDATE)
        SELECT id, version, updated, NULL AS deleted FROM e
        UNION ALL SELECT id, NULL, NULL, deleted FROM tombstone WHERE id = ANY($1)`,
      values: [ids],
    });
    const existing = new Map<string, Versioned>();
    const tombs = new Map<string, string>();
    for (const r of rows)
      if (r.deleted === null) existing.set(r.id, { version: r.version!, updated: r.updated! });
      else tombs.set(r.id, r.deleted);
    const plan = planPuts(records, existing, tombs);
    if (!plan.writes.length) return { outcomes: plan.outcomes, wrote: false };
    const w = plan.writes;
    await c.query({
      name: "essfed_put_write",
      text: `INSERT INTO initiative (id, seq, source, version, updated, record, signed, ${SHAPE_COLUMNS})
       SELECT t.id, nextval('initiative_seq'), t.source, t.version, t.updated, t.record, t.signed, ${SHAPE_COLUMNS}
       FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::jsonb[], $6::text[], ${SHAPE_ARRAYS(7)})
         WITH ORDINALITY AS t(id, source, version, updated, record, signed, ${SHAPE_COLUMNS}, n)
       ORDER BY t.n
       ON CONFLICT (id) DO UPDATE SET seq = excluded.seq, source = excluded.source, version = excluded.version,
         updated = excluded.updated, record = excluded.record, signed = excluded.signed, ${SHAPE_UPDATE}
       WHERE initiative.version <> excluded.version AND initiative.updated <= excluded.updated`,
      values: [
        w.map((r) => r.initiative.id),
        w.map((r) => r.provenance?.origin ?? null),
        w.map((r) => r.version),
        w.map((r) => r.updated),
        w.map(({ signed: _s, ...r }) => JSON.stringify(r)),
        w.map((r) => r.signed ?? null),
        ...shapeArrays(w),
      ],
    });
    if (plan.clearTombstones.length) await c.query("DELETE FROM tombstone WHERE id = ANY($1)", [plan.clearTombstones]);
    return { outcomes: plan.outcomes, wrote: true };
  }

  deleteInitiative(t: Tombstone, outbox?: OutboxWrite<boolean>): Promise<boolean> {
    return this.#write(
      async (c) => {
        const deleted = await this.#deleteWith(c, t);
        return { result: deleted, changed: deleted };
      },
      outbox,
      [lockIrisSql([t.id])],
    );
  }

  /** The delete rule inside the caller's transaction, which holds the IRI's lock. */
  async #deleteWith(c: pg.PoolClient, t: Tombstone): Promise<boolean> {
    const { rows } = await c.query<{ updated: string }>("SELECT updated FROM initiative WHERE id = $1 FOR UPDATE", [
      t.id,
    ]);
    if (rows.length && !deleteRemoves(rows[0]!.updated, t.deleted)) return false;
    await c.query(
      `INSERT INTO tombstone (id, deleted, source, seq) VALUES ($1, $2, $3, nextval('initiative_seq'))
       ON CONFLICT (id) DO UPDATE SET deleted = excluded.deleted, source = excluded.source, seq = excluded.seq`,
      [t.id, t.deleted, t.origin ?? null],
    );
    if (!rows.length) return false;
    await c.query("DELETE FROM initiative WHERE id = $1", [t.id]);
    return true;
  }

  async listInitiatives(o: ListOptions): Promise<Page<StoredInitiative>> {
    const before = o.cursor === undefined ? Number.MAX_SAFE_INTEGER : Number(o.cursor);
    if (!Number.isSafeInteger(before)) return { items: [] };
    const limit = Math.max(1, Math.min(o.limit, 10_000));
    const signed = o.unsigned ? "NULL AS signed" : "signed";
    const { rows } =
      o.source === undefined
        ? await this.pool.query<Row>(
            `SELECT seq, record, ${signed} FROM initiative WHERE seq < $1 ORDER BY seq DESC LIMIT $2`,
            [before, limit + 1],
          )
        : o.source === LOCAL_SOURCE
          ? await this.pool.query<Row>(
              `SELECT seq, record, ${signed} FROM initiative WHERE source IS NULL AND seq < $1
               ORDER BY seq DESC LIMIT $2`,
              [before, limit + 1],
            )
          : await this.pool.query<Row>(
              `SELECT seq, record, ${signed} FROM initiative WHERE source = $1 AND seq < $2 ORDER BY seq DESC LIMIT $3`,
              [o.source, before, limit + 1],
            );
    const items = rows.slice(0, limit).map(toStored);
    return rows.length > limit ? { items, next: String(items[items.length - 1]!.seq) } : { items };
  }

  async listByName(o: { cursor?: string; limit: number; descending?: boolean }): Promise<Page<StoredInitiative>> {
    return listByNamePostgres(this.pool, o);
  }

  async listNamed(name: string, o: { cursor?: string; limit: number }): Promise<Page<StoredInitiative>> {
    return listNamedPostgres(this.pool, name, o);
  }

  async listKeyed(
    kind: LookupKind,
    value: string,
    o: { cursor?: string; limit: number },
  ): Promise<Page<StoredInitiative>> {
    return listKeyedPostgres(this.pool, kind, value, o);
  }

  async listShapes(o: { cursor?: string; limit: number }): Promise<Page<ShapeRow>> {
    return listShapesPostgres(this.pool, o);
  }

  async countPrimaryActivities(): Promise<{ value: string; count: number }[]> {
    return countPrimaryActivitiesPostgres(this.pool);
  }

  async countTerms(): Promise<SourceTerms[]> {
    return countTermsPostgres(this.pool);
  }

  async countInitiatives(source?: string): Promise<number> {
    // Every record has exactly one `source` facet value: the trigger-kept counts answer in O(1)
    // what count(*) needs a scan of the whole table for (300+ ms at a million records).
    return keptCount(this.pool, "source", source === undefined ? undefined : [source]);
  }

  async setSigned(entries: { id: string; version: string; signed: string }[]): Promise<void> {
    if (!entries.length) return;
    const r = await this.pool.query(
      `UPDATE initiative SET signed = t.signed FROM unnest($1::text[], $2::text[], $3::text[]) AS t(id, version, signed)
       WHERE initiative.id = t.id AND initiative.version = t.version`,
      [entries.map((e) => e.id), entries.map((e) => e.version), entries.map((e) => e.signed)],
    );
    if (r.rowCount) await this.#changed();
  }

  async listIdsBySource(source: string): Promise<string[]> {
    return (await this.pool.query<{ id: string }>("SELECT id FROM initiative WHERE source = $1", [source])).rows.map(
      (r) => r.id,
    );
  }

  async listIdsByVia(actor: string): Promise<string[]> {
    return (
      await this.pool.query<{ id: string }>(
        "SELECT id FROM initiative WHERE source IS NOT NULL AND (record->'provenance'->'via') ? $1",
        [actor],
      )
    ).rows.map((r) => r.id);
  }

  purgeInitiatives(ids: string[], outbox?: OutboxWrite<number>): Promise<number> {
    return this.#write(async (c) => {
      const removed = (await c.query("DELETE FROM initiative WHERE id = ANY($1)", [ids])).rowCount ?? 0;
      return { result: removed, changed: removed > 0 };
    }, outbox);
  }

  async rewriteOwn(from: string, to: string, map: OwnRewrite): Promise<RewriteCounts> {
    const counts = await this.transaction((c) => rewriteOwnPostgres(c, from, to, map));
    await this.#changed();
    return counts;
  }

  async pruneTombstones(before: string): Promise<number> {
    return (
      (await this.pool.query("DELETE FROM tombstone WHERE deleted < $1", [new Date(before).toISOString()])).rowCount ??
      0
    );
  }

  async putFollower(f: Follower): Promise<void> {
    await this.pool.query(
      `INSERT INTO follower (actor, inbox, shared_inbox, follow_id, state, since) VALUES ($1, $2, $3, $4, $5, $6)
       ON CONFLICT (actor) DO UPDATE SET inbox = excluded.inbox, shared_inbox = excluded.shared_inbox,
       follow_id = excluded.follow_id, state = excluded.state, since = excluded.since`,
      [f.actor, f.inbox, f.sharedInbox ?? null, f.followId, f.state, f.since],
    );
  }

  async removeFollower(actor: string): Promise<boolean> {
    return ((await this.pool.query("DELETE FROM follower WHERE actor = $1", [actor])).rowCount ?? 0) > 0;
  }

  async getFollower(actor: string): Promise<Follower | undefined> {
    const { rows } = await this.pool.query<FlatRow>("SELECT * FROM follower WHERE actor = $1", [actor]);
    return rows.length ? toFollower(rows[0]!) : undefined;
  }

  async listFollowers(state?: Follower["state"]): Promise<Follower[]> {
    const { rows } = state
      ? await this.pool.query<FlatRow>("SELECT * FROM follower WHERE state = $1 ORDER BY since, actor", [state])
      : await this.pool.query<FlatRow>("SELECT * FROM follower ORDER BY since, actor");
    return rows.map(toFollower);
  }

  async putFollowing(f: Following): Promise<void> {
    await this.pool.query(
      `INSERT INTO following (actor, inbox, follow_id, state, since, directory, reconciled_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7)
       ON CONFLICT (actor) DO UPDATE SET inbox = excluded.inbox, follow_id = excluded.follow_id, state = excluded.state,
       since = excluded.since, directory = excluded.directory, reconciled_at = excluded.reconciled_at`,
      [f.actor, f.inbox, f.followId, f.state, f.since, f.directory ?? null, f.reconciledAt ?? null],
    );
  }

  async removeFollowing(actor: string): Promise<boolean> {
    return ((await this.pool.query("DELETE FROM following WHERE actor = $1", [actor])).rowCount ?? 0) > 0;
  }

  async getFollowing(actor: string): Promise<Following | undefined> {
    const { rows } = await this.pool.query<FlatRow>("SELECT * FROM following WHERE actor = $1", [actor]);
    return rows.length ? toFollowing(rows[0]!) : undefined;
  }

  async listFollowing(): Promise<Following[]> {
    return (await this.pool.query<FlatRow>("SELECT * FROM following ORDER BY since, actor")).rows.map(toFollowing);
  }

  queue(name: string, options?: QueueOptions): DurableQueue {
    return new DurableQueue(postgresQueueBackend(this.pool, name, this.#events, this.#notifyKey), options);
  }

  async markSeen(activityId: string): Promise<boolean> {
    // One round trip, acknowledged before it is on disk: the seen log only spares handling an
    // activity twice, which the handlers absorb anyway (object versions), so losing its last
    // moments in a database crash costs nothing (ADR 31). Literals, as several statements go in
    // one message.
    const results = (await this.pool.query(
      `BEGIN; ${REPLAYABLE}; INSERT INTO seen (id, at) VALUES (${pg.escapeLiteral(activityId)}, ${Date.now()})
       ON CONFLICT (id) DO NOTHING; COMMIT`,
    )) as unknown as pg.QueryResult[];
    return results[2]?.rowCount === 1;
  }

  async pruneSeen(before: number): Promise<number> {
    return (await this.pool.query("DELETE FROM seen WHERE at < $1", [before])).rowCount ?? 0;
  }

  async health(): Promise<StoreHealth> {
    const { rows } = await this.pool.query<{ v: number }>("SELECT coalesce(max(version), 0) AS v FROM essfed_schema");
    return { schema: { current: Number(rows[0]!.v), expected: POSTGRES_MIGRATIONS.length }, indexLag: 0 };
  }

  /** Runs `fn` in one transaction (used by the adapter and by `essfed migrate-store`). */
  transaction<T>(fn: (c: pg.PoolClient) => Promise<T>): Promise<T> {
    return withTransaction(this.pool, fn);
  }
}
