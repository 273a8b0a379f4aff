/**
 * Fedify 2's {@link KvStore} on PostgreSQL (the registry's `@fedify/postgres` is 1.x and lacks
 * `list()`, which Fedify 2 requires).
 */
import type { KvKey, KvStore, KvStoreListEntry, KvStoreSetOptions } from "@fedify/fedify";
import type { Temporal } from "@js-temporal/polyfill";
import type { Pool } from "pg";
import { withTransaction } from "./tx.ts";

const k = (key: KvKey) => JSON.stringify(key);
/**
 * Serialises the writers of one key (the key's JSON as the parameter) of this instance: scoped by schema, so that
 * instances sharing a database in schemas of their own do not wait for each other.
 */
export const KV_LOCK_SQL = "SELECT pg_advisory_xact_lock(hashtext('essfed_kv ' || current_schema() || ' ' || $1))";
/**
 * When an entry set with these options expires (ms since the epoch), or null. Fedify types `ttl` with the global
 * Temporal, which TypeScript's libraries do not declare yet, so it is read through the polyfill's type.
 */
function expiry(o?: KvStoreSetOptions): number | null {
  const ttl = o?.ttl as Temporal.Duration | undefined;
  return ttl ? Date.now() + ttl.total("millisecond") : null;
}

export class PostgresKvStore implements KvStore {
  readonly #pool: Pool;
  constructor(pool: Pool) {
    this.#pool = pool;
  }

  async get<T = unknown>(key: KvKey): Promise<T | undefined> {
    const { rows } = await this.#pool.query<{ value: unknown }>(
      "SELECT value FROM kv WHERE key = $1 AND (expires IS NULL OR expires > $2)",
      [k(key), Date.now()],
    );
    return rows.length ? (rows[0]!.value as T) : undefined;
  }

  async set(key: KvKey, value: unknown, options?: KvStoreSetOptions): Promise<void> {
    await this.#pool.query(
      "INSERT INTO kv (key, value, expires) VALUES ($1, $2, $3) ON CONFLICT (key) " +
        "DO UPDATE SET value = excluded.value, expires = excluded.expires",
      [k(key), JSON.stringify(value ?? null), expiry(options)],
    );
  }

  async delete(key: KvKey): Promise<void> {
    await this.#pool.query("DELETE FROM kv WHERE key = $1", [k(key)]);
  }

  async cas(key: KvKey, expectedValue: unknown, newValue: unknown, options?: KvStoreSetOptions): Promise<boolean> {
    return withTransaction(this.#pool, async (client) => {
      // Serialise writers of this key, whether or not a row exists yet.
      await client.query(KV_LOCK_SQL, [k(key)]);
      const { rows } = await client.query<{ value: unknown }>(
        "SELECT value FROM kv WHERE key = $1 AND (expires IS NULL OR expires > $2)",
        [k(key), Date.now()],
      );
      const current = rows.length ? JSON.stringify(rows[0]!.value) : undefined;
      const expected =
        expectedValue === undefined ? undefined : JSON.stringify(JSON.parse(JSON.stringify(expectedValue)));
      if (!sameJson(current, expected)) return false;
      await client.query(
        "INSERT INTO kv (key, value, expires) VALUES ($1, $2, $3) ON CONFLICT (key) " +
          "DO UPDATE SET value = excluded.value, expires = excluded.expires",
        [k(key), JSON.stringify(newValue ?? null), expiry(options)],
      );
      return true;
    });
  }

  async *list(prefix?: KvKey): AsyncIterable<KvStoreListEntry> {
    const now = Date.now();
    const { rows } = prefix
      ? await this.#pool.query<{ key: string; value: unknown }>(
          "SELECT key, value FROM kv WHERE (key = $1 OR left(key, $2) = $3) AND (expires IS NULL OR expires > $4) " +
            "ORDER BY key",
          [k(prefix), k(prefix).length, k(prefix).slice(0, -1) + ",", now],
        )
      : await this.#pool.query<{ key: string; value: unknown }>(
          "SELECT key, value FROM kv WHERE expires IS NULL OR expires > $1 ORDER BY key",
          [now],
        );
    for (const r of rows) yield { key: JSON.parse(r.key) as KvKey, value: r.value };
  }
}

/** jsonb normalises key order and spacing; compare values, not texts. */
function sameJson(a: string | undefined, b: string | undefined): boolean {
  if (a === undefined || b === undefined) return a === b;
  return stable(JSON.parse(a)) === stable(JSON.parse(b));
}
function stable(v: unknown): string {
  return JSON.stringify(v, (_k, x: unknown) =>
    x && typeof x === "object" && !Array.isArray(x)
      ? Object.fromEntries(
          Object.keys(x)
            .sort()
            .map((key) => [key, (x as Record<string, unknown>)[key]]),
        )
      : x,
  );
}
