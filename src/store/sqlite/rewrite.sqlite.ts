/**
 * The SQLite half of {@link Store.rewriteOwn}: run by the store inside its write transaction, so a
 * move rewrites everything or nothing.
 */
import type { InitiativeRecord } from "../../domain/initiative.ts";
import { shapeColumns } from "../shape-columns.ts";
import { writeKeys } from "./keys.sqlite.ts";
import type { OwnRewrite, RewriteCounts } from "../store.ts";
import type { SqliteDatabase } from "./database.ts";
import type { FacetMemo } from "./facets.sqlite.ts";
import { unindex } from "./indexer.sqlite.ts";

const BATCH = 1000;

export function rewriteOwnSqlite(
  db: SqliteDatabase,
  nextSeq: () => number,
  memo: FacetMemo,
  from: string,
  to: string,
  map: OwnRewrite,
): RewriteCounts {
  const prefix = `${from}/`;
  const counts: RewriteCounts = { records: 0, tombstones: 0, messages: 0, dropped: 0 };
  const page = db.prepare(
    "SELECT rid, id, record FROM initiative WHERE source IS NULL AND substr(id, 1, ?) = ? AND rid > ? " +
      "ORDER BY rid LIMIT ?",
  );
  const remove = db.prepare("DELETE FROM initiative WHERE rid = ?");
  // New rows take new change numbers: the indexer indexes them, readers see the change.
  const insert = db.prepare(
    "INSERT INTO initiative (id, seq, source, version, updated, record, signed, " +
      "name, plain, primary_activity, lat, lng, lookup_keys) " +
      "VALUES (?, ?, NULL, ?, ?, ?, NULL, ?, ?, ?, ?, ?, ?)",
  );
  for (let after = 0; ;) {
    const rows = page.all(prefix.length, prefix, after, BATCH) as { rid: number; id: string; record: string }[];
    if (!rows.length) break;
    for (const row of rows) {
      const next = map.record(JSON.parse(row.record) as InitiativeRecord);
      unindex(db, row.id, undefined, memo);
      remove.run(row.rid);
      const columns = shapeColumns(next);
      const seq = nextSeq();
      insert.run(next.initiative.id, seq, next.version, next.updated, JSON.stringify(next), ...columns);
      writeKeys(db, seq, columns[5]);
      counts.records++;
    }
    after = rows.at(-1)!.rid;
  }
  const tombstones = db
    .prepare("SELECT id FROM tombstone WHERE source IS NULL AND substr(id, 1, ?) = ?")
    .all(prefix.length, prefix) as { id: string }[];
  const moveTombstone = db.prepare("UPDATE tombstone SET id = ?, seq = ? WHERE id = ?");
  for (const t of tombstones) moveTombstone.run(`${to}/${t.id.slice(prefix.length)}`, nextSeq(), t.id);
  counts.tombstones = tombstones.length;
  const messages = db.prepare("SELECT id, queue, payload FROM mq").all() as {
    id: number;
    queue: string;
    payload: string;
  }[];
  for (const m of messages) {
    const payload = map.message(m.queue, JSON.parse(m.payload));
    if (payload === undefined) {
      db.prepare("DELETE FROM mq WHERE id = ?").run(m.id);
      counts.dropped++;
    } else if (JSON.stringify(payload) !== m.payload) {
      db.prepare("UPDATE mq SET payload = ? WHERE id = ?").run(JSON.stringify(payload), m.id);
      counts.messages++;
    }
  }
  // Other processes' in-memory facet values cannot see the removed rows: tell them to reload.
  if (counts.records)
    db.prepare(
      "INSERT INTO meta (key, value) VALUES ('index_epoch', 1) ON CONFLICT (key) DO UPDATE SET value = value + 1",
    ).run();
  return counts;
}
