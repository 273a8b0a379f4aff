/**
 * PostgreSQL for tests: the server CI starts (POSTGRES_URL), one random schema per store, dropped
 * afterwards. Tests that need it are skipped, visibly, only when POSTGRES_URL is unset.
 */
import { describe } from "@jest/globals";
import { PostgresStore } from "../../src/store/postgres/store.postgres.ts";

export const POSTGRES_URL = process.env.POSTGRES_URL;

/** `describe`, or `describe.skip` with the reason in its name when there is no database. */
export function describePostgres(name: string, fn: () => void): void {
  // eslint-disable-next-line jest/valid-title, jest/valid-describe-callback, jest/no-disabled-tests -- a wrapper: the caller's title and callback
  (POSTGRES_URL ? describe : describe.skip)(POSTGRES_URL ? name : `${name} (skipped: POSTGRES_URL is not set)`, fn);
}

export function randomSchema(prefix = "t"): string {
  return `essfed_${prefix}_${Math.random().toString(36).slice(2, 10)}`;
}

export async function freshPostgresStore(schema = randomSchema()): Promise<PostgresStore> {
  const s = new PostgresStore(POSTGRES_URL!, { schema, max: 4 });
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
