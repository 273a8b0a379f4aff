/**
 * Imports initiatives into this instance's own directory from a SEA standard CSV, JSON-LD or
 * Turtle. Every refused row or record is reported with where it is and why; good ones are written
 * (through the Directory, so validation and federation are the same as for the admin API); a second
 * import of the same data changes nothing.
 */
import { createHash } from "node:crypto";
import { createReadStream } from "node:fs";
import { readFile } from "node:fs/promises";
import { extname } from "node:path";
import type { Readable } from "node:stream";
import { Parser } from "n3";
import type { Directory } from "../directory/directory.ts";
import { LOCAL_ID, mintLocalId, slugOf, type Iris } from "../directory/ids.ts";
import { stableJson } from "../domain/version.ts";
import type { InitiativeDraft, Issue } from "../domain/validate.ts";
import { draftsFromQuads } from "../linkeddata/initiative-rdf.ts";
import { FIELD_PROPERTY } from "../linkeddata/fields.ts";
import { JsonLdInputError, draftsFromJsonLd } from "../linkeddata/jsonld-in.ts";
import { FIELD_COLUMN, type CsvVersion } from "./csv/columns.ts";
import { CsvFormatError, readStandardCsv, type RowIssue } from "./csv/read.ts";

export type ImportFormat = "csv" | "jsonld" | "turtle";

export interface ImportReport {
  format: ImportFormat;
  /** SEA standard CSV version, for CSV. */
  version?: CsvVersion;
  /** Rows (CSV) or initiatives (JSON-LD, Turtle) read. */
  read: number;
  created: number;
  updated: number;
  unchanged: number;
  refused: RowIssue[];
  warnings: RowIssue[];
  /** Set when the file could not be read to the end (a syntax error); rows before it were imported. */
  fatal?: RowIssue;
}

export interface ImportOptions {
  /** Drafts written per transaction. */
  batchSize?: number;
  /** Told the number of rows read so far, about once per batch. */
  onProgress?: (read: number) => void;
}

interface Pending { where: Omit<RowIssue, "message">; draft: InitiativeDraft }

/** Format from a file name's extension. */
export function formatOf(path: string): ImportFormat | undefined {
  const ext = extname(path).toLowerCase();
  return ext === ".csv" ? "csv" : ext === ".jsonld" || ext === ".json" ? "jsonld" : ext === ".ttl" ? "turtle" : undefined;
}

/** Imports a file; the format comes from the extension unless given. */
export async function importFile(path: string, directory: Directory, iris: Iris, format = formatOf(path), o: ImportOptions = {}): Promise<ImportReport> {
  if (format === "csv") return importCsv(createReadStream(path), directory, iris, o);
  if (format === "jsonld") return importJsonLd(await readFile(path, "utf8"), directory, iris, o);
  if (format === "turtle") return importTurtle(await readFile(path, "utf8"), directory, iris, o);
  throw new Error(`cannot tell the format of ${path}: use --format csv|jsonld|turtle`);
}

class Batcher {
  readonly report: ImportReport;
  readonly #pending: Pending[] = [];
  readonly #directory: Directory;
  readonly #o: Required<Pick<ImportOptions, "batchSize">> & ImportOptions;
  readonly #columnOf: (field: string) => string | undefined;

  constructor(format: ImportFormat, directory: Directory, o: ImportOptions, columnOf: (field: string) => string | undefined) {
    this.report = { format, read: 0, created: 0, updated: 0, unchanged: 0, refused: [], warnings: [] };
    this.#directory = directory;
    this.#o = { batchSize: 1000, ...o };
    this.#columnOf = columnOf;
  }

  /** The report, with refusals and warnings in file order. */
  finish(): ImportReport {
    this.report.refused.sort((a, b) => a.row - b.row);
    this.report.warnings.sort((a, b) => a.row - b.row);
    return this.report;
  }

  refuse(where: Omit<RowIssue, "message">, message: string, value?: string): void {
    this.report.refused.push({ ...where, message, ...(value !== undefined ? { value } : {}) });
  }

