/**
 * What the federation handlers share, built once in `compose.ts`.
 */
import type { Config } from "../config.ts";
import type { Iris } from "../directory/ids.ts";
import type { Taxonomies } from "../domain/taxonomy.ts";
import type { Store } from "../store/store.ts";
import type { InitiativeWriter } from "../write/writer.ts";
import type { RemoteActors } from "./outbound/actors.ts";
import type { Fetcher } from "./outbound/fetcher.ts";
import type { KeyLookup } from "./inbox/key-lookup.ts";
import type { Outbox } from "./outbound/fan-out.ts";
import type { Publisher } from "./publisher.ts";

export interface FederationContext {
  config: Config;
  store: Store;
  taxonomies: Taxonomies;
  iris: Iris;
  actors: RemoteActors;
  /** The one outbound HTTP client (ADR 9). */
  fetcher: Fetcher;
  /** Public keys for verifying the inbox's HTTP signatures, fetched through {@link fetcher}. */
  keyLookup: KeyLookup;
  outbox: Outbox;
  /** The one write path for initiatives (mirrors and deletions from peers). */
  writer: InitiativeWriter;
  publisher: Publisher;
  /** Starts a back-fill of a followed network's directory (runs in the background). */
  scheduleBackfill(actor: string): void;
}
