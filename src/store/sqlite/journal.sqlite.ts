/**
 * Which journal a database file writes with (ADR 50). Every connection opens it in write-ahead-log mode, so that the
 * server reads while the CLI writes. A network's first import, alone in its process and into an almost empty store,
 * writes with a rollback journal instead: the pages it adds to a growing file are written once, where in the log each
 * is written twice (to the log, then copied into the file by a checkpoint, on the writing thread or a thread of its
 * own). 100,000 rows took up to 15 % less time, half a million about 6 % (docs/benchmarks.md, fourteenth round).
 *
 * SQLite leaves the log only when no other connection has the file open; otherwise the import keeps the log (and its
 * checkpointing thread). While a rollback journal is in use, another connection can read between the import's commits
 * but cannot turn the log on again: {@link openWithLog} waits for that.
 */
import type { DatabaseSync } from "node:sqlite";

type Connection = Pick<DatabaseSync, "prepare">;

/** Sets the main file's journal (not the attached ones': an import's stage keeps its own); returns the mode now. */
const mode = (db: Connection, set: "wal" | "truncate"): string =>
  (db.prepare(`PRAGMA main.journal_mode = ${set}`).get() as { journal_mode: string }).journal_mode;

/** SQLite's answer when another connection holds a lock the change of journal needs. */
const isLocked = (e: unknown) => {
  // (SQLITE_BUSY or SQLITE_LOCKED; checked by its fields, not by class: errors may come from another realm.)
  const f = e as { errcode?: unknown; message?: unknown } | null;
  return f?.errcode === 5 || f?.errcode === 6 || /database is locked/.test(String(f?.message));
};

/** Outside any transaction: switches the main file's journal; returns whether it is in that mode now. */
function switchTo(db: Connection, to: "wal" | "truncate"): boolean {
  try {
    return mode(db, to) === to;
  } catch (e) {
    if (isLocked(e)) return false;
    throw e;
  }
}

/**
 * Outside any transaction: leaves the write-ahead log for a rollback journal (truncated, not deleted, after each
 * commit). Returns whether it did: not when another connection has the file open, or the file is in memory.
 */
export const useRollbackJournal = (db: Connection): boolean => switchTo(db, "truncate");

/** Outside any transaction: back to the write-ahead log. Returns whether the file is in it. */
export const backToLog = (db: Connection): boolean => switchTo(db, "wal");

/** How long {@link openWithLog} waits for a first import to let the log be turned on again, at most. */
export const LOG_WAIT_MS = 10 * 60_000;

/**
 * Turns the write-ahead log on, as every connection does when it opens the file. A first import writing with a
 * rollback journal holds the lock that needs from one commit to the next (every two seconds, ADR 46): this tries
 * again every 50 ms, for at most `waitMs`, and calls `waiting` once if it has to. In memory, there is no log.
 */
export function openWithLog(db: Connection, waitMs = LOG_WAIT_MS, waiting?: () => void): void {
  const until = Date.now() + waitMs;
  const pause = new Int32Array(new SharedArrayBuffer(4));
  for (let told = false; ;) {
    try {
      mode(db, "wal");
      return;
    } catch (e) {
      if (!isLocked(e) || Date.now() >= until) throw e;
      if (!told) waiting?.();
      told = true;
      Atomics.wait(pause, 0, 0, 50);
    }
  }
}
