/**
 * The one service that writes initiatives. Every source goes through it: the directory (admin API,
 * console, CLI and importers write own records through `Directory`), mirrors from peers (inbox
 * activities and back-fill pages through `federation/mirror.ts`), deletions from peers, and
 * curation's approvals and its moves in and out of service (withholding, releasing). The rules of
 * what a write does are `domain/puts.ts`, applied by the store inside its transaction; what the
 * write announces is queued for delivery in that same transaction (the outbox), so a change is
 * never stored without its announcement, nor announced without being stored.
 */
import type { Tombstone } from "../domain/initiative.ts";
import type { InitiativeRecord } from "../domain/initiative.ts";
import type { PutOutcome } from "../domain/puts.ts";
import type { HeldRecord, WithheldState } from "../store/curation.ts";
import type { OutboxWrite, Store } from "../store/store.ts";

/** The queue the delivery workers listen on. */
export const DELIVERY_QUEUE = "delivery";

/**
 * Mirror writes in flight at once. More wait, and go together as one transaction as soon as one
 * finishes (group commit): concurrent inbox activities then cost one transaction per group, not
 * one each, while a lone activity is written at once.
 */
const MIRROR_SLOTS = 4;
/** Most records written together in one grouped mirror write. */
const MIRROR_GROUP = 1000;

/** A record to write, with its signed document when it has one. */
type Writing = InitiativeRecord & { signed?: string };

/** A mirror write waiting for a slot. */
interface Waiting {
  records: Writing[];
  announce: Announce<PutOutcome[]> | undefined;
  resolve: (outcomes: PutOutcome[]) => void;
  reject: (e: unknown) => void;
}

/**
 * What a write announces, as delivery-queue messages built from what the write did. Called inside
 * the store transaction: it must not do I/O (sign and read followers beforehand).
 */
export type Announce<T> = (result: T) => unknown[];

/** The delivery-queue outbox of a write that announces something. */
const toOutbox = <T>(announce: Announce<T> | undefined): OutboxWrite<T> | undefined =>
  announce && { queue: DELIVERY_QUEUE, messages: announce };

export class InitiativeWriter {
  readonly #store: Store;
  readonly #waiting: Waiting[] = [];
  #inFlight = 0;

  constructor(store: Store) {
    this.#store = store;
  }

  /**
   * Writes records in one transaction (with their signed documents where given) and queues what
   * `announce` makes of the outcomes in the same transaction.
   * @returns one outcome per record, in order
   */
  put(records: Writing[], announce?: Announce<PutOutcome[]>): Promise<PutOutcome[]> {
    if (!records.length) return Promise.resolve([]);
    return this.#store.putInitiatives(records, toOutbox(announce));
  }

  /**
   * Writes mirrors of records another network holds (an inbox activity, a back-fill page), as
   * {@link put} does, but acknowledged before they are on disk: a database crash may lose the last
   * moments of them, which reconciliation with that network repairs (ADR 31). Mirror writes that
   * arrive while {@link MIRROR_SLOTS} are in flight are grouped into one transaction.
   */
  mirror(records: Writing[], announce?: Announce<PutOutcome[]>): Promise<PutOutcome[]> {
    if (!records.length) return Promise.resolve([]);
    return new Promise((resolve, reject) => {
      this.#waiting.push({ records, announce, resolve, reject });
      this.#startMirrors();
    });
  }

  /** Starts waiting mirror writes while slots are free, each taking as many waiting as fit in a group. */
  #startMirrors(): void {
    while (this.#inFlight < MIRROR_SLOTS && this.#waiting.length) {
      const group = [this.#waiting.shift()!];
      let n = group[0]!.records.length;
      while (this.#waiting.length && n + this.#waiting[0]!.records.length <= MIRROR_GROUP) {
        n += this.#waiting[0]!.records.length;
        group.push(this.#waiting.shift()!);
      }
      this.#inFlight++;
      void this.#writeMirrors(group).finally(() => {
        this.#inFlight--;
        this.#startMirrors();
      });
    }
  }

  /** Writes a group of mirror writes in one transaction; each gets its own outcomes, and its own messages queued. */
  async #writeMirrors(group: Waiting[]): Promise<void> {
    const put = (records: Writing[], messages?: Announce<PutOutcome[]>) =>
      this.#store.putInitiatives(records, toOutbox(messages), { replayable: true });
    if (group.length > 1) {
      const starts: number[] = [];
      let n = 0;
      for (const w of group) {
        starts.push(n);
        n += w.records.length;
      }
      const part = (outcomes: PutOutcome[], k: number) =>
        outcomes.slice(starts[k], starts[k]! + group[k]!.records.length);
      const messages = (outcomes: PutOutcome[]) => group.flatMap((w, k) => w.announce?.(part(outcomes, k)) ?? []);
      try {
        const outcomes = await put(
          group.flatMap((w) => w.records),
          group.some((w) => w.announce) ? messages : undefined,
        );
        group.forEach((w, k) => w.resolve(part(outcomes, k)));
        return;
      } catch {
        // Not ignored: the group rolled back whole, so each write is tried again alone below, and
        // one that fails then fails its own caller only (two groups sharing records may also have
        // deadlocked, which writing them one by one resolves).
      }
    }
    for (const w of group) await put(w.records, w.announce).then(w.resolve, w.reject);
  }

  /**
   * Deletes a record (leaving a tombstone) and queues what `announce` makes of the result, told
   * whether a stored record went, in the same transaction.
   */
  delete(tombstone: Tombstone, announce?: Announce<boolean>): Promise<boolean> {
    return this.#store.deleteInitiative(tombstone, toOutbox(announce));
  }

  /**
   * Takes served records out of service (curation: hidden, or from a blocked source) and queues what
   * `announce` makes of the records that left (their withdrawal) in the same transaction.
   * @returns how many served records were withheld
   */
  withhold(
    ids: string[],
    state: WithheldState,
    at: string,
    reason: string | undefined,
    announce?: Announce<HeldRecord[]>,
  ): Promise<number> {
    return this.#store.curation.withhold(ids, state, at, reason, toOutbox(announce));
  }

  /**
   * Serves withheld records again, by the put rules (a record deleted meanwhile stays out), and
   * queues what `announce` makes of those served again in the same transaction.
   * @returns the IRIs served again
   */
  release(ids: string[], state: WithheldState | undefined, announce?: Announce<HeldRecord[]>): Promise<string[]> {
    return this.#store.curation.release(ids, state, toOutbox(announce));
  }

  /**
   * Drops mirrored copies without tombstones (the network we had them from withdrew them, so they may
   * come back by another path) and queues what `announce` makes of how many went, in the same
   * transaction.
   * @returns how many copies were dropped
   */
  purge(ids: string[], announce?: Announce<number>): Promise<number> {
    return this.#store.purgeInitiatives(ids, toOutbox(announce));
  }
}
