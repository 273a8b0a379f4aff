/**
 * Keeps the SQLite search index (migration 2) in step with the change order: every record whose
 * change number is above `indexed_seq` is (re)indexed, every tombstone above it removes its record
 * from the index. Running behind the writes, in batches, keeps imports fast; a search first
 * catches up, so what it finds is never older than the last write.
 */
import type { InitiativeRecord } from "../../domain/initiative.ts";
import { indexFields } from "../search.ts";
import type { SqliteDatabase } from "./database.ts";
import type { FacetMemo } from "./facets.sqlite.ts";

/**
 * Changes indexed per transaction: the first batch is small, later ones are sized to hold the write
 * lock about {@link BATCH_MS} each (a server writing meanwhile waits well within its busy timeout),
 * up to {@link BATCH_MAX}. Each commit writes out the newest page of every facet value touched
 * and FTS5's pending terms, so a long catch-up (after a bulk import) costs about a fifth less CPU
 * in batches of 20,000 than of 2,000 (bench/import.ts).
 */
const BATCH_MIN = 2000;
const BATCH_MAX = 25_000;
const BATCH_MS = 2000;

/**
 * Pages (in KiB) SQLite may keep in memory during a catch-up longer than one batch, instead of its
 * default 2 MB: index writes land all over the facet, R*Tree and search B-trees, and with the
 * default a long catch-up mostly waited on reading back pages it had just evicted (100,000
 * records: 36.7 s → 15.5 s). Given back when the catch-up ends; bounded whatever the file's size.
 */
export const CATCH_UP_CACHE_KIB = 64 * 1024;

/** The 1° cell a point falls in (for estimating how many points a box holds). */
export const cellOf = (lat: number, lon: number) =>
  [Math.min(179, Math.floor(lat + 90)), Math.min(359, Math.floor(lon + 180))] as const;

/** Count changes gathered over a batch and written once per key. */
export class Deltas {
  readonly facets = new Map<string, number>();
  readonly cells = new Map<string, number>();
  facet(name: string, value: string, d: number): void {
    const k = `${name}\u0000${value}`;
    this.facets.set(k, (this.facets.get(k) ?? 0) + d);
  }
  cell(lat: number, lon: number, d: number): void {
    const k = cellOf(lat, lon).join(",");
    this.cells.set(k, (this.cells.get(k) ?? 0) + d);
  }
  /**
   * Adds the counts to the index's count tables, or (`staged`) to a bulk import's stage of counts for
   * the batch ending at change number `upto` (index-stage.sqlite.ts).
   */
  write(db: SqliteDatabase, staged?: { facet: string; cell: string; upto: number }): void {
    const f = staged
      ? db.prepare(`INSERT INTO ${staged.facet} (name, value, n, upto) VALUES (?, ?, ?, ?)`)
      : db.prepare(
          "INSERT INTO facet_count (name, value, n) VALUES (?, ?, ?) ON CONFLICT DO UPDATE SET n = n + excluded.n",
        );
    const tail = staged ? [staged.upto] : [];
    for (const [k, d] of this.facets) if (d) f.run(...(k.split("\u0000") as [string, string]), d, ...tail);
    const c = staged
      ? db.prepare(`INSERT INTO ${staged.cell} (lat_idx, lon_idx, n, upto) VALUES (?, ?, ?, ?)`)
      : db.prepare(
          "INSERT INTO geo_cell (lat_idx, lon_idx, n) VALUES (?, ?, ?) ON CONFLICT DO UPDATE SET n = n + excluded.n",
        );
    for (const [k, d] of this.cells) if (d) c.run(...(k.split(",").map(Number) as [number, number]), d, ...tail);
  }
}

/**
 * The number that stands for a facet value in the facet rows (migration 18), given one the first time the value is
 * indexed; values keep their number for good, so a number once committed always means the same value.
 */
export function facetId(db: SqliteDatabase, name: string, value: string): number {
  const row = db.prepare("SELECT id FROM facet_value WHERE name = ? AND value = ?").get(name, value) as
    { id: number } | undefined;
  if (row) return row.id;
  return (
    db.prepare("INSERT INTO facet_value (name, value) VALUES (?, ?) RETURNING id").get(name, value) as { id: number }
  ).id;
}

export interface FacetValue {
  id: number;
  name: string;
  value: string;
}

/**
 * The numbers of facet values (facet_value, migration 18) by name and value, given new ones as they are met. A number
 * given in a transaction that rolls back is gone with it: keep these no longer than the transaction, or forget them
 * all when it fails (a bulk import's stage does).
 */
export class FacetValues {
  readonly #db: SqliteDatabase;
  readonly #byName = new Map<string, Map<string, FacetValue>>();
  constructor(db: SqliteDatabase) {
    this.#db = db;
  }

  #add(id: number, name: string, value: string): FacetValue {
    const v = { id, name, value };
    let values = this.#byName.get(name);
    if (!values) this.#byName.set(name, (values = new Map<string, FacetValue>()));
    values.set(value, v);
    return v;
  }

  load(): void {
    this.clear();
    for (const v of this.#db.prepare("SELECT id, name, value FROM facet_value").iterate() as Iterable<FacetValue>)
      this.#add(v.id, v.name, v.value);
  }

  clear(): void {
    this.#byName.clear();
  }

  get(name: string, value: string): FacetValue {
    return this.#byName.get(name)?.get(value) ?? this.#add(facetId(this.#db, name, value), name, value);
  }
}

