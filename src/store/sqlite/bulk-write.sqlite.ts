/**
 * A SQLite store's bulk writes (`Store.bulkWrite`): an import's settings for the length of it, and what it leaves to
 * its end. The index is caught up first and what the import writes is staged, to be built set-wise at its end
 * (ADR 35); the page cache grows and the log is checkpointed less often (ADR 46). An import alone in its process
 * (`grouped`) also commits its batches in groups (ADR 46), leaves the record table's random-order indexes to its end in
 * an almost empty store (ADR 47), writes such a store's file with a rollback journal (ADR 50) or has its log
 * checkpointed by a thread of its own (ADR 48), and has its text and map index built by threads of their own (ADR 49).
 */
import { availableParallelism } from "node:os";
import type { BulkWriteOptions } from "../store.ts";
import { ignoreFailure } from "../../logging.ts";
import { Checkpointer } from "./checkpointer.ts";
import type { SqliteDatabase } from "./database.ts";
import { almostEmpty, deferIndexes, endDeferral } from "./deferred-indexes.sqlite.ts";
import type { FacetMemo } from "./facets.sqlite.ts";
import { IndexStage } from "./index-stage.sqlite.ts";
import { CATCH_UP_CACHE_KIB, catchUp } from "./indexer.sqlite.ts";
import { backToLog, useRollbackJournal } from "./journal.sqlite.ts";

/**
 * How much the write-ahead log may hold during a bulk write before SQLite copies it into the database
 * file (64 MB instead of SQLite's 1,000 pages): each checkpoint copies and syncs every page the log
 * holds, and an import's batches touch the same index pages again and again, so fewer checkpoints copy
 * each page fewer times (900,000 records' writes under load: commits 20-21 -> 13-15 µs a record;
 * docs/benchmarks.md, eighth round). The log file may grow to this plus one batch; the default comes back
 * when the bulk write ends.
 */
const BULK_CHECKPOINT_BYTES = 64 * 1024 * 1024;
/**
 * A bulk write's transactions are committed together about this often (ADR 46): a commit writes every page its
 * transaction touched to the log, and an import's batches touch the record table's indexes all over; the write lock
 * is held about as long as a build range holds it (index-stage.sqlite.ts).
 */
const BULK_GROUP_MS = 2000;
/**
 * An import alone in its process that has been writing this long checkpoints from a thread of its own (ADR 48): a
 * shorter one wrote too little for the thread to gain what its checkpoints after every commit cost (about 1 s at
 * 100,000 rows).
 */
const CHECKPOINTER_AFTER_MS = 10_000;
/** The checkpointing thread starts the log over once it holds this much; SQLite's own checkpoint waits for 4 times. */
const BULK_RESTART_BYTES = 256 * 1024 * 1024;

export class BulkWrites {
  readonly #db: SqliteDatabase;
  readonly #path: string;
  readonly #memo: () => FacetMemo;
  readonly #checkpointerAfterMs: number;
  /** Bulk writes in progress ({@link start}). */
  #bulk = 0;
  /** What a bulk write wrote, for its index to be built set-wise when it ends. */
  readonly stage: IndexStage;
  /** The page cache size and the log's checkpoint size to give back after them. */
  #cacheBefore: number | undefined;
  #checkpointBefore: number | undefined;
  #checkpointer: Checkpointer | undefined;
  #ungroup: (() => void) | undefined;
  /** Whether this bulk write left the write-ahead log for a rollback journal, to go back to it at its end (ADR 50). */
  #rollback = false;
  /** Whether this bulk write dropped the record table's random-order indexes, to rebuild them at its end (ADR 47). */
  #indexesDeferred = false;

  /**
   * @param path the database file, or `:memory:`
   * @param memo the search index's facet values in memory
   * @param o.checkpointerAfterMs how long an import alone in its process writes before its log is checkpointed from
   *   a thread of its own (ADR 48; tests shorten it)
   * @param o.stageCountsEvery rows an import stages between two writes of its index counts (tests lower it)
   */
  constructor(
    db: SqliteDatabase,
    path: string,
    memo: () => FacetMemo,
    o: { checkpointerAfterMs?: number; stageCountsEvery?: number } = {},
  ) {
    this.#db = db;
    this.#path = path;
    this.#memo = memo;
    this.#checkpointerAfterMs = o.checkpointerAfterMs ?? CHECKPOINTER_AFTER_MS;
    this.stage = new IndexStage(db, o.stageCountsEvery);
  }

  /** Whether a bulk write is in progress. */
  get active(): boolean {
    return this.#bulk > 0;
  }

