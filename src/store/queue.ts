/**
 * Durable message queues on the store's own database, implementing Fedify's `MessageQueue`
 * interface (and checked with `@fedify/testing`'s `testMessageQueue`). A message is taken by one
 * listener at a time with a lease: if its listener dies, it becomes visible again when the lease
 * runs out. Messages with the same `orderingKey` are handled one after another. The listening loop
 * is shared here; each adapter supplies the few SQL operations.
 */
import type {
  MessageQueue,
  MessageQueueDepth,
  MessageQueueEnqueueOptions,
  MessageQueueListenOptions,
} from "@fedify/fedify";
import type { Temporal } from "@js-temporal/polyfill";
import { logger, ignoreFailure } from "../logging.ts";
import { RETRY, type RetryPolicy } from "./retry.ts";

const log = logger("store", "queue");

/** A claimed message. */
export interface QueuedMessage {
  id: number;
  payload: unknown;
  /** How many times it has been handed out, this time included. */
  attempts: number;
}

/** What an adapter implements for one named queue. */
export interface QueueBackend {
  /** Stores messages visible from `visibleAt` (epoch ms). */
  insert(payloads: unknown[], visibleAt: number, orderingKey: string | null): Promise<void>;
  /** Takes up to `limit` visible messages, hiding them until `leaseUntil`; never the same to two callers. */
  claim(limit: number, now: number, leaseUntil: number): Promise<QueuedMessage[]>;
  /** Removes handled messages. */
  ack(ids: number[]): Promise<void>;
  /** Makes a message visible again at `visibleAt` (after its handler failed). */
  release(id: number, visibleAt: number): Promise<void>;
  /** Epoch ms at which the next message becomes visible, or undefined when the queue is empty. */
  nextVisibleAt(now: number): Promise<number | undefined>;
  /**
   * Messages stored (ready, delayed or leased), how many are ready or delayed now, and since when
   * the longest-waiting ready message has been ready (epoch ms; undefined when none is).
   */
  counts(now: number): Promise<QueueCounts>;
  /**
   * The same counts for each value of one top-level field of the payloads (the delivery queue by
   * `inbox`), with when the next delayed message of each becomes visible.
   */
  countsBy(field: string, now: number): Promise<GroupCounts[]>;
  /** Subscribes to "something was enqueued" from any process that can tell; returns an unsubscribe. */
  watch(onEnqueue: () => void): () => void;
}

export interface QueueCounts {
  total: number;
  ready: number;
  delayed: number;
  oldestReadyAt?: number;
}

/** Messages of one value of a payload field (see {@link QueueBackend.countsBy}). */
export interface GroupCounts {
  value: string;
  total: number;
  ready: number;
  delayed: number;
  /** Epoch ms at which the next delayed message becomes visible. */
  nextVisibleAt?: number;
}

export interface QueueOptions {
  /** Messages handled at once by one `listen` call. */
  concurrency?: number;
  /** How long a taken message stays hidden from other listeners. */
  leaseMs?: number;
  /** How often to look when nothing woke the listener. */
  pollMs?: number;
  /** When to retry a message whose handler threw, and when to drop it (default {@link RETRY}). */
  retry?: RetryPolicy;
}

/** A Fedify `MessageQueue` over a {@link QueueBackend}. */
export class DurableQueue implements MessageQueue {
  /** Handler failures are retried here (with backoff), so Fedify need not re-enqueue. */
  readonly nativeRetrial = true;
  readonly #backend: QueueBackend;
  readonly #o: Required<QueueOptions>;

  constructor(backend: QueueBackend, o: QueueOptions = {}) {
    this.#backend = backend;
    this.#o = { concurrency: 1, leaseMs: 60_000, pollMs: 250, retry: RETRY, ...o };
  }

  async enqueue(message: unknown, options?: MessageQueueEnqueueOptions): Promise<void> {
    await this.enqueueMany([message], options);
  }

  enqueueMany = async (messages: readonly unknown[], options?: MessageQueueEnqueueOptions): Promise<void> => {
    if (!messages.length) return;
    // Fedify types `delay` with the global Temporal, which TypeScript's libraries do not declare yet.
    const wait = options?.delay as Temporal.Duration | undefined;
    const delay = wait ? Math.max(0, wait.total("millisecond")) : 0;
    await this.#backend.insert([...messages], Date.now() + delay, options?.orderingKey ?? null);
  };

