/**
 * The directory: creating, replacing and deleting this instance's own initiatives. HTTP, CLI,
 * console and importers all write through here, so every change is validated the same way; the
 * write itself goes through the {@link InitiativeWriter}, with the {@link Announcer}'s deliveries
 * (the federation publisher) queued in the same transaction.
 */
import type { Initiative, InitiativeRecord, Tombstone } from "../domain/initiative.ts";
import type { SharingLevel } from "../domain/sharing.ts";
import type { Taxonomies } from "../domain/taxonomy.ts";
import { validateInitiative, type InitiativeDraft, type Issue, type ValidateOptions } from "../domain/validate.ts";
import { versionOf } from "../domain/version.ts";
import { said } from "../domain/issue-messages.ts";
import type { BulkWriteOptions, PutOutcome, Store, StoredInitiative } from "../store/store.ts";
import { InitiativeWriter } from "../write/writer.ts";
import type { Iris } from "./ids.ts";

/**
 * What an {@link Announcer} prepared before a write: the records to store, and the deliveries the outcomes call for.
 */
export interface PreparedChanges {
  /** The records, with their signed documents when they are to be announced. */
  records: (InitiativeRecord & { signed?: string })[];
  /** Delivery-queue messages for what changed; runs inside the write's transaction (no I/O). */
  messages(changes: { record: InitiativeRecord; outcome: "created" | "updated" }[]): unknown[];
}

/**
 * Announces changes to this instance's own initiatives (the federation publisher). Signing and
 * reading followers happen before the write; the messages are queued inside it.
 */
export interface Announcer {
  prepareChanges(records: InitiativeRecord[]): Promise<PreparedChanges>;
  /** The messages of a delete, queued when it goes through. */
  prepareDelete(tombstone: Tombstone): Promise<() => unknown[]>;
}

export type WriteResult =
  | { ok: true; record: StoredInitiative | InitiativeRecord; outcome: PutOutcome; warnings: Issue[] }
  | { ok: false; issues: Issue[] };

export interface UpsertOptions extends ValidateOptions {
  /** Validate and say what would happen (created, updated, unchanged), writing nothing. */
  dryRun?: boolean;
}

/** A draft checked for writing: refused with its issues, or valid with its content version. */
export type Checked =
  { ok: false; issues: Issue[] } | { ok: true; initiative: Initiative; warnings: Issue[]; version: string };

/**
 * Checks a draft as {@link Directory.upsert} does before writing (its IRI must be minted under
 * `iris`), touching no store: an import may check drafts on another thread.
 */
export function checkDraft(draft: InitiativeDraft, taxonomies: Taxonomies, iris: Iris, o: ValidateOptions): Checked {
  if (!iris.localId(draft.id)) {
    const message = `must be ${iris.directory}/ followed by 1-100 letters, digits, ".", "_", "~" or "-"`;
    return { ok: false, issues: [{ field: "id", message, value: draft.id }] };
  }
  const v = validateInitiative(draft, taxonomies, o);
  return v.ok ? { ...v, version: versionOf(v.initiative) } : v;
}

export class Directory {
  readonly #store: Store;
  readonly #taxonomies: Taxonomies;
  readonly #iris: Iris;
  readonly #writer: InitiativeWriter;
  #announcer: Announcer | undefined;
  readonly #defaultSharing: SharingLevel;

  constructor(
    store: Store,
    taxonomies: Taxonomies,
    iris: Iris,
    writer = new InitiativeWriter(store),
    defaultSharing: SharingLevel = "public",
  ) {
    this.#defaultSharing = defaultSharing;
    this.#store = store;
    this.#taxonomies = taxonomies;
    this.#iris = iris;
    this.#writer = writer;
  }

