/**
 * Queue behaviour essfed relies on beyond Fedify's contract: a message whose listener dies is
 * handed out again after its lease; a failing handler is retried; depth and pending counts;
 * two listeners never get the same message. Run per adapter.
 */
import { describe, expect, it } from "@jest/globals";
import { Temporal } from "@js-temporal/polyfill";
import { RetryPolicy } from "../../src/store/retry.ts";
import type { Store } from "../../src/store/store.ts";

export interface QueueFixture {
  /** Opens a new store object on the same database (another "process"). */
  open(): Promise<Store>;
  cleanup(): Promise<void>;
}

const until = async (check: () => boolean | Promise<boolean>, ms = 10_000) => {
  const end = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > end) throw new Error("timed out");
    await new Promise((r) => setTimeout(r, 20));
  }
};

export function describeQueueBehaviour(name: string, fixture: () => QueueFixture | Promise<QueueFixture>): void {
  describe(`${name} queues`, () => {
    it("hand each of many messages to exactly one of several listeners.", async () => {
      const f = await fixture();
      const [a, b] = [await f.open(), await f.open()];
      const q = `race-${Math.random().toString(36).slice(2)}`;
      const seen: number[] = [];
      const controller = new AbortController();
      const listen = (s: Store) =>
        s.queue(q, { concurrency: 8, pollMs: 20 }).listen(
          (m: number) => {
            seen.push(m);
            return Promise.resolve();
          },
          { signal: controller.signal },
        );
      const done = [listen(a), listen(b)];
      await a.queue(q).enqueueMany(Array.from({ length: 500 }, (_, k) => k));
      await until(() => seen.length >= 500);
      await new Promise((r) => setTimeout(r, 200));
      controller.abort();
      await Promise.all(done);
      expect(seen.length).toBe(500);
      expect(new Set(seen).size).toBe(500);
      expect(await a.queue(q).pending()).toBe(0);
      await a.close();
      await b.close();
      await f.cleanup();
    }, 30_000);

    it("hand a message out again when its listener died holding it, after the lease.", async () => {
      const f = await fixture();
      const [a, b] = [await f.open(), await f.open()];
      const q = `lease-${Math.random().toString(36).slice(2)}`;
      await a.queue(q).enqueue("important");
      // The first listener takes the message and never finishes (as if its process were killed).
      const dying = new AbortController();
      let taken = false;
      void a.queue(q, { leaseMs: 500, pollMs: 20 }).listen(
        () => {
          taken = true;
          return new Promise(() => {});
        },
        { signal: dying.signal },
      );
      await until(() => taken);
      expect(await b.queue(q).getDepth()).toEqual({ queued: 0, ready: 0, delayed: 0 });
      const got: string[] = [];
      const controller = new AbortController();
      const listening = b.queue(q, { pollMs: 20 }).listen(
        (m: string) => {
          got.push(m);
        },
        { signal: controller.signal },
      );
      await until(() => got.length > 0, 5000);
      controller.abort();
      await listening;
      expect(got).toEqual(["important"]);
      expect(await b.queue(q).pending()).toBe(0);
      dying.abort();
      // The dead listener's handler never returns; its store is simply closed, as a killed process's would be.
      await a.close();
      await b.close();
      await f.cleanup();
    }, 30_000);

    it("retry a message whose handler throws, and report it as delayed meanwhile.", async () => {
      const f = await fixture();
      const s = await f.open();
      const q = `retry-${Math.random().toString(36).slice(2)}`;
      await s.queue(q).enqueue({ n: 1 });
      let calls = 0;
      const controller = new AbortController();
      const listening = s.queue(q, { pollMs: 20 }).listen(
        () => {
          calls++;
          if (calls === 1) throw new Error("transient");
        },
        { signal: controller.signal },
      );
      await until(() => calls === 1);
      await until(async () => (await s.queue(q).getDepth()).delayed === 1);
      await until(() => calls === 2, 5000);
      controller.abort();
      await listening;
      expect(await s.queue(q).pending()).toBe(0);
      await s.close();
      await f.cleanup();
    }, 30_000);

    it("drop a message when the retry policy gives up on it, after its last attempt.", async () => {
      const f = await fixture();
      const s = await f.open();
      const q = `give-up-${Math.random().toString(36).slice(2)}`;
      await s.queue(q).enqueue({ n: 1 });
      let calls = 0;
      const controller = new AbortController();
      const retry = new RetryPolicy({ baseMs: 10, jitter: 0, maxAttempts: 3 });
      const listening = s.queue(q, { pollMs: 20, retry }).listen(
        () => {
          calls++;
          throw new Error("always");
        },
        { signal: controller.signal },
      );
      await until(async () => calls === 3 && (await s.queue(q).pending()) === 0);
      await new Promise((r) => setTimeout(r, 100));
      controller.abort();
      await listening;
      expect(calls).toBe(3);
      await s.close();
      await f.cleanup();
    }, 30_000);

    it("count messages for each value of a payload field: ready, delayed, and when the next is due.", async () => {
      const f = await fixture();
      const s = await f.open();
      const q = `by-${Math.random().toString(36).slice(2)}`;
      const queue = s.queue(q);
      await queue.enqueueMany([
        { inbox: "https://a.example/inbox" },
        { inbox: "https://a.example/inbox" },
        { inbox: "https://b.example/inbox" },
      ]);
      const before = Date.now();
      await queue.enqueue({ inbox: "https://b.example/inbox" }, { delay: Temporal.Duration.from({ seconds: 60 }) });
      const rows = await queue.countsBy("inbox");
      expect(rows.find((r) => r.value === "https://a.example/inbox")).toEqual({
        value: "https://a.example/inbox",
        total: 2,
        ready: 2,
        delayed: 0,
      });
      const b = rows.find((r) => r.value === "https://b.example/inbox")!;
      expect(b).toEqual(expect.objectContaining({ total: 2, ready: 1, delayed: 1 }));
      expect(b.nextVisibleAt).toBeGreaterThanOrEqual(before + 59_000);
      // The whole queue, and since when its longest-waiting ready message has waited.
      const all = await queue.counts();
      expect(all).toEqual(expect.objectContaining({ total: 4, ready: 3, delayed: 1 }));
      expect(all.oldestReadyAt).toBeLessThanOrEqual(before);
      expect(all.oldestReadyAt).toBeGreaterThan(before - 30_000);
      expect((await s.queue(`${q}-empty`).counts()).oldestReadyAt).toBeUndefined();
      await s.close();
      await f.cleanup();
    }, 30_000);
  });
}
