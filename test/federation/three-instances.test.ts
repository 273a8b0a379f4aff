/**
 * Issue 3's end-to-end check: three essfed processes on 127.0.0.1 with their own SQLite files —
 * local → national → aggregator — chained by follows.
 */
import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import type { Store } from "../../src/store/store.ts";
import { createInitiative, eventually, spawnInstance, type ProcessInstance } from "../support/process.ts";
import { databaseUrl, dropSchema, randomSchema } from "../support/postgres.ts";
import { describePostgres } from "../support/describe-postgres.ts";

/** The whole scenario, with the aggregator's environment given (SQLite by default, or PostgreSQL). */
function describeThreeInstances(
  title: string,
  aggregatorEnv: () => Record<string, string>,
  after: () => Promise<void> = async () => {},
): void {
  let local: ProcessInstance, national: ProcessInstance, aggregator: ProcessInstance;
  let aggStore: Store, natStore: Store, localStore: Store;
  const existing: string[] = [];

  async function follow(from: ProcessInstance, to: ProcessInstance): Promise<void> {
    const res = await from.api("/api/follows", { method: "POST", body: JSON.stringify({ target: to.actor }) });
    expect(res.status).toBe(202);
    await eventually(
      async () => (await (await from.openStoreCached()).getFollowing(to.actor))?.state === "accepted",
      20_000,
      `${from.handle} → ${to.handle} accepted`,
    );
  }

  beforeAll(async () => {
    [local, national, aggregator] = await Promise.all([
      spawnInstance("local"),
      spawnInstance("national"),
      spawnInstance("aggregator", aggregatorEnv()),
    ]);
    [localStore, natStore, aggStore] = await Promise.all([
      local.openStoreCached(),
      national.openStoreCached(),
      aggregator.openStoreCached(),
    ]);
    for (const n of ["Leicester Bike Co-op", "Hebden Housing Co-op", "Brixton Energy"])
      existing.push(await createInitiative(local, n));
  }, 60_000);

  afterAll(async () => {
    await Promise.all([local, national, aggregator].map((p) => p?.destroy()));
    await after();
  });

  // eslint-disable-next-line jest/valid-title -- the title is the caller's
  describe(title, () => {
    it("back-fills existing records through the relay, with the origin verified and provenance kept.", async () => {
      await follow(national, local);
      await eventually(async () => (await natStore.countInitiatives()) === 3, 20_000, "national back-fill");
      await follow(aggregator, national);
      await eventually(async () => (await aggStore.countInitiatives()) === 3, 20_000, "aggregator back-fill");
      for (const id of existing) {
        const rec = await aggStore.getInitiative(id);
        expect(rec?.provenance?.origin).toBe(local.actor);
        expect(rec?.provenance?.via).toEqual([national.actor]);
        // The origin's signed document travelled with it.
        expect((JSON.parse(rec!.signed!) as { proof: { verificationMethod: string } }).proof.verificationMethod).toBe(
          `${local.actor}#multikey-2`,
        );
      }
    }, 60_000);

    it("carries a create, an update and a delete at the local network to the aggregator.", async () => {
      const id = await createInitiative(local, "Sheffield Food Co-op", { "geo:lat": 53.38 });
      const created = await eventually(async () => aggStore.getInitiative(id), 10_000, "create at aggregator");
      expect(created.initiative.name).toBe("Sheffield Food Co-op");
      expect(created.provenance).toEqual(expect.objectContaining({ origin: local.actor, via: [national.actor] }));

      const put = await local.api(new URL(id).pathname, {
        method: "PUT",
        headers: { "content-type": "application/ld+json" },
        body: JSON.stringify({
          "@context": { ess: "https://lod.coop/essglobal/2.1/vocab/", gr: "http://purl.org/goodrelations/v1#" },
          "@type": "ess:SSEInitiative",
          "gr:name": "Sheffield Food Co-operative",
        }),
      });
      expect(put.status).toBe(200);
      await eventually(
        async () => (await aggStore.getInitiative(id))?.initiative.name === "Sheffield Food Co-operative",
        10_000,
        "update at aggregator",
      );

      expect((await local.api(new URL(id).pathname, { method: "DELETE" })).status).toBe(204);
      await eventually(async () => Boolean(await aggStore.getTombstone(id)), 10_000, "delete at aggregator");
      expect(await aggStore.getInitiative(id)).toBeUndefined();
      expect(await natStore.getInitiative(id)).toBeUndefined();
    }, 60_000);

    it("absorbs a loop (the local network also follows the aggregator) without duplicates or endless relaying.", async () => {
      await follow(local, aggregator);
      const before = await Promise.all([localStore, natStore, aggStore].map((s) => s.countInitiatives()));
      const id = await createInitiative(local, "Loop Test Co-op");
      await eventually(async () => aggStore.getInitiative(id), 10_000, "create at aggregator");
      // Let any echo come back round the loop, then check nothing is still moving.
      await eventually(
        async () =>
          (await Promise.all([localStore, natStore, aggStore].map((s) => s.queue("delivery").pending()))).every(
            (n) => n === 0,
          ),
        10_000,
        "queues drained",
      );
      const seqs = await Promise.all([natStore, aggStore].map(async (s) => (await s.getInitiative(id))!.seq));
      await new Promise((r) => setTimeout(r, 500));
      expect(await Promise.all([natStore, aggStore].map(async (s) => (await s.getInitiative(id))!.seq))).toEqual(seqs);
      expect(await Promise.all([localStore, natStore, aggStore].map((s) => s.countInitiatives()))).toEqual(
        before.map((n) => n + 1),
      );
      // The local network's own record was never replaced by the copy that came back.
      expect((await localStore.getInitiative(id))!.provenance).toBeUndefined();
    }, 60_000);

    it("delivers everything to a peer that was stopped mid-stream once it is back.", async () => {
      const ids: string[] = [];
      for (let n = 0; n < 10; n++) ids.push(await createInitiative(local, `Stream Co-op ${n}`));
      await aggregator.stop("SIGKILL");
      for (let n = 10; n < 25; n++) ids.push(await createInitiative(local, `Stream Co-op ${n}`));
      await eventually(
        async () => (await Promise.all(ids.map((id) => natStore.getInitiative(id)))).every(Boolean),
        10_000,
        "national has the stream",
      );
      await new Promise((r) => setTimeout(r, 1500));
      await aggregator.start();
      await eventually(
        async () => (await Promise.all(ids.map((id) => aggStore.getInitiative(id)))).every(Boolean),
        45_000,
        "aggregator caught up",
      );
      expect(await aggStore.countInitiatives()).toBe(await natStore.countInitiatives());
    }, 90_000);
  });
}

describeThreeInstances("Three instances chained by follows", () => ({}));

describePostgres("With the aggregator on PostgreSQL", () => {
  const schema = randomSchema("agg");
  describeThreeInstances(
    "three instances chained by follows",
    () => ({ DATABASE_URL: databaseUrl(schema) }),
    () => dropSchema(schema),
  );
});
