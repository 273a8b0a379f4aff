/**
 * The curation side of the store: what this network serves and passes on. Both adapters implement
 * it on their own database (one contract suite, `test/contract/curation.contract.ts`).
 *
 * A record this network does not serve — hidden by a person, or from a blocked source — is moved
 * out of the served records into `withheld`, with its signed document. Every read path (search,
 * facets, map, dumps, SPARQL, the directory, pages, relays) reads only the served records, so it
 * honours curation without a filter of its own. Versions waiting for a decision (from a source in
 * `review`, or a change to a hidden record) and reports wait in the queue beside the served
 * version. Decisions themselves are written to the audit log (`accounts.ts`).
 */
import type { InitiativeRecord } from "../domain/initiative.ts";
import type { OutboxWrite, Page } from "./records.ts";

export type Policy = "accept" | "review" | "block";
export const POLICIES: readonly Policy[] = ["accept", "review", "block"];

/** A source policy: for one origin network (actor IRI) or a whole domain (host name, subdomains included). */
export interface SourcePolicy {
  source: string;
  policy: Policy;
  reason?: string;
  /** ISO 8601, when it was set. */
  at: string;
}

/** Why a record is withheld: a person hid it (or rejected it), or its source is blocked. */
export type WithheldState = "hidden" | "blocked";

/** A record with its signed document, as the store keeps it. */
export type HeldRecord = InitiativeRecord & { signed?: string };

/** A held record as both stores keep it: its JSON without the signature, and the signature apart. */
export const heldColumns = ({ signed, ...r }: HeldRecord): [string, string | null] => [
  JSON.stringify(r),
  signed ?? null,
];

/** The `withheld` table's values in column order: id, source, state, reason, at, updated, JSON, signature. */
export const withheldValues = (record: HeldRecord, state: WithheldState, at: string, reason?: string) =>
  [
    record.initiative.id,
    record.provenance?.origin ?? null,
    state,
    reason ?? null,
    at,
    record.updated,
    ...heldColumns(record),
  ] as const;

export interface Withheld {
  record: HeldRecord;
  state: WithheldState;
  reason?: string;
  /** ISO 8601, when it was withheld. */
  at: string;
}

export type QueueKind = "change" | "report" | "suggestion";

/** What waits for a decision. */
export interface QueueItem {
  /** Position in the queue: larger is later. */
  n: number;
  kind: QueueKind;
  /** The record it is about (IRI). */
  target: string;
  /** The version waiting for approval (`change`, `suggestion`). */
  record?: HeldRecord;
  /** What a report says, or why a change waits (`review`, `hidden`). */
  text?: string;
  /** Who sent it: the reporting actor, a team member. */
  from?: string;
  received: string;
}

export interface QueueQuery {
  limit: number;
  cursor?: string;
  kind?: QueueKind;
  target?: string;
}

export interface CurationStore {
  /** Adds or replaces the policy of a source. */
  putPolicy(p: SourcePolicy): Promise<void>;
  /** Removes a source's policy (it is back to the default); false when it had none. */
  removePolicy(source: string): Promise<boolean>;
  /** Every policy, by source. */
  listPolicies(): Promise<SourcePolicy[]>;

  /** Origins (actor IRIs) of the served mirrored records. */
  servedSources(): Promise<string[]>;

  /**
   * Moves served records out of service (one transaction): they leave every index and listing and
   * are kept as withheld. A record already withheld as `blocked` becomes `hidden` when hidden.
   * `outbox` queues the messages the records taken out of service call for (their withdrawal) in
   * the same transaction.
   * @returns how many served records were withheld
   */
  withhold(
    ids: string[],
    state: WithheldState,
    at: string,
    reason?: string,
    outbox?: OutboxWrite<HeldRecord[]>,
  ): Promise<number>;
  /**
   * Keeps a record withheld that is not served (a rejected new record, a hidden record's newer
   * version); replaces the withheld version, keeping the state unless `state` is given.
   */
  putWithheld(record: HeldRecord, state: WithheldState, at: string, reason?: string): Promise<void>;
  /**
   * Serves withheld records again (one transaction) with new change numbers, by the same put rules
   * as every write; only those in `state` when it is given. A record deleted meanwhile (a tombstone
   * newer than it) is dropped. `outbox` queues the messages the records served again call for
   * (their announcement) in the same transaction.
   * @returns the IRIs served again
   */
  release(ids: string[], state?: WithheldState, outbox?: OutboxWrite<HeldRecord[]>): Promise<string[]>;
  /** Forgets a withheld record (its owner deleted it). */
  dropWithheld(id: string): Promise<boolean>;
  getWithheld(id: string): Promise<Withheld | undefined>;
  /** The withheld records among these IRIs (one query for a whole batch). */
  getWithhelds(ids: string[]): Promise<Map<string, Withheld>>;
  /** Withheld records, newest first; optionally one state or one origin (`LOCAL_SOURCE` = own). */
  listWithheld(q: { limit: number; cursor?: string; state?: WithheldState; source?: string }): Promise<Page<Withheld>>;
  /** IRIs of withheld records from one origin. */
  withheldIdsBySource(source: string, state?: WithheldState): Promise<string[]>;

  /**
   * Adds an item to the queue. A `change` replaces the waiting change for the same record (only
   * the newest version waits). Returns it with its position.
   */
  enqueue(item: Omit<QueueItem, "n">): Promise<QueueItem>;
  getQueued(n: number): Promise<QueueItem | undefined>;
  /** The queue, oldest first, a page at a time. */
  listQueue(q: QueueQuery): Promise<Page<QueueItem>>;
  /** How many items wait (optionally of one kind). */
  countQueue(kind?: QueueKind): Promise<number>;
  /** Takes items off the queue (decided): returns those that were there; two takers get each once. */
  dequeue(ns: number[]): Promise<QueueItem[]>;
  /** Takes every item about a record off the queue (it was deleted); returns how many. */
  dequeueTarget(target: string): Promise<number>;
}
