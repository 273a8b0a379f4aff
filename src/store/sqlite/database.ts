/**
 * The three-method wrapper around `node:sqlite`: everything else in the adapter
 * writes its own SQL against this.
 */
import { DatabaseSync, type StatementSync } from "node:sqlite";

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
  /** Runs `fn` in one IMMEDIATE transaction (rolled back if it throws). */
  transaction<T>(fn: () => T): T;
  isOpen(): boolean;
  /** Registers a deterministic SQL function of numbers. */
  defineFunction(name: string, fn: (...args: number[]) => number): void;
}

/**
 * Opens (creating if needed) a database file, or `:memory:`. WAL lets the CLI import while the
 * server reads; busy_timeout makes concurrent writers from several processes wait instead of fail.
 * A new file gets pages of {@link PAGE_SIZE} bytes (ADR 41); an existing one keeps its own.
 */
export function openSqlite(path: string): SqliteDatabase {
  const db = new DatabaseSync(path);
  db.exec(
    `PRAGMA page_size = ${PAGE_SIZE}; PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL; ` +
      "PRAGMA busy_timeout = 10000; PRAGMA foreign_keys = ON;",
  );
  const statements = new Map<string, StatementSync>();
  let depth = 0;
  return {
    prepare(sql) {
      let s = statements.get(sql);
      if (!s) statements.set(sql, (s = db.prepare(sql)));
      return s;
    },
    exec: (sql) => db.exec(sql),
    isOpen: () => db.isOpen,
    defineFunction: (name, fn) => db.function(name, { deterministic: true }, fn as (...a: unknown[]) => number),
    close: () => {
      statements.clear();
      if (db.isOpen) db.close();
    },
    transaction(fn) {
      if (depth > 0) return fn();
      db.exec("BEGIN IMMEDIATE");
      depth++;
      try {
        const out = fn();
        db.exec("COMMIT");
        return out;
      } catch (e) {
        db.exec("ROLLBACK");
        throw e;
      } finally {
        depth--;
      }
    },
  };
}
