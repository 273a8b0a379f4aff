/**
 * Curation on SQLite (migration 5): source policies, withheld records and the review queue.
 * Withholding and releasing move records between `initiative` and `withheld` in the store's own
 * write transaction, so the search index and the change number move with them.
 */
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
import type { SqliteDatabase } from "./database.ts";
import type { FacetMemo } from "./facets.sqlite.ts";
import { unindex } from "./indexer.sqlite.ts";
import { LOCAL_SOURCE } from "../records.ts";

/** What the store lends this adapter: its write transaction, change numbers, record writes and outbox. */
export interface SqliteWriter {
  writing<T>(fn: () => T): T;
  nextSeq(): number;
  put(r: HeldRecord): PutOutcome;
  /** Queues an outbox's messages inside the current write transaction. */
  queueIn<T>(outbox: OutboxWrite<T>, result: T): void;
  /** After commit: wakes the queue's listeners. */
  queued(queue: string): void;
  memo(): FacetMemo;
  written(): void;
}

interface WithheldRow {
  n: number;
  state: string;
  reason: string | null;
  at: string;
  record: string;
  signed: string | null;
}
interface QueueRow {
  n: number;
  kind: string;
  target: string;
  record: string | null;
  signed: string | null;
  text: string | null;
  sender: string | null;
  received: string;
}

const held = (record: string, signed: string | null): HeldRecord => {
  const r = JSON.parse(record) as InitiativeRecord;
  return signed ? { ...r, signed } : r;
};
const toWithheld = (r: WithheldRow): Withheld => ({
  record: held(r.record, r.signed),
  state: r.state as WithheldState,
  at: r.at,
  ...(r.reason !== null ? { reason: r.reason } : {}),
});
const toItem = (r: QueueRow): QueueItem => ({
  n: r.n,
  kind: r.kind as QueueKind,
  target: r.target,
  received: r.received,
  ...(r.record !== null ? { record: held(r.record, r.signed) } : {}),
  ...(r.text !== null ? { text: r.text } : {}),
  ...(r.sender !== null ? { from: r.sender } : {}),
});

export class SqliteCurationStore implements CurationStore {
  readonly #db: SqliteDatabase;
  readonly #w: SqliteWriter;
  constructor(db: SqliteDatabase, writer: SqliteWriter) {
    this.#db = db;
    this.#w = writer;
  }

  async putPolicy(p: SourcePolicy): Promise<void> {
    this.#db
      .prepare(
        "INSERT INTO source_policy (source, policy, reason, at) VALUES (?, ?, ?, ?) ON CONFLICT (source) " +
          "DO UPDATE SET policy = excluded.policy, reason = excluded.reason, at = excluded.at",
      )
      .run(p.source, p.policy, p.reason ?? null, p.at);
  }

  async removePolicy(source: string): Promise<boolean> {
    return Number(this.#db.prepare("DELETE FROM source_policy WHERE source = ?").run(source).changes) > 0;
  }

  async listPolicies(): Promise<SourcePolicy[]> {
    const rows = this.#db.prepare("SELECT * FROM source_policy ORDER BY source").all() as unknown as {
      source: string;
      policy: string;
      reason: string | null;
      at: string;
    }[];
    return rows.map((r) => ({
      source: r.source,
      policy: r.policy as Policy,
      at: r.at,
      ...(r.reason !== null ? { reason: r.reason } : {}),
    }));
  }

  async servedSources(): Promise<string[]> {
    return (
      this.#db.prepare("SELECT DISTINCT source FROM initiative WHERE source IS NOT NULL").all() as { source: string }[]
    ).map((r) => r.source);
  }

