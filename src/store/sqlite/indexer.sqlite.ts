/**
 * Keeps the SQLite search index (migration 2) in step with the change order: every record whose
 * change number is above `indexed_seq` is (re)indexed, every tombstone above it removes its record
 * from the index. Running behind the writes, in batches, keeps imports fast; a search first
 * catches up, so what it finds is never older than the last write.
 */
import type { InitiativeRecord } from "../../domain/initiative.ts";
import { indexFields } from "../../query/search.ts";
import type { SqliteDatabase } from "./database.ts";

const BATCH = 2000;

/** The 1° cell a point falls in (for estimating how many points a box holds). */
export const cellOf = (lat: number, lon: number) => [Math.min(179, Math.floor(lat + 90)), Math.min(359, Math.floor(lon + 180))] as const;

/** Removes one record (by IRI) from every index table; returns whether it was indexed. */
export function unindex(db: SqliteDatabase, id: string): boolean {
  const row = db.prepare("SELECT seq, lat, lon FROM search WHERE id = ?").get(id) as { seq: number; lat: number | null; lon: number | null } | undefined;
  if (!row) return false;
  db.prepare("DELETE FROM search_fts WHERE rowid = ?").run(row.seq);
  db.prepare("DELETE FROM search_geo WHERE seq = ?").run(row.seq);
  const facets = db.prepare("SELECT name, value FROM facet WHERE seq = ?").all(row.seq) as { name: string; value: string }[];
  const dec = db.prepare("UPDATE facet_count SET n = n - 1 WHERE name = ? AND value = ?");
  for (const f of facets) dec.run(f.name, f.value);
  db.prepare("DELETE FROM facet WHERE seq = ?").run(row.seq);
  if (row.lat !== null && row.lon !== null) {
    const [a, b] = cellOf(row.lat, row.lon);
    db.prepare("UPDATE geo_cell SET n = n - 1 WHERE lat_idx = ? AND lon_idx = ?").run(a, b);
  }
  db.prepare("DELETE FROM search WHERE seq = ?").run(row.seq);
  return true;
}

function index(db: SqliteDatabase, seq: number, record: InitiativeRecord): void {
  const f = indexFields(record);
  const id = record.initiative.id;
  db.prepare("INSERT INTO search (seq, id, name, updated, lat, lon) VALUES (?, ?, ?, ?, ?, ?)").run(seq, id, f.name, f.updated, f.lat ?? null, f.lon ?? null);
  db.prepare("INSERT INTO search_fts (rowid, name, description) VALUES (?, ?, ?)").run(seq, f.name, f.description);
  if (f.lat !== undefined && f.lon !== undefined) {
    db.prepare("INSERT INTO search_geo (seq, min_lat, max_lat, min_lon, max_lon) VALUES (?, ?, ?, ?, ?)").run(seq, f.lat, f.lat, f.lon, f.lon);
    const [a, b] = cellOf(f.lat, f.lon);
    db.prepare("INSERT INTO geo_cell (lat_idx, lon_idx, n) VALUES (?, ?, 1) ON CONFLICT DO UPDATE SET n = n + 1").run(a, b);
  }
  const insert = db.prepare("INSERT INTO facet (name, value, seq) VALUES (?, ?, ?)");
  const inc = db.prepare("INSERT INTO facet_count (name, value, n) VALUES (?, ?, 1) ON CONFLICT DO UPDATE SET n = n + 1");
  for (const x of f.facets) {
    insert.run(x.name, x.value, seq);
    inc.run(x.name, x.value);
  }
}

/**
 * Indexes what changed since the last run, a batch per transaction, until nothing is left.
 * @returns how many changes were applied
 */
export function catchUp(db: SqliteDatabase): number {
  let applied = 0;
  for (;;) {
    const n = db.transaction(() => {
      const from = (db.prepare("SELECT value FROM meta WHERE key = 'indexed_seq'").get() as { value: number }).value;
      const rows = db.prepare("SELECT id, seq, record FROM initiative WHERE seq > ? ORDER BY seq LIMIT ?").all(from, BATCH) as { id: string; seq: number; record: string }[];
      const upTo = rows.length === BATCH ? rows[rows.length - 1]!.seq : Number.MAX_SAFE_INTEGER;
      const tombs = db.prepare("SELECT id, seq FROM tombstone WHERE seq > ? AND seq <= ? ORDER BY seq").all(from, upTo) as { id: string; seq: number }[];
      const events = [...rows.map((r) => ({ ...r, kind: "put" as const })), ...tombs.map((t) => ({ ...t, kind: "delete" as const, record: "" }))]
        .sort((a, b) => a.seq - b.seq);
      let last = from;
      for (const e of events) {
        unindex(db, e.id);
        if (e.kind === "put") index(db, e.seq, JSON.parse(e.record) as InitiativeRecord);
        last = e.seq;
      }
      if (events.length) db.prepare("UPDATE meta SET value = ? WHERE key = 'indexed_seq'").run(last);
      return events.length;
    });
    applied += n;
    if (n === 0) return applied;
  }
}
