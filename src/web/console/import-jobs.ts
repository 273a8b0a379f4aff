/**
 * Imports started from the console: the uploaded file is kept in the data directory while its
 * dry run is looked at, then imported when the person confirms. One import (dry run or real) runs
 * at a time, the others wait their turn; a job and its file are forgotten an hour after they were
 * last touched, and at most a few jobs are kept at once, so uploads cannot fill the disk.
 *
 * Jobs live in the process's memory: the console's import is for a network's team, who watch it to
 * the end; after a restart the file is simply uploaded again (nothing was written by a dry run).
 */
import { randomBytes } from "node:crypto";
import { createWriteStream } from "node:fs";
import { mkdir, readdir, rm, stat } from "node:fs/promises";
import { join } from "node:path";
import { Transform, type Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import type { Directory } from "../../directory/directory.ts";
import type { Iris } from "../../directory/ids.ts";
import { HttpError } from "../../errors.ts";
import {
  UnsupportedFormatError,
  dryRunImport,
  fileSource,
  formatOfSource,
  importSource,
  type ImportFormat,
  type ImportReport,
} from "../../importers/import.ts";
import { ignoreFailure } from "../../logging.ts";

/** How large a file the console accepts (a spreadsheet of some 100,000 initiatives). */
export const MAX_UPLOAD_BYTES = 32 * 1024 * 1024;
/** Whole documents (Turtle, N-Quads) read from an upload at most this large. */
const MAX_DOCUMENT_BYTES = MAX_UPLOAD_BYTES;
const TTL_MS = 60 * 60 * 1000;
const MAX_JOBS = 8;

export type ImportState = "checking" | "checked" | "waiting" | "running" | "done" | "failed";

export interface ImportJob {
  id: string;
  /** The account that uploaded it: nobody else sees or confirms it. */
  owner: string;
  name: string;
  size: number;
  format?: ImportFormat;
  state: ImportState;
  /** Records read so far by the step running now. */
  read: number;
  dryRun?: ImportReport;
  report?: ImportReport;
  /** Why it could not be read at all (the format is unknown, the file is empty). */
  error?: string;
  touched: number;
}

export class ImportJobs {
  readonly #dir: string;
  readonly #directory: Directory;
  readonly #iris: Iris;
  readonly #jobs = new Map<string, ImportJob & { path: string }>();
  /** The import running now: the next one starts when it ends. */
  #turn: Promise<unknown> = Promise.resolve();

  constructor(dataDir: string, directory: Directory, iris: Iris) {
    this.#dir = join(dataDir, "uploads");
    this.#directory = directory;
    this.#iris = iris;
  }

  /**
   * Keeps an uploaded file and starts its dry run.
   * @throws HttpError 413 when it is larger than {@link MAX_UPLOAD_BYTES}
   */
  async receive(owner: string, name: string, body: Readable): Promise<ImportJob> {
    await this.sweep();
    // The oldest job of this person makes room for the new one; then the oldest of anyone.
    while (this.#jobs.size >= MAX_JOBS) {
      const mine = [...this.#jobs.values()].filter((j) => j.owner === owner && !busy(j));
      const oldest = (mine.length ? mine : [...this.#jobs.values()].filter((j) => !busy(j))).sort(
        (a, b) => a.touched - b.touched,
      )[0];
      if (!oldest) throw new HttpError(503, "imports-busy", "other imports are running; try again in a few minutes");
      await this.#forget(oldest.id);
    }
    await mkdir(this.#dir, { recursive: true });
    const id = randomBytes(12).toString("base64url");
    const path = join(this.#dir, `${id}.upload`);
    let size = 0;
    const counter = new Transform({
      transform(chunk: Buffer, _enc, done) {
        size += chunk.length;
        if (size > MAX_UPLOAD_BYTES) return done(tooLarge());
        done(null, chunk);
      },
    });
    try {
      await pipeline(body, counter, createWriteStream(path, { mode: 0o600 }));
    } catch (e) {
      await rm(path, { force: true });
      throw e;
    }
    const job: ImportJob & { path: string } = {
      id,
      owner,
      name: name.slice(0, 200),
      size,
      state: "checking",
      read: 0,
      touched: Date.now(),
      path,
    };
    this.#jobs.set(id, job);
    const source = { ...fileSource(path), name: job.name };
    this.#queue(job, async () => {
      try {
        job.format = await formatOfSource(source);
      } catch (e) {
        if (!(e instanceof UnsupportedFormatError)) throw e;
        job.error = e.message;
        job.state = "failed";
        return;
      }
      job.dryRun = await dryRunImport(source, this.#directory, this.#iris, {
        format: job.format,
        maxDocumentBytes: MAX_DOCUMENT_BYTES,
        onProgress: (n) => {
          job.read = n;
        },
      });
      job.state = job.dryRun.fatal && !job.dryRun.read ? "failed" : "checked";
    });
    return job;
  }

  /** A job of this person's, if it is still kept. */
  get(id: string, owner: string): ImportJob | undefined {
    const job = this.#jobs.get(id);
    if (!job || job.owner !== owner) return undefined;
    job.touched = Date.now();
    return job;
  }

  /** Imports a checked job's file for real; `onDone` is told the report. */
  confirm(job: ImportJob, onDone: (report: ImportReport) => Promise<unknown>): boolean {
    const kept = this.#jobs.get(job.id);
    if (!kept || kept.state !== "checked") return false;
    kept.read = 0;
    this.#queue(kept, async () => {
      const source = { ...fileSource(kept.path), name: kept.name };
      kept.report = await importSource(source, this.#directory, this.#iris, {
        format: kept.format!,
        maxDocumentBytes: MAX_DOCUMENT_BYTES,
        onProgress: (n) => {
          kept.read = n;
        },
      });
      kept.state = "done";
      await rm(kept.path, { force: true });
      await onDone(kept.report);
    });
    return true;
  }

  /** Forgets a job that is not running, and its file. */
  async discard(job: ImportJob): Promise<void> {
    if (!busy(job)) await this.#forget(job.id);
  }

  /** Forgets jobs untouched for an hour, and removes files older than that left by an earlier run. */
  async sweep(now = Date.now()): Promise<void> {
    for (const j of [...this.#jobs.values()]) if (!busy(j) && now - j.touched > TTL_MS) await this.#forget(j.id);
    const kept = new Set([...this.#jobs.keys()].map((id) => `${id}.upload`));
    const files = await readdir(this.#dir).catch(() => [] as string[]);
    for (const f of files) {
      if (kept.has(f) || !f.endsWith(".upload")) continue;
      const at = await stat(join(this.#dir, f)).then(
        (s) => s.mtimeMs,
        () => now,
      );
      if (now - at > TTL_MS) await rm(join(this.#dir, f), { force: true });
    }
  }

  /** Removes every kept file (at shutdown). */
  async close(): Promise<void> {
    await this.#turn.catch(ignoreFailure("import-job-at-close")); // the job reported its own failure
    for (const id of [...this.#jobs.keys()]) await this.#forget(id);
  }

  #queue(job: ImportJob & { path: string }, run: () => Promise<void>): void {
    const step = job.state === "checking" ? "checking" : "running";
    job.state = "waiting";
    const next = this.#turn.then(async () => {
      job.state = step;
      try {
        await run();
      } catch (e) {
        job.state = "failed";
        job.error = e instanceof Error ? e.message : String(e);
      }
      job.touched = Date.now();
    });
    this.#turn = next;
  }

  async #forget(id: string): Promise<void> {
    const job = this.#jobs.get(id);
    this.#jobs.delete(id);
    if (job) await rm(job.path, { force: true });
  }
}

/** The refusal of a file over {@link MAX_UPLOAD_BYTES}. */
export const tooLarge = () =>
  new HttpError(
    413,
    "upload-too-large",
    `the file is larger than ${MAX_UPLOAD_BYTES / 1024 / 1024} MB; ` +
      "split it, or import it with essfed import on the server",
    { limit: MAX_UPLOAD_BYTES },
  );

const busy = (j: ImportJob) => j.state === "checking" || j.state === "running" || j.state === "waiting";
