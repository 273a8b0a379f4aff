/**
 * PostgreSQL for tests: the server CI starts (POSTGRES_URL), one random schema per store, dropped
 * afterwards. Tests that need it are skipped, visibly, only when POSTGRES_URL is unset.
 */
import { PostgresStore, type PostgresStoreOptions } from "../../src/store/postgres/store.postgres.ts";

export const POSTGRES_URL = process.env.POSTGRES_URL;

export function randomSchema(prefix = "t"): string {
  return `essfed_${prefix}_${Math.random().toString(36).slice(2, 10)}`;
}

export async function freshPostgresStore(
  schema = randomSchema(),
  o: Omit<PostgresStoreOptions, "schema"> = {},
): Promise<PostgresStore> {
  const s = new PostgresStore(POSTGRES_URL!, { schema, max: 4, ...o });
  await s.initialize();
  return s;
}

/** A DATABASE_URL that puts an instance in `schema`. */
export function databaseUrl(schema: string): string {
  const u = new URL(POSTGRES_URL!);
  u.searchParams.set("options", `-c search_path=${schema}`);
  return u.href;
}

export async function dropSchema(schema: string): Promise<void> {
  const s = new PostgresStore(POSTGRES_URL!, { schema, max: 1 });
  await s.drop();
  await s.pool.end();
}
