/**
 * The search index of a bulk import, built set-wise (ADR 35). While an import writes, each batch's
 * index fields (worked out from the records it holds in memory, as the indexer would) are appended
 * to a temporary table of this connection, with the facet and 1° cell counts (summed in memory and
 * written every {@link COUNTS_EVERY} rows by default, where ranges may end); when the
 * import ends they go into the index tables with one `INSERT … SELECT` per table over a range of
 * change numbers, a range per transaction, in change-number order: SQLite does the B-tree work in
 * native code, FTS5 with one flush per range instead of one per batch.
 *
 * The index then holds exactly what the catch-up would have built. Anything that would break that
 * gives the import's changes back to the catch-up instead: a change number taken by anyone else
 * between two staged batches, a record staged twice, or the index moved by someone else (another
 * process's catch-up) before a range is built. `indexed_seq` moves with each range's index rows
 * in the same transaction, so a crash or a failure leaves a state the catch-up repairs (the staged
 * rows live only as long as the connection, or the import's scratch folder).
 *
 * An import alone in its process into an empty index stages into a scratch file instead (in a folder beside the
 * database, removed at the end), so that a thread of its own can build the text and map tables from it while this
 * connection builds the rest (index-builder.ts, ADR 49).
 */
import { mkdtempSync, rmSync } from "node:fs";
import { join } from "node:path";
import type { InitiativeRecord } from "../../domain/initiative.ts";
import { indexFields } from "../search.ts";
import type { SqliteDatabase } from "./database.ts";
import type { FacetMemo } from "./facets.sqlite.ts";
import { ignoreFailure } from "../../logging.ts";
import { Deltas, FacetValues, unindex, type FacetValue } from "./indexer.sqlite.ts";
import { FTS_BUILD_SETTINGS, FTS_DEFAULT_SETTINGS, IndexBuilder } from "./index-builder.ts";
import { DROP, tables, textAndMap, theRest, type Schema } from "./index-stage-sql.ts";
import { removeStale } from "./stale-scratch.ts";

/** Changes built per transaction at first; later ranges are sized to hold the write lock about {@link RANGE_MS}. */
const RANGE_MIN = 20_000;
const RANGE_MAX = 250_000;
const RANGE_MS = 2000;
/**
 * Staged rows between two writes of the stage's counts (facet values, 1° cells), which are summed in memory meanwhile:
 * written with each write batch of 500 rows (ADR 25's thread), the cell counts were three rows for every four records.
 * Ranges end only where counts were written.
 */
export const COUNTS_EVERY = 10_000;
/** The store's change number (`seq`) or the index's mark (`indexed_seq`). */
const meta = (db: SqliteDatabase, key: "seq" | "indexed_seq") =>
  (db.prepare("SELECT value FROM meta WHERE key = ?").get(key) as { value: number }).value;

export class IndexStage {
  readonly #db: SqliteDatabase;
  /** The change number the index had reached when staging began; undefined: not staging. */
  #from: number | undefined;
  /** The last change number staged. */
  #to = 0;
  /** Counts of the rows staged since the stage's counts were last written, and how many rows. */
  #counts = new Map<FacetValue, number>();
  #deltas = new Deltas();
  #uncounted = 0;
  /** Facet values' numbers, as committed or written in a staging transaction. */
  readonly #values: FacetValues;
  #schema: Schema = "temp";
  /** The scratch folder of a stage in a file of its own, while it exists. */
  #scratch: string | undefined;
  /** The thread building the text and map tables from that stage, once the import's records are written. */
  #builder: IndexBuilder | undefined;

  readonly #countsEvery: number;

  /** @param countsEvery staged rows between two writes of the counts ({@link COUNTS_EVERY}; tests lower it) */
  constructor(db: SqliteDatabase, countsEvery = COUNTS_EVERY) {
    this.#db = db;
    this.#countsEvery = countsEvery;
    this.#values = new FacetValues(db);
  }

