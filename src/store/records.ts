/**
 * The shapes every store port shares: a record as stored and a page of a listing. They sit apart
 * from `store.ts`, which gathers the ports (search, accounts, curation, duplicates), so that those
 * ports can use them without importing the store port back.
 */
import type { InitiativeRecord } from "../domain/initiative.ts";

/** A record as stored, with its place in the change order. */
export interface StoredInitiative extends InitiativeRecord {
  /** Position in the change order: larger is newer. Every write that changes content takes a new one. */
  seq: number;
  /** Signed JSON-LD (with an integrity proof), when one has been made or received for this version. */
  signed?: string;
}

/** A record's plain columns (ADR 30): what SPARQL's whole-dataset answers read instead of its JSON. */
export interface ShapeRow {
  seq: number;
  id: string;
  name: string;
  primaryActivity?: string;
  lat?: number;
  long?: number;
  /** The whole record, when it has translations (its other names live there). */
  translated?: StoredInitiative;
}

/** One page of a listing in change order; `next` is absent on the last page. */
export interface Page<T> {
  items: T[];
  next?: string;
}

/**
 * Messages queued in the same transaction as a write (the outbox pattern): a write and the
 * deliveries it causes commit together or not at all, so no change is stored unannounced and no
 * announcement leaves for a change that was rolled back.
 */
export interface OutboxWrite<T> {
  /** The queue to write to (the delivery queue). */
  queue: string;
  /** The messages, given what the write did. Called inside the transaction: no I/O, no waiting. */
  messages(result: T): unknown[];
}

/**
 * The source of this instance's own records, wherever a source is named: listing and counting
 * records, the search index's `source` facet, the withheld list. Other sources are actor IRIs.
 */
export const LOCAL_SOURCE = "local";
