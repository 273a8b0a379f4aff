/**
 * Runs SPARQL queries in worker threads with hard bounds (ADR 7), and admits them so that nobody
 * can monopolise the endpoint:
 * - the waiting line is bounded: when it is full the query is refused at once (503, Retry-After);
 * - one client (address) holds at most its share of the workers and of the waiting line (429);
 * - a query whose client went away is cancelled: dropped from the line, or its worker terminated
 *   and replaced (the only sure way to stop a query engine in the middle of a join);
 * - a query must start answering within its time limit and finish streaming within a longer one,
 *   or its worker is terminated and replaced; so is one that outgrows its memory.
 * Answers stream from the worker a piece at a time, each piece sent only once the client has
 * taken the one before (see `sparql-chunks.ts`).
 */
import { Worker } from "node:worker_threads";
import type { Config } from "../config.ts";
import { logger, ignoreFailure } from "../logging.ts";
import { AnswerBroken, Chunks } from "./sparql-chunks.ts";
import { SPARQL_LIMITS, type GraphType, type SparqlOutcome, type SparqlRefusal } from "./sparql-types.ts";
import type { SelectType } from "./sparql-results.ts";
import type { WorkerMessage } from "./sparql-worker.ts";

const log = logger("query", "sparql");

/** Pieces a worker may send ahead of what the client has taken. */
const CREDIT = 4;

export interface SparqlPoolOptions {
  workers?: number;
  /** How long a query may take to start answering. */
  timeoutMs?: number;
  /** How long an answer may take to stream in full (slow readers included). */
  streamMs?: number;
  /** Heap limit of each worker. */
  memoryMb?: number;
  /** Queries that may wait for a worker, from all clients together. */
  queue?: number;
}

export interface RunOptions {
  /** Who asks (a client address); each one gets a share of the workers and of the line. */
  client?: string;
  /** Aborted when the client goes away. */
  signal?: AbortSignal;
}

/** Figures for monitoring: current sizes and counters since start. */
export interface SparqlPoolStats {
  workers: number;
  busy: number;
  queued: number;
  completed: number;
  refusedBusy: number;
  /** Worker threads that have exited (terminated after a timeout, cancellation or failure); their CPU is free again. */
  exited: number;
  cancelled: number;
  timeouts: number;
  failed: number;
}

interface Job {
  id: number;
  query: string;
  selectType: SelectType;
  graphType: GraphType;
  client: string;
  signal?: AbortSignal;
  settle: (o: SparqlOutcome) => void;
}

interface Running {
  job: Job;
  worker: Worker;
  chunks?: Chunks;
  timer: NodeJS.Timeout;
  done: boolean;
}

export class SparqlPool {
  readonly #config: Config;
  readonly #o: Required<SparqlPoolOptions>;
  readonly #idle: Worker[] = [];
  readonly #waiting: Job[] = [];
  readonly #running = new Map<Worker, Running>();
  readonly #perClient = new Map<string, { running: number; waiting: number }>();
  #workers = 0;
  /** Workers told to stop, until their thread has exited (they still count among #workers meanwhile). */
  readonly #exiting = new Set<Promise<void>>();
  /** Workers being started, until they are ready or have failed. */
  readonly #starting = new Set<Promise<void>>();
  #nextId = 0;
  #closed = false;
  readonly #counts = { completed: 0, refusedBusy: 0, cancelled: 0, timeouts: 0, failed: 0, exited: 0 };