  /**
   * Starts staging; the index must be up to date with every change (the bulk write caught up first).
   * @param o.apart the database file's path: if the index is empty, the stage goes into a scratch file beside it, for
   *   the text and map tables to be built on a thread of their own at the end (ADR 49)
   */
  begin(o: { apart?: string } = {}): void {
    this.#release();
    this.#values.load();
    this.#from = this.#to = meta(this.#db, "indexed_seq");
    this.#resetCounts();
    this.#schema = "temp";
    if (o.apart) removeStale(o.apart);
    if (o.apart && !this.#db.prepare("SELECT 1 FROM search LIMIT 1").get()) {
      try {
        // Named with this process's id, for a later import to tell whether it is still running.
        this.#scratch = mkdtempSync(`${o.apart}.index-${process.pid}-`);
        this.#db.prepare("ATTACH DATABASE ? AS stage").run(join(this.#scratch, "stage.sqlite"));
        // Scratch: never synced; its journal in memory, so that a batch that fails takes its staged rows with it.
        this.#db.exec("PRAGMA stage.journal_mode = MEMORY; PRAGMA stage.synchronous = OFF");
        this.#schema = "stage";
      } catch (e) {
        // No room beside the database, say: staged as for a store already indexed.
        this.#release();
        ignoreFailure("sqlite-index-stage")(e);
      }
    }
    this.#db.exec(tables(this.#schema));
  }

  /** Whether the rows written since {@link begin} are still to be built from the stage. */
  get staging(): boolean {
    return this.#from !== undefined;
  }

  /** Gives everything staged back to the catch-up; the stage itself goes once no transaction is open. */
  #abandon(): void {
    this.#from = undefined;
    this.#resetCounts();
    this.#values.clear();
    if (this.#db.isOpen() && this.#schema === "temp") this.#db.exec(DROP);
  }

