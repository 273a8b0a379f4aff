/**
 * The PostgreSQL half of {@link Store.rewriteOwn}, on one transaction's connection: a move
 * rewrites everything or nothing. The initiative triggers keep counts and the search table in step
 * with the deleted and inserted rows, as for any other write.
 */
import type pg from "pg";
import type { InitiativeRecord } from "../../domain/initiative.ts";
import type { OwnRewrite, RewriteCounts } from "../store.ts";
import { SHAPE_ARRAYS, SHAPE_COLUMNS, shapeArrays } from "./shape.postgres.ts";

const BATCH = 1000;

export async function rewriteOwnPostgres(
  c: pg.PoolClient,
  from: string,
  to: string,
  map: OwnRewrite,
): Promise<RewriteCounts> {
  const prefix = `${from}/`;
  const counts: RewriteCounts = { records: 0, tombstones: 0, messages: 0, dropped: 0 };
  for (;;) {
    // Rewritten rows leave the prefix, so each batch starts again from the first that remains.
    const { rows } = await c.query<{ id: string; record: InitiativeRecord }>(
      "SELECT id, record FROM initiative WHERE source IS NULL AND left(id, $1) = $2 ORDER BY id LIMIT $3",
      [prefix.length, prefix, BATCH],
    );
    if (!rows.length) break;
    const next = rows.map((r) => map.record(r.record));
    await c.query("DELETE FROM initiative WHERE id = ANY($1)", [rows.map((r) => r.id)]);
    await c.query(
      `INSERT INTO initiative (id, seq, source, version, updated, record, signed, ${SHAPE_COLUMNS})
       SELECT t.id, nextval('initiative_seq'), NULL, t.version, t.updated, t.record, NULL, ${SHAPE_COLUMNS}
       FROM unnest($1::text[], $2::text[], $3::text[], $4::jsonb[], ${SHAPE_ARRAYS(5)})
         WITH ORDINALITY AS t(id, version, updated, record, ${SHAPE_COLUMNS}, n) ORDER BY t.n`,
      [
        next.map((r) => r.initiative.id),
        next.map((r) => r.version),
        next.map((r) => r.updated),
        next.map((r) => JSON.stringify(r)),
        ...shapeArrays(next),
      ],
    );
    counts.records += rows.length;
  }
  const t = await c.query(
    "UPDATE tombstone SET id = $3 || substr(id, $1 + 1), seq = nextval('initiative_seq') " +
      "WHERE source IS NULL AND left(id, $1) = $2",
    [prefix.length, prefix, `${to}/`],
  );
  counts.tombstones = t.rowCount ?? 0;
  const { rows: messages } = await c.query("SELECT id, queue, payload FROM mq FOR UPDATE");
  for (const m of messages as { id: string; queue: string; payload: unknown }[]) {
    const payload = map.message(m.queue, m.payload);
    if (payload === undefined) {
      await c.query("DELETE FROM mq WHERE id = $1", [m.id]);
      counts.dropped++;
    } else if (JSON.stringify(payload) !== JSON.stringify(m.payload)) {
      await c.query("UPDATE mq SET payload = $2 WHERE id = $1", [m.id, JSON.stringify(payload)]);
      counts.messages++;
    }
  }
  return counts;
}