  async add(p: Pending): Promise<void> {
    this.#pending.push(p);
    if (this.#pending.length >= this.#o.batchSize) await this.flush();
  }

  async flush(): Promise<void> {
    if (!this.#pending.length) return;
    const batch = this.#pending.splice(0);
    const results = await this.#directory.upsert(batch.map((p) => p.draft));
    results.forEach((r, n) => {
      const where = batch[n]!.where;
      const located = (i: Issue): RowIssue => ({ ...where, ...(this.#columnOf(i.field) ? { column: this.#columnOf(i.field)! } : {}), message: `${i.field} ${i.message}`, ...(i.value !== undefined ? { value: i.value } : {}) });
      if (!r.ok) return void this.report.refused.push(...r.issues.map(located));
      this.report.warnings.push(...r.warnings.map(located));
      if (r.outcome === "created") this.report.created++;
      else if (r.outcome === "updated") this.report.updated++;
      else this.report.unchanged++;
    });
    this.#o.onProgress?.(this.report.read);
  }
}

/** Imports a SEA standard CSV (v1–v4) from a stream. */
export async function importCsv(input: Readable, directory: Directory, iris: Iris, o: ImportOptions = {}): Promise<ImportReport> {
  let version: CsvVersion = 4;
  const b = new Batcher("csv", directory, o, (field) => (field === "country" || field === "address.countryName") && version < 4 ? "Country Name" : FIELD_COLUMN[field]);
  const firstRow = new Map<string, number>();
  try {
    for await (const item of readStandardCsv(input)) {
      if ("version" in item) {
        version = item.version;
        b.report.version = version;
        continue;
      }
      if ("issue" in item) {
        b.report.read++;
        b.report.refused.push(item.issue);
        continue;
      }
      b.report.read++;
      const where = { row: item.row, line: item.line };
      if (!LOCAL_ID.test(item.identifier)) {
        b.refuse({ ...where, column: "Identifier" }, item.identifier ? "must be 1-100 letters, digits, '.', '_', '~' or '-', starting with a letter or digit" : "is required", item.identifier);
        continue;
      }
      const seen = firstRow.get(item.identifier);
      if (seen !== undefined) {
        b.refuse({ ...where, column: "Identifier" }, `appears again (first at row ${seen})`, item.identifier);
        continue;
      }
      firstRow.set(item.identifier, item.row);
      await b.add({ where, draft: { ...item.draft, id: iris.initiative(item.identifier) } });
    }
  } catch (e) {
    if (!(e instanceof CsvFormatError)) throw e;
    b.report.fatal = e.issue;
  }
  await b.flush();
  return b.finish();
}

/**
 * The IRI an imported record gets here, chosen so that importing the same file again lands on the
 * same records and never on an unrelated one: its own when it is already one of ours; else its
 * IRI's last segment (or, for a blank node, its name's slug) when that local id is free or already
 * holds this record (same owl:sameAs, or for a blank node the same name); else that id suffixed
 * with a hash of its IRI (or, for a blank node, of its content). A foreign IRI is kept as owl:sameAs.
 */
async function localise(draft: InitiativeDraft, iris: Iris, directory: Directory, taken: Set<string>): Promise<InitiativeDraft> {
  if (iris.localId(draft.id)) return draft;
  const foreign = /^https?:\/\//.test(draft.id) ? draft.id : undefined;
  let segment = "";
  try {
    segment = foreign ? decodeURIComponent(foreign.replace(/[#?].*$/, "").replace(/\/+$/, "").split("/").pop() ?? "") : "";
  } catch { /* a malformed %-escape: use the name instead */ }
  const base = LOCAL_ID.test(segment) ? segment : slugOf(draft.name ?? "") || "initiative";
  const hash = createHash("sha256").update(foreign ?? stableJson(draft)).digest("hex").slice(0, 10);
  const sameAs = foreign ? [...(draft.sameAs ?? []), foreign] : draft.sameAs ?? [];
  const candidates = [base, `${base.slice(0, 89)}-${hash}`];
  for (const [k, id] of candidates.entries()) {
    if (taken.has(id)) continue;
    const prev = await directory.get(iris.initiative(id));
    const ours = !prev || k === candidates.length - 1
      || (foreign ? prev.initiative.sameAs.includes(foreign) : prev.initiative.name === draft.name && !prev.initiative.sameAs.length);
    if (!ours) continue;
    taken.add(id);
    return { ...draft, id: iris.initiative(id), sameAs };
  }
  // The same record twice in one file: the later one gets a fresh id, as two records would.
  const id = mintLocalId(draft.name ?? "");
  taken.add(id);
  return { ...draft, id: iris.initiative(id), sameAs };
}

async function importDrafts(format: ImportFormat, drafts: InitiativeDraft[], directory: Directory, iris: Iris, o: ImportOptions): Promise<ImportReport> {
  const b = new Batcher(format, directory, o, (field) => FIELD_PROPERTY[field]);
  const taken = new Set<string>();
  for (const [n, d] of drafts.entries()) {
    b.report.read++;
    await b.add({ where: { row: n + 1, line: 0, ...(d.id ? { value: d.id } : {}) }, draft: await localise(d, iris, directory, taken) });
  }
  await b.flush();
  return b.finish();
}

/** Imports every essglobal:SSEInitiative in a JSON-LD document (remote contexts refused). */
export async function importJsonLd(text: string, directory: Directory, iris: Iris, o: ImportOptions = {}): Promise<ImportReport> {
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (e) {
    return { format: "jsonld", read: 0, created: 0, updated: 0, unchanged: 0, refused: [], warnings: [], fatal: { row: 0, line: 0, message: `not JSON: ${(e as Error).message}` } };
  }
  try {
    return await importDrafts("jsonld", await draftsFromJsonLd(doc), directory, iris, o);
  } catch (e) {
    if (!(e instanceof JsonLdInputError)) throw e;
    return { format: "jsonld", read: 0, created: 0, updated: 0, unchanged: 0, refused: [], warnings: [], fatal: { row: 0, line: 0, message: e.message } };
  }
}

/** Imports every essglobal:SSEInitiative in a Turtle document. */
export async function importTurtle(text: string, directory: Directory, iris: Iris, o: ImportOptions = {}): Promise<ImportReport> {
  let quads;
  try {
    // Relative IRIs name this instance's own initiatives.
    quads = new Parser({ format: "text/turtle", baseIRI: `${iris.directory}/` }).parse(text);
  } catch (e) {
    const line = Number(/line (\d+)/.exec((e as Error).message)?.[1] ?? 0);
    return { format: "turtle", read: 0, created: 0, updated: 0, unchanged: 0, refused: [], warnings: [], fatal: { row: 0, line, message: `Turtle syntax error: ${(e as Error).message}` } };
  }
  return importDrafts("turtle", draftsFromQuads(quads), directory, iris, o);
}
