/**
 * How many advisory locks a write takes on PostgreSQL, and that large writes at once still work.
 * Advisory locks take room in the server's shared lock table; a lock per IRI for batches of
 * thousands made a few concurrent imports or back-fill pages fail with "out of shared memory".
 */
import { afterAll, beforeAll, expect, it } from "@jest/globals";
import pg from "pg";
import { IRI_LOCKS_MAX, lockIrisSql, type PostgresStore } from "../../src/store/postgres/store.postgres.ts";
import { describePostgres } from "../support/describe-postgres.ts";
import { databaseUrl, freshPostgresStore, randomSchema } from "../support/postgres.ts";
import { record } from "./store.contract.ts";

const iris = (prefix: string, n: number) => Array.from({ length: n }, (_, k) => `https://x.example/${prefix}/${k}`);

describePostgres("Write locks on PostgreSQL", () => {
  let schema: string;
  let a: PostgresStore;
  let b: PostgresStore;
  beforeAll(async () => {
    schema = randomSchema("locks");
    a = await freshPostgresStore(schema);
    b = await freshPostgresStore(schema);
  });
  afterAll(async () => {
    await b.close();
    await a.drop();
    await a.close();
  });

  /** The advisory locks a session holds after running `sql` in a transaction. */
  async function locksAfter(sql: string): Promise<{ shared: number; exclusive: number }> {
    const c = new pg.Client({ connectionString: databaseUrl(schema) });
    await c.connect();
    try {
      await c.query(`BEGIN; ${sql}`);
      const { rows } = await c.query<{ mode: string; n: string }>(
        `SELECT mode, count(*) AS n FROM pg_locks WHERE locktype = 'advisory' AND pid = pg_backend_pid() GROUP BY mode`,
      );
      await c.query("ROLLBACK");
      const n = (mode: string) => Number(rows.find((r) => r.mode === mode)?.n ?? 0);
      return { shared: n("ShareLock"), exclusive: n("ExclusiveLock") };
    } finally {
      await c.end();
    }
  }

  it("a small write holds the schema's lock shared and one lock per distinct IRI; a large one a single lock.", async () => {
    expect(
      await locksAfter(lockIrisSql(["https://x.example/a", "https://x.example/b", "https://x.example/a"])),
    ).toEqual({ shared: 1, exclusive: 2 });
    expect(await locksAfter(lockIrisSql(iris("small", IRI_LOCKS_MAX)))).toEqual({
      shared: 1,
      exclusive: IRI_LOCKS_MAX,
    });
    expect(await locksAfter(lockIrisSql(iris("large", 5000)))).toEqual({ shared: 0, exclusive: 1 });
  });

  it("eight batches of 2,000 new records at once from two processes are all written.", async () => {
    const batches = Array.from({ length: 8 }, (_, k) => iris(`batch${k}`, 2000).map((id) => record(id, `Co-op ${id}`)));
    const settled = await Promise.allSettled(batches.map((batch, k) => (k % 2 ? a : b).putInitiatives(batch)));
    const failures = settled.flatMap((r) => (r.status === "rejected" ? [String((r.reason as Error).message)] : []));
    expect(failures).toEqual([]);
    const created = settled.reduce(
      (n, r) => n + (r.status === "fulfilled" ? r.value.filter((o) => o === "created").length : 0),
      0,
    );
    expect(created).toBe(16_000);
    expect(await a.countInitiatives()).toBe(16_000);
  }, 120_000);

  it("a large batch and small writes of the same new records at once: each record is created once.", async () => {
    const ids = iris("overlap", 500);
    const large = a.putInitiatives(ids.map((id) => record(id, "Overlap")));
    const small = Promise.all(ids.slice(0, 20).map((id) => b.putInitiatives([record(id, "Overlap")])));
    const [x, y] = await Promise.all([large, small]);
    const all = [...x, ...y.flat()];
    expect(all.filter((o) => o === "created")).toHaveLength(500);
    expect(all.filter((o) => o === "unchanged")).toHaveLength(20);
  }, 60_000);
});