  async withhold(
    ids: string[],
    state: WithheldState,
    at: string,
    reason?: string,
    outbox?: OutboxWrite<HeldRecord[]>,
  ): Promise<number> {
    if (!ids.length) return 0;
    this.#w.written();
    const withheld = this.#w.writing(() => {
      const get = this.#db.prepare("SELECT rid, source, updated, record, signed FROM initiative WHERE id = ?");
      const keep = this.#db.prepare(`INSERT INTO withheld (id, source, state, reason, at, updated, record, signed)
        VALUES (?, ?, ?, ?, ?, ?, ?, ?)
        ON CONFLICT (id) DO UPDATE
        SET source = excluded.source, state = excluded.state, reason = excluded.reason, at = excluded.at,
        updated = excluded.updated, record = excluded.record, signed = excluded.signed`);
      const del = this.#db.prepare("DELETE FROM initiative WHERE rid = ?");
      let n = 0;
      const gone: HeldRecord[] = [];
      for (const id of new Set(ids)) {
        const row = get.get(id) as
          { rid: number; source: string | null; updated: string; record: string; signed: string | null } | undefined;
        if (!row) continue;
        keep.run(id, row.source, state, reason ?? null, at, row.updated, row.record, row.signed);
        unindex(this.#db, id, undefined, this.#w.memo());
        del.run(row.rid);
        n++;
        if (outbox) gone.push(held(row.record, row.signed));
      }
      if (outbox) this.#w.queueIn(outbox, gone);
      if (n) {
        // What is served changed: dumps and caches keyed by the change number must see it.
        this.#w.nextSeq();
        this.#db
          .prepare(
            "INSERT INTO meta (key, value) VALUES ('index_epoch', 1) ON CONFLICT (key) DO UPDATE SET value = value + 1",
          )
          .run();
      }
      return n;
    });
    if (outbox) this.#w.queued(outbox.queue);
    return withheld;
  }

  async putWithheld(record: HeldRecord, state: WithheldState, at: string, reason?: string): Promise<void> {
    this.#db
      .prepare(
        `INSERT INTO withheld (id, source, state, reason, at, updated, record, signed) VALUES (?, ?, ?, ?, ?, ?, ?, ?)
      ON CONFLICT (id) DO UPDATE SET updated = excluded.updated, record = excluded.record, signed = excluded.signed`,
      )
      .run(...withheldValues(record, state, at, reason));
  }

  async release(ids: string[], state?: WithheldState, outbox?: OutboxWrite<HeldRecord[]>): Promise<string[]> {
    if (!ids.length) return [];
    this.#w.written();
    const out = this.#w.writing(() => {
      const get = this.#db.prepare("SELECT * FROM withheld WHERE id = ?");
      const del = this.#db.prepare("DELETE FROM withheld WHERE id = ?");
      const served: HeldRecord[] = [];
      for (const id of new Set(ids)) {
        const row = get.get(id) as WithheldRow | undefined;
        if (!row || (state && row.state !== state)) continue;
        del.run(id);
        const record = held(row.record, row.signed);
        if (this.#w.put(record) !== "stale") served.push(record);
      }
      if (outbox) this.#w.queueIn(outbox, served);
      return served.map((r) => r.initiative.id);
    });
    if (outbox) this.#w.queued(outbox.queue);
    return out;
  }

  async dropWithheld(id: string): Promise<boolean> {
    return Number(this.#db.prepare("DELETE FROM withheld WHERE id = ?").run(id).changes) > 0;
  }

  async getWithheld(id: string): Promise<Withheld | undefined> {
    const row = this.#db.prepare("SELECT * FROM withheld WHERE id = ?").get(id) as WithheldRow | undefined;
    return row ? toWithheld(row) : undefined;
  }

  async getWithhelds(ids: string[]): Promise<Map<string, Withheld>> {
    const out = new Map<string, Withheld>();
    if (!ids.length) return out;
    const rows = this.#db
      .prepare("SELECT * FROM withheld WHERE id IN (SELECT value FROM json_each(?))")
      .all(JSON.stringify(ids)) as unknown as WithheldRow[];
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
    const params: (string | number)[] = [];
    if (q.cursor !== undefined) {
      where.push("n < ?");
      params.push(Number(q.cursor));
    }
    if (q.state) {
      where.push("state = ?");
      params.push(q.state);
    }
    if (q.source === LOCAL_SOURCE) where.push("source IS NULL");
    else if (q.source !== undefined) {
      where.push("source = ?");
      params.push(q.source);
    }
    const rows = this.#db
      .prepare(`SELECT * FROM withheld${where.length ? ` WHERE ${where.join(" AND ")}` : ""} ORDER BY n DESC LIMIT ?`)
      .all(...params, q.limit + 1) as unknown as WithheldRow[];
    const items = rows.slice(0, q.limit);
    return rows.length > q.limit
      ? { items: items.map(toWithheld), next: String(items[items.length - 1]!.n) }
      : { items: items.map(toWithheld) };
  }

  async withheldIdsBySource(source: string, state?: WithheldState): Promise<string[]> {
    const rows = (
      state
        ? this.#db.prepare("SELECT id FROM withheld WHERE source = ? AND state = ?").all(source, state)
        : this.#db.prepare("SELECT id FROM withheld WHERE source = ?").all(source)
    ) as { id: string }[];
    return rows.map((r) => r.id);
  }

  async enqueue(item: Omit<QueueItem, "n">): Promise<QueueItem> {
    const [json, signed] = item.record ? heldColumns(item.record) : [null, null];
    const n = this.#db.transaction(() => {
      if (item.kind === "change")
        this.#db.prepare("DELETE FROM review_queue WHERE target = ? AND kind = 'change'").run(item.target);
      return (
        this.#db
          .prepare(
            "INSERT INTO review_queue (kind, target, record, signed, text, sender, received) " +
              "VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING n",
          )
          .get(item.kind, item.target, json, signed, item.text ?? null, item.from ?? null, item.received) as {
          n: number;
        }
      ).n;
    });
    return { ...item, n };
  }

  async getQueued(n: number): Promise<QueueItem | undefined> {
    const row = this.#db.prepare("SELECT * FROM review_queue WHERE n = ?").get(n) as QueueRow | undefined;
    return row ? toItem(row) : undefined;
  }

  async listQueue(q: QueueQuery): Promise<Page<QueueItem>> {
    const where: string[] = [];
    const params: (string | number)[] = [];
    if (q.cursor !== undefined) {
      where.push("n > ?");
      params.push(Number(q.cursor));
    }
    if (q.kind) {
      where.push("kind = ?");
      params.push(q.kind);
    }
    if (q.target !== undefined) {
      where.push("target = ?");
      params.push(q.target);
    }
    const rows = this.#db
      .prepare(`SELECT * FROM review_queue${where.length ? ` WHERE ${where.join(" AND ")}` : ""} ORDER BY n LIMIT ?`)
      .all(...params, q.limit + 1) as unknown as QueueRow[];
    const items = rows.slice(0, q.limit).map(toItem);
    return rows.length > q.limit ? { items, next: String(items[items.length - 1]!.n) } : { items };
  }

  async countQueue(kind?: QueueKind): Promise<number> {
    const row = (
      kind
        ? this.#db.prepare("SELECT count(*) AS n FROM review_queue WHERE kind = ?").get(kind)
        : this.#db.prepare("SELECT count(*) AS n FROM review_queue").get()
    ) as { n: number };
    return row.n;
  }

  async dequeue(ns: number[]): Promise<QueueItem[]> {
    if (!ns.length) return [];
    return (
      this.#db
        .prepare("DELETE FROM review_queue WHERE n IN (SELECT value FROM json_each(?)) RETURNING *")
        .all(JSON.stringify(ns)) as unknown as QueueRow[]
    )
      .map(toItem)
      .sort((a, b) => a.n - b.n);
  }

  async dequeueTarget(target: string): Promise<number> {
    return Number(this.#db.prepare("DELETE FROM review_queue WHERE target = ?").run(target).changes);
  }
}
