import { describe, expect, it } from "@jest/globals";
import { testMessageQueue } from "@fedify/testing";
import { emptyInitiative, type InitiativeRecord } from "../../src/domain/initiative.ts";
import { versionOf } from "../../src/domain/version.ts";
import type { PostgresStore } from "../../src/store/postgres/store.postgres.ts";
import { freshPostgresStore, randomSchema } from "../support/postgres.ts";
import { describePostgres } from "../support/describe-postgres.ts";
import { describeStoreContract } from "./store.contract.ts";
import { describeTermsContract } from "./terms.contract.ts";
import { describeSearchContract } from "./search.contract.ts";
import { describeQueueBehaviour } from "./queue.behaviour.ts";
import { describeAccountsContract } from "./accounts.contract.ts";
import { describeCurationContract } from "./curation.contract.ts";
import { describeDuplicatesContract } from "./duplicates.contract.ts";
import { describeOutboxContract } from "./outbox.contract.ts";
import { describeCollapseContract } from "./collapse.contract.ts";
import { LOCAL_SOURCE } from "../../src/store/records.ts";

describePostgres("PostgreSQL", () => {
  describeStoreContract(
    "PostgresStore",
    () => freshPostgresStore(),
    async (s) => {
      await (s as PostgresStore).drop();
      await s.close();
    },
  );

  describeOutboxContract(
    "PostgresStore",
    () => freshPostgresStore(),
    async (s) => {
      await (s as PostgresStore).drop();
      await s.close();
    },
  );

  describeAccountsContract(
    "PostgresStore",
    () => freshPostgresStore(),
    async (s) => {
      await (s as PostgresStore).drop();
      await s.close();
    },
  );

  describeCurationContract(
    "PostgresStore",
    () => freshPostgresStore(),
    async (s) => {
      await (s as PostgresStore).drop();
      await s.close();
    },
  );

  describeDuplicatesContract(
    "PostgresStore",
    () => freshPostgresStore(),
    async (s) => {
      await (s as PostgresStore).drop();
      await s.close();
    },
  );

  describeTermsContract(
    "PostgresStore",
    () => freshPostgresStore(),
    async (s) => {
      await (s as PostgresStore).drop();
      await s.close();
    },
  );

  describeCollapseContract(
    "PostgresStore",
    () => freshPostgresStore(),
    async (s) => {
      await (s as PostgresStore).drop();
      await s.close();
    },
  );

  describeSearchContract(
    "PostgresStore",
    () => freshPostgresStore(),
    async (s) => {
      await (s as PostgresStore).drop();
      await s.close();
    },
  );

  // Tiny thresholds: every query walks a short window and then falls back to the indexes.
  describeSearchContract(
    "PostgresStore (window and fallback paths)",
    () => freshPostgresStore(randomSchema(), { searchTuning: { window: 40, geoDriven: 0, pageShare: 0 } }),
    async (s) => {
      await (s as PostgresStore).drop();
      await s.close();
    },
  );

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
  describeQueueBehaviour("PostgresStore", () => ({
    open: () => freshPostgresStore(schema),
    cleanup: async () => {
      const s = await freshPostgresStore(schema);
      await s.drop();
      await s.close();
    },
  }));
});

