/**
 * The text and map parts of a bulk import's search index (FTS5 and the R*Tree), built on threads of their own while
 * the store's connection builds the rest, then copied into the store in one transaction (ADR 49).
 *
 * One SQLite file has one writer at a time: built in the store's file, FTS5 and the R*Tree took about 22 of the
 * 32 s a million-row import spent after its last record, on one core with the other idle (docs/benchmarks.md,
 * eleventh round). Here two threads read the import's stage (a scratch file of its own, index-stage.sqlite.ts) and
 * build one table each into a scratch file, with one `INSERT … SELECT`; meanwhile the store's connection builds the
 * record table's deferred indexes and the other index tables. What is left at the end is a copy of the two tables'
 * rows. That copy is a whole index, so it is made only when the store's index was empty when the import began: the
 * first import of a network, the one that is large. The threads run at a lower priority (thread-priority.ts).
 *
 * The copy is written by a connection of its own, not the store's: FTS5 keeps the index's structure in memory per
 * connection, and reads it again once another connection has committed.
 */
import { rmSync } from "node:fs";
import { DatabaseSync } from "node:sqlite";
import { join } from "node:path";
import { Worker } from "node:worker_threads";

/**
 * FTS5's settings while an index is built: with its default (1 MB of pending terms, segments merged four at a time) a
 * million records made thousands of small segments merged over and over; these took the FTS5 rows' cost a record
 * from 9.2 to 4.8 µs at 900,000 records, with searches as fast after (docs/benchmarks.md, eighth round).
 */
export const FTS_BUILD_SETTINGS = [
  ["hashsize", 64 * 1024 * 1024],
  ["automerge", 8],
] as const;
/** FTS5's defaults for those settings, given back after a build in the store's file. */
export const FTS_DEFAULT_SETTINGS = [
  ["hashsize", 1024 * 1024],
  ["automerge", 4],
] as const;

/** State of a building thread, in the first int32 of its shared array: 1 built, 2 failed. */
export const DONE = 0;
/** Byte offset of the two float64 a thread writes: rows of the stage it read, the sum of their change numbers. */
export const TOTALS_OFFSET = 8;

/** The virtual tables built apart, each by a thread of its own. */
export type ApartTable = "search_fts" | "search_geo";
const TABLES: ApartTable[] = ["search_fts", "search_geo"];

/** What a building thread is given. */
export interface IndexBuildWorkerData {
  /** The stage (a scratch SQLite file) whose `index_stage` table holds the import's rows. */
  stage: string;
  /** The scratch file to build in, created afresh. */
  path: string;
  table: ApartTable;
  /** The store's `CREATE VIRTUAL TABLE` statement for it, run as it is. */
  create: string;
  shared: SharedArrayBuffer;
}

/** The tables a virtual table's index lives in, but FTS5's settings (the store's own are kept). */
const shadowTables = (db: DatabaseSync, table: ApartTable): string[] =>
  (
    db
      .prepare(
        `SELECT name FROM main.sqlite_schema WHERE type = 'table' AND name GLOB ? AND name <> 'search_fts_config'`,
      )
      .all(`${table}_*`) as { name: string }[]
  ).map((r) => r.name);

/** How long the end of an import waits for the threads, at most; the catch-up does the work if it runs out. */
const FINISH_WAIT_MS = 10 * 60_000;

interface Thread {
  table: ApartTable;
  worker: Worker;
  path: string;
  state: Int32Array;
  totals: Float64Array;
}

export class IndexBuilder {
  readonly #threads: Thread[];

  private constructor(threads: Thread[]) {
    this.#threads = threads;
  }

  /**
   * Starts the threads on the stage file `stage` (committed, no longer written), each building its table into a
   * scratch file in the folder `dir`; the table definitions are read from `db`, the store's connection.
   */
  static start(db: { prepare(sql: string): { all(): unknown[] } }, stage: string, dir: string): IndexBuilder {
    const creates = new Map(
      (
        db.prepare("SELECT name, sql FROM main.sqlite_schema WHERE name IN ('search_fts', 'search_geo')").all() as {
          name: ApartTable;
          sql: string;
        }[]
      ).map((r) => [r.name, r.sql]),
    );
    const threads: Thread[] = [];
    const builder = new IndexBuilder(threads);
    try {
      for (const table of TABLES) {
        const create = creates.get(table);
        if (!create) throw new Error(`the search index's table ${table} is missing`);
        const path = join(dir, `${table}.sqlite`);
        rmSync(path, { force: true });
        const shared = new SharedArrayBuffer(TOTALS_OFFSET + 16);
        const workerData: IndexBuildWorkerData = { stage, path, table, create, shared };
        const worker = new Worker(new URL("./index-build-worker.ts", import.meta.url), { workerData });
        const state = new Int32Array(shared, 0, 1);
        worker.on("error", () => {
          if (Atomics.compareExchange(state, DONE, 0, 2) === 0) Atomics.notify(state, DONE);
        });
        worker.unref();
        threads.push({ table, worker, path, state, totals: new Float64Array(shared, TOTALS_OFFSET, 2) });
      }
    } catch (e) {
      builder.abandon();
      throw e;
    }
    return builder;
  }

  /**
   * Waits for the threads to finish, then copies the FTS5 and R*Tree tables into the database at `dbPath`, in one
   * transaction of a connection of its own, if the store's search rows are exactly the staged rows the threads read
   * and `complete(connection)`, run first in that transaction, agrees (it checks that nothing else built the index
   * meanwhile, and moves the index's mark). Returns whether the copy was made; the scratch files are removed either
   * way.
   */
  install(dbPath: string, complete: (db: DatabaseSync) => boolean): boolean {
    try {
      for (const t of this.#threads) {
        Atomics.wait(t.state, DONE, 0, FINISH_WAIT_MS);
        if (Atomics.load(t.state, DONE) !== 1) return false;
      }
      // Writing FTS5's and the R*Tree's own tables is what SQLite's defensive flag forbids (recent node:sqlite sets it
      // by default); this connection writes nothing else, and only rows those modules wrote themselves.
      const db = new DatabaseSync(dbPath, { defensive: false });
      try {
        db.exec("PRAGMA busy_timeout = 10000; PRAGMA synchronous = NORMAL");
        for (const t of this.#threads) db.prepare(`ATTACH DATABASE ? AS ${t.table}_build`).run(t.path);
        db.exec("BEGIN IMMEDIATE");
        try {
          const counted = db.prepare("SELECT count(*) AS n, total(seq) AS s FROM main.search").get() as {
            n: number;
            s: number;
          };
          const same = this.#threads.every((t) => t.totals[0] === counted.n && t.totals[1] === counted.s);
          if (!same || !complete(db)) {
            db.exec("ROLLBACK");
            return false;
          }
          for (const t of this.#threads)
            for (const name of shadowTables(db, t.table)) {
              db.exec(`DELETE FROM main.${name}`);
              db.exec(`INSERT INTO main.${name} SELECT * FROM ${t.table}_build.${name}`);
            }
          db.exec("COMMIT");
          return true;
        } catch (e) {
          if (db.isTransaction) db.exec("ROLLBACK");
          throw e;
        }
      } finally {
        db.close();
      }
    } finally {
      this.abandon();
    }
  }

  /** Ends the threads, if they run, and removes their scratch files. */
  abandon(): void {
    for (const t of this.#threads) {
      void t.worker.terminate();
      try {
        rmSync(t.path, { force: true });
      } catch {
        // Held open by a thread, where that prevents removing it: it goes with the stage's folder.
      }
    }
  }
}
