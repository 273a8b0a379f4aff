/**
 * The delivery worker: takes due deliveries from the durable queue, signs each POST (RSA with
 * draft-cavage and a SHA-256 Digest, what Mastodon verifies, or Ed25519 with RFC 9421 for hosts
 * known to verify it; see `signing.ts`) and retries failures with exponential backoff. A delivery is claimed with a lease,
 * so one that was in flight when a worker died is retried by another after the lease runs out;
 * receivers absorb the repeat because activity ids and object versions are idempotent.
 */
import { signRequest } from "@fedify/fedify/sig";
import { logger } from "../logging.ts";
import type { Delivery, Store } from "../store/store.ts";
import type { Fetcher } from "./fetcher.ts";
import { signRfc9421Ed25519 } from "./rfc9421.ts";
import type { SigningPolicy, SigningScheme } from "./signing.ts";

const log = logger("federation", "delivery");

export interface DeliveryOptions {
  /** Deliveries in flight at once. */
  concurrency?: number;
  /** How long a claimed delivery stays invisible to other workers. */
  leaseMs?: number;
  /** How often to look at the queue when nothing woke the worker (other processes enqueue too). */
  pollMs?: number;
  timeoutMs?: number;
  /** Give up after this many attempts (with the default backoff, about three days). */
  maxAttempts?: number;
}

/** Delay before attempt `attempts + 1`: 1 s, 2 s, 4 s … capped at 1 min for the first hour, then 1 h. */
export function backoff(attempts: number): number {
  const base = Math.min(2 ** Math.max(0, attempts - 1) * 1000, attempts <= 12 ? 60_000 : 3_600_000);
  return Math.round(base * (0.8 + Math.random() * 0.4));
}

/** The network's signing keys: RSA (`#main-key`) and Ed25519 (`#key-2`). */
export interface SigningKeys {
  rsa: { privateKey: CryptoKey; keyId: URL };
  ed25519: { privateKey: CryptoKey; keyId: URL };
}

export class DeliveryWorker {
  readonly #store: Store;
  readonly #keys: SigningKeys;
  readonly #policy: SigningPolicy;
  readonly #fetcher: Fetcher;
  readonly #o: Required<DeliveryOptions>;
  #running = false;
  #wakeUp: (() => void) | undefined;
  #pending = false;
  #loop: Promise<void> | undefined;
  #inFlight = 0;

  constructor(store: Store, keys: SigningKeys, policy: SigningPolicy, fetcher: Fetcher, o: DeliveryOptions = {}) {
    this.#store = store;
    this.#keys = keys;
    this.#policy = policy;
    this.#fetcher = fetcher;
    this.#o = { concurrency: 32, leaseMs: 60_000, pollMs: 500, timeoutMs: 15_000, maxAttempts: 80, ...o };
  }

  start(): void {
    if (this.#running) return;
    this.#running = true;
    this.#loop = this.#run();
  }

  async stop(): Promise<void> {
    this.#running = false;
    this.wake();
    await this.#loop;
  }

  /** Something was queued: look now instead of at the next poll. */
  wake(): void {
    this.#pending = true;
    this.#wakeUp?.();
  }

  async #run(): Promise<void> {
    const active = new Set<Promise<void>>();
    const threshold = Math.min(8, this.#o.concurrency);
    while (this.#running) {
      this.#pending = false;
      const room = this.#o.concurrency - active.size;
      let claimed = 0;
      // Claim in batches: one query per few finished deliveries, not one per delivery.
      if (room >= threshold || (active.size === 0 && room > 0)) {
        let batch: Delivery[] = [];
        try {
          batch = await this.#store.claimDeliveries(room, this.#o.leaseMs);
        } catch (e) {
          if (!this.#running) break;
          log.error("Could not claim deliveries: {error}", { error: e });
        }
        claimed = batch.length;
        for (const d of batch) {
          const p = this.#deliver(d).finally(() => {
            active.delete(p);
            this.wake();
          });
          active.add(p);
        }
        if (claimed === room) continue; // there may be more due right now
      }
      if (this.#pending) continue;
      // Sleep until a delivery finishes or is queued here (wake), the next one falls due, or the
      // poll interval passes (other processes queue deliveries too).
      let wait = this.#o.pollMs;
      if (active.size === 0 || room >= threshold) {
        const next = await this.#store.nextDeliveryAt().catch(() => undefined);
        if (next !== undefined) wait = Math.min(wait, Math.max(10, next - Date.now()));
      }
      await new Promise<void>((resolve) => {
        const t = setTimeout(resolve, wait);
        this.#wakeUp = () => { clearTimeout(t); resolve(); };
      });
      this.#wakeUp = undefined;
    }
    await Promise.allSettled([...active]);
  }

  /** How many deliveries this worker has in flight (for status and tests). */
  get inFlight(): number {
    return this.#inFlight;
  }

  async #deliver(d: Delivery): Promise<void> {
    this.#inFlight++;
    try {
      await this.#fetcher.check(d.inbox);
      const scheme = await this.#policy.schemeFor(d.inbox);
      let res = await this.#post(d, scheme);
      if (res.status === 401 && scheme === "ed25519-rfc9421") {
        // Double knock: this host does not verify Ed25519 signatures after all.
        await this.#policy.refused(d.inbox);
        res = await this.#post(d, "rsa-cavage");
      }
      if (res.ok) {
        await this.#store.completeDelivery(d.id);
        return;
      }
      // Client errors other than throttling will not get better by retrying.
      if (res.status >= 400 && res.status < 500 && res.status !== 408 && res.status !== 429) {
        log.warning("Delivery of {activity} to {inbox} refused with {status}; dropped", { activity: d.activityId, inbox: d.inbox, status: res.status });
        await this.#store.completeDelivery(d.id);
        return;
      }
      await this.#retry(d, `HTTP ${res.status}`);
    } catch (e) {
      await this.#retry(d, (e as Error).message ?? String(e));
    } finally {
      this.#inFlight--;
    }
  }

  async #post(d: Delivery, scheme: SigningScheme): Promise<Response> {
    const body = new TextEncoder().encode(d.body);
    const unsigned = new Request(d.inbox, {
      method: "POST",
      headers: { "content-type": "application/activity+json", accept: "application/activity+json", "user-agent": "essfed" },
      body,
    });
    const request = scheme === "ed25519-rfc9421"
      ? await signRfc9421Ed25519(unsigned, body, this.#keys.ed25519.privateKey, this.#keys.ed25519.keyId)
      : await signRequest(unsigned, this.#keys.rsa.privateKey, this.#keys.rsa.keyId, { spec: "draft-cavage-http-signatures-12", body: body.buffer as ArrayBuffer });
    const res = await fetch(request, { signal: AbortSignal.timeout(this.#o.timeoutMs) });
    await res.body?.cancel();
    return res;
  }

  async #retry(d: Delivery, error: string): Promise<void> {
    if (d.attempts >= this.#o.maxAttempts) {
      log.warning("Giving up on {activity} to {inbox} after {attempts} attempts: {error}", { activity: d.activityId, inbox: d.inbox, attempts: d.attempts, error });
      await this.#store.completeDelivery(d.id);
      return;
    }
    log.debug("Delivery of {activity} to {inbox} failed ({error}); retrying", { activity: d.activityId, inbox: d.inbox, error });
    await this.#store.retryDelivery(d.id, Date.now() + backoff(d.attempts), error);
  }
}
