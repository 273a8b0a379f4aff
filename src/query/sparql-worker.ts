/**
 * A worker thread that runs SPARQL queries (see `sparql-pool.ts`). It opens its own connection to
 * the instance's store, so the main thread can terminate it — the only sure way to stop a query
 * engine in the middle of a join — without losing anything.
 */
import { parentPort, workerData } from "node:worker_threads";
import type { Config } from "../config.ts";
import { makeIris } from "../directory/ids.ts";
import { loadTaxonomies } from "../linkeddata/vocabulary.ts";
import { openStore } from "../compose.ts";
import { SparqlService, type GraphType } from "./sparql.ts";
import type { SelectType } from "./sparql-results.ts";

const { config, timeoutMs } = workerData as { config: Config; timeoutMs: number };
const store = await openStore(config);
await store.initialize();
const service = new SparqlService(store, loadTaxonomies(), makeIris(config.url, config.handle), { timeoutMs });

parentPort!.on("message", async (job: { id: number; query: string; selectType: SelectType; graphType: GraphType }) => {
  const outcome = await service.execute(job.query, job.selectType, job.graphType).catch((e: Error) => ({ ok: false as const, status: 400 as const, code: "invalid-query", message: e.message }));
  parentPort!.postMessage({ id: job.id, outcome });
});
parentPort!.postMessage({ ready: true });
