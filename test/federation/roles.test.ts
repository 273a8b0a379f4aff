/**
 * Issue 4's scale-out check: on PostgreSQL, one web process and two queue workers share one
 * database; one worker is killed with SIGKILL in the middle of a 10,000-activity stream. The
 * receiving network must end with all 10,000 initiatives, none stored twice.
 */
import { afterAll, beforeAll, expect, it } from "@jest/globals";
import { loadConfig } from "../../src/config.ts";
import { compose } from "../../src/compose.ts";
import type { InitiativeDraft } from "../../src/domain/validate.ts";
import type { Store } from "../../src/store/store.ts";
import { databaseUrl, dropSchema, randomSchema } from "../support/postgres.ts";
import { describePostgres } from "../support/describe-postgres.ts";
import { eventually, spawnInstance, type ProcessInstance } from "../support/process.ts";

const N = 10_000;

describePostgres("Web and worker processes on one PostgreSQL database", () => {
  const schema = randomSchema("roles");
  let web: ProcessInstance, workers: ProcessInstance[], receiver: ProcessInstance;
  let receiverStore: Store, senderStore: Store;

  // Four processes start, the receiver beside the sender's: each start of Node took 13 s at load 15.
  beforeAll(async () => {
    const receiving = spawnInstance("receiver");
    try {
      web = await spawnInstance("sender", {
        DATABASE_URL: databaseUrl(schema),
        ESSFED_ROLE: "web",
        ESSFED_DELIVERY_LEASE_SECONDS: "3",
      });
      workers = await Promise.all([0, 1].map(() => spawnInstance("sender", { ...web.env, ESSFED_ROLE: "worker" })));
    } finally {
      // Held even when the sender failed to start, so that afterAll stops it.
      receiver = await receiving;
    }
    [receiverStore, senderStore] = await Promise.all([receiver.openStoreCached(), web.openStoreCached()]);
  }, 180_000);

  afterAll(async () => {
    await Promise.all([web, ...(workers ?? []), receiver].map((p) => p?.destroy()));
    await dropSchema(schema);
  });

  it("deliver a 10,000-activity stream completely and once, though a worker is killed mid-stream.", async () => {
    // The receiver follows the sender: the Follow reaches the web process, the Accept goes out
    // through the workers, the (empty) back-fill runs.
    expect(
      (await receiver.api("/api/follows", { method: "POST", body: JSON.stringify({ target: web.actor }) })).status,
    ).toBe(202);
    await eventually(
      async () => (await receiverStore.getFollowing(web.actor))?.state === "accepted",
      20_000,
      "accepted",
    );

    // The stream: 10,000 new initiatives published by the sender (written through its directory).
    const publisher = await compose(loadConfig({ ...web.env, ESSFED_LOG_LEVEL: "error" }));
    try {
      for (let k = 0; k < N; k += 1000) {
        const drafts: InitiativeDraft[] = Array.from({ length: 1000 }, (_, n) => ({
          id: publisher.iris.initiative(`s-${k + n}`),
          name: `Stream Co-op ${k + n}`,
          organisationalStructure: ["OS60"],
        }));
        await publisher.directory.upsert(drafts);
      }
    } finally {
      await publisher.close();
    }

    // Kill one worker while deliveries are in flight.
    await eventually(async () => (await receiverStore.countInitiatives()) >= 1500, 120_000, "stream under way");
    await workers[0]!.stop("SIGKILL");
    const atKill = await receiverStore.countInitiatives();
    expect(atKill).toBeLessThan(N);

    await eventually(async () => (await receiverStore.countInitiatives()) >= N, 240_000, "all 10,000 delivered");
    await eventually(
      async () => (await senderStore.queue("delivery").pending()) === 0,
      30_000,
      "sender's queue drained",
    );
    // None twice: every record was stored once (a repeat would have taken a new change number).
    const all: number[] = [];
    let cursor: string | undefined;
    do {
      const page = await receiverStore.listInitiatives({ limit: 1000, ...(cursor ? { cursor } : {}) });
      all.push(...page.items.map((i) => i.seq));
      cursor = page.next;
    } while (cursor);
    expect(all).toHaveLength(N);
    expect(new Set(all).size).toBe(N);
    expect(Math.max(...all) - Math.min(...all) + 1).toBe(N);
  }, 400_000);
});
