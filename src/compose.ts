/**
 * The composition root (STYLE.md §4): config → store → taxonomies → directory → federation → app.
 * Tests and the CLI build instances through here exactly as production does.
 */
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import type { Server } from "node:http";
import type { Express } from "express";
import type { Federation } from "@fedify/fedify";
import type { Config } from "./config.ts";
import { Directory } from "./directory/directory.ts";
import { makeIris, type Iris } from "./directory/ids.ts";
import type { Taxonomies } from "./domain/taxonomy.ts";
import { createEssFederation } from "./federation/federation.ts";
import { inboxRoutes } from "./federation/inbox/receive.ts";
import { createFederationRuntime, type FederationRuntime, type RuntimeOptions } from "./federation/runtime.ts";
import { adminRoutes } from "./http/routes/admin.ts";
import { apiRoutes } from "./http/routes/api.ts";
import { mapRoutes } from "./http/routes/map.ts";
import { dumpRoutes } from "./http/routes/dumps.ts";
import { sparqlRoutes } from "./http/routes/sparql.ts";
import { SparqlPool } from "./query/sparql-pool.ts";
import { ensureActorKeys, type ActorKeys } from "./federation/keys.ts";
import { createApp } from "./http/app.ts";
import { loadTaxonomies } from "./linkeddata/vocabulary.ts";
import { logger } from "./logging.ts";
import { SqliteStore } from "./store/sqlite/store.sqlite.ts";
import type { Store } from "./store/store.ts";

/** Everything one running instance is made of. */
export interface Instance {
  config: Config;
  store: Store;
  taxonomies: Taxonomies;
  iris: Iris;
  keys: ActorKeys;
  directory: Directory;
  federation: Federation<void>;
  runtime: FederationRuntime;
  app: Express;
  /** Starts listening (web role); resolves with the bound port. */
  listen(): Promise<number>;
  /** Starts the delivery worker and periodic jobs (worker role). */
  startWorkers(): void;
  /** Stops listening and background work, then closes the store. */
  close(): Promise<void>;
}

/** Opens the store named by the config: PostgreSQL when DATABASE_URL is set, else the SQLite file. */
export async function openStore(config: Config): Promise<Store> {
  if (config.databaseUrl) {
    const { PostgresStore } = await import("./store/postgres/store.postgres.ts");
    return new PostgresStore(config.databaseUrl);
  }
  mkdirSync(config.dataDir, { recursive: true });
  return new SqliteStore(join(config.dataDir, "essfed.sqlite"));
}

/** Builds an instance; the store is initialised (migrated) and the actor keys exist afterwards. */
export async function compose(config: Config, opts: { store?: Store; runtime?: RuntimeOptions } = {}): Promise<Instance> {
  const store = opts.store ?? (await openStore(config));
  await store.initialize();
  const taxonomies = loadTaxonomies();
  const iris = makeIris(config.url, config.handle);
  const keys = await ensureActorKeys(store.kv);
  const directory = new Directory(store, taxonomies, iris);
  const federation = createEssFederation({ config, store, iris, keys });
  const runtime = createFederationRuntime({ config, store, taxonomies, iris, keys, directory }, opts.runtime);
  const sparql = new SparqlPool(config);
  const app = createApp({
    config, store, taxonomies, directory, iris, federation,
    sign: (records) => runtime.ctx.publisher.signMany(records),
    preRouters: [inboxRoutes(runtime.ctx)],
    routers: [adminRoutes(runtime.ctx), apiRoutes({ config, store, taxonomies, directory, iris }), mapRoutes({ config, store, taxonomies, directory, iris }), dumpRoutes({ config, store, taxonomies, directory, iris }), sparqlRoutes(sparql)],
  });
  let server: Server | undefined;
  const log = logger("server");

  return {
    config, store, taxonomies, iris, keys, directory, federation, runtime, app,
    startWorkers: () => runtime.start(),
    listen: () => new Promise((resolve, reject) => {
      server = app.listen(config.port, config.bind, (err?: Error) => {
        if (err) return reject(err);
        const address = server!.address();
        const port = typeof address === "object" && address ? address.port : config.port;
        log.info("Listening on {bind}:{port} as {url}", { bind: config.bind, port, url: config.url });
        resolve(port);
      });
      server.keepAliveTimeout = 65_000;
    }),
    async close() {
      if (server) await new Promise<void>((r) => { server!.close(() => r()); server!.closeAllConnections(); });
      await runtime.stop();
      await sparql.close();
      await store.close();
    },
  };
}
