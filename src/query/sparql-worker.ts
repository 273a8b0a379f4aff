/**
 * A worker thread that runs SPARQL queries (see `sparql-pool.ts`). It opens its own connection to
 * the instance's store, so the main thread can terminate it — the only sure way to stop a query
 * engine in the middle of a join — without losing anything. An answer goes back a piece at a
 * time, each piece only while the pool has given credit for it (the client is reading).
 */
import { parentPort, workerData } from "node:worker_threads";
import type { Config } from "../config.ts";
import { makeIris } from "../directory/ids.ts";
import { loadTaxonomies } from "../linkeddata/vocabulary.ts";
import { openInstanceStore } from "../store/open.ts";
import { AnswerBroken } from "./sparql-chunks.ts";
import { SparqlService } from "./sparql.ts";
import { warmUp } from "./sparql-warm.ts";
import type { GraphType, SparqlRefusal } from "./sparql-types.ts";
import type { SelectType } from "./sparql-results.ts";

/** What a worker tells the pool: ready once; per job a refusal, or a head, pieces and an end. */
export type WorkerMessage =
  | { ready: true }
  | { id: number; refusal: SparqlRefusal; recycle: boolean }
  | { id: number; head: { kind: "select" | "ask" | "graph"; type: string } }
  | { id: number; chunk: string }
  | { id: number; end: true }
  | { id: number; broken: { code: string; message: string } };

const { config, timeoutMs, streamMs } = workerData as { config: Config; timeoutMs: number; streamMs: number };
const store = await openInstanceStore(config);
await store.initialize();
const service = new SparqlService(store, loadTaxonomies(), makeIris(config.url, config.handle), {
  timeoutMs,
  streamMs,
});

/** Codes after which the engine may still be computing in this thread: the pool replaces it. */
const DIRTY = new Set(["too-many-results", "query-timeout"]);

interface Job {
  id: number;
  query: string;
  selectType: SelectType;
  graphType: GraphType;
  credit: number;
}
let current: { id: number; credit: number; wake?: () => void } | undefined;

async function run(job: Job): Promise<void> {
  const port = parentPort!;
  current = { id: job.id, credit: job.credit };
  const me = current;
  const outcome = await service
    .execute(job.query, job.selectType, job.graphType)
    .catch((e: Error) => ({ ok: false as const, status: 400 as const, code: "invalid-query", message: e.message }));
  if (!outcome.ok) return port.postMessage({ id: job.id, refusal: outcome, recycle: DIRTY.has(outcome.code) });
  port.postMessage({ id: job.id, head: { kind: outcome.kind, type: outcome.type } });
  try {
    for await (const chunk of outcome.chunks) {
      while (me.credit <= 0)
        await new Promise<void>((resolve) => {
          me.wake = resolve;
        });
      me.credit--;
      port.postMessage({ id: job.id, chunk });
    }
    port.postMessage({ id: job.id, end: true });
  } catch (e) {
    const code = e instanceof AnswerBroken ? e.code : "sparql-failed";
    port.postMessage({ id: job.id, broken: { code, message: (e as Error).message } });
  }
}

parentPort!.on("message", (m: Job | { id: number; credit: number; query?: undefined }) => {
  if (m.query === undefined) {
    if (current?.id === m.id) {
      current.credit += m.credit;
      current.wake?.();
    }
    return;
  }
  void run(m);
});
// The engine's first query builds its pipeline and the vocabulary index, and the record-by-record
// answers' code is compiled as it runs: do that before saying ready, so that the first queries are
// not charged for it against their time limit.
await warmUp(service);
parentPort!.postMessage({ ready: true });
