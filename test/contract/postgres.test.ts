import { describe, expect, it } from "@jest/globals";
import { testMessageQueue } from "@fedify/testing";
import type { PostgresStore } from "../../src/store/postgres/store.postgres.ts";
import { freshPostgresStore, randomSchema } from "../support/postgres.ts";
import { describePostgres } from "../support/describe-postgres.ts";
import { describeStoreContract } from "./store.contract.ts";
import { describeSearchContract } from "./search.contract.ts";
import { describeQueueBehaviour } from "./queue.behaviour.ts";

describePostgres("PostgreSQL", () => {
  describeStoreContract("PostgresStore", () => freshPostgresStore(), async (s) => {
    await (s as PostgresStore).drop();
    await s.close();
  });

  describeSearchContract("PostgresStore", () => freshPostgresStore(), async (s) => {
    await (s as PostgresStore).drop();
    await s.close();
  });

  // Tiny thresholds: every query walks a short window and then falls back to the indexes.
  describeSearchContract("PostgresStore (window and fallback paths)", () => freshPostgresStore(randomSchema(), { searchTuning: { window: 40, geoDriven: 0 } }), async (s) => {
    await (s as PostgresStore).drop();
    await s.close();
  });

  describe("PostgresStore queues", () => {
    it("pass Fedify's MessageQueue test suite, ordering keys included.", async () => {
      const schema = randomSchema("mq");
      const stores: PostgresStore[] = [];
      await testMessageQueue(
        async () => {
          const s = await freshPostgresStore(schema);
          stores.push(s);
          return s.queue("fedify", { pollMs: 200 });
        },
        async ({ controller }) => {
          controller.abort();
          await stores[0]!.drop();
          for (const s of stores) await s.close();
        },
        { testOrderingKey: true },
      );
      expect(stores).toHaveLength(2);
    }, 60_000);
  });

  const schema = randomSchema("qb");
  describeQueueBehaviour("PostgresStore", async () => ({
    open: () => freshPostgresStore(schema),
    cleanup: async () => {
      const s = await freshPostgresStore(schema);
      await s.drop();
      await s.close();
    },
  }));
});
