/**
 * The PostgreSQL side of the durable queues (see `../queue.ts`): claims with
 * `FOR UPDATE SKIP LOCKED`, so any number of worker processes take each message exactly once, and
 * LISTEN/NOTIFY, so a message enqueued by one process wakes listeners in all of them at once.
 */
import type { EventEmitter } from "node:events";
import type { Pool, PoolClient } from "pg";
import type { QueueBackend, QueuedMessage } from "../queue.ts";

export const QUEUE_CHANNEL = "essfed_mq";

/** Inserts messages through `c` (a pool, or a client inside a store write queueing its outbox). */
export async function insertMessages(
  c: Pool | PoolClient,
  queue: string,
  payloads: unknown[],
  visibleAt: number,
  orderingKey: string | null,
): Promise<void> {
  await c.query(
    "INSERT INTO mq (queue, payload, visible_at, ordering_key) SELECT $1, p, $2, $3 FROM unnest($4::jsonb[]) AS p",
    [queue, visibleAt, orderingKey, payloads.map((p) => JSON.stringify(p))],
  );
}

/** The statement that wakes listeners of `queue` in every process, to send after the inserting transaction's COMMIT. */
export function notifyQueueSql(c: PoolClient, notifyKey: string, queue: string): string {
  return `SELECT pg_notify(${c.escapeLiteral(QUEUE_CHANNEL)}, ${c.escapeLiteral(`${notifyKey}:${queue}`)})`;
}

/** Wakes listeners of `queue` in every process (sent after the inserting transaction commits). */
export async function notifyQueue(pool: Pool, notifyKey: string, queue: string): Promise<void> {
  await pool.query("SELECT pg_notify($1, $2)", [QUEUE_CHANNEL, `${notifyKey}:${queue}`]);
}

export function postgresQueueBackend(pool: Pool, queue: string, events: EventEmitter, notifyKey: string): QueueBackend {
  return {
    async insert(payloads, visibleAt, orderingKey) {
      await insertMessages(pool, queue, payloads, visibleAt, orderingKey);
      await notifyQueue(pool, notifyKey, queue);
      events.emit(queue);
    },
    async claim(limit, now, leaseUntil) {
      const { rows } = await pool.query<{ id: string; payload: unknown; attempts: number }>(
        `WITH due AS (
           SELECT id FROM mq q WHERE queue = $1 AND visible_at <= $2
             AND (ordering_key IS NULL OR NOT EXISTS (SELECT 1 FROM mq p WHERE p.queue = q.queue
               AND p.ordering_key = q.ordering_key AND p.id < q.id))
           ORDER BY visible_at, id LIMIT $3 FOR UPDATE SKIP LOCKED)
         UPDATE mq SET visible_at = $4, attempts = mq.attempts + 1, leased = true FROM due WHERE mq.id = due.id
         RETURNING mq.id, mq.payload, mq.attempts`,
        [queue, now, limit, leaseUntil],
      );
      return rows
        .map((r): QueuedMessage => ({ id: Number(r.id), payload: r.payload, attempts: r.attempts }))
        .sort((a, b) => a.id - b.id);
    },
    async ack(ids) {
      await pool.query("DELETE FROM mq WHERE id = ANY($1::bigint[])", [ids]);
    },
    async release(id, visibleAt) {
      await pool.query("UPDATE mq SET visible_at = $2, leased = false WHERE id = $1", [id, visibleAt]);
    },
    async nextVisibleAt() {
      const { rows } = await pool.query<{ t: string | null }>("SELECT min(visible_at) AS t FROM mq WHERE queue = $1", [
        queue,
      ]);
      return rows[0]!.t === null ? undefined : Number(rows[0]!.t);
    },
    async counts(now) {
      const { rows } = await pool.query<{ total: string; ready: string; delayed: string; oldest: string | null }>(
        `SELECT count(*) AS total,
           count(*) FILTER (WHERE visible_at <= $2) AS ready,
           count(*) FILTER (WHERE visible_at > $2 AND NOT leased) AS delayed,
           min(visible_at) FILTER (WHERE visible_at <= $2) AS oldest
         FROM mq WHERE queue = $1`,
        [queue, now],
      );
      const counts = {
        total: Number(rows[0]!.total),
        ready: Number(rows[0]!.ready),
        delayed: Number(rows[0]!.delayed),
      };
      return rows[0]!.oldest === null ? counts : { ...counts, oldestReadyAt: Number(rows[0]!.oldest) };
    },
    async countsBy(field, now) {
      type Row = { value: string | null; total: string; ready: string; delayed: string; next: string | null };
      const { rows } = await pool.query<Row>(
        `SELECT payload ->> $3 AS value, count(*) AS total,
           count(*) FILTER (WHERE visible_at <= $2) AS ready,
           count(*) FILTER (WHERE visible_at > $2 AND NOT leased) AS delayed,
           min(visible_at) FILTER (WHERE visible_at > $2 AND NOT leased) AS next
         FROM mq WHERE queue = $1 GROUP BY 1 ORDER BY total DESC LIMIT 1000`,
        [queue, now, field],
      );
      return rows.map((r) => ({
        value: String(r.value ?? ""),
        total: Number(r.total),
        ready: Number(r.ready),
        delayed: Number(r.delayed),
        ...(r.next !== null ? { nextVisibleAt: Number(r.next) } : {}),
      }));
    },
    watch(onEnqueue) {
      events.on(queue, onEnqueue);
      return () => events.off(queue, onEnqueue);
    },
  };
}
