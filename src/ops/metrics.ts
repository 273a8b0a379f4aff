/**
 * The metrics of one process, in the Prometheus text format (prom-client). Counters are what
 * this process did (requests, inbox activities, deliveries); gauges read at scrape time from the
 * store (queue, records by source, search-index lag) describe the database every process shares,
 * so on PostgreSQL each process reports the same values for them. Label values are bounded:
 * routes are the route templates, never raw paths; peers are hosts, at most {@link PEER_LABELS}
 * of them (then `other`); sources at most {@link SOURCE_LABELS} (the largest), the rest summed
 * as `other`.
 */
import type { NextFunction, Request, Response } from "express";
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from "prom-client";
import type { DeliveryObserver } from "../federation/outbound/delivery.ts";
import type { SparqlPoolStats } from "../query/sparql-pool.ts";
import type { Store } from "../store/store.ts";
import type { Health } from "./health.ts";
import { ignoredFailures } from "../logging.ts";
import { DroppedRecords } from "../federation/dropped.ts";

export const PEER_LABELS = 100;
export const SOURCE_LABELS = 50;
const ACTIVITY_TYPES = new Set([
  "Create",
  "Update",
  "Delete",
  "Announce",
  "Follow",
  "Undo",
  "Accept",
  "Reject",
  "Move",
  "Add",
  "Remove",
  "Like",
]);

