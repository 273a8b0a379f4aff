/**
 * The contract of the curation port (source policies, withheld records, the review queue), run
 * against every store adapter. Withholding must take a record out of every listing, count, index
 * and the change number's view; releasing must bring it back.
 */
import { afterEach, beforeEach, describe, expect, it } from "@jest/globals";
import type { Store } from "../../src/store/store.ts";
import { record } from "./store.contract.ts";
import { LOCAL_SOURCE } from "../../src/store/records.ts";

const AT = "2026-05-01T12:00:00.000Z";
const LEEDS = "https://leeds.example/actors/network";
const id = (n: number) => `https://leeds.example/initiatives/${n}`;

export function describeCurationContract(
  name: string,
  make: () => Promise<Store>,
  cleanup: (s: Store) => Promise<void>,
): void {
  describe(`Curation on a ${name}`, () => {
    let store: Store;
    beforeEach(async () => {
      store = await make();
    });
    afterEach(async () => {
      await cleanup(store);
    });

    const everywhere = async () => {
      await store.search.catchUp();
      const words = { words: ["bakery"], facets: {} };
      return {
        listed: (await store.listInitiatives({ limit: 100 })).items.map((r) => r.initiative.id).sort(),
        count: await store.countInitiatives(),
        fromLeeds: await store.countInitiatives(LEEDS),
        searched: (await store.search.search(words, 100)).items.map((r) => r.initiative.id).sort(),
        total: (await store.search.facets(words)).total,
        counted: await store.search.count(words),
        clustered: (await store.search.clusters({ facets: {} }, 0, 100)).clusters.reduce((n, c) => n + c.count, 0),
      };
    };

    it("keeps source policies for actors and domains, replaces and removes them.", async () => {
      const c = store.curation;
      await c.putPolicy({ source: LEEDS, policy: "review", reason: "new source", at: AT });
      await c.putPolicy({ source: "spam.example", policy: "block", at: AT });
      await c.putPolicy({ source: LEEDS, policy: "accept", at: AT });
      expect(await c.listPolicies()).toEqual([
        { source: LEEDS, policy: "accept", at: AT },
        { source: "spam.example", policy: "block", at: AT },
      ]);
      expect(await c.removePolicy("spam.example")).toBe(true);
      expect(await c.removePolicy("spam.example")).toBe(false);
      expect((await c.listPolicies()).map((p) => p.source)).toEqual([LEEDS]);
    });

    it("withholds records from every listing, count and index, and serves them again on release.", async () => {
      const c = store.curation;
      await store.putInitiatives(
        [1, 2, 3].map((n) => ({ ...record(id(n), `bakery ${n}`, undefined, LEEDS), signed: `{"n":${n}}` })),
      );
      const before = await everywhere();
      expect(before).toMatchObject({ count: 3, fromLeeds: 3, total: 3, counted: 3, clustered: 3 });
      const changeBefore = await store.changeNumber();
      expect(await c.withhold([id(2), "https://leeds.example/initiatives/none"], "hidden", AT, "wrong address")).toBe(
        1,
      );
      expect(await store.changeNumber()).toBeGreaterThan(changeBefore);
      expect(await store.getInitiative(id(2))).toBeUndefined();
      expect(await everywhere()).toEqual({
        listed: [id(1), id(3)],
        count: 2,
        fromLeeds: 2,
        searched: [id(1), id(3)],
        total: 2,
        counted: 2,
        clustered: 2,
      });
      const w = await c.getWithheld(id(2));
      expect(w).toEqual({
        record: { ...record(id(2), "bakery 2", undefined, LEEDS), signed: '{"n":2}' },
        state: "hidden",
        reason: "wrong address",
        at: AT,
      });
      expect([...(await c.getWithhelds([id(1), id(2)])).keys()]).toEqual([id(2)]);
      expect(await c.withheldIdsBySource(LEEDS)).toEqual([id(2)]);
      expect(await c.withheldIdsBySource(LEEDS, "blocked")).toEqual([]);

      expect(await c.release([id(2)], "blocked")).toEqual([]);
      expect(await c.release([id(2)])).toEqual([id(2)]);
      expect(await c.getWithheld(id(2))).toBeUndefined();
      expect((await store.getInitiative(id(2)))?.signed).toBe('{"n":2}');
      expect(await everywhere()).toEqual(before);
    });

    it("keeps a newer version of a withheld record withheld, and drops a released one deleted meanwhile.", async () => {
      const c = store.curation;
      await store.putInitiatives([
        record(id(1), "bakery one", undefined, LEEDS),
        record(id(2), "bakery two", undefined, LEEDS),
      ]);
      await c.withhold([id(1), id(2)], "blocked", AT);
      const newer = record(id(1), "bakery one renamed", "2026-04-01T00:00:00.000Z", LEEDS);
      await c.putWithheld(newer, "hidden", AT);
      expect(await c.getWithheld(id(1))).toEqual({ record: newer, state: "blocked", at: AT });
      // A never-served record can be withheld too (a rejected new record).
      await c.putWithheld(record(id(3), "bakery three", undefined, LEEDS), "hidden", AT, "rejected");
      expect(
        (await c.listWithheld({ limit: 10, state: "blocked" })).items.map((w) => w.record.initiative.id).sort(),
      ).toEqual([id(1), id(2)]);
      const page1 = await c.listWithheld({ limit: 2, source: LEEDS });
      const page2 = await c.listWithheld({ limit: 2, source: LEEDS, cursor: page1.next! });
      expect([...page1.items, ...page2.items].map((w) => w.record.initiative.id).sort()).toEqual([id(1), id(2), id(3)]);
      expect(page2.next).toBeUndefined();
      expect((await c.listWithheld({ limit: 10, source: LOCAL_SOURCE })).items).toEqual([]);

      await store.deleteInitiative({ id: id(2), deleted: "2026-06-01T00:00:00.000Z", origin: LEEDS });
      expect((await c.release([id(1), id(2)])).sort()).toEqual([id(1)]);
      expect((await store.getInitiative(id(1)))?.initiative.name).toBe("bakery one renamed");
      expect(await store.getInitiative(id(2))).toBeUndefined();
      expect(await c.dropWithheld(id(3))).toBe(true);
      expect(await c.dropWithheld(id(3))).toBe(false);
    });

    it("names the origins of served mirrored records.", async () => {
      await store.putInitiatives([
        record(id(1), "a", undefined, LEEDS),
        record(id(2), "b", undefined, "https://york.example/actors/n"),
        record("https://here.example/initiatives/x", "own"),
      ]);
      expect((await store.curation.servedSources()).sort()).toEqual([LEEDS, "https://york.example/actors/n"]);
    });

    it("queues changes (one waiting per record), reports and suggestions, oldest first, and takes each off once.", async () => {
      const c = store.curation;
      const v1 = { ...record(id(1), "bakery", undefined, LEEDS), signed: "{}" };
      const v2 = record(id(1), "bakery two", "2026-04-01T00:00:00.000Z", LEEDS);
      const a = await c.enqueue({ kind: "change", target: id(1), record: v1, text: "review", received: AT });
      const report = await c.enqueue({
        kind: "report",
        target: id(1),
        text: "this is spam",
        from: "https://m.example/actor",
        received: AT,
      });
      const b = await c.enqueue({ kind: "change", target: id(1), record: v2, text: "review", received: AT });
      await c.enqueue({ kind: "report", target: id(2), text: "closed", received: AT });
      expect(b.n).toBeGreaterThan(a.n);
      expect(await c.getQueued(a.n)).toBeUndefined();
      expect(await c.getQueued(b.n)).toEqual(b);
      expect(await c.getQueued(report.n)).toEqual(report);
      expect(await c.countQueue()).toBe(3);
      expect(await c.countQueue("report")).toBe(2);
      const p1 = await c.listQueue({ limit: 2 });
      const p2 = await c.listQueue({ limit: 2, cursor: p1.next! });
      expect([...p1.items, ...p2.items].map((i) => i.kind)).toEqual(["report", "change", "report"]);
      expect(p2.next).toBeUndefined();
      expect((await c.listQueue({ limit: 10, target: id(1) })).items.map((i) => i.n)).toEqual([report.n, b.n]);
      expect((await c.listQueue({ limit: 10, kind: "change" })).items).toEqual([b]);
      const takers = await Promise.all([c.dequeue([b.n, report.n]), c.dequeue([b.n])]);
      expect(
        takers
          .flat()
          .map((i) => i.n)
          .sort((x, y) => x - y),
      ).toEqual([report.n, b.n]);
      expect(await c.dequeue([b.n])).toEqual([]);
      expect(await c.dequeueTarget(id(2))).toBe(1);
      expect(await c.countQueue()).toBe(0);
    });
  });
}
