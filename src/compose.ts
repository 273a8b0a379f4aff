/**
 * The composition root, the one place that picks adapters and wires the parts:
 * config → store → identity → taxonomies → directory → federation → app.
 * Tests and the CLI build instances through here exactly as production does.
 */
import { accessSync, constants, existsSync, mkdirSync, statSync } from "node:fs";
import { join } from "node:path";
import type { Server } from "node:http";
import type { Express, Request } from "express";
import type { Federation } from "@fedify/fedify";
import type { Config } from "./config.ts";
import { Directory } from "./directory/directory.ts";
import { makeIris, type Iris } from "./directory/ids.ts";
import type { Taxonomies } from "./domain/taxonomy.ts";
import { createEssFederation } from "./federation/fedify/served.ts";
import { inboxPaths } from "./federation/inbox/paths.ts";
import { fetcherDocumentLoader } from "./federation/outbound/fetcher.ts";
import { createFederationRuntime, type FederationRuntime, type RuntimeOptions } from "./federation/runtime.ts";
import { DuplicateFinder, startDuplicateFinder } from "./duplicates/finder.ts";
import { startLinksetAnnouncer } from "./federation/linkset.ts";
import { SparqlPool } from "./query/sparql-pool.ts";
import { ensureActorKeys, type ActorKeys } from "./federation/keys.ts";
import { createApp } from "./http/app.ts";
import { routes } from "./routes.ts";
import { rateLimits } from "./http/middleware/rate-limit.ts";
import { listenMetrics, metricsRoutes, opsRoutes } from "./http/routes/ops.ts";
import { Health } from "./ops/health.ts";
import { Metrics } from "./ops/metrics.ts";
import { startHeartbeat } from "./instance/heartbeat.ts";
import { actorOf, DataAccessError, NoInstanceError, resolveIdentity, type Identity } from "./instance/identity.ts";
import { loadTaxonomies } from "./linkeddata/vocabulary.ts";
import { logger } from "./logging.ts";
import { schemaFromUrl } from "./store/postgres/rows.postgres.ts";
import { SqliteStore } from "./store/sqlite/store.sqlite.ts";
import type { Store } from "./store/store.ts";
import { Accounts } from "./accounts/accounts.ts";
import { Assets } from "./web/assets.ts";
import { SessionCookies } from "./web/console/session.ts";
import { NetworkNames } from "./web/names.ts";
import { publicPages } from "./web/public.ts";
import { useBudgets } from "./linkeddata/jsonld-budget.ts";

/** Everything one running instance is made of. */
export interface Instance {
  /** The configuration, with the URL and handle the instance has stored. */
  config: Config;
  identity: Identity;
  /** This call created the instance (its first start, or `essfed init`). */
  created: boolean;
  store: Store;
  taxonomies: Taxonomies;
  iris: Iris;
  keys: ActorKeys;
  directory: Directory;
  /** The team's accounts and sessions. */
  accounts: Accounts;
  federation: Federation<void>;
  runtime: FederationRuntime;
  app: Express;
  /** The SPARQL query workers (their `stats` are for monitoring). */
  sparql: SparqlPool;
  /** This process's metrics (served at `/metrics`). */
  metrics: Metrics;
  /** The port of the separate metrics listener (ESSFED_METRICS_BIND), once it listens. */
  metricsAddress(): Promise<number | undefined>;
  /** Starts listening (web role); resolves with the bound port. */
  listen(): Promise<number>;
  /** Starts the delivery worker and periodic jobs (worker role). */
  startWorkers(): void;
  /** Stops listening and background work, then closes the store. */
  close(): Promise<void>;
}

/** Where an instance's data lives, in words for messages. */
export function dataPlace(config: Config): string {
  if (!config.databaseUrl) return config.dataDir;
  const schema = schemaFromUrl(config.databaseUrl);
  return `the PostgreSQL database${schema ? ` (schema ${schema})` : ""}`;
}

