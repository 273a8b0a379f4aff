import { describe, expect, it } from "@jest/globals";
import { DurableQueue, type QueueBackend, type QueuedMessage } from "./queue.ts";

/** A backend in memory whose nextVisibleAt answers only when the test lets it. */
function slowBackend() {
  const messages: QueuedMessage[] = [];
  const watchers = new Set<() => void>();
  let asked!: () => void;
  const askedOnce = new Promise<void>((r) => (asked = r));
  let answer!: () => void;
  const answered = new Promise<void>((r) => (answer = r));
  let next = 0;
  const backend: QueueBackend = {
    insert(payloads) {
      for (const payload of payloads) messages.push({ id: ++next, payload, attempts: 1 });
      for (const w of watchers) w();
      return Promise.resolve();
    },
    claim: (limit) => Promise.resolve(messages.splice(0, limit)),
    ack: () => Promise.resolve(),
    release: () => Promise.resolve(),
    async nextVisibleAt() {
      asked();
      await answered;
      return undefined;
    },
    counts: () => Promise.resolve({ total: messages.length, ready: messages.length, delayed: 0 }),
    countsBy: () => Promise.resolve([]),
    watch(w) {
      watchers.add(w);
      return () => watchers.delete(w);
    },
  };
  return { backend, askedOnce, answer };
}

describe("DurableQueue.listen", () => {
  // An hour between polls: only a wake-up can end the wait within the test's time.
  const HOUR = 3_600_000;

  it("stops at once when aborted while it asks when the next message is due.", async () => {
    const { backend, askedOnce, answer } = slowBackend();
    const controller = new AbortController();
    const listening = new DurableQueue(backend, { pollMs: HOUR }).listen(() => {}, { signal: controller.signal });
    await askedOnce;
    controller.abort();
    answer();
    await expect(listening).resolves.toBeUndefined();
  });

  it("takes a message enqueued while it asks when the next is due, without waiting for its next poll.", async () => {
    const { backend, askedOnce, answer } = slowBackend();
    const controller = new AbortController();
    const queue = new DurableQueue(backend, { pollMs: HOUR });
    const got: unknown[] = [];
    let handled!: () => void;
    const done = new Promise<void>((r) => (handled = r));
    const listening = queue.listen(
      (m) => {
        got.push(m);
        handled();
      },
      { signal: controller.signal },
    );
    await askedOnce;
    await queue.enqueue("late");
    answer();
    await done;
    controller.abort();
    await listening;
    expect(got).toEqual(["late"]);
  });
});
