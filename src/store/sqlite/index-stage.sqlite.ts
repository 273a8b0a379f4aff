/**
 * The search index of a bulk import, built set-wise (ADR 35). While an import writes, each batch's
 * index fields (worked out from the records it holds in memory, as the indexer would) are appended
 * to a temporary table of this connection, with the batch's facet and 1° cell counts; when the
 * import ends they go into the index tables with one `INSERT … SELECT` per table over a range of
 * change numbers, a range per transaction, in change-number order: SQLite does the B-tree work in
 * native code, FTS5 with one flush per range instead of one per batch.
 *
 * The index then holds exactly what the catch-up would have built. Anything that would break that
 * gives the import's changes back to the catch-up instead: a change number taken by anyone else
 * between two staged batches, a record staged twice, or the index moved by someone else (another
 * process's catch-up) before a range is built. `indexed_seq` moves with each range's index rows
 * in the same transaction, so a crash or a failure leaves a state the catch-up repairs (the staged
 * rows live only as long as the connection).
 */
import type { InitiativeRecord } from "../../domain/initiative.ts";
import { indexFields } from "../search.ts";
import type { SqliteDatabase } from "./database.ts";
import type { FacetMemo } from "./facets.sqlite.ts";
import { Deltas, FacetValues, unindex, type FacetValue } from "./indexer.sqlite.ts";

/** Changes built per transaction at first; later ranges are sized to hold the write lock about {@link RANGE_MS}. */
const RANGE_MIN = 20_000;
const RANGE_MAX = 250_000;
const RANGE_MS = 2000;
/**
 * FTS5's settings while a build runs: with its default (1 MB of pending terms, segments merged four at a time) a
 * million records made thousands of small segments merged over and over; these took the FTS5 rows' cost a record
 * from 9.2 to 4.8 µs at 900,000 records, with searches as fast after (docs/benchmarks.md, eighth round).
 */
const FTS_PENDING_BYTES = 64 * 1024 * 1024;
const FTS_MERGE = 8;
const FTS_DEFAULT_PENDING_BYTES = 1024 * 1024;
const FTS_DEFAULT_MERGE = 4;

const TABLES = `
  CREATE TEMP TABLE index_stage (seq INTEGER PRIMARY KEY, id TEXT NOT NULL, created INTEGER NOT NULL,
    name TEXT NOT NULL, updated INTEGER NOT NULL, lat REAL, lon REAL, description TEXT NOT NULL, vids TEXT)
    STRICT;
  CREATE TEMP TABLE index_stage_batch (upto INTEGER PRIMARY KEY) STRICT;
  CREATE TEMP TABLE index_stage_count (upto INTEGER NOT NULL, name TEXT NOT NULL, value TEXT NOT NULL,
    n INTEGER NOT NULL) STRICT;
  CREATE TEMP TABLE index_stage_cell (upto INTEGER NOT NULL, lat_idx INTEGER NOT NULL, lon_idx INTEGER NOT NULL,
    n INTEGER NOT NULL) STRICT;`;
const DROP = `DROP TABLE IF EXISTS temp.index_stage; DROP TABLE IF EXISTS temp.index_stage_batch;
  DROP TABLE IF EXISTS temp.index_stage_count; DROP TABLE IF EXISTS temp.index_stage_cell;`;

/** One range (from, to] of staged rows into the index tables, in key order. */
const BUILD = [
  `INSERT INTO search (seq, id, name, updated, lat, lon)
    SELECT seq, id, name, updated, lat, lon FROM temp.index_stage WHERE seq > ?1 AND seq <= ?2 ORDER BY seq`,
  `INSERT INTO search_fts (rowid, name, description)
    SELECT seq, name, description FROM temp.index_stage WHERE seq > ?1 AND seq <= ?2 ORDER BY seq`,
  `INSERT INTO search_geo (seq, min_lat, max_lat, min_lon, max_lon)
    SELECT seq, lat, lat, lon, lon FROM temp.index_stage
    WHERE seq > ?1 AND seq <= ?2 AND lat IS NOT NULL AND lon IS NOT NULL ORDER BY seq`,
  // In change order, not sorted by value first: each value's rows grow at the end of its run, a few hundred pages the
  // cache holds, and the sort cost 2 of the 5 s this took at a million records (docs/benchmarks.md, ninth round).
  `INSERT INTO facet (vid, seq)
    SELECT f.value, s.seq FROM temp.index_stage s, json_each(s.vids) f
    WHERE s.seq > ?1 AND s.seq <= ?2 AND s.vids IS NOT NULL`,
  `INSERT INTO facet_list (seq, list)
    SELECT seq, vids FROM temp.index_stage WHERE seq > ?1 AND seq <= ?2 AND vids IS NOT NULL ORDER BY seq`,
  `INSERT INTO facet_count (name, value, n)
    SELECT name, value, sum(n) FROM temp.index_stage_count WHERE upto > ?1 AND upto <= ?2 GROUP BY name, value
    ON CONFLICT DO UPDATE SET n = n + excluded.n`,
  `INSERT INTO geo_cell (lat_idx, lon_idx, n)
    SELECT lat_idx, lon_idx, sum(n) FROM temp.index_stage_cell WHERE upto > ?1 AND upto <= ?2
    GROUP BY lat_idx, lon_idx ON CONFLICT DO UPDATE SET n = n + excluded.n`,
];

const indexedSeq = (db: SqliteDatabase) =>
  (db.prepare("SELECT value FROM meta WHERE key = 'indexed_seq'").get() as { value: number }).value;

export class IndexStage {
  readonly #db: SqliteDatabase;
  /** The change number the index had reached when staging began; undefined: not staging. */
  #from: number | undefined;
  /** The last change number staged. */
  #to = 0;
  /** Facet values' numbers, as committed or written in a staging transaction. */
  readonly #values: FacetValues;

