/**
 * The delivery worker: listens on the durable `delivery` queue, signs each POST (RSA with
 * draft-cavage and a SHA-256 Digest, what Mastodon verifies, or Ed25519 with RFC 9421 for hosts
 * known to verify it; see `signing.ts`) and retries failures with exponential backoff by queueing
 * the delivery again with a delay. A delivery in flight when its worker dies is handed to another
 * worker when its lease runs out; receivers absorb the repeat, since activity ids and object
 * versions are idempotent. An inbox the outbound address policy refuses (a private address, say)
 * will not become acceptable by waiting: such deliveries are dropped at once, logged once per
 * inbox and recorded for `essfed status`.
 */
import { Temporal } from "@js-temporal/polyfill";
import { signRequest } from "@fedify/fedify/sig";
import { logger } from "../../logging.ts";
import type { KvStore } from "@fedify/fedify";
import type { DurableQueue } from "../../store/queue.ts";
import { RETRY, type RetryPolicy } from "../../store/retry.ts";
import { FetchError, statusMayRecover, type Fetcher } from "./fetcher.ts";
import { signRfc9421Ed25519 } from "./rfc9421.ts";
import type { SigningPolicy, SigningScheme } from "./signing.ts";

const log = logger("federation", "delivery");

/** One outgoing activity addressed to one inbox, as queued. */
export interface Delivery {
  inbox: string;
  activityId: string;
  /** The JSON-LD body, exactly as it will be signed and sent. */
  body: string;
  /** Attempts made so far. */
  attempts: number;
  /**
   * The actor whose key ids sign it, when not this instance's current actor: an actor this
   * instance was before it moved (the same key pairs), for the Move that tells its followers.
   */
  signAs?: string;
}

export interface DeliveryOptions {
  /** Deliveries in flight at once per worker process. */
  concurrency?: number;
  /** How long a delivery being sent stays hidden from other workers. */
  leaseMs?: number;
  timeoutMs?: number;
  /** Give up after this many attempts (default: the retry policy's, about three days). */
  maxAttempts?: number;
  /** When to try again and when to give up: the same policy as the queue's (default {@link RETRY}). */
  retry?: RetryPolicy;
}

/** The network's signing keys: RSA (`#main-key`) and Ed25519 (`#key-2`). */
export interface SigningKeys {
  rsa: { privateKey: CryptoKey; keyId: URL };
  ed25519: { privateKey: CryptoKey; keyId: URL };
}

/** Told the outcome of every delivery attempt (the metrics count them per peer). */
export interface DeliveryObserver {
  /**
   * `sent`: the inbox took it (2xx); `retry`: it failed and is queued again; `failed`: given up or
   * refused for good; `dropped`: the address policy refuses the inbox.
   */
  attempted(inbox: string, outcome: "sent" | "retry" | "failed" | "dropped"): void;
}

export class DeliveryWorker {
  /** Set by whoever counts deliveries. */
  observer: DeliveryObserver | undefined;
  readonly #queue: DurableQueue;
  readonly #keys: SigningKeys;
  readonly #policy: SigningPolicy;
  readonly #fetcher: Fetcher;
  readonly #refusals: RefusedInboxes;
  readonly #o: Required<Omit<DeliveryOptions, "maxAttempts" | "retry">>;
  readonly #retryPolicy: RetryPolicy;
  #controller: AbortController | undefined;
  #listening: Promise<void> | undefined;

  constructor(
    queue: DurableQueue,
    keys: SigningKeys,
    policy: SigningPolicy,
    fetcher: Fetcher,
    refusals: RefusedInboxes,
    o: DeliveryOptions = {},
  ) {
    this.#queue = queue;
    this.#keys = keys;
    this.#policy = policy;
    this.#fetcher = fetcher;
    this.#refusals = refusals;
    this.#o = { concurrency: 32, leaseMs: 60_000, timeoutMs: 15_000, ...o };
    const retry = o.retry ?? RETRY;
    this.#retryPolicy = o.maxAttempts === undefined ? retry : retry.with({ maxAttempts: o.maxAttempts });
  }

  /** Queues deliveries of activities (already serialised) to inboxes. */
  async enqueue(deliveries: Omit<Delivery, "attempts">[]): Promise<void> {
    await this.#queue.enqueueMany(deliveries.map((d) => ({ ...d, attempts: 0 })));
  }

