/**
 * Mirror writes that arrive together are written together (group commit in the writer), on both
 * stores: each caller still gets the outcomes of its own records, in order, as if the writes had
 * gone one after the other, and its own messages queued; a write that cannot be stored fails its
 * own caller only.
 */
import { afterEach, beforeEach, describe, expect, it } from "@jest/globals";
import { SqliteStore } from "../../src/store/sqlite/store.sqlite.ts";
import type { PostgresStore } from "../../src/store/postgres/store.postgres.ts";
import type { Store } from "../../src/store/store.ts";
import { DELIVERY_QUEUE, InitiativeWriter } from "../../src/write/writer.ts";
import { record } from "../contract/store.contract.ts";
import { describePostgres } from "../support/describe-postgres.ts";
import { freshPostgresStore } from "../support/postgres.ts";

const ORIGIN = "https://national.example/actors/national";
const id = (n: number) => `https://national.example/initiatives/m${n}`;
const T2 = "2026-03-01T00:00:00.000Z";

function describeGroups(name: string, make: () => Promise<Store>, cleanup: (s: Store) => Promise<void>) {
  describe(`Grouped mirror writes on ${name}`, () => {
    let store: Store;
    beforeEach(async () => {
      store = await make();
    });
    afterEach(async () => {
      await cleanup(store);
    });

    it("give each caller its own outcomes and queue its own messages.", async () => {
      const writer = new InitiativeWriter(store);
      const announce = (k: number) => (outcomes: string[]) =>
        outcomes.flatMap((o, j) => (o === "created" || o === "updated" ? [{ caller: k, j, o }] : []));
      // Forty-four writes at once. The first four take the slots; the forty others wait and go as
      // one group when a slot frees: callers 4-33 write records 0-29, callers 34-43 records 0-9
      // again, the odd ones in a newer version. Within a group the outcomes are those of the
      // writes one after the other.
      const write = (k: number) => {
        if (k < 4) return record(`${id(k)}-first`, `First ${k}`, undefined, ORIGIN);
        if (k < 34) return record(id(k - 4), `Co-op ${k - 4}`, undefined, ORIGIN);
        const n = k - 34;
        return n % 2 ? record(id(n), `Co-op ${n} (new)`, T2, ORIGIN) : record(id(n), `Co-op ${n}`, undefined, ORIGIN);
      };
      const put = store.putInitiatives.bind(store);
      let transactions = 0;
      store.putInitiatives = (...args) => {
        transactions++;
        return put(...args);
      };
      const results = await Promise.all(Array.from({ length: 44 }, (_x, k) => writer.mirror([write(k)], announce(k))));
      expect(transactions).toBe(5);
      expect(results.slice(0, 34)).toEqual(Array.from({ length: 34 }, () => ["created"]));
      expect(results.slice(34)).toEqual(Array.from({ length: 10 }, (_x, n) => [n % 2 ? "updated" : "unchanged"]));
      expect(await store.countInitiatives()).toBe(34);
      expect((await store.getInitiative(id(1)))?.initiative.name).toBe("Co-op 1 (new)");
      expect(await store.queue(DELIVERY_QUEUE).pending()).toBe(39);
    });

    it("keep one write that cannot be stored from failing the others.", async () => {
      const writer = new InitiativeWriter(store);
      const bad = record(id(99), "Broken", undefined, ORIGIN);
      // Stores refuse the record at the database (PostgreSQL's jsonb holds no NUL character); SQLite
      // is made to refuse it by a message builder that throws for its caller alone.
      bad.initiative.description = "nul \u0000 here";
      const refuse = () => {
        throw new Error("cannot announce this one");
      };
      const results = await Promise.allSettled(
        Array.from({ length: 12 }, (_x, k) =>
          k === 7 ? writer.mirror([bad], refuse) : writer.mirror([record(id(k), `Co-op ${k}`, undefined, ORIGIN)]),
        ),
      );
      expect(results.map((r) => r.status)).toEqual(
        Array.from({ length: 12 }, (_x, k) => (k === 7 ? "rejected" : "fulfilled")),
      );
      expect(await store.countInitiatives()).toBe(11);
      expect(await store.getInitiative(id(99))).toBeUndefined();
    });
  });
}

describeGroups(
  "SQLite",
  async () => {
    const s = new SqliteStore(":memory:");
    await s.initialize();
    return s;
  },
  (s) => s.close(),
);

describePostgres("PostgreSQL", () => {
  describeGroups(
    "PostgreSQL",
    () => freshPostgresStore(),
    async (s) => {
      await (s as PostgresStore).drop();
      await s.close();
    },
  );
});
