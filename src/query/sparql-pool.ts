/**
 * Runs SPARQL queries in worker threads with hard bounds: a query that outlives its time (plus a
 * grace second) or outgrows its memory has its worker terminated and replaced, and is answered
 * with 503. One query at a time per worker; others wait their turn.
 */
import { Worker } from "node:worker_threads";
import type { Config } from "../config.ts";
import { logger } from "../logging.ts";
import { SPARQL_LIMITS, type GraphType, type SparqlOutcome } from "./sparql.ts";
import type { SelectType } from "./sparql-results.ts";

const log = logger("query", "sparql");

interface Job { query: string; selectType: SelectType; graphType: GraphType; resolve: (o: SparqlOutcome) => void }

export interface SparqlPoolOptions {
  workers?: number;
  timeoutMs?: number;
  /** Heap limit of each worker. */
  memoryMb?: number;
}

export class SparqlPool {
  readonly #config: Config;
  readonly #o: Required<SparqlPoolOptions>;
  readonly #idle: Worker[] = [];
  readonly #waiting: Job[] = [];
  #workers = 0;
  #nextId = 0;
  #closed = false;

  constructor(config: Config, o: SparqlPoolOptions = {}) {
    this.#config = config;
    this.#o = { workers: 1, timeoutMs: SPARQL_LIMITS.timeoutMs, memoryMb: 384, ...o };
  }

  execute(query: string, selectType: SelectType, graphType: GraphType): Promise<SparqlOutcome> {
    return new Promise((resolve) => {
      this.#waiting.push({ query, selectType, graphType, resolve });
      void this.#pump();
    });
  }

  async close(): Promise<void> {
    this.#closed = true;
    await Promise.all(this.#idle.splice(0).map((w) => w.terminate()));
  }

  async #spawn(): Promise<Worker> {
    const worker = new Worker(new URL("./sparql-worker.ts", import.meta.url), {
      workerData: { config: { ...this.#config }, timeoutMs: this.#o.timeoutMs },
      resourceLimits: { maxOldGenerationSizeMb: this.#o.memoryMb },
    });
    await new Promise<void>((resolve, reject) => {
      const onMessage = (m: { ready?: boolean }) => { if (m.ready) { cleanup(); resolve(); } };
      const onError = (e: Error) => { cleanup(); reject(e); };
      const cleanup = () => { worker.off("message", onMessage); worker.off("error", onError); };
      worker.on("message", onMessage);
      worker.once("error", onError);
    });
    return worker;
  }

  async #pump(): Promise<void> {
    while (this.#waiting.length && !this.#closed) {
      let worker = this.#idle.pop();
      if (!worker) {
        if (this.#workers >= this.#o.workers) return;
        this.#workers++;
        try {
          worker = await this.#spawn();
        } catch (e) {
          this.#workers--;
          log.error("Could not start a SPARQL worker: {error}", { error: e });
          const job = this.#waiting.shift();
          job?.resolve({ ok: false, status: 503, code: "sparql-unavailable", message: "the query engine could not start" });
          continue;
        }
      }
      const job = this.#waiting.shift();
      if (!job) {
        this.#idle.push(worker);
        return;
      }
      void this.#run(worker, job);
    }
  }

  async #run(worker: Worker, job: Job): Promise<void> {
    const id = ++this.#nextId;
    const outcome = await new Promise<{ outcome: SparqlOutcome; healthy: boolean }>((resolve) => {
      const timer = setTimeout(() => done({ ok: false, status: 503, code: "query-timeout", message: `the query did not finish within ${this.#o.timeoutMs / 1000} s; narrow it (e.g. a LIMIT or more specific patterns)` }, false), this.#o.timeoutMs + 1000);
      // A query cut short (too many results, out of time) may still be computing in its worker:
      // Comunica does not stop when its result stream is dropped. Such a worker is replaced too.
      const onMessage = (m: { id?: number; outcome?: SparqlOutcome }) => {
        if (m.id === id) done(m.outcome!, m.outcome!.ok || (m.outcome!.code !== "too-many-results" && m.outcome!.code !== "query-timeout"));
      };
      const onError = (e: Error & { code?: string }) => done(e.code === "ERR_WORKER_OUT_OF_MEMORY"
        ? { ok: false, status: 503, code: "query-too-large", message: `the query needed more than ${this.#o.memoryMb} MB; narrow it` }
        : { ok: false, status: 503, code: "sparql-failed", message: "the query engine failed" }, false);
      const onExit = () => done({ ok: false, status: 503, code: "sparql-failed", message: "the query engine stopped" }, false);
      const done = (o: SparqlOutcome, healthy: boolean) => {
        clearTimeout(timer);
        worker.off("message", onMessage);
        worker.off("error", onError);
        worker.off("exit", onExit);
        resolve({ outcome: o, healthy });
      };
      worker.on("message", onMessage);
      worker.once("error", onError);
      worker.once("exit", onExit);
      worker.postMessage({ id, query: job.query, selectType: job.selectType, graphType: job.graphType });
    });
    if (outcome.healthy && !this.#closed) {
      this.#idle.push(worker);
    } else {
      // A worker stuck in (or killed by) a query is replaced; it is gone before the answer goes out.
      this.#workers--;
      await worker.terminate().catch(() => {});
    }
    job.resolve(outcome.outcome);
    void this.#pump();
  }
}
