import type pg from "pg";
import { ignoreFailure } from "../../logging.ts";

/** What a transaction sends with its BEGIN and its COMMIT, in the same round trip. */
export interface TransactionFrame {
  /** Statements after BEGIN (no parameters), e.g. `SET LOCAL synchronous_commit = off`. */
  begin?: string[];
  /** Statements after COMMIT (no parameters), given the transaction's result, e.g. NOTIFYs. */
  commit?: (c: pg.PoolClient) => string[];
}

/**
 * Runs `fn` in one transaction on a pooled connection: committed if it returns, rolled back if it
 * throws. What `frame` adds to the BEGIN and the COMMIT goes in the same message (one round trip
 * each), which is why it takes no parameters.
 */
export async function withTransaction<T>(
  pool: pg.Pool,
  fn: (c: pg.PoolClient) => Promise<T>,
  frame: TransactionFrame = {},
): Promise<T> {
  const client = await pool.connect();
  try {
    await client.query(["BEGIN", ...(frame.begin ?? [])].join("; "));
    const out = await fn(client);
    await client.query(["COMMIT", ...(frame.commit?.(client) ?? [])].join("; "));
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
