/**
 * A worker thread that reads a CSV for csv-thread.ts: it reads the file (or asks for its bytes a
 * piece at a time), reads rows into drafts, checks each own record as the directory would
 * (validation, text screening, content hash) and sends the steps back in batches, waiting while
 * {@link MAX_UNREAD} batches are unread: the thread that writes sets the pace, and memory stays
 * bounded whatever the file's size.
 */
import { createReadStream } from "node:fs";
import { parentPort, workerData, type MessagePort } from "node:worker_threads";
import { checkDraft } from "../directory/directory.ts";
import { makeIris } from "../directory/ids.ts";
import type { ValidateOptions } from "../domain/validate.ts";
import { Taxonomies, type TaxonomyParts } from "../domain/taxonomy.ts";
import { csvSteps, type CsvStep } from "./csv-import.ts";

export interface CsvWorkerData {
  /** The file to read, when the source is one (otherwise its pieces come as messages). */
  path?: string;
  base: string;
  handle: string;
  options: ValidateOptions;
  /** The shipped taxonomies, as the writing thread holds them: parsing their files here took a tenth of a second. */
  taxonomies: TaxonomyParts;
  /** Records per batch of steps sent back. */
  batch: number;
  /**
   * Where the batches of steps go ({@link StepsMessage}); the writing thread takes them one at a time
   * when it needs them, so the ones waiting stay serialised (a third of their size as objects).
   */
  steps: MessagePort;
}
/** A batch of steps, on {@link CsvWorkerData.steps}. */
export type StepsMessage = { steps: CsvStep[] };
/** From the writing thread: a piece of the file (or its end), or that a batch was taken. */
export type ToCsvWorker = { chunk: Uint8Array | string } | { end: true } | { taken: true };
/** To the writing thread: the next piece wanted, that a batch of steps was sent, or the end of the file. */
export type FromCsvWorker = { more: true } | { sent: true } | { done: true };

/** Pieces (of 64 KB from a stream) asked for ahead: about 2 MB, 5,000 rows. */
const READ_AHEAD = 32;
/**
 * Batches sent and not yet taken, at most: 16,000 rows, about half a second of the writer's work. Both threads work in
 * bursts (a commit, a collection, a write of the index stage's counts), and with 12 batches (3,000 rows) ahead each
 * often waited for the other: the two used 1.60-1.63 cores while the records were written instead of 1.66-1.68, and
 * the records of 500,000 rows took 16.1-16.6 s instead of 14.1-15.1 (docs/benchmarks.md, thirteenth round). The
 * batches wait serialised, a few tens of megabytes at most; peak RSS did not move.
 */
const MAX_UNREAD = 64;

const port = parentPort!;
const data = workerData as CsvWorkerData;
const iris = makeIris(data.base, data.handle);
const taxonomies = new Taxonomies(data.taxonomies.concepts, data.taxonomies.schemeLabels);
/** For drafts whose text the reader screened already. */
const screened: ValidateOptions = { ...data.options, screened: true };

const pieces: (Uint8Array | string | null)[] = [];
let arrived: (() => void) | undefined;
let unread = 0;
let taken: (() => void) | undefined;
port.on("message", (m: ToCsvWorker) => {
  if ("taken" in m) {
    unread--;
    taken?.();
  } else {
    pieces.push("end" in m ? null : m.chunk);
    arrived?.();
  }
});

/**
 * Pieces of the source as the writing thread sends them, asking for {@link READ_AHEAD} at first and
 * one more for each used: the writing thread cannot answer while it is in a write transaction.
 */
async function* pieceMessages(): AsyncGenerator<Buffer | string> {
  for (let k = 0; k < READ_AHEAD; k++) port.postMessage({ more: true } satisfies FromCsvWorker);
  for (;;) {
    if (!pieces.length) {
      await new Promise<void>((r) => (arrived = r));
      arrived = undefined;
    }
    const piece = pieces.shift()!;
    if (piece === null) return;
    port.postMessage({ more: true } satisfies FromCsvWorker);
    yield typeof piece === "string" ? piece : Buffer.from(piece.buffer, piece.byteOffset, piece.byteLength);
  }
}

async function send(steps: CsvStep[]): Promise<void> {
  while (unread >= MAX_UNREAD) {
    await new Promise<void>((r) => (taken = r));
    taken = undefined;
  }
  unread++;
  data.steps.postMessage({ steps } satisfies StepsMessage);
  port.postMessage({ sent: true } satisfies FromCsvWorker);
}

let out: CsvStep[] = [];
let records = 0;
const input = data.path ? createReadStream(data.path) : pieceMessages();
for await (const step of csvSteps(input, iris)) {
  if ("pending" in step && !step.foreign) {
    const { where, draft } = step.pending;
    const checked = checkDraft(draft, taxonomies, iris, step.screened ? screened : data.options);
    out.push({ checked: { where, id: draft.id, checked } });
    records++;
  } else out.push(step);
  if (records >= data.batch || out.length >= 4 * data.batch) {
    await send(out);
    out = [];
    records = 0;
  }
}
if (out.length) await send(out);
port.postMessage({ done: true } satisfies FromCsvWorker);
