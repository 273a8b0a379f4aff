/**
 * Fedify's {@link KvStore} on the essfed SQLite database (Fedify 2 requires `list()`; the
 * registry's SQLite package is a dev build, so essfed keeps its own, ~60 lines).
 */
import type { KvKey, KvStore, KvStoreListEntry, KvStoreSetOptions } from "@fedify/fedify";
import type { SqliteDatabase } from "./database.ts";
import type { Temporal } from "@js-temporal/polyfill";

/**
 * When an entry set with these options expires (ms since the epoch), or null. Fedify types `ttl` with the global
 * Temporal, which TypeScript's libraries do not declare yet, so it is read through the polyfill's type.
 */
function expiry(options: KvStoreSetOptions | undefined): number | null {
  const ttl = options?.ttl as Temporal.Duration | undefined;
  return ttl ? Date.now() + ttl.total("millisecond") : null;
}

export class SqliteKvStore implements KvStore {
  readonly #db: SqliteDatabase;
  constructor(db: SqliteDatabase) {
    this.#db = db;
  }

  async get<T = unknown>(key: KvKey): Promise<T | undefined> {
    const row = this.#db.prepare("SELECT value, expires FROM kv WHERE key = ?").get(JSON.stringify(key)) as
      { value: string; expires: number | null } | undefined;
    if (!row) return undefined;
    if (row.expires !== null && row.expires <= Date.now()) {
      this.#db.prepare("DELETE FROM kv WHERE key = ? AND expires <= ?").run(JSON.stringify(key), Date.now());
      return undefined;
    }
    return JSON.parse(row.value) as T;
  }

  async set(key: KvKey, value: unknown, options?: KvStoreSetOptions): Promise<void> {
    const expires = expiry(options);
    this.#db
      .prepare(
        "INSERT INTO kv (key, value, expires) VALUES (?, ?, ?) ON CONFLICT (key) DO UPDATE " +
          "SET value = excluded.value, expires = excluded.expires",
      )
      .run(JSON.stringify(key), JSON.stringify(value ?? null), expires);
  }

  async delete(key: KvKey): Promise<void> {
    this.#db.prepare("DELETE FROM kv WHERE key = ?").run(JSON.stringify(key));
  }

  async cas(key: KvKey, expectedValue: unknown, newValue: unknown, options?: KvStoreSetOptions): Promise<boolean> {
    return this.#db.transaction(() => {
      const row = this.#db.prepare("SELECT value, expires FROM kv WHERE key = ?").get(JSON.stringify(key)) as
        { value: string; expires: number | null } | undefined;
      const live = row && (row.expires === null || row.expires > Date.now());
      const current = live ? row.value : undefined;
      const expected = expectedValue === undefined ? undefined : JSON.stringify(expectedValue);
      if (current !== expected) return false;
      const expires = expiry(options);
      this.#db
        .prepare(
          "INSERT INTO kv (key, value, expires) VALUES (?, ?, ?) ON CONFLICT (key) DO UPDATE " +
            "SET value = excluded.value, expires = excluded.expires",
        )
        .run(JSON.stringify(key), JSON.stringify(newValue ?? null), expires);
      return true;
    });
  }

  async *list(prefix?: KvKey): AsyncIterable<KvStoreListEntry> {
    const now = Date.now();
    const rows = (
      prefix
        ? this.#db
            .prepare(
              "SELECT key, value FROM kv " +
                "WHERE (key = ? OR substr(key, 1, ?) = ?) AND (expires IS NULL OR expires > ?) ORDER BY key",
            )
            .all(JSON.stringify(prefix), JSON.stringify(prefix).length, JSON.stringify(prefix).slice(0, -1) + ",", now)
        : this.#db.prepare("SELECT key, value FROM kv WHERE expires IS NULL OR expires > ? ORDER BY key").all(now)
    ) as { key: string; value: string }[];
    for (const r of rows) yield { key: JSON.parse(r.key) as KvKey, value: JSON.parse(r.value) };
  }
}
