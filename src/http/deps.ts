import type { Request, Response } from "express";
import type { Config } from "../config.ts";
import type { Directory } from "../directory/directory.ts";
import type { Iris } from "../directory/ids.ts";
import type { InitiativeRecord, Tombstone } from "../domain/initiative.ts";
import type { Taxonomies } from "../domain/taxonomy.ts";
import type { Store, StoredInitiative } from "../store/store.ts";
import type { Withheld } from "../store/curation.ts";

/** What the HTTP layer needs, built once in `compose.ts`. */
export interface HttpDeps {
  config: Config;
  store: Store;
  taxonomies: Taxonomies;
  directory: Directory;
  iris: Iris;
  /**
   * Signs one of our own records (FEP-8b32 proof by this network) and caches the result, so that
   * directory pages carry proofs that relays can pass on. Absent: pages carry unsigned documents.
   */
  sign?: (records: InitiativeRecord[]) => Promise<Record<string, unknown>[]>;
  /** The pages people see of an initiative (in their language); absent: a plain page. */
  pages?: PeoplePages;
}

/** The pages for people the HTTP layer hands a request to (`web/public.ts` makes them). */
export interface PeoplePages {
  /** The HTML page of one initiative (content negotiation chose HTML). */
  initiative(req: Request, res: Response, rec: StoredInitiative): Promise<void>;
  gone(req: Request, res: Response, tomb: Tombstone): Promise<void>;
  /**
   * A withheld (hidden or blocked) record: shown to a signed-in member of the team with a banner
   * saying so; to anyone else the same 404 as a record never held.
   */
  withheld(req: Request, res: Response, w: Withheld, notFound: string): Promise<void>;
}
