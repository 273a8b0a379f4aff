/**
 * Curation on PostgreSQL (migration 7): source policies, withheld records and the review queue.
 * Withholding and releasing move rows between `initiative` and `withheld` in one transaction; the
 * search table and the kept counts follow through the `initiative` triggers.
 */
import type pg from "pg";
import type { InitiativeRecord } from "../../domain/initiative.ts";
import type {
  CurationStore,
  HeldRecord,
  Policy,
  QueueItem,
  QueueKind,
  QueueQuery,
  SourcePolicy,
  Withheld,
  WithheldState,
} from "../curation.ts";
import { heldColumns, withheldValues } from "../curation.ts";
import type { OutboxWrite, Page, PutOutcome } from "../store.ts";
import { LOCAL_SOURCE } from "../records.ts";

/** What the store lends this adapter: transactions, its record writes, its outbox and its change notice. */
export interface PostgresWriter {
  transaction<T>(fn: (c: pg.PoolClient) => Promise<T>): Promise<T>;
  put(c: pg.PoolClient, records: HeldRecord[]): Promise<PutOutcome[]>;
  /** Queues an outbox's messages inside the transaction; says whether there were any. */
  queueIn<T>(c: pg.PoolClient, outbox: OutboxWrite<T>, result: T): Promise<boolean>;
  /** After commit: wakes the queue's listeners. */
  queued(queue: string): Promise<void>;
  changed(): Promise<void>;
}

interface WithheldRow {
  n: string;
  state: string;
  reason: string | null;
  at: string;
  record: InitiativeRecord;
  signed: string | null;
}
interface QueueRow {
  n: string;
  kind: string;
  target: string;
  record: InitiativeRecord | null;
  signed: string | null;
  text: string | null;
  sender: string | null;
  received: string;
}

/**
 * Serialises the queueing of changes to one record (its IRI as the parameter) in this instance: scoped by schema, so
 * that instances sharing a database in schemas of their own do not wait for each other.
 */
export const REVIEW_LOCK_SQL =
  "SELECT pg_advisory_xact_lock(hashtext('essfed_review ' || current_schema() || ' ' || $1))";

const held = (record: InitiativeRecord, signed: string | null): HeldRecord => (signed ? { ...record, signed } : record);
const toWithheld = (r: WithheldRow): Withheld => ({
  record: held(r.record, r.signed),
  state: r.state as WithheldState,
  at: r.at,
  ...(r.reason !== null ? { reason: r.reason } : {}),
});
const toItem = (r: QueueRow): QueueItem => ({
  n: Number(r.n),
  kind: r.kind as QueueKind,
  target: r.target,
  received: r.received,
  ...(r.record !== null ? { record: held(r.record, r.signed) } : {}),
  ...(r.text !== null ? { text: r.text } : {}),
  ...(r.sender !== null ? { from: r.sender } : {}),
});

export class PostgresCurationStore implements CurationStore {
  readonly #pool: pg.Pool;
  readonly #w: PostgresWriter;
  constructor(pool: pg.Pool, writer: PostgresWriter) {
    this.#pool = pool;
    this.#w = writer;
  }

