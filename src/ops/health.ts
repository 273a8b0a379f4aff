/**
 * Readiness: can this process serve? The store answers (within a deadline), its schema is the
 * version this essfed migrates to, and the search index is not behind the writes for longer than
 * a bound. How long the index has been behind is measured here, from the first look that found it
 * behind: every readiness check, every metrics scrape, and a look every 15 s in between.
 */
import type { Store, StoreHealth } from "../store/store.ts";
import { ignoreFailure } from "../logging.ts";

export interface Check {
  ok: boolean;
  /** What is wrong, in words, when not ok. */
  detail?: string;
}

export interface Readiness {
  ready: boolean;
  checks: { store: Check; migrations: Check; searchIndex: Check };
  /** Changes not yet indexed, and for how long the index has been behind (seconds). */
  indexLag: { changes: number; seconds: number };
}

const LOOK_EVERY_MS = 15_000;

export class Health {
  readonly #store: Store;
  readonly #boundMs: number;
  readonly #timeoutMs: number;
  #behindSince: number | undefined;
  #timer: NodeJS.Timeout | undefined;

  constructor(store: Store, o: { indexLagBoundMs: number; timeoutMs?: number }) {
    this.#store = store;
    this.#boundMs = o.indexLagBoundMs;
    this.#timeoutMs = o.timeoutMs ?? 3000;
  }

  /** Starts looking at the index lag between probes. */
  start(): void {
    // A failed look leaves the last answer in place until the next one (readiness checks the store itself).
    this.#timer ??= setInterval(() => void this.#look().catch(ignoreFailure("health-look")), LOOK_EVERY_MS).unref();
  }

  stop(): void {
    clearInterval(this.#timer);
    this.#timer = undefined;
  }

  /** The store's figures (under the deadline), with the index lag's age updated. */
  async #look(): Promise<StoreHealth & { lagSeconds: number }> {
    let timer: NodeJS.Timeout | undefined;
    const deadline = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`no answer within ${this.#timeoutMs / 1000} s`)), this.#timeoutMs);
    });
    try {
      const h = await Promise.race([this.#store.health(), deadline]);
      const now = Date.now();
      if (h.indexLag === 0) this.#behindSince = undefined;
      else this.#behindSince ??= now;
      return { ...h, lagSeconds: this.#behindSince === undefined ? 0 : (now - this.#behindSince) / 1000 };
    } finally {
      clearTimeout(timer);
    }
  }

  async readiness(): Promise<Readiness> {
    let h: StoreHealth & { lagSeconds: number };
    try {
      h = await this.#look();
    } catch (e) {
      const detail = `the store does not answer: ${(e as Error).message}`;
      const unknown = { ok: false, detail: "unknown while the store does not answer" };
      return {
        ready: false,
        checks: { store: { ok: false, detail }, migrations: unknown, searchIndex: unknown },
        indexLag: { changes: 0, seconds: 0 },
      };
    }
    const { current, expected } = h.schema;
    const migrations: Check =
      current === expected
        ? { ok: true }
        : {
            ok: false,
            detail:
              `the schema is at version ${current}, this essfed needs ${expected}` +
              (current > expected ? " (a newer essfed migrated it)" : ""),
          };
    const behind = h.lagSeconds * 1000 > this.#boundMs;
    const searchIndex: Check = behind
      ? {
          ok: false,
          detail:
            `the search index has been behind for ${Math.round(h.lagSeconds)} s ` +
            `(${h.indexLag} changes; the bound is ${this.#boundMs / 1000} s)`,
        }
      : { ok: true };
    return {
      ready: migrations.ok && searchIndex.ok,
      checks: { store: { ok: true }, migrations, searchIndex },
      indexLag: { changes: h.indexLag, seconds: h.lagSeconds },
    };
  }
}
