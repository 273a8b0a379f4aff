import type pg from "pg";
import { ignoreFailure } from "../../logging.ts";

/** Runs `fn` in one transaction on a pooled connection: committed if it returns, rolled back if it throws. */
export async function withTransaction<T>(pool: pg.Pool, fn: (c: pg.PoolClient) => Promise<T>): Promise<T> {
  const client = await pool.connect();
  try {
    await client.query("BEGIN");
    const out = await fn(client);
    await client.query("COMMIT");
    return out;
  } catch (e) {
    // The error thrown is the one that matters; a failed ROLLBACK means a lost connection, which
    // PostgreSQL rolls back itself.
    await client.query("ROLLBACK").catch(ignoreFailure("pg-rollback"));
    throw e;
  } finally {
    client.release();
  }
}
