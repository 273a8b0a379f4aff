/**
 * Opens the store of an instance that exists, for threads that only read it (the SPARQL query
 * workers): the composition root has already created, migrated and checked it, and importing the
 * composition root would load the whole server into every worker.
 */
import { join } from "node:path";
import type { Config } from "../config.ts";
import { SqliteStore } from "./sqlite/store.sqlite.ts";
import type { Store } from "./store.ts";

export async function openInstanceStore(config: Config): Promise<Store> {
  if (config.databaseUrl) {
    const { PostgresStore } = await import("./postgres/store.postgres.ts");
    return new PostgresStore(config.databaseUrl);
  }
  return new SqliteStore(join(config.dataDir, "essfed.sqlite"));
}