  async putPolicy(p: SourcePolicy): Promise<void> {
    await this.#pool.query(
      `INSERT INTO source_policy (source, policy, reason, at) VALUES ($1, $2, $3, $4)
      ON CONFLICT (source) DO UPDATE SET policy = excluded.policy, reason = excluded.reason, at = excluded.at`,
      [p.source, p.policy, p.reason ?? null, p.at],
    );
  }

  async removePolicy(source: string): Promise<boolean> {
    return ((await this.#pool.query("DELETE FROM source_policy WHERE source = $1", [source])).rowCount ?? 0) > 0;
  }

  async listPolicies(): Promise<SourcePolicy[]> {
    const { rows } = await this.#pool.query<{ source: string; policy: string; at: string; reason: string | null }>(
      'SELECT * FROM source_policy ORDER BY source COLLATE "C"',
    );
    return rows.map((r) => ({
      source: r.source,
      policy: r.policy as Policy,
      at: r.at,
      ...(r.reason !== null ? { reason: r.reason } : {}),
    }));
  }

  async servedSources(): Promise<string[]> {
    // A loose index scan over initiative_source: one probe per distinct source, not per record.
    const { rows } = await this.#pool.query<{ source: string }>(`WITH RECURSIVE s AS (
        (SELECT source FROM initiative WHERE source IS NOT NULL ORDER BY source LIMIT 1)
        UNION ALL SELECT (SELECT source FROM initiative WHERE source > s.source ORDER BY source LIMIT 1)
          FROM s WHERE s.source IS NOT NULL)
      SELECT source FROM s WHERE source IS NOT NULL`);
    return rows.map((r) => r.source);
  }

  async withhold(
    ids: string[],
    state: WithheldState,
    at: string,
    reason?: string,
    outbox?: OutboxWrite<HeldRecord[]>,
  ): Promise<number> {
    if (!ids.length) return 0;
    let queued = false;
    const n = await this.#w.transaction(async (c) => {
      await c.query(
        `INSERT INTO withheld (id, source, state, reason, at, updated, record, signed)
        SELECT id, source, $2, $3, $4, updated, record, signed FROM initiative WHERE id = ANY($1)
        ON CONFLICT (id) DO UPDATE
          SET source = excluded.source, state = excluded.state, reason = excluded.reason, at = excluded.at,
          updated = excluded.updated, record = excluded.record, signed = excluded.signed`,
        [ids, state, reason ?? null, at],
      );
      const r = await c.query(`DELETE FROM initiative WHERE id = ANY($1)${outbox ? " RETURNING record, signed" : ""}`, [
        ids,
      ]);
      // What is served changed: dumps and caches keyed by the change number must see it.
      if (r.rowCount) await c.query("SELECT nextval('initiative_seq')");
      if (outbox) {
        const gone = (r.rows as { record: InitiativeRecord; signed: string | null }[]).map((g) =>
          held(g.record, g.signed),
        );
        queued = await this.#w.queueIn(c, outbox, gone);
      }
      return r.rowCount ?? 0;
    });
    if (n) await this.#w.changed();
    if (queued) await this.#w.queued(outbox!.queue);
    return n;
  }

  async putWithheld(record: HeldRecord, state: WithheldState, at: string, reason?: string): Promise<void> {
    await this.#pool.query(
      `INSERT INTO withheld (id, source, state, reason, at, updated, record, signed)
      VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
      ON CONFLICT (id) DO UPDATE SET updated = excluded.updated, record = excluded.record, signed = excluded.signed`,
      [...withheldValues(record, state, at, reason)],
    );
  }

  async release(ids: string[], state?: WithheldState, outbox?: OutboxWrite<HeldRecord[]>): Promise<string[]> {
    if (!ids.length) return [];
    let queued = false;
    const out = await this.#w.transaction(async (c) => {
      const { rows } = await c.query<{ record: InitiativeRecord; signed: string | null }>(
        `DELETE FROM withheld WHERE id = ANY($1) AND ($2::text IS NULL OR state = $2) RETURNING id, record, signed`,
        [ids, state ?? null],
      );
      if (!rows.length) return [];
      const records = rows.map((r) => held(r.record, r.signed));
      const outcomes = await this.#w.put(c, records);
      const served = records.filter((_r, k) => outcomes[k] !== "stale");
      if (outbox) queued = await this.#w.queueIn(c, outbox, served);
      return served.map((r) => r.initiative.id);
    });
    if (out.length) await this.#w.changed();
    if (queued) await this.#w.queued(outbox!.queue);
    return out;
  }

  async dropWithheld(id: string): Promise<boolean> {
    return ((await this.#pool.query("DELETE FROM withheld WHERE id = $1", [id])).rowCount ?? 0) > 0;
  }

  async getWithheld(id: string): Promise<Withheld | undefined> {
    const { rows } = await this.#pool.query<WithheldRow>("SELECT * FROM withheld WHERE id = $1", [id]);
    return rows.length ? toWithheld(rows[0]!) : undefined;
  }

  async getWithhelds(ids: string[]): Promise<Map<string, Withheld>> {
    const out = new Map<string, Withheld>();
    if (!ids.length) return out;
    const { rows } = await this.#pool.query<WithheldRow>("SELECT * FROM withheld WHERE id = ANY($1)", [ids]);
    for (const r of rows) {
      const w = toWithheld(r);
      out.set(w.record.initiative.id, w);
    }
    return out;
  }

  async listWithheld(q: {
    limit: number;
    cursor?: string;
    state?: WithheldState;
    source?: string;
  }): Promise<Page<Withheld>> {
    const where: string[] = [];
    const params: unknown[] = [];
    if (q.cursor !== undefined) {
      params.push(Number(q.cursor));
      where.push(`n < $${params.length}`);
    }
    if (q.state) {
      params.push(q.state);
      where.push(`state = $${params.length}`);
    }
    if (q.source === LOCAL_SOURCE) where.push("source IS NULL");
    else if (q.source !== undefined) {
      params.push(q.source);
      where.push(`source = $${params.length}`);
    }
    params.push(q.limit + 1);
    const { rows } = await this.#pool.query<WithheldRow>(
      `SELECT * FROM withheld${where.length ? ` WHERE ${where.join(" AND ")}` : ""} ` +
        `ORDER BY n DESC LIMIT $${params.length}`,
      params,
    );
    const items = rows.slice(0, q.limit);
    return rows.length > q.limit
      ? { items: items.map(toWithheld), next: String(items[items.length - 1]!.n) }
      : { items: items.map(toWithheld) };
  }

  async withheldIdsBySource(source: string, state?: WithheldState): Promise<string[]> {
    const { rows } = await this.#pool.query<{ id: string }>(
      "SELECT id FROM withheld WHERE source = $1 AND ($2::text IS NULL OR state = $2)",
      [source, state ?? null],
    );
    return rows.map((r) => r.id);
  }

  async enqueue(item: Omit<QueueItem, "n">): Promise<QueueItem> {
    const [json, signed] = item.record ? heldColumns(item.record) : [null, null];
    const n = await this.#w.transaction(async (c) => {
      if (item.kind === "change") {
        // One waiting change per record, even when two versions arrive at once.
        await c.query(REVIEW_LOCK_SQL, [item.target]);
        await c.query("DELETE FROM review_queue WHERE target = $1 AND kind = 'change'", [item.target]);
      }
      const { rows } = await c.query<{ n: string }>(
        "INSERT INTO review_queue (kind, target, record, signed, text, sender, received) " +
          "VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING n",
        [item.kind, item.target, json, signed, item.text ?? null, item.from ?? null, item.received],
      );
      return Number(rows[0]!.n);
    });
    return { ...item, n };
  }

  async getQueued(n: number): Promise<QueueItem | undefined> {
    if (!Number.isSafeInteger(n)) return undefined;
    const { rows } = await this.#pool.query<QueueRow>("SELECT * FROM review_queue WHERE n = $1", [n]);
    return rows.length ? toItem(rows[0]!) : undefined;
  }

  async listQueue(q: QueueQuery): Promise<Page<QueueItem>> {
    const where: string[] = [];
    const params: unknown[] = [];
    if (q.cursor !== undefined) {
      params.push(Number(q.cursor));
      where.push(`n > $${params.length}`);
    }
    if (q.kind) {
      params.push(q.kind);
      where.push(`kind = $${params.length}`);
    }
    if (q.target !== undefined) {
      params.push(q.target);
      where.push(`target = $${params.length}`);
    }
    params.push(q.limit + 1);
    const { rows } = await this.#pool.query<QueueRow>(
      `SELECT * FROM review_queue${where.length ? ` WHERE ${where.join(" AND ")}` : ""} ` +
        `ORDER BY n LIMIT $${params.length}`,
      params,
    );
    const items = rows.slice(0, q.limit).map(toItem);
    return rows.length > q.limit ? { items, next: String(items[items.length - 1]!.n) } : { items };
  }

  async countQueue(kind?: QueueKind): Promise<number> {
    const { rows } = await this.#pool.query<{ n: string }>(
      "SELECT count(*) AS n FROM review_queue WHERE $1::text IS NULL OR kind = $1",
      [kind ?? null],
    );
    return Number(rows[0]!.n);
  }

  async dequeue(ns: number[]): Promise<QueueItem[]> {
    const safe = ns.filter(Number.isSafeInteger);
    if (!safe.length) return [];
    const { rows } = await this.#pool.query<QueueRow>(
      "DELETE FROM review_queue WHERE n = ANY($1::bigint[]) RETURNING *",
      [safe],
    );
    return rows.map(toItem).sort((a, b) => a.n - b.n);
  }

  async dequeueTarget(target: string): Promise<number> {
    return (await this.#pool.query("DELETE FROM review_queue WHERE target = $1", [target])).rowCount ?? 0;
  }
}
