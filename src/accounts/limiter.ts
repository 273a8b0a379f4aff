/**
 * Sign-in rate limits: failed attempts are counted per account name and per client address in
 * fixed windows, in the store's key–value table, so that every web process on one database counts
 * together (a per-process counter would give an attacker as many tries as there are processes).
 * The common rate-limiting packages keep counts in memory, Redis or their own SQL tables and have
 * no adapter for `node:sqlite`; the store's compare-and-set makes the few lines here safe.
 */
import type { KvKey, KvStore } from "@fedify/fedify";
import { Temporal } from "@js-temporal/polyfill";

export interface LimiterOptions {
  /** Failures allowed per account name in a window. */
  perName: number;
  /** Failures allowed per client address in a window. */
  perAddress: number;
  windowMs: number;
}

export const SIGN_IN_LIMITS: LimiterOptions = { perName: 5, perAddress: 20, windowMs: 15 * 60_000 };

interface Window {
  count: number;
  ends: number;
}

export class SignInLimiter {
  readonly #kv: KvStore;
  readonly #o: LimiterOptions;
  constructor(kv: KvStore, options: LimiterOptions = SIGN_IN_LIMITS) {
    this.#kv = kv;
    this.#o = options;
  }

  #keys(name: string, address: string): [KvKey, number][] {
    return [
      [["essfed", "signin-failures", "name", name.trim().toLowerCase()], this.#o.perName],
      [["essfed", "signin-failures", "address", address], this.#o.perAddress],
    ];
  }

  /** Seconds until this name or address may try again, or 0 when it may now. */
  async wait(name: string, address: string, now = Date.now()): Promise<number> {
    let wait = 0;
    for (const [key, max] of this.#keys(name, address)) {
      const w = await this.#kv.get<Window>(key);
      if (w && w.ends > now && w.count >= max) wait = Math.max(wait, Math.ceil((w.ends - now) / 1000));
    }
    return wait;
  }

  /** Counts a failed attempt against the name and the address. */
  async failed(name: string, address: string, now = Date.now()): Promise<void> {
    for (const [key] of this.#keys(name, address)) {
      // Compare-and-set: two processes counting at once both get counted.
      for (let tries = 0; tries < 10; tries++) {
        const current = await this.#kv.get<Window>(key);
        const next: Window =
          current && current.ends > now
            ? { count: current.count + 1, ends: current.ends }
            : { count: 1, ends: now + this.#o.windowMs };
        const ttl = Temporal.Duration.from({ milliseconds: Math.max(1, next.ends - now) });
        // Every store essfed has implements compare-and-set (the contract tests hold them to it).
        if (await this.#kv.cas!(key, current, next, { ttl })) break;
      }
    }
  }

  /** A correct password clears the name's count (not the address's: one address may guess many names). */
  async succeeded(name: string): Promise<void> {
    await this.#kv.delete(this.#keys(name, "")[0]![0]);
  }
}