  constructor(config: Config, o: SparqlPoolOptions = {}) {
    this.#config = config;
    const timeoutMs = o.timeoutMs ?? SPARQL_LIMITS.timeoutMs;
    this.#o = {
      workers: 2,
      memoryMb: 384,
      queue: 16,
      streamMs: timeoutMs * SPARQL_LIMITS.streamFactor,
      ...o,
      timeoutMs,
    };
  }

  /** Workers one client may hold at once: half of them, and never all when there are several. */
  get clientWorkers(): number {
    return Math.max(1, Math.floor(this.#o.workers / 2));
  }

  /** Places in the line one client may hold: a quarter of them. */
  get clientQueue(): number {
    return Math.max(1, Math.ceil(this.#o.queue / 4));
  }

  get stats(): SparqlPoolStats {
    return { workers: this.#workers, busy: this.#running.size, queued: this.#waiting.length, ...this.#counts };
  }

  /** Runs a query; resolves when it starts answering (or is refused). */
  execute(query: string, selectType: SelectType, graphType: GraphType, o: RunOptions = {}): Promise<SparqlOutcome> {
    return new Promise((settle) => {
      const client = o.client ?? "";
      if (this.#closed) return settle(this.#unavailable("the query engine is shutting down"));
      if (o.signal?.aborted) return settle(this.#cancelledRefusal());
      const mine = this.#client(client);
      const retryAfter = Math.ceil(this.#o.timeoutMs / 1000);
      if (mine.waiting >= this.clientQueue) {
        this.#counts.refusedBusy++;
        return settle({
          ok: false,
          status: 429,
          code: "sparql-client-busy",
          retryAfter,
          message: `you already have ${mine.running + mine.waiting} queries running or waiting; wait for their answers`,
        });
      }
      if (this.#waiting.length >= this.#o.queue) {
        this.#counts.refusedBusy++;
        return settle({
          ok: false,
          status: 503,
          code: "sparql-busy",
          retryAfter,
          message: "the query engine is busy; try again shortly",
        });
      }
      const job: Job = {
        id: ++this.#nextId,
        query,
        selectType,
        graphType,
        client,
        ...(o.signal ? { signal: o.signal } : {}),
        settle,
      };
      mine.waiting++;
      this.#waiting.push(job);
      o.signal?.addEventListener("abort", () => this.#cancel(job), { once: true });
      this.#pump();
    });
  }

  /** Starts every worker now instead of at the first queries; resolves when all are ready. */
  async ready(): Promise<void> {
    // A stopping worker is replaced when its thread exits: wait for that, or this would count it as ready.
    while (this.#exiting.size) await Promise.all(this.#exiting);
    while (this.#workers < this.#o.workers) void this.#spawn();
    while (this.#starting.size) await Promise.all(this.#starting);
  }

  async close(): Promise<void> {
    this.#closed = true;
    for (const job of this.#waiting.splice(0)) job.settle(this.#unavailable("the query engine is shutting down"));
    for (const r of this.#running.values())
      this.#finish(r, { refusal: this.#unavailable("the query engine is shutting down") }, false);
    await Promise.all(this.#idle.splice(0).map((w) => w.terminate()));
  }

  #client(client: string) {
    let c = this.#perClient.get(client);
    if (!c) this.#perClient.set(client, (c = { running: 0, waiting: 0 }));
    return c;
  }

  #release(client: string, field: "running" | "waiting"): void {
    const c = this.#client(client);
    c[field]--;
    if (!c.running && !c.waiting) this.#perClient.delete(client);
  }

  #unavailable(message: string): SparqlRefusal {
    return { ok: false, status: 503, code: "sparql-unavailable", message, retryAfter: 5 };
  }

  #cancelledRefusal(): SparqlRefusal {
    return { ok: false, status: 503, code: "query-cancelled", message: "the client went away" };
  }

  /** Starts every waiting job that has a worker and whose client is within its share. */
  #pump(): void {
    while (!this.#closed) {
      const k = this.#waiting.findIndex((j) => this.#client(j.client).running < this.clientWorkers);
      if (k < 0) return;
      const worker = this.#idle.pop();
      if (!worker) {
        if (this.#workers < this.#o.workers) void this.#spawn();
        return;
      }
      const [job] = this.#waiting.splice(k, 1);
      this.#release(job!.client, "waiting");
      this.#client(job!.client).running++;
      this.#start(worker, job!);
    }
  }

  /** Starts a worker; resolves once it is ready or has failed to start. */
  #spawn(): Promise<void> {
    this.#workers++;
    let started!: () => void;
    const promise = new Promise<void>((resolve) => {
      started = resolve;
    });
    this.#starting.add(promise);
    void promise.then(() => this.#starting.delete(promise));
    const worker = new Worker(new URL("./sparql-worker.ts", import.meta.url), {
      workerData: { config: { ...this.#config }, timeoutMs: this.#o.timeoutMs, streamMs: this.#o.streamMs },
      resourceLimits: { maxOldGenerationSizeMb: this.#o.memoryMb },
    });
    let ready = false;
    worker.on("message", (m: WorkerMessage) => {
      if ("ready" in m) {
        ready = true;
        started();
        this.#idle.push(worker);
        return this.#pump();
      }
      const r = this.#running.get(worker);
      if (r && r.job.id === m.id) this.#onMessage(r, m);
    });
    worker.on("error", (e: Error & { code?: string }) => {
      const r = this.#running.get(worker);
      if (r) {
        const tooLarge = e.code === "ERR_WORKER_OUT_OF_MEMORY";
        this.#finish(
          r,
          {
            refusal: tooLarge
              ? {
                  ok: false,
                  status: 503,
                  code: "query-too-large",
                  message: `the query needed more than ${this.#o.memoryMb} MB; narrow it`,
                }
              : { ok: false, status: 503, code: "sparql-failed", message: "the query engine failed" },
          },
          false,
        );
      } else if (!ready) log.error("Could not start a SPARQL worker: {error}", { error: e });
    });
    worker.on("exit", () => {
      const r = this.#running.get(worker);
      if (r)
        this.#finish(
          r,
          { refusal: { ok: false, status: 503, code: "sparql-failed", message: "the query engine stopped" } },
          false,
        );
      const idle = this.#idle.indexOf(worker);
      if (idle >= 0) this.#idle.splice(idle, 1);
      this.#workers--;
      this.#counts.exited++;
      started();
      if (this.#closed) return;
      if (!ready) {
        // It never started: answer one waiting query rather than retrying forever.
        const job = this.#waiting.shift();
        if (job) {
          this.#release(job.client, "waiting");
          job.settle(this.#unavailable("the query engine could not start"));
        }
      } else {
        // A replaced worker is started again at once: starting one takes long (the engine loads),
        // and the next query should not wait for that.
        void this.#spawn();
      }
      this.#pump();
    });
    return promise;
  }

  #start(worker: Worker, job: Job): void {
    const timer = setTimeout(() => {
      this.#counts.timeouts++;
      this.#finish(
        r,
        {
          refusal: {
            ok: false,
            status: 503,
            code: "query-timeout",
            message:
              `the query did not start answering within ${this.#o.timeoutMs / 1000} s; ` +
              "narrow it (e.g. a LIMIT or more specific patterns)",
          },
        },
        false,
      );
    }, this.#o.timeoutMs + 1000);
    const r: Running = { job, worker, timer, done: false };
    this.#running.set(worker, r);
    worker.postMessage({
      id: job.id,
      query: job.query,
      selectType: job.selectType,
      graphType: job.graphType,
      credit: CREDIT,
    });
  }

  #onMessage(r: Running, m: Exclude<WorkerMessage, { ready: true }>): void {
    if ("refusal" in m) {
      if (m.refusal.code === "query-timeout") this.#counts.timeouts++;
      return this.#finish(r, { refusal: m.refusal }, !m.recycle);
    }
    if ("head" in m) {
      clearTimeout(r.timer);
      r.timer = setTimeout(() => {
        this.#counts.timeouts++;
        this.#finish(
          r,
          {
            broken: new AnswerBroken("answer-timeout", `the answer did not finish within ${this.#o.streamMs / 1000} s`),
          },
          false,
        );
      }, this.#o.streamMs);
      r.chunks = new Chunks(
        () => r.worker.postMessage({ id: r.job.id, credit: 1 }),
        () => this.#cancel(r.job),
      );
      return r.job.settle({ ok: true, kind: m.head.kind, type: m.head.type, chunks: r.chunks });
    }
    if ("chunk" in m) return r.chunks?.push(m.chunk);
    if ("end" in m) return this.#finish(r, {}, true);
    if ("broken" in m) return this.#finish(r, { broken: new AnswerBroken(m.broken.code, m.broken.message) }, false);
  }

  /** Ends a job: answers or breaks it, then frees (or replaces) its worker and starts the next. */
  #finish(r: Running, how: { refusal?: SparqlRefusal; broken?: Error }, healthy: boolean): void {
    if (r.done) return;
    r.done = true;
    clearTimeout(r.timer);
    this.#running.delete(r.worker);
    this.#release(r.job.client, "running");
    if (how.refusal) {
      if (r.chunks) r.chunks.fail(new AnswerBroken(how.refusal.code, how.refusal.message));
      else r.job.settle(how.refusal);
      if (how.refusal.status >= 500 && how.refusal.code !== "query-timeout" && how.refusal.code !== "query-cancelled")
        this.#counts.failed++;
    } else if (how.broken) {
      r.chunks?.fail(how.broken);
    } else {
      r.chunks?.end();
      this.#counts.completed++;
    }
    if (healthy && !this.#closed) {
      this.#idle.push(r.worker);
    } else {
      // A worker stuck in (or killed by) a query is replaced; its exit event does the bookkeeping.
      const worker = r.worker;
      const exited = new Promise<void>((done) => worker.once("exit", () => done()));
      this.#exiting.add(exited);
      void exited.then(() => this.#exiting.delete(exited));
      void worker.terminate().catch(ignoreFailure("sparql-worker-terminate"));
    }
    this.#pump();
  }

  #cancel(job: Job): void {
    const k = this.#waiting.indexOf(job);
    if (k >= 0) {
      this.#waiting.splice(k, 1);
      this.#release(job.client, "waiting");
      this.#counts.cancelled++;
      job.settle(this.#cancelledRefusal());
      return;
    }
    for (const r of this.#running.values()) {
      if (r.job !== job || r.done || r.chunks?.finished) continue;
      this.#counts.cancelled++;
      this.#finish(r, { refusal: this.#cancelledRefusal() }, false);
    }
  }
}