/** Host names as label values, the first `max` seen; later ones are `other`. */
export class BoundedLabels {
  readonly #seen = new Set<string>();
  readonly max: number;
  constructor(max: number) {
    this.max = max;
  }
  of(value: string): string {
    if (this.#seen.has(value)) return value;
    if (this.#seen.size >= this.max) return "other";
    this.#seen.add(value);
    return value;
  }
}

const hostOf = (url: string) => {
  try {
    return new URL(url).host;
  } catch {
    return "invalid";
  }
};

export interface MetricsSources {
  store: Store;
  health: Health;
  sparql: () => SparqlPoolStats;
  /** The inbox paths (for counting activities). */
  inboxPaths: string[];
  /** The actor's handle, to give Fedify's paths (which have no Express route) their template. */
  handle: string;
}

export class Metrics {
  readonly registry = new Registry();
  readonly #peers = new BoundedLabels(PEER_LABELS);
  readonly #requests: Counter<"method" | "route" | "status">;
  readonly #latency: Histogram<"method" | "route">;
  readonly #inbox: Counter<"outcome" | "reason" | "type">;
  readonly #deliveries: Counter<"peer" | "outcome">;
  readonly #s: MetricsSources;

  constructor(s: MetricsSources) {
    this.#s = s;
    const registers = [this.registry];
    collectDefaultMetrics({ register: this.registry, prefix: "essfed_" });
    this.#requests = new Counter({
      name: "essfed_http_requests_total",
      help: "HTTP requests answered, by route template and status",
      labelNames: ["method", "route", "status"],
      registers,
    });
    this.#latency = new Histogram({
      name: "essfed_http_request_duration_seconds",
      help: "Time to answer HTTP requests, by route template",
      labelNames: ["method", "route"],
      registers,
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    });
    this.#inbox = new Counter({
      name: "essfed_inbox_activities_total",
      help: "Activities posted to the inbox: accepted, or refused with the problem code as reason",
      labelNames: ["outcome", "reason", "type"],
      registers,
    });
    this.#deliveries = new Counter({
      name: "essfed_deliveries_total",
      help: "Delivery attempts by peer host: sent, retry (queued again), failed (given up), dropped (address refused)",
      labelNames: ["peer", "outcome"],
      registers,
    });
    this.#storeGauges(registers);
    this.#sparqlGauges(registers);
  }

  /** Counts every request when its answer is finished (route template, status, time). */
  readonly middleware = (req: Request, res: Response, next: NextFunction): void => {
    const start = process.hrtime.bigint();
    res.once("finish", () => {
      const route = this.#routeOf(req, res);
      const seconds = Number(process.hrtime.bigint() - start) / 1e9;
      this.#requests.inc({ method: req.method, route, status: String(res.statusCode) });
      this.#latency.observe({ method: req.method, route }, seconds);
      if (req.method === "POST" && this.#s.inboxPaths.includes(req.path)) {
        const accepted = res.statusCode === 202;
        const type =
          typeof res.locals.activityType === "string" && ACTIVITY_TYPES.has(res.locals.activityType)
            ? res.locals.activityType
            : "unknown";
        this.#inbox.inc({
          outcome: accepted ? "accepted" : "refused",
          reason: accepted ? "" : String(res.locals.problemCode ?? res.statusCode),
          type,
        });
      }
    });
    next();
  };

  /** Counts the delivery worker's attempts. */
  readonly deliveries: DeliveryObserver = {
    attempted: (inbox, outcome) => this.#deliveries.inc({ peer: this.#peers.of(hostOf(inbox)), outcome }),
  };

  #routeOf(req: Request, res: Response): string {
    const path = (req.route as { path?: unknown } | undefined)?.path;
    if (typeof path === "string") return `${req.baseUrl}${path}`;
    if (res.statusCode === 404) return "unmatched";
    // Fedify answers these itself, without an Express route.
    const p = req.path;
    if (p.startsWith("/.well-known/") || p.startsWith("/nodeinfo/")) return p.length <= 40 ? p : "other";
    const actor = `/actors/${this.#s.handle}`;
    if (p === actor) return "/actors/:handle";
    if (p.startsWith(`${actor}/`))
      return `/actors/:handle/${p
        .slice(actor.length + 1)
        .split("/")[0]!
        .slice(0, 20)}`;
    return "other";
  }

  #storeGauges(registers: Registry[]): void {
    const { store, health } = this.#s;
    const queue = store.queue("delivery");
    new Gauge({
      name: "essfed_queue_depth",
      help: "Deliveries waiting in the queue (shared by every process on the database), by state",
      labelNames: ["queue", "state"],
      registers,
      async collect() {
        const c = await queue.counts();
        this.set({ queue: "delivery", state: "ready" }, c.ready);
        this.set({ queue: "delivery", state: "delayed" }, c.delayed);
        this.set({ queue: "delivery", state: "in_flight" }, c.total - c.ready - c.delayed);
      },
    });
    new Gauge({
      name: "essfed_queue_oldest_ready_seconds",
      help: "How long the longest-waiting ready delivery has waited (0 when none waits)",
      labelNames: ["queue"],
      registers,
      async collect() {
        const c = await queue.counts();
        this.set(
          { queue: "delivery" },
          c.oldestReadyAt === undefined ? 0 : Math.max(0, (Date.now() - c.oldestReadyAt) / 1000),
        );
      },
    });
    const peers = this.#peers;
    new Gauge({
      name: "essfed_deliveries_queued",
      help: "Deliveries queued per peer host (ready, delayed or in flight)",
      labelNames: ["peer"],
      registers,
      async collect() {
        this.reset();
        const sums = new Map<string, number>();
        for (const g of await queue.countsBy("inbox")) {
          const peer = peers.of(hostOf(g.value));
          sums.set(peer, (sums.get(peer) ?? 0) + g.total);
        }
        for (const [peer, n] of sums) this.set({ peer }, n);
      },
    });
    const dropped = new DroppedRecords(store.kv);
    new Gauge({
      name: "essfed_records_dropped",
      help:
        "Records followed networks served that a back-fill or reconciliation dropped, by peer host and reason " +
        "(kept in the store; the inbox refuses such records with 422, counted by essfed_inbox_activities_total)",
      labelNames: ["peer", "reason"],
      registers,
      async collect() {
        this.reset();
        for (const p of await dropped.list())
          for (const [reason, n] of Object.entries(p.counts)) this.inc({ peer: peers.of(hostOf(p.peer)), reason }, n);
      },
    });
    new Gauge({
      name: "essfed_records",
      help: "Initiatives held, by source network (local = this network's own)",
      labelNames: ["source"],
      registers,
      async collect() {
        this.reset();
        const counts = [...(await store.search.facets({ facets: {} })).counts.source].sort((a, b) => b.count - a.count);
        for (const c of counts.slice(0, SOURCE_LABELS)) this.set({ source: c.value }, c.count);
        const rest = counts.slice(SOURCE_LABELS).reduce((n, c) => n + c.count, 0);
        if (rest) this.set({ source: "other" }, rest);
      },
    });
    new Gauge({
      name: "essfed_search_index_lag_changes",
      help: "Changes written but not yet in the search index",
      registers,
      async collect() {
        this.set((await health.readiness()).indexLag.changes);
      },
    });
    new Gauge({
      name: "essfed_search_index_lag_seconds",
      help: "How long the search index has been behind the writes (0 when caught up)",
      registers,
      async collect() {
        this.set((await health.readiness()).indexLag.seconds);
      },
    });
  }

  #sparqlGauges(registers: Registry[]): void {
    const stats = this.#s.sparql;
    new Gauge({
      name: "essfed_sparql_queue_length",
      help: "SPARQL queries waiting for a worker",
      registers,
      collect() {
        this.set(stats().queued);
      },
    });
    new Gauge({
      name: "essfed_sparql_running",
      help: "SPARQL queries running",
      registers,
      collect() {
        this.set(stats().busy);
      },
    });
    new Gauge({
      name: "essfed_sparql_workers",
      help: "SPARQL worker threads started (they start with the first query)",
      registers,
      collect() {
        this.set(stats().workers);
      },
    });
    // The pool keeps running totals; a counter follows them by their increase.
    const seen: Record<string, number> = {};
    const outcomes = {
      completed: "completed",
      timeouts: "timeout",
      cancelled: "cancelled",
      failed: "failed",
      refusedBusy: "refused_busy",
    } as const;
    new Counter({
      name: "essfed_sparql_queries_total",
      help:
        "SPARQL queries by outcome (refused_busy: 503, the line was full; " +
        "429s of a busy client are in essfed_http_requests_total)",
      labelNames: ["outcome"],
      registers,
      collect() {
        const s = stats();
        for (const [key, outcome] of Object.entries(outcomes)) {
          const now = s[key as keyof typeof outcomes];
          const delta = now - (seen[key] ?? 0);
          seen[key] = now;
          this.inc({ outcome }, Math.max(0, delta));
        }
      },
    });
    const ignoredSeen = new Map<string, number>();
    new Counter({
      name: "essfed_ignored_failures_total",
      help: "Failures deliberately not passed on (each is also logged), by the place that ignored them",
      labelNames: ["where"],
      registers,
      collect() {
        for (const [where, now] of ignoredFailures()) {
          this.inc({ where }, Math.max(0, now - (ignoredSeen.get(where) ?? 0)));
          ignoredSeen.set(where, now);
        }
      },
    });
  }

  async text(): Promise<string> {
    return this.registry.metrics();
  }

  get contentType(): string {
    return this.registry.contentType;
  }
}
