/**
 * The SQLite side of the durable queues (see `../queue.ts`): one `mq` table, claims in one UPDATE
 * (SQLite serialises writers, so two processes never take the same message), wake-ups within the
 * process and polling across processes.
 */
import type { EventEmitter } from "node:events";
import type { QueueBackend, QueuedMessage } from "../queue.ts";
import type { SqliteDatabase } from "./database.ts";

/** Inserts messages; the caller holds the write transaction (a store write queueing its outbox). */
export function insertMessages(
  db: SqliteDatabase,
  queue: string,
  payloads: unknown[],
  visibleAt: number,
  orderingKey: string | null,
): void {
  const insert = db.prepare("INSERT INTO mq (queue, payload, visible_at, ordering_key) VALUES (?, ?, ?, ?)");
  for (const p of payloads) insert.run(queue, JSON.stringify(p), visibleAt, orderingKey);
}

export function sqliteQueueBackend(db: SqliteDatabase, queue: string, events: EventEmitter): QueueBackend {
  return {
    async insert(payloads, visibleAt, orderingKey) {
      db.transaction(() => insertMessages(db, queue, payloads, visibleAt, orderingKey));
      events.emit(queue);
    },
    async claim(limit, now, leaseUntil) {
      const rows = db
        .prepare(
          `UPDATE mq SET visible_at = ?, attempts = attempts + 1, leased = 1 WHERE id IN (
          SELECT id FROM mq q WHERE queue = ? AND visible_at <= ?
            AND (ordering_key IS NULL OR NOT EXISTS (SELECT 1 FROM mq p WHERE p.queue = q.queue
            AND p.ordering_key = q.ordering_key AND p.id < q.id))
          ORDER BY visible_at, id LIMIT ?)
        RETURNING id, payload, attempts`,
        )
        .all(leaseUntil, queue, now, limit) as unknown as { id: number; payload: string; attempts: number }[];
      return rows
        .sort((a, b) => a.id - b.id)
        .map((r): QueuedMessage => ({ id: r.id, payload: JSON.parse(r.payload), attempts: r.attempts }));
    },
    async ack(ids) {
      db.transaction(() => {
        const del = db.prepare("DELETE FROM mq WHERE id = ?");
        for (const id of ids) del.run(id);
      });
    },
    async release(id, visibleAt) {
      db.prepare("UPDATE mq SET visible_at = ?, leased = 0 WHERE id = ?").run(visibleAt, id);
    },
    async nextVisibleAt() {
      const row = db.prepare("SELECT min(visible_at) AS t FROM mq WHERE queue = ?").get(queue) as { t: number | null };
      return row.t ?? undefined;
    },
    async counts(now) {
      // A lease that ran out (its listener died) counts as ready: anyone may take the message.
      const row = db
        .prepare(
          `SELECT count(*) AS total,
          coalesce(sum(CASE WHEN visible_at <= ? THEN 1 ELSE 0 END), 0) AS ready,
          coalesce(sum(CASE WHEN visible_at > ? AND leased = 0 THEN 1 ELSE 0 END), 0) AS delayed,
          min(CASE WHEN visible_at <= ? THEN visible_at END) AS oldest
        FROM mq WHERE queue = ?`,
        )
        .get(now, now, now, queue) as { total: number; ready: number; delayed: number; oldest: number | null };
      const { oldest, ...counts } = row;
      return oldest === null ? counts : { ...counts, oldestReadyAt: oldest };
    },
    async countsBy(field, now) {
      const rows = db
        .prepare(
          `SELECT json_extract(payload, ?) AS value, count(*) AS total,
          coalesce(sum(CASE WHEN visible_at <= ? THEN 1 ELSE 0 END), 0) AS ready,
          coalesce(sum(CASE WHEN visible_at > ? AND leased = 0 THEN 1 ELSE 0 END), 0) AS delayed,
          min(CASE WHEN visible_at > ? AND leased = 0 THEN visible_at END) AS next
        FROM mq WHERE queue = ? GROUP BY 1 ORDER BY total DESC LIMIT 1000`,
        )
        .all(`$."${field.replace(/"/g, "")}"`, now, now, now, queue) as {
        value: string | null;
        total: number;
        ready: number;
        delayed: number;
        next: number | null;
      }[];
      return rows.map((r) => ({
        value: String(r.value ?? ""),
        total: r.total,
        ready: r.ready,
        delayed: r.delayed,
        ...(r.next !== null ? { nextVisibleAt: r.next } : {}),
      }));
    },
    watch(onEnqueue) {
      events.on(queue, onEnqueue);
      return () => events.off(queue, onEnqueue);
    },
  };
}