  /** A bulk write starts; call the result when it ends (the last one to end builds the index). */
  start(o: BulkWriteOptions = {}): () => void {
    if (this.#bulk++ === 0) this.#begin(o);
    let released = false;
    return () => {
      if (released) return;
      released = true;
      if (--this.#bulk === 0 && this.#db.isOpen()) this.#end();
    };
  }

  /**
   * Closes the connection with `close`. A bulk write never released (its caller failed) loses its threads first, its
   * stage after (the connection may hold the stage's file in an open group).
   */
  close(close: () => void): void {
    this.#stopCheckpointer();
    close();
    this.stage.end();
  }

  #begin(o: BulkWriteOptions): void {
    const db = this.#db;
    // Caught up first, so that what the import writes can be indexed set-wise at its end (ADR 35).
    catchUp(db, this.#memo());
    // An import alone in its process, with a file and a core to spare, has threads of its own (ADRs 48 and 49).
    const threaded = o.grouped === true && this.#path !== ":memory:" && availableParallelism() >= 2;
    this.stage.begin({ apart: threaded ? this.#path : undefined });
    this.#cacheBefore = this.#pragma("cache_size");
    db.exec(`PRAGMA cache_size = -${CATCH_UP_CACHE_KIB}`);
    this.#checkpointBefore = this.#pragma("wal_autocheckpoint");
    db.exec(`PRAGMA wal_autocheckpoint = ${Math.ceil(BULK_CHECKPOINT_BYTES / this.#pragma("page_size"))}`);
    // Into an almost empty store, with no other connection to the file: a rollback journal instead of the log, each
    // new page written once (ADR 50). Otherwise a thread that checkpoints the log while this one writes (ADR 48).
    this.#rollback = threaded && almostEmpty(db) && useRollbackJournal(db);
    if (threaded && !this.#rollback) {
      const since = performance.now();
      db.onCommit(() => {
        if (this.#checkpointer) this.#checkpointer.committed();
        else if (performance.now() - since >= this.#checkpointerAfterMs) this.#checkpointer = this.#startCheckpointer();
      });
    }
    this.#ungroup = o.grouped ? db.group(BULK_GROUP_MS) : undefined;
    // Alone in its process, into an almost empty store: the record table's random-order indexes wait for the end.
    if (o.grouped) this.#indexesDeferred = db.transaction(() => deferIndexes(db));
  }

  /** The last bulk write ended: its last group committed, its index built, the connection's settings given back. */
  #end(): void {
    const db = this.#db;
    try {
      // The last group's writes are committed here; a failure to is the import's, not the index's.
      this.#ungroup?.();
      this.#ungroup = undefined;
      // The text and map tables of an import into an empty index start building on threads of their own now, while
      // what follows is done here (ADR 49).
      this.stage.buildApart();
      // A failure here leaves the deferral marked, for the next store that opens the file to end.
      if (this.#indexesDeferred) {
        this.#indexesDeferred = false;
        endDeferral(db);
      }
      try {
        // What is not built here (see IndexStage) is left to the catch-up.
        this.stage.build(this.#memo(), this.#path);
      } catch (e) {
        ignoreFailure("sqlite-index-stage")(e);
      }
    } finally {
      // Whatever failed above, the stage and its threads go.
      this.stage.end();
      this.#stopCheckpointer();
      db.exec(`PRAGMA cache_size = ${this.#cacheBefore}`);
      db.exec(`PRAGMA wal_autocheckpoint = ${this.#checkpointBefore}`);
      if (this.#rollback) {
        this.#rollback = false;
        // If another connection holds the file now, the next connection to open it turns the log on again; nothing
        // the import wrote depends on it.
        try {
          backToLog(db);
        } catch (e) {
          ignoreFailure("sqlite-journal")(e);
        }
      }
    }
  }

  /** Starts the thread that checkpoints the log from now on, SQLite's own checkpoint kept as a backstop. */
  #startCheckpointer(): Checkpointer {
    const checkpointer = Checkpointer.start(this.#path, { restartBytes: BULK_RESTART_BYTES, waitMs: 2000 });
    this.#db.exec(`PRAGMA wal_autocheckpoint = ${Math.ceil((4 * BULK_RESTART_BYTES) / this.#pragma("page_size"))}`);
    return checkpointer;
  }

  /** Ends the checkpointing thread, if one runs, once it has copied the last commits; no commit is reported after. */
  #stopCheckpointer(): void {
    this.#db.onCommit(undefined);
    this.#checkpointer?.stop();
    this.#checkpointer = undefined;
  }

  #pragma(name: "cache_size" | "wal_autocheckpoint" | "page_size"): number {
    return Object.values(this.#db.prepare(`PRAGMA ${name}`).get() as Record<string, number>)[0]!;
  }
}