/**
 * Opens the store named by the config: PostgreSQL when DATABASE_URL is set, else the SQLite file.
 * Unless `create`, a data directory or database that holds no instance is refused before anything
 * is created in it.
 */
export async function openStore(config: Config, create = true): Promise<Store> {
  if (config.databaseUrl) {
    const { PostgresStore } = await import("./store/postgres/store.postgres.ts");
    const store = new PostgresStore(config.databaseUrl);
    if (!create) {
      const { rows } = await store.pool
        .query<{ present: boolean }>("SELECT to_regclass('essfed_schema') IS NOT NULL AS present")
        .catch(async (e) => {
          await store.close();
          throw e;
        });
      if (!rows[0]?.present) {
        await store.close();
        throw new NoInstanceError(
          `${dataPlace(config)} holds no essfed instance: create one with "essfed init" (or "essfed serve"), ` +
            "or check DATABASE_URL",
        );
      }
    }
    return store;
  }
  const file = join(config.dataDir, "essfed.sqlite");
  if (!create && !existsSync(file)) {
    throw new NoInstanceError(
      `${config.dataDir} holds no essfed instance (no essfed.sqlite): create one with "essfed init" ` +
        `(or "essfed serve"), or point ESSFED_DATA at an instance's data directory`,
    );
  }
  mkdirSync(config.dataDir, { recursive: true });
  // A volume left to root (as container runtimes create them) would otherwise fail deep in SQLite.
  try {
    accessSync(config.dataDir, constants.W_OK | constants.X_OK);
  } catch {
    throw new DataAccessError(
      `cannot write to the data directory ${config.dataDir} (owned by uid ${statSync(config.dataDir).uid}; ` +
        `essfed runs as uid ${process.getuid?.() ?? "?"}): give it to that user, or point ESSFED_DATA elsewhere`,
    );
  }
  return new SqliteStore(file);
}

/**
 * Builds an instance; the store is initialised (migrated), the identity checked (or recorded, with
 * `create`) and the actor keys exist afterwards.
 */
