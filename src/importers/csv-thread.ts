/**
 * Reading a CSV on a worker thread (csv-worker.ts) while this thread writes: reading rows,
 * validating and hashing run on the second core, and this thread, which holds SQLite's one write
 * lock, only looks up, writes and indexes. On by default for a CSV of {@link THREAD_MIN_BYTES} or
 * more on a machine with two cores or more (ADR 25); an import may ask either way
 * (`ImportOptions.thread`). The worker reads a file itself; other sources are handed to it a piece
 * at a time as it asks. This thread takes its steps (drafts already checked, refusals, the
 * version) in file order.
 */
import { availableParallelism } from "node:os";
import { MessageChannel, Worker, receiveMessageOnPort } from "node:worker_threads";
import type { Iris } from "../directory/ids.ts";
import { loadTaxonomies } from "../linkeddata/vocabulary.ts";
import type { ValidateOptions } from "../domain/validate.ts";
import type { CsvStep } from "./csv-import.ts";
import type { CsvWorkerData, FromCsvWorker, StepsMessage, ToCsvWorker } from "./csv-worker.ts";
import type { ImportFormat } from "./detect.ts";
import type { ImportOptions, ImportSource } from "./report.ts";

/**
 * Records per batch (and write transaction) when reading on a worker thread. Small on purpose: the
 * writes are grouped into longer transactions anyway (ADR 46), and a batch's records, held while it
 * is written, outlived the young generation's collections at 1,000 and more: V8 copied them twice and
 * moved them to the old generation. 500 instead of 10,000 took this thread's garbage collection from
 * 0.7-0.9 s to 0.2 s at 100,000 rows and from 4.5 to 0.9 s at a million, with peak RSS 220-390 MB
 * lower (docs/benchmarks.md, twelfth round).
 */
export const THREAD_BATCH = 500;

/**
 * Records per message from the reading thread, for the same reason on its side: its batch waits
 * whole for the message, and 250 instead of 1,000 took its collections from 0.8-1.0 s to 0.2 s at
 * 100,000 rows. A message costs little next to 250 rows.
 */
export const READ_BATCH = 250;

/**
 * From this size a CSV is read on a worker thread unless the import says otherwise: about 20,000
 * rows of the SEA standard. Starting the worker (its modules, the vocabularies) took 0.8 s of CPU
 * at load 15, and the writing thread waits for its first batch; it then saves about 35 µs a row,
 * so smaller files are read here (docs/benchmarks.md, sixth round).
 */
export const THREAD_MIN_BYTES = 8 * 1024 * 1024;

/**
 * Whether an import reads its source on a worker thread: when asked (`o.thread`), or by default for
 * a CSV of known size of at least {@link THREAD_MIN_BYTES} when there is a second core to run it on.
 */
export function readsOnThread(
  format: ImportFormat,
  source: Pick<ImportSource, "size">,
  o: Pick<ImportOptions, "thread">,
  cores = availableParallelism(),
): boolean {
  if (format !== "csv") return false;
  return o.thread ?? (cores >= 2 && (source.size ?? 0) >= THREAD_MIN_BYTES);
}

/**
 * The reading thread's young generation, at most: V8 gives each thread up to 128 MB on this
 * platform, which the reader fills with garbage between scavenges; 48 MB kept its heap at 80-140 MB
 * instead of 110-235 and the import's peak RSS about 100 MB lower, at no CPU cost measurable
 * (docs/benchmarks.md, seventh round). Its old generation is not capped: that cost CPU (sixth round).
 */
export const WORKER_YOUNG_MB = 48;

/** The steps of a CSV read on a worker thread, checked with `options` (as `Directory.checkOptions` gives them). */
export async function* threadedCsvSteps(
  source: ImportSource,
  iris: Iris,
  options: ValidateOptions,
): AsyncGenerator<CsvStep> {
  const handle = iris.actor.slice(`${iris.base}/actors/`.length);
  const path = source.path;
  // The batches come on a channel of their own and are taken from it one at a time, as they are
  // written: the ones waiting stay serialised instead of becoming objects on this thread's heap.
  const channel = new MessageChannel();
  const workerData: CsvWorkerData = {
    ...(path ? { path } : {}),
    base: iris.base,
    handle,
    options,
    taxonomies: loadTaxonomies().parts(),
    batch: READ_BATCH,
    steps: channel.port2,
  };
  const worker = new Worker(new URL("./csv-worker.ts", import.meta.url), {
    workerData,
    transferList: [channel.port2],
    resourceLimits: { maxYoungGenerationSizeMb: WORKER_YOUNG_MB },
  });
  // A file is read by the worker itself; anything else is handed over a piece at a time, in order.
  const stream = path ? undefined : source.open();
  const pieces = (stream as AsyncIterable<Buffer | string> | undefined)?.[Symbol.asyncIterator]();
  let feeding = Promise.resolve();
  let done = false;
  let failure: Error | undefined;
  let wake: (() => void) | undefined;
  const fail = (e: unknown) => {
    failure ??= e instanceof Error ? e : new Error(String(e));
    wake?.();
  };
  const feed = async () => {
    const next = await pieces!.next();
    const m: ToCsvWorker = next.done ? { end: true } : { chunk: next.value };
    worker.postMessage(m);
  };
  worker.on("message", (m: FromCsvWorker) => {
    if ("more" in m) feeding = feeding.then(feed).catch(fail);
    else if ("done" in m) done = true;
    wake?.();
  });
  worker.on("error", fail);
  worker.on("exit", (code) => {
    if (!done) fail(new Error(`the CSV reading thread stopped (exit code ${code})`));
  });
  try {
    for (;;) {
      // (A batch is on the channel before the worker says it sent it, or that it is done.)
      const taken = receiveMessageOnPort(channel.port1)?.message as StepsMessage | undefined;
      if (taken) {
        worker.postMessage({ taken: true } satisfies ToCsvWorker);
        yield* taken.steps;
        continue;
      }
      if (failure !== undefined) throw failure;
      if (done) return;
      await new Promise<void>((r) => (wake = r));
      wake = undefined;
    }
  } finally {
    stream?.destroy();
    channel.port1.close();
    await worker.terminate();
  }
}