describePostgres("PostgreSQL counts", () => {
  const S = "https://lod.coop/essglobal/2.1/standard/countries-iso/";
  const records = Array.from({ length: 2000 }, (_, k): InitiativeRecord => {
    const initiative = {
      ...emptyInitiative(`https://here.example/initiatives/p${k}`, `${k % 5 < 2 ? "bakery" : "garage"} ${k}`),
      country: `${S}${k % 2 ? "GB" : "FR"}`,
    };
    return {
      initiative,
      published: "2026-01-01T00:00:00Z",
      updated: "2026-01-01T00:00:00Z",
      version: versionOf(initiative),
    };
  });
  const near = (got: number, want: number) => expect(Math.abs(got - want) / want).toBeLessThan(0.3);

  it("estimates facet counts from a sample when the match set may be too large to count, and says so.", async () => {
    const s = await freshPostgresStore(randomSchema(), { searchTuning: { exactMax: 100, sampleRows: 600 } });
    try {
      await s.putInitiatives(records);
      // As autovacuum would: the planner's estimates bound the match set.
      await s.pool.query("ANALYZE initiative_search");
      const f = { words: ["bakery"], facets: {} };
      const sampled = await s.search.facets(f);
      expect(sampled.approximate).toBe(true);
      near(sampled.total, 800);
      for (const c of sampled.counts.country) near(c.count, 400);
      // A match set known to be small is counted exactly.
      const small = await s.search.facets({ words: ["bakery", "12"], facets: {} });
      expect(small).toEqual(
        expect.objectContaining({
          approximate: false,
          total: records.filter((r) => /^bakery 12/.test(r.initiative.name)).length,
        }),
      );
    } finally {
      await s.drop();
      await s.close();
    }
  });

  it("counts map clusters over a wide box on a sample when very many records may match, and says so.", async () => {
    const s = await freshPostgresStore(randomSchema(), {
      searchTuning: { geoClusters: 100, clusterExactMax: 100, clusterSampleRows: 600 },
    });
    try {
      // 40 % bakeries, spread evenly over 10° × 10°.
      await s.putInitiatives(
        records.map((r, k) => ({
          ...r,
          initiative: { ...r.initiative, address: { lat: 40 + (k % 40) / 4, long: Math.floor(k / 40) / 5 } },
        })),
      );
      await s.pool.query("ANALYZE initiative_search");
      const bbox = { minLat: 39, maxLat: 51, minLon: -1, maxLon: 11 };
      const sampled = await s.search.clusters({ words: ["bakery"], bbox, facets: {} }, 5, 1000);
      expect(sampled.approximate).toBe(true);
      near(
        sampled.clusters.reduce((n, c) => n + c.count, 0),
        800,
      );
      for (const c of sampled.clusters) expect(c.id).toBeUndefined(); // a scaled count names no single record
      // Few expected matches, or a box small enough to drive: exact.
      const rare = await s.search.clusters({ words: ["bakery", "12"], bbox, facets: {} }, 5, 1000);
      expect(rare.approximate).toBe(false);
      expect(rare.clusters.reduce((n, c) => n + c.count, 0)).toBe(
        records.filter((r) => /^bakery 12/.test(r.initiative.name)).length,
      );
      const small = await s.search.clusters(
        { words: ["bakery"], bbox: { minLat: 39, maxLat: 40.1, minLon: -1, maxLon: 11 }, facets: {} },
        5,
        1000,
      );
      expect(small.approximate).toBe(false);
      expect(small.clusters.reduce((n, c) => n + c.count, 0)).toBe(
        records.filter((r, k) => r.initiative.name.startsWith("bakery") && k % 40 < 1).length,
      );
    } finally {
      await s.drop();
      await s.close();
    }
  });

  it("counts records, by source and by single facets, from the kept counts, exactly, whichever connections wrote them.", async () => {
    const s = await freshPostgresStore();
    try {
      // Written and deleted in parallel over the pool's connections: each counter has a shard per writer.
      await Promise.all([0, 1, 2, 3].map((k) => s.putInitiatives(records.slice(k * 500, k * 500 + 500))));
      await Promise.all(
        records.slice(0, 8).map((r) => s.deleteInitiative({ id: r.initiative.id, deleted: "2026-01-02T00:00:00Z" })),
      );
      const all = await s.search.facets({ facets: {} });
      expect(all.counts.country.map((c) => [c.value.slice(S.length), c.count]).sort()).toEqual([
        ["FR", 996],
        ["GB", 996],
      ]);
      expect(all.total).toBe(1992);
      expect(await s.countInitiatives()).toBe(1992);
      expect(await s.countInitiatives(LOCAL_SOURCE)).toBe(1992);
      expect(await s.countInitiatives("https://elsewhere.example/actors/n")).toBe(0);
      expect(await s.search.count({ facets: { country: [`${S}GB`, `${S}FR`] } })).toBe(1992);
      expect(await s.search.count({ facets: { country: [`${S}FR`] } })).toBe(996);
      expect(await s.search.count({ words: ["garage"], facets: { country: [`${S}FR`] } })).toBe(
        records.slice(8).filter((r) => r.initiative.name.startsWith("garage") && r.initiative.country!.endsWith("FR"))
          .length,
      );
    } finally {
      await s.drop();
      await s.close();
    }
  });
});
