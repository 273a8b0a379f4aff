/**
 * The one retry policy for work taken from the durable queues: the queue itself (a handler that
 * throws) and the delivery worker (a peer that does not take an activity) both ask it when to try
 * again and when to give up. Exponential backoff from 1 s, capped at 1 minute for the first
 * attempts (a peer restarting is back within minutes), then at 1 hour; ±20 % jitter so that
 * deliveries failed together do not all come back in the same instant; given up after 80 attempts
 * (about three days with the defaults).
 */

export interface RetryOptions {
  /** Delay after the first failure. */
  baseMs?: number;
  /** Largest delay while `attempts <= lateAfter`. */
  capMs?: number;
  /** Attempts after which the later cap applies. */
  lateAfter?: number;
  /** Largest delay after that. */
  lateCapMs?: number;
  /** Give up once this many attempts failed. */
  maxAttempts?: number;
  /** Spread of the delay: 0.2 gives 80 %–120 % of it. */
  jitter?: number;
  /** Source of randomness in [0, 1) (tests fix it). */
  random?: () => number;
}

export class RetryPolicy {
  readonly #o: Required<RetryOptions>;

  constructor(o: RetryOptions = {}) {
    this.#o = {
      baseMs: 1000,
      capMs: 60_000,
      lateAfter: 12,
      lateCapMs: 3_600_000,
      maxAttempts: 80,
      jitter: 0.2,
      random: Math.random,
      ...o,
    };
  }

  /** The same policy with some options changed (a worker configured to give up sooner, say). */
  with(o: RetryOptions): RetryPolicy {
    return new RetryPolicy({ ...this.#o, ...o });
  }

  get maxAttempts(): number {
    return this.#o.maxAttempts;
  }

  /**
   * The wait before the next attempt, `attempts` having failed so far (1 after the first
   * failure), or undefined when it is time to give up.
   */
  next(attempts: number): number | undefined {
    if (attempts >= this.#o.maxAttempts) return undefined;
    const { baseMs, capMs, lateAfter, lateCapMs, jitter, random } = this.#o;
    const base = Math.min(baseMs * 2 ** Math.max(0, attempts - 1), attempts <= lateAfter ? capMs : lateCapMs);
    return Math.round(base * (1 - jitter + random() * 2 * jitter));
  }
}

/** The policy every queue and the delivery worker use unless told otherwise. */
export const RETRY = new RetryPolicy();