  /** One of this instance's own initiatives (not a mirrored one), or undefined. */
  async get(id: string): Promise<StoredInitiative | undefined> {
    if (!this.#iris.localId(id)) return undefined;
    const found = await this.#store.getInitiative(id);
    return found && !found.provenance ? found : undefined;
  }

  /** Holds background index upkeep off during a bulk write; call the result when done. */
  deferIndexing(): () => void {
    return this.#store.deferIndexing?.() ?? (() => {});
  }

  /** A bulk write (an import) starts: see {@link Store.bulkWrite}; call the result when done. */
  bulkWrite(o: BulkWriteOptions = {}): () => void {
    return this.#store.bulkWrite?.(o) ?? this.deferIndexing();
  }

  /** The write service this directory writes through (shared with the other sources of writes). */
  get writer(): InitiativeWriter {
    return this.#writer;
  }

  /** Sets who announces changes (the federation publisher). */
  announceWith(announcer: Announcer): void {
    this.#announcer = announcer;
  }

  /**
   * Validates drafts (whose ids must already be IRIs under this instance) and writes the valid
   * ones in one transaction. Unchanged content keeps its version and timestamps, so re-importing
   * the same data changes nothing and publishes nothing.
   * @returns one result per draft, in order
   */
  async upsert(
    drafts: InitiativeDraft[],
    now = new Date().toISOString(),
    o: UpsertOptions = {},
  ): Promise<WriteResult[]> {
    return this.upsertChecked(
      drafts.map((d) => ({ id: d.id, checked: this.check(d, o) })),
      now,
      o,
    );
  }

  /** What {@link upsert} checks before writing, in the lenient or strict mode `o` asks for. */
  check(draft: InitiativeDraft, o: ValidateOptions = {}): Checked {
    return checkDraft(draft, this.#taxonomies, this.#iris, this.checkOptions(o));
  }

  /** The validation options drafts are checked with here (the instance's default sharing level). */
  checkOptions(o: ValidateOptions = {}): ValidateOptions {
    return { defaultSharing: this.#defaultSharing, ...o };
  }

  /** {@link upsert} of drafts already checked (by {@link check} or {@link checkDraft}, with {@link checkOptions}). */
  async upsertChecked(
    drafts: { id: string; checked: Checked }[],
    now = new Date().toISOString(),
    o: UpsertOptions = {},
  ): Promise<WriteResult[]> {
    const results: WriteResult[] = [];
    const records: InitiativeRecord[] = [];
    const at: number[] = [];
    const local = drafts.filter((d) => d.checked.ok).map((d) => d.id);
    const found = await this.#store.getInitiatives(local);
    // Own records hidden by curation stay hidden when edited: the new version is kept withheld.
    const hidden = await this.#store.curation.getWithhelds(local.filter((id) => !found.has(id)));
    drafts.forEach(({ id, checked: v }) => {
      if (!v.ok) return void results.push(v);
      const version = v.version;
      const w = hidden.get(id);
      const prev = found.get(id) ?? w?.record;
      if (prev && prev.provenance) {
        results.push({
          ok: false,
          issues: [{ field: "id", ...said("mirroredId"), value: id }],
        });
        return;
      }
      const record: InitiativeRecord =
        prev && prev.version === version
          ? prev
          : { initiative: v.initiative, published: prev?.published ?? now, updated: now, version };
      at.push(results.length);
      records.push(record);
      results.push({
        ok: true,
        record,
        outcome: o.dryRun ? (!prev ? "created" : record === prev ? "unchanged" : "updated") : "unchanged",
        warnings: v.warnings,
      });
    });
    if (!records.length || o.dryRun) return results;
    const kept = records.filter((r) => hidden.has(r.initiative.id));
    for (const r of kept) {
      const res = results[at[records.indexOf(r)]!] as Extract<WriteResult, { ok: true }>;
      res.outcome = hidden.get(r.initiative.id)!.record.version === r.version ? "unchanged" : "updated";
      if (res.outcome === "updated") await this.#store.curation.putWithheld(r, "hidden", now);
    }
    const served = records.filter((r) => !hidden.has(r.initiative.id));
    const servedAt = at.filter((_k, j) => !hidden.has(records[j]!.initiative.id));
    // Only new versions are signed and announced; the rest are written as they are (and come back unchanged).
    const fresh = served.filter((r) => r !== found.get(r.initiative.id));
    const prepared = this.#announcer && fresh.length ? await this.#announcer.prepareChanges(fresh) : undefined;
    const signedOf = new Map<InitiativeRecord, string | undefined>();
    prepared?.records.forEach((r, n) => signedOf.set(fresh[n]!, r.signed));
    const toWrite = served.map((r) => {
      const signed = signedOf.get(r);
      return signed === undefined ? r : { ...r, signed };
    });
    const outcomes = await this.#writer.put(
      toWrite,
      prepared &&
        ((done) => {
          const changes: { record: InitiativeRecord; outcome: "created" | "updated" }[] = [];
          done.forEach((outcome, k) => {
            if (outcome === "created" || outcome === "updated") changes.push({ record: served[k]!, outcome });
          });
          return changes.length ? prepared.messages(changes) : [];
        }),
    );
    outcomes.forEach((outcome, k) => {
      (results[servedAt[k]!] as Extract<WriteResult, { ok: true }>).outcome = outcome;
    });
    return results;
  }

  /** Deletes one of this instance's initiatives; false when there was none. */
  async delete(id: string, now = new Date().toISOString()): Promise<boolean> {
    if (!this.#iris.localId(id)) return false;
    const existing = await this.#store.getInitiative(id);
    if (!existing && (await this.#store.curation.getWithheld(id))) {
      // A hidden own record: deleted like any other, and its followers told (they may hold it from before).
      await this.#store.curation.dropWithheld(id);
    } else if (!existing || existing.provenance) {
      return false;
    }
    const tombstone: Tombstone = { id, deleted: now };
    const messages = await this.#announcer?.prepareDelete(tombstone);
    const removed = await this.#writer.delete(tombstone, messages && ((gone) => (gone || !existing ? messages() : [])));
    return removed || !existing;
  }
}