  constructor(db: SqliteDatabase) {
    this.#db = db;
    this.#values = new FacetValues(db);
  }

  /** Starts staging; the index must be up to date with every change (the bulk write caught up first). */
  begin(): void {
    this.#db.exec(DROP + TABLES);
    this.#values.load();
    this.#from = this.#to = indexedSeq(this.#db);
  }

  /** Whether the rows written since {@link begin} are still to be built from the stage. */
  get staging(): boolean {
    return this.#from !== undefined;
  }

  /** Gives everything staged back to the catch-up. */
  #abandon(): void {
    this.#from = undefined;
    this.#values.clear();
    if (this.#db.isOpen()) this.#db.exec(DROP);
  }

  /**
   * In the transaction that wrote them: stages the records written, whose change numbers follow
   * `seqBefore` (the store's change number when the transaction began).
   */
  add(seqBefore: number, written: { seq: number; record: InitiativeRecord; created: boolean }[]): void {
    if (this.#from === undefined || !written.length) return;
    // Someone else took a change number since the last staged batch, or a record staged already
    // (not in the index yet) was written again: the catch-up applies all of it in order instead.
    const inIndex = this.#db.prepare("SELECT 1 FROM search WHERE id = ?");
    if (seqBefore !== this.#to || written.some((w) => !w.created && !inIndex.get(w.record.initiative.id)))
      return this.#abandon();
    try {
      this.#stage(written);
    } catch (e) {
      // The transaction rolls back, and with it any facet value numbered here: forget them all.
      this.#abandon();
      throw e;
    }
  }

  #stage(written: { seq: number; record: InitiativeRecord; created: boolean }[]): void {
    const db = this.#db;
    const deltas = new Deltas();
    const counts = new Map<FacetValue, number>();
    const row = db.prepare(
      "INSERT INTO temp.index_stage (seq, id, created, name, updated, lat, lon, description, vids) " +
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
    );
    for (const w of written) {
      const f = indexFields(w.record);
      // The values' numbers as JSON (as JSON.stringify writes them), for the facet rows and the facet list.
      let vids = "";
      for (const x of f.facets) {
        const v = this.#values.get(x.name, x.value);
        vids += (vids ? "," : "[") + v.id;
        counts.set(v, (counts.get(v) ?? 0) + 1);
      }
      row.run(
        w.seq,
        w.record.initiative.id,
        w.created ? 1 : 0,
        f.name,
        f.updated,
        f.lat ?? null,
        f.lon ?? null,
        f.description,
        vids ? vids + "]" : null,
      );
      if (f.lat !== undefined && f.lon !== undefined) deltas.cell(f.lat, f.lon, 1);
    }
    const upto = written[written.length - 1]!.seq;
    const count = db.prepare("INSERT INTO temp.index_stage_count (name, value, n, upto) VALUES (?, ?, ?, ?)");
    for (const [v, n] of counts) count.run(v.name, v.value, n, upto);
    deltas.write(db, { facet: "temp.index_stage_count", cell: "temp.index_stage_cell", upto });
    db.prepare("INSERT INTO temp.index_stage_batch (upto) VALUES (?)").run(upto);
    this.#to = upto;
  }

  /**
   * Builds the index from the stage, a range of change numbers per transaction, and ends staging.
   * Returns whether everything staged was built; if not, the catch-up has what is left to do.
   */
  build(memo: FacetMemo): boolean {
    const db = this.#db;
    let range = RANGE_MIN;
    // FTS5 takes its settings as literals only (bound parameters fail); these are constants.
    const fts = (k: string, v: number) => db.exec(`INSERT INTO search_fts (search_fts, rank) VALUES ('${k}', ${v})`);
    const tuned = this.#from !== undefined && this.#from < this.#to;
    try {
      // FTS5 keeps up to FTS_PENDING_BYTES of terms in memory before it writes a segment, and merges
      // segments FTS_MERGE at a time while the build runs (both given back after).
      if (tuned) {
        fts("hashsize", FTS_PENDING_BYTES);
        fts("automerge", FTS_MERGE);
      }
      while (this.#from !== undefined && this.#from < this.#to) {
        const from = this.#from;
        const started = performance.now();
        const built = db.transaction(() => {
          if (indexedSeq(db) !== from) return false;
          const to =
            (
              db.prepare("SELECT min(upto) AS upto FROM temp.index_stage_batch WHERE upto >= ?").get(from + range) as {
                upto: number | null;
              }
            ).upto ?? this.#to;
          // Updated records leave their earlier index rows (and counts) first, as the catch-up's do.
          const deltas = new Deltas();
          for (const r of db
            .prepare("SELECT id FROM temp.index_stage WHERE seq > ? AND seq <= ? AND created = 0")
            .all(from, to) as { id: string }[])
            unindex(db, r.id, deltas, memo);
          for (const sql of BUILD) db.prepare(sql).run(from, to);
          deltas.write(db);
          db.prepare("UPDATE meta SET value = ? WHERE key = 'indexed_seq'").run(to);
          // The memo (facet values in memory) did not see these rows: it reloads from the tables on its next use.
          memo.forget();
          return to;
        });
        if (built === false) return false;
        this.#from = built;
        const ms = performance.now() - started;
        range = Math.max(RANGE_MIN, Math.min(RANGE_MAX, Math.round((range * RANGE_MS) / Math.max(ms, 1))));
      }
      return this.#from !== undefined;
    } finally {
      if (tuned && db.isOpen()) {
        fts("hashsize", FTS_DEFAULT_PENDING_BYTES);
        fts("automerge", FTS_DEFAULT_MERGE);
      }
      this.#abandon();
    }
  }
}
