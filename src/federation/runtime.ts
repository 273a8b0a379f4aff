/**
 * Wires the federation parts together for one process: the context shared by handlers, the
 * publisher (registered on the directory), the delivery worker, back-fills and the periodic
 * reconciliation and clean-up. Which parts run depends on the process role.
 */
import { datasetTerms } from "../linkeddata/licences.ts";
import type { Config } from "../config.ts";
import type { Directory } from "../directory/directory.ts";
import type { Iris } from "../directory/ids.ts";
import type { Taxonomies } from "../domain/taxonomy.ts";
import { logger } from "../logging.ts";
import type { Store } from "../store/store.ts";
import { RETRY } from "../store/retry.ts";
import { RemoteActors } from "./outbound/actors.ts";
import { backfill, type BackfillReport } from "./backfill.ts";
import type { FederationContext } from "./context.ts";
import { DeliveryWorker, RefusedInboxes, type DeliveryOptions } from "./outbound/delivery.ts";
import { createFetcher, type Fetcher, type FetcherOptions } from "./outbound/fetcher.ts";
import { KeyLookup } from "./inbox/key-lookup.ts";
import type { ActorKeys } from "./keys.ts";
import { ED25519_HTTP_KEY_FRAGMENT, Outbox, RSA_KEY_FRAGMENT } from "./outbound/fan-out.ts";
import { SigningPolicy } from "./outbound/signing.ts";
import { Publisher } from "./publisher.ts";
import { announceTermsChange } from "./terms-change.ts";

const log = logger("federation");

export interface FederationRuntime {
  ctx: FederationContext;
  worker: DeliveryWorker;
  /** Runs a back-fill (or, with `reconcile`, a reconciliation) of one followed network now. */
  backfill(actor: string, reconcile?: boolean): Promise<BackfillReport | undefined>;
  /** Back-fills in progress (tests wait on them). */
  idle(): Promise<void>;
  /** Starts the delivery worker and the periodic jobs (worker role). */
  start(): void;
  stop(): Promise<void>;
}

export interface RuntimeOptions {
  delivery?: DeliveryOptions;
  /** Reconcile every followed network this often (0 = never). */
  reconcileEveryMs?: number;
  /** Keep tombstones and the seen log this long. */
  retentionMs?: number;
  /** Outbound client settings (tests inject a resolver, a narrower address policy, short deadlines). */
  fetcher?: Partial<Omit<FetcherOptions, "allowPrivate" | "signer">>;
  /** Deadline of one signing-key lookup made while verifying an inbox request. */
  keyLookupTimeoutMs?: number;
}

/** The outbound client of an instance: its address policy, and GETs signed by its network actor. */
export function instanceFetcher(
  config: Config,
  iris: Iris,
  keys: ActorKeys,
  o: RuntimeOptions["fetcher"] = {},
): Fetcher {
  return createFetcher({
    ...o,
    allowPrivate: config.allowPrivate,
    signer: { privateKey: keys.rsa.privateKey, keyId: new URL(iris.actor + RSA_KEY_FRAGMENT) },
  });
}

export function createFederationRuntime(
  deps: { config: Config; store: Store; taxonomies: Taxonomies; iris: Iris; keys: ActorKeys; directory: Directory },
  o: RuntimeOptions = {},
): FederationRuntime {
  const { config, store, taxonomies, iris, keys } = deps;
  const keyId = new URL(iris.actor + RSA_KEY_FRAGMENT);
  const fetcher = instanceFetcher(config, iris, keys, o.fetcher);
  const policy = new SigningPolicy(store.kv);
  // One retry policy for the queue (a handler that throws) and the worker (a peer that refuses).
  const retry = o.delivery?.retry ?? RETRY;
  const deliveries = store.queue("delivery", {
    retry,
    concurrency: o.delivery?.concurrency ?? 32,
    leaseMs: o.delivery?.leaseMs ?? config.deliveryLeaseMs,
  });
  const worker = new DeliveryWorker(
    deliveries,
    {
      rsa: { privateKey: keys.rsa.privateKey, keyId },
      ed25519: { privateKey: keys.ed25519.privateKey, keyId: new URL(iris.actor + ED25519_HTTP_KEY_FRAGMENT) },
    },
    policy,
    fetcher,
    new RefusedInboxes(store.kv),
    { ...o.delivery, retry },
  );
  const outbox = new Outbox(store, iris, keys, worker);
  const publisher = new Publisher(taxonomies, iris, outbox, datasetTerms(config));
  deps.directory.announceWith(publisher);

  const running = new Map<string, Promise<BackfillReport | undefined>>();
  const runBackfill = (actor: string, reconcile = false): Promise<BackfillReport | undefined> => {
    const previous = running.get(actor) ?? Promise.resolve(undefined);
    const next = previous
      // The previous run's failure was reported to its own caller; this run starts afresh.
      .catch(() => undefined)
      .then(async () => {
        const following = await store.getFollowing(actor);
        if (!following || following.state !== "accepted") return undefined;
        try {
          return await backfill(ctx, following, reconcile);
        } catch (e) {
          log.warning("Back-fill of {actor} failed: {error}", { actor, error: (e as Error).message });
          return undefined;
        }
      });
    running.set(actor, next);
    void next.finally(() => {
      if (running.get(actor) === next) running.delete(actor);
    });
    return next;
  };

  const ctx: FederationContext = {
    config,
    store,
    taxonomies,
    iris,
    fetcher,
    outbox,
    writer: deps.directory.writer,
    publisher,
    keyLookup: new KeyLookup(fetcher, o.keyLookupTimeoutMs),
    actors: new RemoteActors(fetcher, (a) => policy.learn([a.inbox, a.sharedInbox], a.ed25519HttpKey)),
    scheduleBackfill: (actor) => void runBackfill(actor),
  };

  const timers: NodeJS.Timeout[] = [];
  let termsPass: { controller: AbortController; done: Promise<number | undefined> } | undefined;
  const retention = o.retentionMs ?? 30 * 24 * 3600_000;
  const maintain = async () => {
    try {
      for (const f of await store.listFollowing()) if (f.state === "accepted") await runBackfill(f.actor, true);
      await store.pruneTombstones(new Date(Date.now() - retention).toISOString());
      await store.pruneSeen(Date.now() - retention);
    } catch (e) {
      log.warning("Periodic maintenance failed: {error}", { error: (e as Error).message });
    }
  };

  return {
    ctx,
    worker,
    backfill: runBackfill,
    idle: async () => {
      while (running.size) await Promise.allSettled([...running.values()]);
    },
    start() {
      worker.start();
      // Own records told again to followers if the licence or attribution changed since last time.
      const terms = new AbortController();
      termsPass = {
        controller: terms,
        done: announceTermsChange(ctx, { signal: terms.signal }).catch((e: unknown) => {
          log.warning("Announcing the new terms failed: {error}", { error: (e as Error).message });
          return undefined;
        }),
      };
      const every = o.reconcileEveryMs ?? config.reconcileHours * 3600_000;
      if (every > 0) timers.push(setInterval(() => void maintain(), every).unref());
    },
    async stop() {
      for (const t of timers) clearInterval(t);
      termsPass?.controller.abort();
      await termsPass?.done;
      await worker.stop();
      await Promise.allSettled([...running.values()]);
    },
  };
}
