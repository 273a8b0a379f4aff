/**
 * Publishing this network's own changes: Create / Update / Delete to every follower, each object
 * signed by the origin (FEP-8b32) so that relays can forward it verifiably. The {@link Directory}
 * asks it, before a write, to sign what may change and to read who is told; the deliveries are then
 * queued in the write's own transaction (see `write/writer.ts`).
 */
import type { Announcer, PreparedChanges } from "../directory/directory.ts";
import type { Iris } from "../directory/ids.ts";
import type { InitiativeRecord, Tombstone } from "../domain/initiative.ts";
import type { Taxonomies } from "../domain/taxonomy.ts";
import { initiativeToJsonLd } from "../linkeddata/initiative-jsonld.ts";
import type { DatasetTerms } from "../linkeddata/licences.ts";
import { createOrUpdate, deleteActivity, type Json } from "./activities.ts";
import { deliveriesOf, type Outbox } from "./outbound/fan-out.ts";

/** Signed documents kept in memory (by IRI and version) for pages served before their record is signed in the store. */
const SIGNED_KEPT = 20_000;

export class Publisher implements Announcer {
  readonly #taxonomies: Taxonomies;
  readonly #iris: Iris;
  readonly #outbox: Outbox;
  readonly #signed = new Map<string, Json>();
  readonly #terms: DatasetTerms;

  constructor(taxonomies: Taxonomies, iris: Iris, outbox: Outbox, terms: DatasetTerms = {}) {
    this.#terms = terms;
    this.#taxonomies = taxonomies;
    this.#iris = iris;
    this.#outbox = outbox;
  }

  /**
   * The signed JSON-LD of our records. Reads write nothing: a record written while nobody followed
   * is stored unsigned and signed when served, and the signature is kept in memory (a bounded
   * number of the latest), not in the store. This is the one document of a record that leaves the
   * instance (activities, the record's IRI, back-fill pages, relays downstream): it is made for
   * `peers`, so a field at `network` or `none` is never in it, and it carries the licence and
   * attribution the record travels under.
   */
  async signMany(records: InitiativeRecord[]): Promise<Json[]> {
    return Promise.all(
      records.map(async (r) => {
        const key = `${r.initiative.id} ${r.version}`;
        const kept = this.#signed.get(key);
        if (kept) return kept;
        const doc = await this.#outbox.sign(
          initiativeToJsonLd(r, this.#taxonomies, { owner: this.#iris.actor, audience: "peers", terms: this.#terms }),
        );
        if (this.#signed.size >= SIGNED_KEPT) this.#signed.delete(this.#signed.keys().next().value!);
        this.#signed.set(key, doc);
        return doc;
      }),
    );
  }

  async prepareChanges(records: InitiativeRecord[]): Promise<PreparedChanges> {
    const inboxes = await this.#outbox.followerInboxes();
    // Nobody to tell: nothing to sign now (the directory signs a record when it is first served).
    if (!inboxes.length || !records.length) return { records, messages: () => [] };
    const docs = await this.signMany(records);
    const objects = new Map(records.map((r, n) => [`${r.initiative.id} ${r.version}`, docs[n]!]));
    return {
      records: records.map((r, n) => ({ ...r, signed: JSON.stringify(docs[n]) })),
      messages: (changes) =>
        deliveriesOf(
          changes.map(({ record, outcome }) =>
            createOrUpdate(
              this.#iris,
              outcome === "created" ? "Create" : "Update",
              objects.get(`${record.initiative.id} ${record.version}`)!,
              record.version,
            ),
          ),
          inboxes,
        ),
    };
  }

  async prepareDelete(tombstone: Tombstone): Promise<() => unknown[]> {
    const inboxes = await this.#outbox.followerInboxes();
    if (!inboxes.length) return () => [];
    const activity = await this.#outbox.sign(deleteActivity(this.#iris, tombstone.id, tombstone.deleted));
    return () => deliveriesOf([activity], inboxes);
  }
}
