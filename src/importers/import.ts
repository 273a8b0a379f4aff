/**
 * Imports initiatives into this instance's own directory from any format essfed reads (SEA
 * standard CSV, GeoJSON, JSON-LD, Turtle, N-Triples/N-Quads), told apart by content and name.
 * Every refused record and every value left out is reported with where it is and why; good records
 * are written through the Directory (validation and federation as for the admin API, but lenient:
 * a bad optional value is dropped with a warning); a second import of the same data changes
 * nothing. A dry run does all of it except the writing.
 */
import { createReadStream, statSync } from "node:fs";
import { basename } from "node:path";
import { Readable } from "node:stream";
import { setImmediate } from "node:timers/promises";
import type { Directory } from "../directory/directory.ts";
import type { Iris } from "../directory/ids.ts";
import { said } from "../domain/issue-messages.ts";
import type { IgnoredColumn, RowIssue } from "./csv/read.ts";
import { csvPendings, csvSteps } from "./csv-import.ts";
import { THREAD_BATCH, readsOnThread, threadedCsvSteps } from "./csv-thread.ts";
import {
  IMPORT_FORMATS,
  SUPPORTED,
  UnsupportedFormatError,
  detectFormat,
  formatOfName,
  type ImportFormat,
} from "./detect.ts";
import { jsonRecords } from "./json-import.ts";
import { rdfRecords } from "./rdf-import.ts";
import { Batcher, MAX_ISSUES } from "./batcher.ts";
import type { ImportOptions, ImportReport, ImportSource } from "./report.ts";

export { MAX_ISSUES, IMPORT_FORMATS, SUPPORTED, UnsupportedFormatError, formatOfName, type ImportFormat };
export type { IgnoredColumn, RowIssue };
export type { ImportOptions, ImportReport, ImportSource };

export function fileSource(path: string): ImportSource {
  return { name: basename(path), path, size: statSync(path).size, open: () => createReadStream(path) };
}

/** Bytes already in memory, e.g. an upload; read in 64 KB pieces, as a file would be. */
export function bufferSource(name: string, bytes: Buffer | string): ImportSource {
  const buf = typeof bytes === "string" ? Buffer.from(bytes) : bytes;
  const CHUNK = 64 * 1024;
  return {
    name,
    size: buf.length,
    open: () =>
      Readable.from(
        Array.from({ length: Math.ceil(buf.length / CHUNK) }, (_, k) => buf.subarray(k * CHUNK, (k + 1) * CHUNK)),
      ),
  };
}

/** The first `n` bytes (or all, when shorter) of a source. */
async function head(source: ImportSource, n = 64 * 1024): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  const stream = source.open();
  try {
    for await (const c of stream as AsyncIterable<Buffer | string>) {
      const b = typeof c === "string" ? Buffer.from(c) : c;
      chunks.push(b);
      size += b.length;
      if (size >= n) break;
    }
  } finally {
    stream.destroy();
  }
  return Buffer.concat(chunks).subarray(0, n);
}

/**
 * The format of a source, from its first bytes and its name.
 * @throws UnsupportedFormatError when it is in no format essfed reads
 */
export async function formatOfSource(source: ImportSource): Promise<ImportFormat> {
  return detectFormat(await head(source), source.name);
}

/** Records between two returns to the event loop of an import that may be stopped: about 25 ms of writing. */
const YIELD_EVERY = 1000;

/**
 * Imports a source; the format is told from its content and name unless given.
 * @throws UnsupportedFormatError when the source is in no format essfed reads
 */
export async function importSource(
  source: ImportSource,
  directory: Directory,
  iris: Iris,
  o: ImportOptions = {},
): Promise<ImportReport> {
  const format = o.format ?? (await formatOfSource(source));
  // A large CSV is read and checked on a worker thread while this one writes, in larger batches (ADR 25).
  const thread = readsOnThread(format, source, o);
  // (An explicit `batchSize: undefined`, as the bench passes, must not undo the larger batch.)
  const b = new Batcher(format, directory, thread ? { ...o, batchSize: o.batchSize ?? THREAD_BATCH } : o);
  const records =
    format === "csv"
      ? csvPendings(
          thread
            ? threadedCsvSteps(source, iris, directory.checkOptions({ lenient: true }))
            : csvSteps(source.open(), iris),
          iris,
          directory,
          b,
        )
      : format === "geojson" || format === "jsonld"
        ? jsonRecords(format, source, iris, directory, b)
        : rdfRecords(format, source, iris, directory, b);
  // A bulk write: the store may build the index of what it wrote when it ends (ADR 35) and, when the import is
  // alone in its process, commit its batches in groups (ADR 46).
  const release = o.dryRun ? () => {} : directory.bulkWrite({ grouped: o.alone === true });
  let stopped = false;
  let n = 0;
  try {
    for await (const r of records) {
      await b.add(r);
      // With the reading thread ahead, this one takes its records without returning to its event loop, where a
      // signal's handler would run (Ctrl-C): when the import may be stopped, it returns there now and then.
      if (o.signal && ++n % YIELD_EVERY === 0) await setImmediate();
      // (Leaving the loop ends the reader: its thread, if it has one, is stopped.)
      if ((stopped = o.signal?.aborted === true)) break;
    }
    await b.flush();
  } finally {
    release();
  }
  const report = b.finish();
  if (stopped) report.interrupted = true;
  else if (!report.fatal && report.read === 0) {
    report.fatal = { row: 0, line: 0, ...said("noInitiatives", { format: describe(report.format) }) };
  }
  return report;
}

/** Validates a source and says what importing it would do, writing nothing (same report as an import). */
export function dryRunImport(
  source: ImportSource,
  directory: Directory,
  iris: Iris,
  o: Omit<ImportOptions, "dryRun"> = {},
): Promise<ImportReport> {
  return importSource(source, directory, iris, { ...o, dryRun: true });
}

/** Imports a file by path. */
export function importFile(
  path: string,
  directory: Directory,
  iris: Iris,
  o: ImportOptions = {},
): Promise<ImportReport> {
  return importSource(fileSource(path), directory, iris, o);
}

/** Imports a SEA standard CSV (v1–v4) from a stream. */
export function importCsv(
  input: Readable,
  directory: Directory,
  iris: Iris,
  o: ImportOptions = {},
): Promise<ImportReport> {
  return importSource({ name: "input.csv", open: once(input) }, directory, iris, { ...o, format: "csv" });
}

/** Imports every essglobal:SSEInitiative in a JSON-LD document. */
export function importJsonLd(
  text: string,
  directory: Directory,
  iris: Iris,
  o: ImportOptions = {},
): Promise<ImportReport> {
  return importSource(bufferSource("input.jsonld", text), directory, iris, { ...o, format: "jsonld" });
}

/** Imports every essglobal:SSEInitiative in a Turtle document. */
export function importTurtle(
  text: string,
  directory: Directory,
  iris: Iris,
  o: ImportOptions = {},
): Promise<ImportReport> {
  return importSource(bufferSource("input.ttl", text), directory, iris, { ...o, format: "turtle" });
}

/** A stream that can be read once: the format must be given, since telling it would read it. */
function once(input: Readable): () => Readable {
  let used = false;
  return () => {
    if (used) throw new Error("this input can be read only once");
    used = true;
    return input;
  };
}

export function describe(format: ImportFormat): string {
  return (
    { csv: "CSV", geojson: "GeoJSON", jsonld: "JSON-LD", turtle: "Turtle", nquads: "N-Triples/N-Quads" } as const
  )[format];
}
