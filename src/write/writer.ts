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
import type { Store } from "../store/store.ts";

/** The queue the delivery workers listen on. */
export const DELIVERY_QUEUE = "delivery";

/**
 * What a write announces, as delivery-queue messages built from what the write did. Called inside
 * the store transaction: it must not do I/O (sign and read followers beforehand).
 */
export type Announce<T> = (result: T) => unknown[];

export class InitiativeWriter {
  readonly #store: Store;

  constructor(store: Store) {
    this.#store = store;
  }

  /**
   * Writes records in one transaction (with their signed documents where given) and queues what
   * `announce` makes of the outcomes in the same transaction.
   * @returns one outcome per record, in order
   */
  put(records: (InitiativeRecord & { signed?: string })[], announce?: Announce<PutOutcome[]>): Promise<PutOutcome[]> {
    if (!records.length) return Promise.resolve([]);
    return this.#store.putInitiatives(records, announce && { queue: DELIVERY_QUEUE, messages: announce });
  }

  /**
   * Deletes a record (leaving a tombstone) and queues what `announce` makes of the result, told
   * whether a stored record went, in the same transaction.
   */
  delete(tombstone: Tombstone, announce?: Announce<boolean>): Promise<boolean> {
    return this.#store.deleteInitiative(tombstone, announce && { queue: DELIVERY_QUEUE, messages: announce });
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
    return this.#store.curation.withhold(
      ids,
      state,
      at,
      reason,
      announce && { queue: DELIVERY_QUEUE, messages: announce },
    );
  }

  /**
   * Serves withheld records again, by the put rules (a record deleted meanwhile stays out), and
   * queues what `announce` makes of those served again in the same transaction.
   * @returns the IRIs served again
   */
  release(ids: string[], state: WithheldState | undefined, announce?: Announce<HeldRecord[]>): Promise<string[]> {
    return this.#store.curation.release(ids, state, announce && { queue: DELIVERY_QUEUE, messages: announce });
  }
}
