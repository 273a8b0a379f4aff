/**
 * The outbox contract: a write and the messages it queues commit in one transaction. Run against
 * every store adapter.
 */
import { afterEach, beforeEach, describe, expect, it } from "@jest/globals";
import type { PutOutcome, Store } from "../../src/store/store.ts";
import { record } from "./store.contract.ts";

const T3 = "2026-04-01T00:00:00.000Z";
const id = (n: number) => `https://x.example/initiatives/o${n}`;

/** Takes (and handles) every ready message of a queue, in the order handed out. */
async function drain(store: Store, queue: string): Promise<unknown[]> {
  const q = store.queue(queue, { concurrency: 100 });
  const seen: unknown[] = [];
  const controller = new AbortController();
  const done = q.listen(
    (m: unknown) => {
      seen.push(m);
    },
    { signal: controller.signal },
  );
  // A deadline, not a count of polls: on a loaded machine 200 polls of 10 ms end before the queue is read.
  const end = Date.now() + 20_000;
  while ((await q.pending()) > 0 && Date.now() < end) await new Promise((r) => setTimeout(r, 10));
  controller.abort();
  await done;
  return seen;
}

export function describeOutboxContract(
  name: string,
  make: () => Promise<Store>,
  cleanup: (s: Store) => Promise<void>,
): void {
  describe(`A ${name}'s outbox`, () => {
    let store: Store;
    beforeEach(async () => {
      store = await make();
    });
    afterEach(async () => {
      await cleanup(store);
    });

    it("queues the messages the outcomes call for, in the write's transaction.", async () => {
      await store.putInitiatives([record(id(1), "One")]);
      let told: PutOutcome[] = [];
      const outcomes = await store.putInitiatives([record(id(1), "One"), record(id(2), "Two")], {
        queue: "outbox-test",
        messages: (o) => {
          told = o;
          return o.flatMap((outcome, n) => (outcome === "created" ? [{ n, outcome }] : []));
        },
      });
      expect(outcomes).toEqual(["unchanged", "created"]);
      expect(told).toEqual(outcomes);
      expect(await store.queue("outbox-test").pending()).toBe(1);
      expect(await drain(store, "outbox-test")).toEqual([{ n: 1, outcome: "created" }]);
    });

    it("stores nothing and queues nothing when the outbox fails.", async () => {
      await expect(
        store.putInitiatives([record(id(3), "Three")], {
          queue: "outbox-test",
          messages: () => {
            throw new Error("cannot build the activity");
          },
        }),
      ).rejects.toThrow("cannot build the activity");
      expect(await store.getInitiative(id(3))).toBeUndefined();
      expect(await store.queue("outbox-test").pending()).toBe(0);
      await expect(
        store.deleteInitiative(
          { id: id(3), deleted: T3 },
          {
            queue: "outbox-test",
            messages: () => {
              throw new Error("no");
            },
          },
        ),
      ).rejects.toThrow("no");
      expect(await store.getTombstone(id(3))).toBeUndefined();
    });

    it("queues a delete's messages with the tombstone, told whether a record went.", async () => {
      await store.putInitiatives([record(id(4), "Four")]);
      const told: boolean[] = [];
      const outbox = {
        queue: "outbox-test",
        messages: (removed: boolean) => {
          told.push(removed);
          return removed ? [{ deleted: true }] : [];
        },
      };
      expect(await store.deleteInitiative({ id: id(4), deleted: T3 }, outbox)).toBe(true);
      expect(await store.deleteInitiative({ id: id(5), deleted: T3 }, outbox)).toBe(false);
      expect(told).toEqual([true, false]);
      expect(await store.getTombstone(id(5))).toBeDefined();
      expect(await drain(store, "outbox-test")).toEqual([{ deleted: true }]);
    });

    it("queues a purge's messages with the purge, told how many went, and keeps the copy if they fail.", async () => {
      await store.putInitiatives([record(id(6), "Six")]);
      const told: number[] = [];
      const outbox = {
        queue: "outbox-test",
        messages: (removed: number) => {
          told.push(removed);
          return removed ? [{ purged: removed }] : [];
        },
      };
      const failing = {
        queue: "outbox-test",
        messages: (): unknown[] => {
          throw new Error("no withdrawal");
        },
      };
      await expect(store.purgeInitiatives([id(6)], failing)).rejects.toThrow("no withdrawal");
      expect(await store.getInitiative(id(6))).toBeDefined();
      expect(await store.purgeInitiatives([id(6)], outbox)).toBe(1);
      expect(await store.purgeInitiatives([id(6)], outbox)).toBe(0);
      expect(told).toEqual([1, 0]);
      expect(await store.getInitiative(id(6))).toBeUndefined();
      expect(await store.getTombstone(id(6))).toBeUndefined();
      expect(await drain(store, "outbox-test")).toEqual([{ purged: 1 }]);
    });

    it("queues curation's withdrawals and announcements with the records it withholds and serves again.", async () => {
      await store.putInitiatives([record(id(6), "Six"), record(id(7), "Seven")]);
      const told = (verb: string) => ({
        queue: "outbox-test",
        messages: (records: { initiative: { id: string } }[]) => records.map((r) => ({ verb, id: r.initiative.id })),
      });
      const c = store.curation;
      // Only the records that moved are told: id(8) was never served, and is never released.
      expect(await c.withhold([id(6), id(7), id(8)], "hidden", T3, "test", told("withdraw"))).toBe(2);
      expect(await c.release([id(6), id(8)], "hidden", told("announce"))).toEqual([id(6)]);
      const seen = (await drain(store, "outbox-test")) as { verb: string; id: string }[];
      expect(seen.sort((a, b) => (a.verb + a.id).localeCompare(b.verb + b.id))).toEqual([
        { verb: "announce", id: id(6) },
        { verb: "withdraw", id: id(6) },
        { verb: "withdraw", id: id(7) },
      ]);
    });

    it("neither withholds nor serves again when the outbox fails.", async () => {
      await store.putInitiatives([record(id(9), "Nine"), record(id(10), "Ten")]);
      const failing = {
        queue: "outbox-test",
        messages: () => {
          throw new Error("cannot build the activity");
        },
      };
      const c = store.curation;
      await expect(c.withhold([id(9)], "hidden", T3, "test", failing)).rejects.toThrow("cannot build");
      expect(await store.getInitiative(id(9))).toBeDefined();
      expect(await c.getWithheld(id(9))).toBeUndefined();
      await c.withhold([id(10)], "hidden", T3, "test");
      await expect(c.release([id(10)], "hidden", failing)).rejects.toThrow("cannot build");
      expect(await store.getInitiative(id(10))).toBeUndefined();
      expect((await c.getWithheld(id(10)))?.state).toBe("hidden");
      expect(await store.queue("outbox-test").pending()).toBe(0);
    });
  });
}