export async function compose(
  given: Config,
  opts: { store?: Store; runtime?: RuntimeOptions; create?: boolean; moving?: boolean } = {},
): Promise<Instance> {
  const create = opts.create ?? true;
  // The JSON-LD budget is the process's (its workers are): in force before anything is read.
  useBudgets(given.jsonLd);
  const store = opts.store ?? (await openStore(given, create));
  let identity: Identity, created: boolean;
  try {
    await store.initialize();
    ({ identity, created } = await resolveIdentity(store, given, {
      create,
      where: dataPlace(given),
      moving: opts.moving ?? false,
    }));
  } catch (e) {
    if (!opts.store) await store.close();
    throw e;
  }
  const config: Config = Object.freeze({ ...given, url: identity.url, handle: identity.handle });
  const taxonomies = loadTaxonomies();
  const iris = makeIris(config.url, config.handle);
  const keys = await ensureActorKeys(store.kv);
  const directory = new Directory(store, taxonomies, iris, undefined, config.defaultSharing);
  const runtime = createFederationRuntime({ config, store, taxonomies, iris, keys, directory }, opts.runtime);
  const federation = createEssFederation({
    config,
    store,
    iris,
    keys,
    documentLoader: fetcherDocumentLoader(runtime.ctx.fetcher),
    aliases: identity.previous.map(actorOf),
  });
  const sparql = new SparqlPool(config, {
    workers: config.sparqlWorkers,
    queue: config.sparqlQueue,
    timeoutMs: config.sparqlTimeoutMs,
  });
  const http = { config, store, taxonomies, directory, iris };
  // The people's side: pages in four languages, the map, and the team console.
  const assets = new Assets();
  const names = new NetworkNames(
    store.kv,
    { iri: iris.actor, name: config.name, handle: `${config.handle}@${new URL(config.url).host}` },
    async (iri) => {
      const a = await runtime.ctx.actors.get(iri);
      return a.name ?? a.preferredUsername;
    },
  );
  const accounts = new Accounts({ accounts: store.accounts, audit: store.audit, kv: store.kv, baseUrl: config.url });
  const sessions = new SessionCookies(accounts, config.url);
  const web = { ...http, assets, names, viewer: (req: Request) => sessions.viewerOf(req) };
  const people = publicPages(web);
  const limits = rateLimits(config);
  const health = new Health(store, { indexLagBoundMs: config.readyIndexLagMs });
  const metrics = new Metrics({
    store,
    health,
    sparql: () => sparql.stats,
    inboxPaths: inboxPaths(config.handle),
    handle: config.handle,
  });
  runtime.worker.observer = metrics.deliveries;
  const app = createApp({
    config,
    rateLimit: limits.api,
    measure: metrics.middleware,
    probes: opsRoutes(health, config.metricsToken ? metricsRoutes(metrics, config.metricsToken) : undefined),
    routes: routes({
      http: { ...http, sign: (records) => runtime.ctx.publisher.signMany(records), pages: people.pages },
      federation,
      ctx: runtime.ctx,
      identity,
      keys,
      limits,
      sparql,
      web,
      people,
      accounts,
      sessions,
    }),
  });
  let server: Server | undefined;
  let metricsServer: Promise<Server> | undefined;
  const log = logger("server");
  // Whichever role this process has, its metrics can have a listener of their own.
  const serveMetrics = () => {
    if (!config.metricsBind || metricsServer) return;
    metricsServer = listenMetrics(metrics, config.metricsBind, config.metricsToken);
    metricsServer.then(
      (s) => {
        const a = s.address();
        log.info("Metrics on {address}", {
          address: typeof a === "object" && a ? `${a.address}:${a.port}` : String(a),
        });
      },
      (e: Error) =>
        log.error("Metrics listener failed on {bind}: {error}", {
          bind: `${config.metricsBind!.host}:${config.metricsBind!.port}`,
          error: e.message,
        }),
    );
  };
  const heartbeats: (() => Promise<void>)[] = [];

  return {
    config,
    identity,
    created,
    store,
    taxonomies,
    iris,
    keys,
    directory,
    accounts,
    federation,
    runtime,
    app,
    sparql,
    metrics,
    metricsAddress: async () => {
      const a = (await metricsServer)?.address();
      return typeof a === "object" && a ? a.port : undefined;
    },
    startWorkers: () => {
      serveMetrics();
      runtime.start();
      heartbeats.push(startHeartbeat(store.kv, "worker"));
      // Candidate duplicates follow the records as they are written (issue 16).
      const finder = new DuplicateFinder(store, config.sameAsAuto !== undefined ? { auto: config.sameAsAuto } : {});
      heartbeats.push(startDuplicateFinder(finder, (e) => log.error("Duplicate finder: {error}", { error: e })));
      // Confirmations and their undoing travel to the followers as linkset changes.
      heartbeats.push(startLinksetAnnouncer(store, iris, runtime.ctx.outbox));
    },
    listen: () =>
      new Promise((resolve, reject) => {
        server = app.listen(config.port, config.bind, (err?: Error) => {
          if (err) return reject(err);
          const address = server!.address();
          const port = typeof address === "object" && address ? address.port : config.port;
          log.info("Listening on {bind}:{port} as {url}", { bind: config.bind, port, url: config.url });
          heartbeats.push(startHeartbeat(store.kv, "web"));
          health.start();
          serveMetrics();
          resolve(port);
        });
        server.keepAliveTimeout = 65_000;
      }),
    async close() {
      if (server?.listening)
        await new Promise<void>((r) => {
          server!.close(() => r());
          server!.closeAllConnections();
        });
      health.stop();
      // A metrics listener that failed to start was logged then; there is nothing to close.
      const ms = await metricsServer?.catch(() => undefined);
      if (ms?.listening)
        await new Promise<void>((r) => {
          ms.close(() => r());
          ms.closeAllConnections();
        });
      await Promise.all(heartbeats.splice(0).map((stop) => stop()));
      await runtime.stop();
      await sparql.close();
      await store.close();
    },
  };
}
