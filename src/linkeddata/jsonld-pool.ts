/**
 * Expands JSON-LD in worker threads (`jsonld-worker.ts`) under the budget's deadline, heap limit
 * and quad cap (ADR 18). A worker that outlives its deadline or outgrows its heap is terminated and
 * replaced, and the document refused; the main thread keeps answering meanwhile. Workers start at
 * the first document that needs one and do not keep the process alive. Pools are kept per heap
 * size: strangers' documents share small workers, imports get one large one.
 */
import { availableParallelism } from "node:os";
import { Worker } from "node:worker_threads";
import { type Quad, type Quad_Object, type Quad_Subject, type Quad_Predicate, type Quad_Graph } from "n3";
import { namedNode, blankNode, literal, quad, defaultGraph } from "./terms.ts";
import { SHIPPED_CONTEXTS } from "./context.ts";
import { JsonLdBudgetError, JsonLdInputError, type JsonLdBudget } from "./jsonld-budget.ts";
import type { JobMessage, RawQuad, Term, WorkerReply } from "./jsonld-worker.ts";

/** Documents that may wait for a worker, per pool; past that, 503 (try again). */
const QUEUE = 64;

interface Job {
  message: JobMessage;
  budget: Readonly<JsonLdBudget>;
  resolve: (q: RawQuad[]) => void;
  reject: (e: Error) => void;
}
interface Slot {
  worker: Worker;
  ready: boolean;
  started: boolean;
  job?: Job;
  timer?: NodeJS.Timeout;
}

class JsonLdPool {
  readonly #memoryMb: number;
  readonly #size: number;
  readonly #slots = new Set<Slot>();
  readonly #waiting: Job[] = [];
  #nextId = 0;

  constructor(memoryMb: number, size: number) {
    this.#memoryMb = memoryMb;
    this.#size = size;
  }

  run(doc: unknown, budget: Readonly<JsonLdBudget>): Promise<RawQuad[]> {
    return new Promise((resolve, reject) => {
      if (this.#waiting.length >= QUEUE)
        return reject(
          new JsonLdBudgetError("queue", "too many JSON-LD documents are waiting to be read; try again shortly"),
        );
      const message: JobMessage = {
        id: ++this.#nextId,
        doc,
        maxQuads: budget.maxQuads,
        maxOutputChars: budget.maxOutputChars,
      };
      this.#waiting.push({ message, budget, resolve, reject });
      this.#pump();
    });
  }

  async close(): Promise<void> {
    for (const job of this.#waiting.splice(0)) job.reject(new Error("the JSON-LD reader is shutting down"));
    await Promise.all([...this.#slots].map((s) => s.worker.terminate()));
  }

  #pump(): void {
    while (this.#waiting.length) {
      const slot = [...this.#slots].find((s) => s.ready && !s.job);
      if (!slot) {
        if (this.#slots.size < this.#size) this.#spawn();
        break;
      }
      this.#start(slot, this.#waiting.shift()!);
    }
    this.#hold();
  }

  /** Workers keep the process alive only while a document waits for them or is being read. */
  #hold(): void {
    for (const s of this.#slots) {
      if (s.job || (this.#waiting.length && !s.ready)) s.worker.ref();
      else s.worker.unref();
    }
  }

  #spawn(): void {
    const worker = new Worker(new URL("./jsonld-worker.ts", import.meta.url), {
      workerData: { contexts: SHIPPED_CONTEXTS },
      resourceLimits: {
        maxOldGenerationSizeMb: this.#memoryMb,
        maxYoungGenerationSizeMb: Math.min(32, this.#memoryMb / 4),
      },
    });
    const slot: Slot = { worker, ready: false, started: false };
    this.#slots.add(slot);
    worker.on("message", (m: WorkerReply) => {
      if ("ready" in m) {
        slot.ready = slot.started = true;
        return this.#pump();
      }
      const job = slot.job;
      if (!job || job.message.id !== m.id) return;
      this.#free(slot);
      if ("quads" in m) job.resolve(m.quads);
      else if (m.error.kind === "maxQuads")
        job.reject(new JsonLdBudgetError("maxQuads", m.error.message, job.budget.maxQuads));
      else if (m.error.kind === "maxOutputChars")
        job.reject(new JsonLdBudgetError("maxOutputChars", m.error.message, job.budget.maxOutputChars));
      else job.reject(new JsonLdInputError(m.error.message, m.error.kind));
      this.#pump();
    });
    worker.on("error", (e: Error & { code?: string }) => {
      // The thread is ending: give it no other document before its exit.
      slot.ready = false;
      const job = slot.job;
      if (!job) return;
      this.#free(slot);
      this.#hold();
      job.reject(
        e.code === "ERR_WORKER_OUT_OF_MEMORY"
          ? new JsonLdBudgetError(
              "memory",
              `expanding the document needed more than ${this.#memoryMb} MB`,
              this.#memoryMb,
            )
          : new Error(`the JSON-LD reader failed: ${e.message}`, { cause: e }),
      );
    });
    worker.on("exit", () => {
      const job = slot.job;
      this.#free(slot);
      this.#slots.delete(slot);
      // Never ready: fail one waiting document rather than retrying forever.
      const failed = job ?? (slot.started ? undefined : this.#waiting.shift());
      failed?.reject(new Error("the JSON-LD reader stopped"));
      this.#pump();
    });
  }

  #start(slot: Slot, job: Job): void {
    slot.job = job;
    slot.timer = setTimeout(() => {
      this.#free(slot);
      job.reject(
        new JsonLdBudgetError(
          "timeoutMs",
          `expanding the document took longer than ${job.budget.timeoutMs / 1000} s`,
          job.budget.timeoutMs,
        ),
      );
      slot.ready = false;
      this.#hold();
      void slot.worker.terminate();
    }, job.budget.timeoutMs);
    slot.worker.postMessage(job.message);
  }

  #free(slot: Slot): void {
    clearTimeout(slot.timer);
    slot.timer = undefined;
    slot.job = undefined;
  }
}

const pools = new Map<number, JsonLdPool>();
const WORKERS = Math.max(1, Math.min(2, availableParallelism() - 1));

/** Quads of `doc`, expanded in a worker under `budget` (the pre-scan is the caller's). */
export async function expandInWorker(doc: unknown, budget: Readonly<JsonLdBudget>): Promise<Quad[]> {
  let pool = pools.get(budget.memoryMb);
  if (!pool) pools.set(budget.memoryMb, (pool = new JsonLdPool(budget.memoryMb, budget.memoryMb > 512 ? 1 : WORKERS)));
  return (await pool.run(doc, budget)).map(toQuad);
}

/** Stops every worker (tests, shutdown); pools start again on demand. */
export async function closeJsonLdPools(): Promise<void> {
  const all = [...pools.values()];
  pools.clear();
  await Promise.all(all.map((p) => p.close()));
}

function term(t: Term): Quad_Object {
  switch (t.termType) {
    case "NamedNode":
      return namedNode(t.value);
    case "BlankNode":
      return blankNode(t.value.replace(/^_:/, ""));
    case "Literal":
      return t.language
        ? literal(t.value, t.language)
        : literal(t.value, t.datatype ? namedNode(t.datatype.value) : undefined);
    default:
      return defaultGraph() as unknown as Quad_Object;
  }
}

const toQuad = (q: RawQuad): Quad =>
  quad(
    term(q.subject) as Quad_Subject,
    term(q.predicate) as Quad_Predicate,
    term(q.object),
    term(q.graph) as Quad_Graph,
  );
