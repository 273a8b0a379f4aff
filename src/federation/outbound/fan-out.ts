/**
 * Where activities leave: fan-out to followers' inboxes (shared inbox when they have one) through
 * the durable delivery queue, and signing of documents with the network's Ed25519 key.
 */
import type { Iris } from "../../directory/ids.ts";
import type { Follower, Store } from "../../store/store.ts";
import { attachProof } from "../proofs/proof.ts";
import type { Json } from "../activities.ts";
import type { Delivery, DeliveryWorker } from "./delivery.ts";
import type { ActorKeys } from "../keys.ts";

/** Fedify names the actor's keys `#main-key`/`#multikey-N` in the order the key pairs dispatcher gives them. */
export const RSA_KEY_FRAGMENT = "#main-key";
export const ED25519_HTTP_KEY_FRAGMENT = "#key-2";
export const ED25519_KEY_FRAGMENT = "#multikey-2";

export class Outbox {
  readonly #store: Store;
  readonly #iris: Iris;
  readonly #keys: ActorKeys;
  readonly #deliveries: DeliveryWorker;

  constructor(store: Store, iris: Iris, keys: ActorKeys, deliveries: DeliveryWorker) {
    this.#store = store;
    this.#iris = iris;
    this.#keys = keys;
    this.#deliveries = deliveries;
  }

  /** The verification method IRI of the Ed25519 key (as listed in the actor's `assertionMethod`). */
  get proofKeyId(): string {
    return this.#iris.actor + ED25519_KEY_FRAGMENT;
  }

  /** Adds an `eddsa-jcs-2022` integrity proof by this network. */
  sign(doc: Json): Promise<Json> {
    return attachProof(doc, this.#keys.ed25519.privateKey, this.proofKeyId);
  }

  /** Distinct inboxes of accepted followers, shared inboxes preferred, minus those `skip` names. */
  async followerInboxes(skip: (f: Follower) => boolean = () => false): Promise<string[]> {
    const followers = await this.#store.listFollowers("accepted");
    return [...new Set(followers.filter((f) => !skip(f)).map((f) => f.sharedInbox ?? f.inbox))];
  }

  /** Queues deliveries already built (one transaction). */
  async enqueue(deliveries: Omit<Delivery, "attempts">[]): Promise<void> {
    if (deliveries.length) await this.#deliveries.enqueue(deliveries);
  }

  /** Queues each activity for each inbox (one transaction); the delivery workers send them. */
  async send(activities: Json[], inboxes: string[]): Promise<void> {
    if (!activities.length || !inboxes.length) return;
    await this.#deliveries.enqueue(deliveriesOf(activities, inboxes));
  }
}

/** One delivery per activity and inbox, as the delivery queue holds them (a write's outbox queues these). */
export function deliveriesOf(activities: Json[], inboxes: string[]): Delivery[] {
  return activities.flatMap((a) => {
    const body = JSON.stringify(a);
    return inboxes.map((inbox) => ({ inbox, activityId: String(a.id), body, attempts: 0 }));
  });
}