/** Removes one record (by IRI) from every index table; returns whether it was indexed. */
export function unindex(db: SqliteDatabase, id: string, deltas?: Deltas, memo?: FacetMemo): boolean {
  const own = deltas ?? new Deltas();
  const row = db.prepare("SELECT seq, lat, lon FROM search WHERE id = ?").get(id) as
    { seq: number; lat: number | null; lon: number | null } | undefined;
  if (!row) return false;
  db.prepare("DELETE FROM search_fts WHERE rowid = ?").run(row.seq);
  db.prepare("DELETE FROM search_geo WHERE seq = ?").run(row.seq);
  // The facet list holds the values' numbers (migration 21); their counts are kept by name and value.
  const listed = db
    .prepare(
      `SELECT v.id, v.name, v.value FROM facet_list l CROSS JOIN json_each(l.list) f
       JOIN facet_value v ON v.id = f.value
       WHERE l.seq = ?`,
    )
    .all(row.seq) as { id: number; name: string; value: string }[];
  const drop = db.prepare("DELETE FROM facet WHERE vid = ? AND seq = ?");
  for (const v of listed) {
    own.facet(v.name, v.value, -1);
    drop.run(v.id, row.seq);
  }
  db.prepare("DELETE FROM facet_list WHERE seq = ?").run(row.seq);
  if (row.lat !== null && row.lon !== null) own.cell(row.lat, row.lon, -1);
  db.prepare("DELETE FROM search WHERE seq = ?").run(row.seq);
  memo?.clear(row.seq);
  if (!deltas) own.write(db);
  return true;
}

function index(
  db: SqliteDatabase,
  seq: number,
  record: InitiativeRecord,
  deltas: Deltas,
  values: FacetValues,
  memo?: FacetMemo,
): void {
  const f = indexFields(record);
  memo?.set(seq, f.facets, f.lat, f.lon);
  const id = record.initiative.id;
  db.prepare("INSERT INTO search (seq, id, name, updated, lat, lon) VALUES (?, ?, ?, ?, ?, ?)").run(
    seq,
    id,
    f.name,
    f.updated,
    f.lat ?? null,
    f.lon ?? null,
  );
  db.prepare("INSERT INTO search_fts (rowid, name, description) VALUES (?, ?, ?)").run(seq, f.name, f.description);
  if (f.lat !== undefined && f.lon !== undefined) {
    db.prepare("INSERT INTO search_geo (seq, min_lat, max_lat, min_lon, max_lon) VALUES (?, ?, ?, ?, ?)").run(
      seq,
      f.lat,
      f.lat,
      f.lon,
      f.lon,
    );
    deltas.cell(f.lat, f.lon, 1);
  }
  const insert = db.prepare("INSERT INTO facet (vid, seq) VALUES (?, ?)");
  const vids: number[] = [];
  for (const x of f.facets) {
    const vid = values.get(x.name, x.value).id;
    insert.run(vid, seq);
    vids.push(vid);
    deltas.facet(x.name, x.value, 1);
  }
  // A record's facets by change number, for unindexing it: one row of the values' numbers instead of an index entry
  // per facet.
  if (vids.length) db.prepare("INSERT INTO facet_list (seq, list) VALUES (?, ?)").run(seq, JSON.stringify(vids));
}

/**
 * Indexes what changed since the last run, a batch per transaction, until nothing is left.
 * @returns how many changes were applied
 */
export function catchUp(db: SqliteDatabase, memo?: FacetMemo): number {
  let applied = 0;
  let batch = BATCH_MIN;
  let cache: number | undefined;
  try {
    for (;;) {
      const started = performance.now();
      const n = db.transaction(() => {
        const from = (db.prepare("SELECT value FROM meta WHERE key = 'indexed_seq'").get() as { value: number }).value;
        const rows = db
          .prepare("SELECT id, seq, record FROM initiative WHERE seq > ? ORDER BY seq LIMIT ?")
          .all(from, batch) as { id: string; seq: number; record: string }[];
        const upTo = rows.length === batch ? rows[rows.length - 1]!.seq : Number.MAX_SAFE_INTEGER;
        const tombs = db
          .prepare("SELECT id, seq FROM tombstone WHERE seq > ? AND seq <= ? ORDER BY seq")
          .all(from, upTo) as { id: string; seq: number }[];
        const events = [
          ...rows.map((r) => ({ ...r, kind: "put" as const })),
          ...tombs.map((t) => ({ ...t, kind: "delete" as const, record: "" })),
        ].sort((a, b) => a.seq - b.seq);
        let last = from;
        const deltas = new Deltas();
        const values = new FacetValues(db);
        for (const e of events) {
          unindex(db, e.id, deltas, memo);
          if (e.kind === "put") index(db, e.seq, JSON.parse(e.record) as InitiativeRecord, deltas, values, memo);
          last = e.seq;
        }
        deltas.write(db);
        if (events.length) {
          db.prepare("UPDATE meta SET value = ? WHERE key = 'indexed_seq'").run(last);
          memo?.advanced(last);
        }
        return events.length;
      });
      applied += n;
      if (n === 0) return applied;
      if (cache === undefined && n >= batch) {
        cache = (db.prepare("PRAGMA cache_size").get() as { cache_size: number }).cache_size;
        db.exec(`PRAGMA cache_size = -${CATCH_UP_CACHE_KIB}`);
      }
      const ms = performance.now() - started;
      batch = Math.max(BATCH_MIN, Math.min(BATCH_MAX, Math.round((n * BATCH_MS) / Math.max(ms, 1))));
    }
  } finally {
    if (cache !== undefined && db.isOpen()) db.exec(`PRAGMA cache_size = ${cache}`);
  }
}