  start(): void {
    if (this.#listening) return;
    this.#controller = new AbortController();
    this.#listening = this.#queue.listen((d: Delivery) => this.#deliver(d), { signal: this.#controller.signal });
  }

  async stop(): Promise<void> {
    this.#controller?.abort();
    await this.#listening;
    this.#listening = undefined;
  }

  async #deliver(d: Delivery): Promise<void> {
    const told = (outcome: "sent" | "retry" | "failed" | "dropped") => this.observer?.attempted(d.inbox, outcome);
    try {
      const refused = this.#fetcher.check(d.inbox);
      if (refused) {
        told("dropped");
        return await this.#refusals.record(d, refused);
      }
      const scheme = await this.#policy.schemeFor(d.inbox);
      let status = await this.#post(d, scheme);
      if (status === 401 && scheme === "ed25519-rfc9421") {
        // Double knock: this host does not verify Ed25519 signatures after all.
        await this.#policy.refused(d.inbox);
        status = await this.#post(d, "rsa-cavage");
      }
      if (status >= 200 && status < 300) return told("sent");
      if (status >= 400 && status < 500 && !statusMayRecover(status)) {
        told("failed");
        log.warning("Delivery of {activity} to {inbox} refused with {status}; dropped", {
          activity: d.activityId,
          inbox: d.inbox,
          status,
        });
        return;
      }
      told(await this.#retry(d, `HTTP ${status}`));
    } catch (e) {
      if (e instanceof FetchError && e.kind === "refused") {
        told("dropped");
        return await this.#refusals.record(d, e);
      }
      told(await this.#retry(d, (e as Error).message ?? String(e)));
    }
  }

  async #post(d: Delivery, scheme: SigningScheme): Promise<number> {
    const body = new TextEncoder().encode(d.body);
    const keyId = (own: URL) => (d.signAs ? new URL(d.signAs + own.hash) : own);
    const unsigned = new Request(d.inbox, {
      method: "POST",
      headers: {
        "content-type": "application/activity+json",
        accept: "application/activity+json",
        "user-agent": "essfed",
      },
      body,
    });
    const request =
      scheme === "ed25519-rfc9421"
        ? await signRfc9421Ed25519(unsigned, body, this.#keys.ed25519.privateKey, keyId(this.#keys.ed25519.keyId))
        : await signRequest(unsigned, this.#keys.rsa.privateKey, keyId(this.#keys.rsa.keyId), {
            spec: "draft-cavage-http-signatures-12",
            body: body.buffer,
          });
    const headers: Record<string, string> = {};
    request.headers.forEach((v, k) => {
      headers[k] = v;
    });
    return this.#fetcher.post(d.inbox, headers, body, { timeoutMs: this.#o.timeoutMs });
  }

  /** Queues the delivery again after a backoff, or gives up; says which. */
  async #retry(d: Delivery, error: string): Promise<"retry" | "failed"> {
    const attempts = d.attempts + 1;
    const wait = this.#retryPolicy.next(attempts);
    if (wait === undefined) {
      log.warning("Giving up on {activity} to {inbox} after {attempts} attempts: {error}", {
        activity: d.activityId,
        inbox: d.inbox,
        attempts,
        error,
      });
      return "failed";
    }
    log.debug("Delivery of {activity} to {inbox} failed ({error}); retrying", {
      activity: d.activityId,
      inbox: d.inbox,
      error,
    });
    await this.#queue.enqueue({ ...d, attempts }, { delay: Temporal.Duration.from({ milliseconds: wait }) });
    return "retry";
  }
}

/** An inbox whose deliveries were dropped because the address policy refuses it. */
export interface RefusedInbox {
  inbox: string;
  reason: string;
  /** When the first delivery was dropped (ISO 8601). */
  since: string;
}

const REFUSED_KEY = ["essfed", "deliveries-refused"] as const;
/** Inboxes remembered for `essfed status`; older ones give way. */
const REFUSED_KEPT = 100;

/**
 * Deliveries dropped by the address policy: each inbox is logged and recorded once per process,
 * however many deliveries to it are dropped (a follower whose inbox resolves to a private address
 * would otherwise log every change this network publishes).
 */
export class RefusedInboxes {
  readonly #kv: KvStore;
  readonly #seen = new Set<string>();

  constructor(kv: KvStore) {
    this.#kv = kv;
  }

  async record(d: Delivery, error: FetchError): Promise<void> {
    if (this.#seen.has(d.inbox)) return;
    if (this.#seen.size >= 10_000) this.#seen.clear();
    this.#seen.add(d.inbox);
    log.warning("Deliveries to {inbox} are dropped, not retried: {reason}", { inbox: d.inbox, reason: error.reason });
    const list = ((await this.#kv.get<RefusedInbox[]>(REFUSED_KEY)) ?? []).filter((r) => r.inbox !== d.inbox);
    list.push({ inbox: d.inbox, reason: error.reason, since: new Date().toISOString() });
    await this.#kv.set(REFUSED_KEY, list.slice(-REFUSED_KEPT));
  }

  /** What was recorded, oldest first. */
  async list(): Promise<RefusedInbox[]> {
    return (await this.#kv.get<RefusedInbox[]>(REFUSED_KEY)) ?? [];
  }
}