  async getDepth(): Promise<MessageQueueDepth> {
    const c = await this.#backend.counts(Date.now());
    return { queued: c.ready + c.delayed, ready: c.ready, delayed: c.delayed };
  }

  /** Every message not yet handled, those being handled included (0 = drained). */
  /** How the queue stands for each value of a payload field (the delivery queue by inbox). */
  countsBy(field: string): Promise<GroupCounts[]> {
    return this.#backend.countsBy(field, Date.now());
  }

  /** How the whole queue stands now (for metrics). */
  counts(): Promise<QueueCounts> {
    return this.#backend.counts(Date.now());
  }

  async pending(): Promise<number> {
    return (await this.#backend.counts(Date.now())).total;
  }

  /** When the next message becomes visible (epoch ms), or undefined. */
  nextVisibleAt(): Promise<number | undefined> {
    return this.#backend.nextVisibleAt(Date.now());
  }

  async listen(
    handler: (message: any) => Promise<void> | void,
    options: MessageQueueListenOptions = {},
  ): Promise<void> {
    const { signal } = options;
    const active = new Set<Promise<void>>();
    let wake: (() => void) | undefined;
    let poked = false;
    const poke = () => {
      poked = true;
      wake?.();
    };
    const unwatch = this.#backend.watch(poke);
    signal?.addEventListener("abort", poke);
    try {
      while (!signal?.aborted) {
        poked = false;
        const room = this.#o.concurrency - active.size;
        // Claim in batches (one query per several finished messages, not one per message).
        if (room > 0 && (room >= Math.min(8, this.#o.concurrency) || active.size === 0)) {
          const now = Date.now();
          let batch: QueuedMessage[] = [];
          try {
            batch = await this.#backend.claim(room, now, now + this.#o.leaseMs);
          } catch (e) {
            if (signal?.aborted) break;
            // The database is unreachable for a moment: wait a poll interval and try again.
            void e;
          }
          for (const m of batch) {
            const p = this.#handle(handler, m).finally(() => {
              active.delete(p);
              poke();
            });
            active.add(p);
          }
          if (batch.length === room) continue;
        }
        if (poked) continue;
        let wait = this.#o.pollMs;
        if (active.size === 0 || this.#o.concurrency - active.size >= Math.min(8, this.#o.concurrency)) {
          // Without an answer the loop just polls at its usual pace.
          const next = await this.#backend.nextVisibleAt(Date.now()).catch(ignoreFailure("queue-next-visible"));
          if (next !== undefined) wait = Math.min(wait, Math.max(5, next - Date.now()));
        }
        await new Promise<void>((resolve) => {
          // A poke while nextVisibleAt was awaited (an enqueue, a finished message, the abort) found
          // no wake to call: it must not be lost for a whole poll interval.
          if (poked) return resolve();
          const t = setTimeout(resolve, wait);
          wake = () => {
            clearTimeout(t);
            resolve();
          };
        });
        wake = undefined;
      }
    } finally {
      unwatch();
      signal?.removeEventListener("abort", poke);
      await Promise.allSettled([...active]);
    }
  }

  async #handle(handler: (message: any) => Promise<void> | void, m: QueuedMessage): Promise<void> {
    try {
      await handler(m.payload);
    } catch (e) {
      const wait = this.#o.retry.next(m.attempts);
      if (wait === undefined) {
        log.warning("Dropping a queued message after {attempts} failed attempts: {error}", {
          attempts: m.attempts,
          error: (e as Error)?.message ?? String(e),
        });
        return this.#ack(m.id);
      }
      // Not released: the message becomes visible again when its lease runs out, a retry all the same.
      await this.#backend.release(m.id, Date.now() + wait).catch(ignoreFailure("queue-release"));
      return;
    }
    await this.#ack(m.id);
  }

  /**
   * Acknowledgements are written together, a few milliseconds apart, in one statement. If the
   * process dies in between, those messages are handed out again: handlers must be idempotent,
   * as they must be anyway (a process can die just before any acknowledgement).
   */
  #acks: number[] = [];
  #acking: Promise<void> | undefined;
  #ack(id: number): Promise<void> {
    this.#acks.push(id);
    this.#acking ??= new Promise<void>((r) => setTimeout(r, 2)).then(async () => {
      const ids = this.#acks;
      this.#acks = [];
      this.#acking = undefined;
      // Not acknowledged: the messages are handed out again, and handlers are idempotent.
      await this.#backend.ack(ids).catch(ignoreFailure("queue-ack"));
    });
    return this.#acking;
  }
}
