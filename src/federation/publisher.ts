/**
 * Publishing this network's own changes: Create / Update / Delete to every follower, each object
 * signed by the origin (FEP-8b32) so that relays can forward it verifiably. Registered as the
 * {@link ChangeListener} of the {@link Directory}.
 */
import type { ChangeListener } from "../directory/directory.ts";
import type { Iris } from "../directory/ids.ts";
import type { InitiativeRecord, Tombstone } from "../domain/initiative.ts";
import type { Taxonomies } from "../domain/taxonomy.ts";
import { initiativeToJsonLd } from "../linkeddata/initiative-jsonld.ts";
import type { Store } from "../store/store.ts";
import { createOrUpdate, deleteActivity, type Json } from "./activities.ts";
import type { Outbox } from "./outbound/fan-out.ts";

export class Publisher implements ChangeListener {
  readonly #store: Store;
  readonly #taxonomies: Taxonomies;
  readonly #iris: Iris;
  readonly #outbox: Outbox;

  constructor(store: Store, taxonomies: Taxonomies, iris: Iris, outbox: Outbox) {
    this.#store = store;
    this.#taxonomies = taxonomies;
    this.#iris = iris;
    this.#outbox = outbox;
  }

  /** The signed JSON-LD of our records, made once per version and kept in the store (one write). */
  async signMany(records: InitiativeRecord[]): Promise<Json[]> {
    const docs = await Promise.all(
      records.map((r) => this.#outbox.sign(initiativeToJsonLd(r, this.#taxonomies, { owner: this.#iris.actor }))),
    );
    await this.#store.setSigned(
      records.map((r, n) => ({ id: r.initiative.id, version: r.version, signed: JSON.stringify(docs[n]) })),
    );
    return docs;
  }

  async changed(changes: { record: InitiativeRecord; outcome: "created" | "updated" }[]): Promise<void> {
    const inboxes = await this.#outbox.followerInboxes();
    if (!inboxes.length) return;
    const objects = await this.signMany(changes.map((c) => c.record));
    const activities = changes.map(({ record, outcome }, n) =>
      createOrUpdate(this.#iris, outcome === "created" ? "Create" : "Update", objects[n]!, record.version),
    );
    await this.#outbox.send(activities, inboxes);
  }

  async deleted(tombstone: Tombstone): Promise<void> {
    const inboxes = await this.#outbox.followerInboxes();
    if (!inboxes.length) return;
    await this.#outbox.send(
      [await this.#outbox.sign(deleteActivity(this.#iris, tombstone.id, tombstone.deleted))],
      inboxes,
    );
  }
}