  /** Removes the stage; a file is detached outside a transaction only (within one, it goes with the connection). */
  #release(): void {
    try {
      if (this.#db.isOpen()) {
        this.#db.exec(DROP);
        if (this.#db.prepare("SELECT 1 FROM pragma_database_list WHERE name = 'stage'").get())
          this.#db.exec("DETACH DATABASE stage");
      }
      if (this.#scratch) rmSync(this.#scratch, { recursive: true, force: true });
      this.#scratch = undefined;
    } catch (e) {
      // A store closed by a bulk write that never ended (its group still open), or a file still held: left behind.
      ignoreFailure("sqlite-index-stage")(e);
    }
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
    const schema = this.#schema;
    const deltas = this.#deltas;
    const counts = this.#counts;
    const row = db.prepare(
      `INSERT INTO ${schema}.index_stage (seq, id, created, name, updated, lat, lon, description, vids) ` +
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
    this.#to = written[written.length - 1]!.seq;
    this.#uncounted += written.length;
    if (this.#uncounted >= this.#countsEvery) this.#writeCounts();
  }

  /** In a write transaction: the counts summed since they were last written, for the rows up to the last staged. */
  #writeCounts(): void {
    const db = this.#db;
    const schema = this.#schema;
    const upto = this.#to;
    const count = db.prepare(`INSERT INTO ${schema}.index_stage_count (name, value, n, upto) VALUES (?, ?, ?, ?)`);
    for (const [v, n] of this.#counts) count.run(v.name, v.value, n, upto);
    this.#deltas.write(db, { facet: `${schema}.index_stage_count`, cell: `${schema}.index_stage_cell`, upto });
    db.prepare(`INSERT INTO ${schema}.index_stage_batch (upto) VALUES (?)`).run(upto);
    this.#resetCounts();
  }

  #resetCounts(): void {
    this.#counts = new Map();
    this.#deltas = new Deltas();
    this.#uncounted = 0;
  }

  /**
   * Once the import's last batch is committed: writes the counts still in memory, in a transaction of their own,
   * unless the last batches staged were rolled back (the store's change number is behind the stage's): then
   * everything goes back to the catch-up. Returns whether staging goes on.
   */
  #seal(): boolean {
    if (this.#from === undefined) return false;
    if (meta(this.#db, "seq") < this.#to) {
      this.#abandon();
      return false;
    }
    if (!this.#uncounted) return true;
    try {
      this.#db.transaction(() => this.#writeCounts());
      return true;
    } catch (e) {
      this.#abandon();
      throw e;
    }
  }

  /**
   * Once the import's last batch is committed: starts the thread that builds the text and map tables from a stage in
   * a file (ADR 49), into a scratch file beside it, for {@link build} to copy in. Does nothing otherwise, or if the
   * thread cannot start (then {@link build} builds them here).
   */
  buildApart(): void {
    if (this.#from === undefined || this.#from >= this.#to || !this.#scratch || this.#builder) return;
    try {
      // Before the threads open the stage: it must not change once they have.
      if (!this.#seal()) return;
      const dir = this.#scratch;
      this.#builder = IndexBuilder.start(this.#db, join(dir, "stage.sqlite"), dir);
    } catch (e) {
      ignoreFailure("sqlite-index-builder")(e);
    }
  }

  /**
   * Builds the index from the stage, a range of change numbers per transaction, and ends staging.
   * Returns whether everything staged was built; if not, the catch-up has what is left to do.
   * @param path the database file, for the text and map tables built apart ({@link buildApart})
   */
  build(memo: FacetMemo, path: string): boolean {
    try {
      // (With a building thread, buildApart sealed the stage before it started.)
      if (!this.#builder) this.#seal();
      const from = this.#from;
      if (from === undefined || from >= this.#to) return from !== undefined;
      if (!this.#builder) return this.#ranges(memo, from, false);
      // The text and map tables come from the building thread in one copy at the end: until then the index's mark
      // stays where it was, so that a crash, or a catch-up by another process meanwhile, leaves the catch-up to redo
      // these ranges (it removes a record's index rows before it writes them again).
      if (!this.#ranges(memo, from, true)) return false;
      const to = this.#to;
      const installed = this.#builder.install(path, (c) => {
        const at = c.prepare("SELECT value FROM meta WHERE key = 'indexed_seq'").get() as { value: number };
        if (at.value !== from) return false;
        c.prepare("UPDATE meta SET value = ? WHERE key = 'indexed_seq'").run(to);
        return true;
      });
      memo.forget();
      // If not (the thread failed, or what it built does not match), the catch-up redoes these ranges from the mark.
      return installed;
    } finally {
      this.end();
    }
  }

  /** Ends staging: the building thread, if any, is stopped and the stage removed (outside any transaction). */
  end(): void {
    this.#builder?.abandon();
    this.#builder = undefined;
    this.#abandon();
    this.#release();
  }

  /**
   * Builds the index tables from the staged rows after `from`, a range per transaction; the index's mark must be at
   * each range's start and moves to its end. With `apart`, the text and map tables are left to the building threads
   * and the mark must stay at `from` and does not move.
   */
  #ranges(memo: FacetMemo, from: number, apart: boolean): boolean {
    const db = this.#db;
    const [search, ...rest] = theRest(this.#schema);
    const statements = apart ? [search!, ...rest] : [search!, ...textAndMap(this.#schema), ...rest];
    let range = RANGE_MIN;
    let at = from;
    // FTS5 takes its settings as literals only (bound parameters fail); these are constants.
    const fts = (settings: typeof FTS_BUILD_SETTINGS | typeof FTS_DEFAULT_SETTINGS) => {
      for (const [k, v] of settings) db.exec(`INSERT INTO search_fts (search_fts, rank) VALUES ('${k}', ${v})`);
    };
    // FTS5 keeps more terms in memory before it writes a segment, and merges more segments at a time, while the
    // build runs (both given back after).
    const tuned = !apart;
    try {
      if (tuned) fts(FTS_BUILD_SETTINGS);
      while (at < this.#to) {
        const started = performance.now();
        const built = db.transaction(() => {
          if (meta(db, "indexed_seq") !== (apart ? from : at)) return false;
          const to =
            (
              db
                .prepare(`SELECT min(upto) AS upto FROM ${this.#schema}.index_stage_batch WHERE upto >= ?`)
                .get(at + range) as {
                upto: number | null;
              }
            ).upto ?? this.#to;
          // Updated records leave their earlier index rows (and counts) first, as the catch-up's do (none when the
          // index was empty, as it is when the text and map tables are built apart).
          const deltas = new Deltas();
          for (const r of db
            .prepare(`SELECT id FROM ${this.#schema}.index_stage WHERE seq > ? AND seq <= ? AND created = 0`)
            .all(at, to) as { id: string }[])
            unindex(db, r.id, deltas, memo);
          for (const sql of statements) db.prepare(sql).run(at, to);
          deltas.write(db);
          if (!apart) db.prepare("UPDATE meta SET value = ? WHERE key = 'indexed_seq'").run(to);
          // The memo (facet values in memory) did not see these rows: it reloads from the tables on its next use.
          memo.forget();
          return to;
        });
        if (built === false) return false;
        at = built;
        const ms = performance.now() - started;
        range = Math.max(RANGE_MIN, Math.min(RANGE_MAX, Math.round((range * RANGE_MS) / Math.max(ms, 1))));
      }
      return true;
    } finally {
      if (tuned && db.isOpen()) fts(FTS_DEFAULT_SETTINGS);
    }
  }
}
