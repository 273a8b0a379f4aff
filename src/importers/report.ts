/**
 * What an import is given and what it answers, shared by the entry points (`import.ts`) and the
 * readers of each format, which `import.ts` calls: kept apart so that the readers do not import
 * their caller back.
 */
import type { Readable } from "node:stream";
import type { CsvVersion } from "./csv/columns.ts";
import type { IgnoredColumn, RowIssue } from "./csv/read.ts";
import type { ImportFormat } from "./detect.ts";

export interface ImportReport {
  format: ImportFormat;
  /** SEA standard CSV version, for CSV. */
  version?: CsvVersion;
  /** True when nothing was written (a dry run): the counts say what an import would do. */
  dryRun: boolean;
  /** Rows (CSV), features (GeoJSON) or initiatives (JSON-LD, RDF) read. */
  read: number;
  created: number;
  updated: number;
  unchanged: number;
  /** Records refused. */
  refusedRecords: number;
  /** Why each refused record was refused (a record may have several), in file order. */
  refused: RowIssue[];
  /** Values left out of records that were kept, and other things worth knowing. */
  warnings: RowIssue[];
  /** Refusals and warnings past the first `MAX_ISSUES` (batcher.ts) of each, counted but not listed. */
  omitted: { refused: number; warnings: number };
  /** Columns or properties essfed does not hold, with how many records had a value there. */
  ignored: IgnoredColumn[];
  /** Set when the file could not be read to the end; records before it were imported. */
  fatal?: RowIssue;
  /** True when the import was stopped (`ImportOptions.signal`) before the end: the records read until then were. */
  interrupted?: boolean;
}

export interface ImportOptions {
  /** Drafts written per transaction. */
  batchSize?: number;
  /** Told the number of records read so far, about once per batch. */
  onProgress?: (read: number) => void;
  /** Validate and count without writing anything. */
  dryRun?: boolean;
  /** The format, when the caller knows better than the content and name. */
  format?: ImportFormat;
  /**
   * How large a document read whole (Turtle, N-Quads, JSON-LD not written item by item) may be;
   * 256 MB by default. An upload from a browser will want less.
   */
  maxDocumentBytes?: number;
  /**
   * Read a CSV on a worker thread while this one writes (csv-thread.ts); by default, a CSV of 8 MB
   * or more is, on a machine with two cores or more (ADR 25).
   */
  thread?: boolean;
  /**
   * Nothing else in this process writes to the store while the import runs (`essfed import`): the
   * store may then commit the import's batches together, a group every two seconds or so, instead of
   * one by one (ADR 46). Not for an import running beside a server's own writes.
   */
  alone?: boolean;
  /**
   * Stops the import when aborted (`essfed import` on Ctrl-C): no more is read, the records read until then are
   * written, the store ends its bulk write as after a whole file (the search index built), and the report is marked
   * `interrupted`. Importing the same source again writes the rest: the records already written come out unchanged.
   */
  signal?: AbortSignal;
}

/** Something to import: a name (for its extension and messages) and a way to read it, more than once if need be. */
export interface ImportSource {
  name: string;
  /** Its size in bytes, when known beforehand. */
  size?: number;
  /** The file it is, when it is one (a worker thread can then read it itself). */
  path?: string;
  open(): Readable;
}
