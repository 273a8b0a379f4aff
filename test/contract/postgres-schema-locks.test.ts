/**
 * The advisory locks that serialise one instance's writers on PostgreSQL (a key-value entry's compare-and-set, a
 * record's change queued for review) are scoped by schema: an instance in a schema of its own, sharing the database
 * with another, does not wait for the other's lock on the same key or record, while its own writers still wait.
 */
import { afterAll, beforeAll, expect, it } from "@jest/globals";
import pg from "pg";
import { REVIEW_LOCK_SQL } from "../../src/store/postgres/curation.postgres.ts";
import { KV_LOCK_SQL } from "../../src/store/postgres/kv.postgres.ts";
import type { PostgresStore } from "../../src/store/postgres/store.postgres.ts";
import { describePostgres } from "../support/describe-postgres.ts";
import { databaseUrl, freshPostgresStore, randomSchema } from "../support/postgres.ts";
import { record } from "./store.contract.ts";

const TARGET = "https://x.example/initiatives/locked";
/** Whether `p` settles within `ms`; a write that waits for a lock does not. */
const settles = (p: Promise<unknown>, ms: number) =>
  Promise.race([p.then(() => true), new Promise<boolean>((r) => setTimeout(() => r(false), ms))]);

describePostgres("Advisory locks scoped by schema on PostgreSQL", () => {
  let schemas: [string, string];
  let stores: [PostgresStore, PostgresStore];
  beforeAll(async () => {
    schemas = [randomSchema("locka"), randomSchema("lockb")];
    stores = [await freshPostgresStore(schemas[0]), await freshPostgresStore(schemas[1])];
  });
  afterAll(async () => {
    for (const s of stores) {
      await s.drop();
      await s.close();
    }
  });

  const cases: [string, string, unknown, (s: PostgresStore) => Promise<unknown>][] = [
    ["a key-value compare-and-set", KV_LOCK_SQL, JSON.stringify(["k"]), (s) => s.kv.cas(["k"], undefined, 1)],
    [
      "a change queued for review",
      REVIEW_LOCK_SQL,
      TARGET,
      (s) =>
        s.curation.enqueue({
          kind: "change",
          target: TARGET,
          record: record(TARGET, "Locked"),
          received: "2026-01-01",
        }),
    ],
  ];

  it.each(cases)("%s waits for its own instance's lock only.", async (_, sql, parameter, write) => {
    // Schema A's lock held, as one of its writers holds it mid-transaction.
    const holder = new pg.Client({ connectionString: databaseUrl(schemas[0]) });
    await holder.connect();
    try {
      await holder.query("BEGIN");
      await holder.query(sql, [parameter]);
      expect(await settles(write(stores[1]), 5000)).toBe(true);
      const own = write(stores[0]);
      expect(await settles(own, 300)).toBe(false);
      await holder.query("COMMIT");
      expect(await settles(own, 5000)).toBe(true);
    } finally {
      await holder.end();
    }
  });
});
