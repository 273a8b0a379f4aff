/**
 * A worker thread that reads a CSV for csv-thread.ts: it asks for the file's bytes a piece at a
 * time, reads rows into drafts, checks each own record as the directory would (validation, text
 * screening, content hash) and sends the steps back in batches, waiting while three batches are
 * unread: the thread that writes sets the pace, and memory stays bounded whatever the file's size.
 */
import { parentPort, workerData } from "node:worker_threads";
import { checkDraft } from "../directory/directory.ts";
import { makeIris } from "../directory/ids.ts";
import type { ValidateOptions } from "../domain/validate.ts";
import { loadTaxonomies } from "../linkeddata/vocabulary.ts";
import { csvSteps, type CsvStep } from "./csv-import.ts";

export interface CsvWorkerData {
  base: string;
  handle: string;
  options: ValidateOptions;
  /** Records per batch of steps sent back. */
  batch: number;
}
/** From the writing thread: a piece of the file (or its end), or that a batch was taken. */
export type ToCsvWorker = { chunk: Uint8Array | string } | { end: true } | { taken: true };
/** To the writing thread: the next piece wanted, a batch of steps, or the end of the file. */
export type FromCsvWorker = { more: true } | { steps: CsvStep[] } | { done: true };

const port = parentPort!;
const data = workerData as CsvWorkerData;
const iris = makeIris(data.base, data.handle);
const taxonomies = loadTaxonomies();

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

async function* input(): AsyncGenerator<Buffer | string> {
  for (;;) {
    if (!pieces.length) {
      port.postMessage({ more: true } satisfies FromCsvWorker);
      await new Promise<void>((r) => (arrived = r));
      arrived = undefined;
    }
    const piece = pieces.shift()!;
    if (piece === null) return;
    yield typeof piece === "string" ? piece : Buffer.from(piece.buffer, piece.byteOffset, piece.byteLength);
  }
}

async function send(steps: CsvStep[]): Promise<void> {
  while (unread >= 3) {
    await new Promise<void>((r) => (taken = r));
    taken = undefined;
  }
  unread++;
  port.postMessage({ steps } satisfies FromCsvWorker);
}

let out: CsvStep[] = [];
let records = 0;
for await (const step of csvSteps(input(), iris)) {
  if ("pending" in step && !step.foreign) {
    const { where, draft } = step.pending;
    out.push({ checked: { where, id: draft.id, checked: checkDraft(draft, taxonomies, iris, data.options) } });
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
