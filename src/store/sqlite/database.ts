/**
 * The three-method wrapper around `node:sqlite`: everything else in the adapter
 * writes its own SQL against this.
 */
import { DatabaseSync, type StatementSync } from "node:sqlite";
import { logger, loggingConfigured } from "../../logging.ts";
import { LOG_WAIT_MS, openWithLog } from "./journal.sqlite.ts";

/**
 * Page size of a new database file: 16 KiB instead of SQLite's 4 KiB cut a bulk import's writes and
 * index build by about a fifth (fewer pages, WAL frames and B-tree levels; docs/benchmarks.md). Only
 * takes effect before the file's first table; an existing file keeps its page size.
 */
export const PAGE_SIZE = 16384;

export interface SqliteDatabase {
  prepare(sql: string): StatementSync;
  exec(sql: string): void;
  close(): void;
  /** Runs `fn` in one IMMEDIATE transaction (rolled back if it throws), or in the open group ({@link group}). */
  transaction<T>(fn: () => T): T;
  /**
   * Until the result is called, joins transactions into groups committed together once a group is
   * `ms` old (at the end of a transaction, or by a timer when none follows): each transaction is a
   * savepoint of the group, rolled back alone if it throws. For a bulk write, whose every commit
   * writes the pages its batch touched to the write-ahead log. While a group is open this connection
   * holds SQLite's write lock, its reads see the group's uncommitted writes, and what it wrote is on
   * disk only when the group commits.
   */
  group(ms: number): () => void;
  isOpen(): boolean;
  /** Calls `fn` after each commit of this connection from now on (undefined: no longer). */
  onCommit(fn: (() => void) | undefined): void;
  /** Registers a deterministic SQL function of numbers. */
  defineFunction(name: string, fn: (...args: number[]) => number): void;
}

/** An open group of transactions ({@link SqliteDatabase.group}): since when it holds the lock, how old it may grow. */
interface Group {
  ms: number;
  since?: number;
  timer?: NodeJS.Timeout;
}

/**
 * Opens (creating if needed) a database file, or `:memory:`. WAL lets the CLI import while the
 * server reads; busy_timeout makes concurrent writers from several processes wait instead of fail.
 * A new file gets pages of {@link PAGE_SIZE} bytes (ADR 41); an existing one keeps its own. While a network's first
 * import writes with a rollback journal (ADR 50), opening waits for it to let the log be turned on again.
 */
export function openSqlite(path: string): SqliteDatabase {
  const db = new DatabaseSync(path);
  db.exec(
    `PRAGMA page_size = ${PAGE_SIZE}; PRAGMA synchronous = NORMAL; PRAGMA busy_timeout = 10000; ` +
      "PRAGMA foreign_keys = ON;",
  );
  openWithLog(db, LOG_WAIT_MS, () => {
    const message = "Waiting for {path}: another process holds it with a rollback journal (a first import, say).";
    // The server logs; a CLI command (no logging set up) says it on stderr, so that a pause is not a mystery.
    if (loggingConfigured()) logger("store").warn(message, { path });
    else process.stderr.write(`essfed: ${message.replace("{path}", path)}\n`);
  });
  const statements = new Map<string, StatementSync>();
  let depth = 0;
  /** The open group of transactions: since when it is open (undefined: none), how old it may grow. */
  let grouping: Group | undefined;
  let committed: (() => void) | undefined;
  const commitGroup = () => {
    if (grouping?.since === undefined) return;
    clearTimeout(grouping.timer);
    grouping.since = grouping.timer = undefined;
    db.exec("COMMIT");
    committed?.();
  };
  /** Runs `fn` in the transaction or savepoint just begun: `done` ends it, `undo` when `fn` throws. */
  const within = <T>(fn: () => T, done: string, undo: () => void): T => {
    depth++;
    try {
      const out = fn();
      db.exec(done);
      return out;
    } catch (e) {
      undo();
      throw e;
    } finally {
      depth--;
    }
  };
  const grouped = <T>(g: Group, fn: () => T): T => {
    if (g.since === undefined) {
      db.exec("BEGIN IMMEDIATE");
      g.since = performance.now();
      // A group waiting for its next transaction does not hold the write lock longer than `ms`.
      g.timer = setTimeout(() => depth === 0 && db.isOpen && commitGroup(), g.ms).unref();
    }
    db.exec("SAVEPOINT grouped");
    try {
      return within(fn, "RELEASE grouped", () => {
        if (db.isTransaction) db.exec("ROLLBACK TO grouped; RELEASE grouped");
        else {
          // SQLite rolled the whole group back itself (a full disk, say): the caller's error says so.
          clearTimeout(g.timer);
          g.since = g.timer = undefined;
        }
      });
    } finally {
      if (g.since !== undefined && performance.now() - g.since >= g.ms) commitGroup();
    }
  };
  return {
    prepare(sql) {
      let s = statements.get(sql);
      if (!s) statements.set(sql, (s = db.prepare(sql)));
      return s;
    },
    exec: (sql) => db.exec(sql),
    isOpen: () => db.isOpen,
    onCommit: (fn) => void (committed = fn),
    defineFunction: (name, fn) => db.function(name, { deterministic: true }, fn as (...a: unknown[]) => number),
    close: () => {
      statements.clear();
      if (db.isOpen) commitGroup();
      grouping = undefined;
      if (db.isOpen) db.close();
    },
    group(ms) {
      if (grouping) throw new Error("transactions are grouped already");
      const g: Group = { ms };
      grouping = g;
      return () => {
        if (grouping !== g) return;
        if (db.isOpen) commitGroup();
        clearTimeout(g.timer);
        grouping = undefined;
      };
    },
    transaction(fn) {
      if (depth > 0) return fn();
      if (grouping) return grouped(grouping, fn);
      db.exec("BEGIN IMMEDIATE");
      const out = within(fn, "COMMIT", () => db.exec("ROLLBACK"));
      committed?.();
      return out;
    },
  };
}
