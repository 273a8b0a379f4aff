/**
 * Gathers drafts from any reader into batches written through the Directory (leniently: a bad
 * optional value is dropped with a warning), and keeps the report: counts, refusals and warnings
 * with the row, the column or property, and the record they concern.
 */
import type { Checked, Directory } from "../directory/directory.ts";
import type { Said } from "../domain/issue-messages.ts";
import type { InitiativeDraft, Issue } from "../domain/validate.ts";
import type { RowIssue } from "./csv/read.ts";
import type { ImportFormat } from "./detect.ts";
import type { ImportOptions, ImportReport } from "./report.ts";
import { visible } from "../domain/text.ts";

/** Documents read whole are held in memory: this bounds them unless the caller says less. */
export const MAX_DOCUMENT_BYTES = 256 * 1024 * 1024;

/**
 * Records per batch, and per write transaction, unless the caller says otherwise. Each commit writes
 * the pages the batch touched in the record table's indexes to the write-ahead log again; 5,000 rather
 * than 1,000 cut the store's CPU for a bulk import's writes by about a fifth (docs/benchmarks.md).
 */
export const IMPORT_BATCH = 5000;

/** Where a record is: its row (CSV) or position, its line when known, and a name for it. */
export type Where = Omit<RowIssue, "message" | "column" | "value">;

export interface Pending {
  where: Where;
  draft: InitiativeDraft;
  /** The column or property each field was read from, when it differs from record to record. */
  columns?: Record<string, string>;
}

/** A draft already checked for writing (on a reading thread): its IRI and what the check found. */
export interface CheckedPending {
  where: Where;
  id: string;
  checked: Checked;
}

/** Refusals and warnings kept in full; past these, only counted (a bad million-row file stays small). */
export const MAX_ISSUES = 10_000;

export class Batcher {
  readonly report: ImportReport;
  /** The column or property a model field comes from, as the reader of this format names it. */
  columnOf: (field: string) => string | undefined = () => undefined;
  readonly #pending: (Pending | CheckedPending)[] = [];
  readonly #directory: Directory;
  readonly #o: ImportOptions;
  readonly #size: number;

  constructor(format: ImportFormat, directory: Directory, o: ImportOptions) {
    this.report = {
      format,
      dryRun: o.dryRun === true,
      read: 0,
      created: 0,
      updated: 0,
      unchanged: 0,
      refusedRecords: 0,
      refused: [],
      warnings: [],
      omitted: { refused: 0, warnings: 0 },
      ignored: [],
    };
    this.#directory = directory;
    this.#o = o;
    this.#size = o.batchSize ?? IMPORT_BATCH;
  }

  /** The most a document read whole may hold. */
  get maxDocumentBytes(): number {
    return this.#o.maxDocumentBytes ?? MAX_DOCUMENT_BYTES;
  }

  /** The report, with refusals and warnings in file order. */
  finish(): ImportReport {
    this.report.refused.sort((a, b) => a.row - b.row);
    this.report.warnings.sort((a, b) => a.row - b.row);
    return this.report;
  }

  /** Refuses a record that could not be read or validated at all (a bad or repeated identifier, a broken row). */
  refuse(where: Where & { column?: string }, message: string | Said, value?: string): void {
    this.report.read++;
    this.report.refusedRecords++;
    const m = typeof message === "string" ? { message } : message;
    this.#keep("refused", [{ ...where, ...m, ...(value !== undefined ? { value } : {}) }]);
  }

  warn(where: Where & { column?: string }, message: string | Said, value?: string): void {
    const m = typeof message === "string" ? { message } : message;
    this.#keep("warnings", [{ ...where, ...m, ...(value !== undefined ? { value } : {}) }]);
  }

  #keep(kind: "refused" | "warnings", issues: RowIssue[]): void {
    const room = Math.max(0, MAX_ISSUES - this.report[kind].length);
    // A report is printed and shown: control characters from the file are written as \uXXXX.
    this.report[kind].push(
      ...issues.slice(0, room).map((i) => ({
        ...i,
        ...(i.record !== undefined ? { record: visible(i.record) } : {}),
        ...(i.value !== undefined ? { value: visible(i.value) } : {}),
      })),
    );
    this.report.omitted[kind] += Math.max(0, issues.length - room);
  }

  async add(p: Pending | CheckedPending): Promise<void> {
    this.report.read++;
    this.#pending.push(p);
    if (this.#pending.length >= this.#size) await this.flush();
  }

  async flush(): Promise<void> {
    if (!this.#pending.length) return;
    const batch = this.#pending.splice(0);
    const checked = batch.map((p) =>
      "checked" in p ? p : { id: p.draft.id, checked: this.#directory.check(p.draft, { lenient: true }) },
    );
    const results = await this.#directory.upsertChecked(checked, undefined, {
      lenient: true,
      dryRun: this.#o.dryRun === true,
    });
    results.forEach((r, n) => {
      const p = batch[n]!;
      const where = p.where;
      const located = (i: Issue): RowIssue => {
        const column = ("columns" in p ? p.columns?.[i.field] : undefined) ?? this.columnOf(i.field);
        return {
          ...where,
          ...(column ? { column } : {}),
          message: `${i.field} ${i.message}`,
          ...(i.value !== undefined ? { value: i.value } : {}),
          // The console shows the field and the message in its reader's language.
          ...(i.key ? { field: i.field, key: i.key, ...(i.params ? { params: i.params } : {}) } : {}),
          ...(i.leftOut ? { leftOut: true } : {}),
        };
      };
      if (!r.ok) {
        this.report.refusedRecords++;
        return void this.#keep("refused", r.issues.map(located));
      }
      if (r.warnings.length) this.#keep("warnings", r.warnings.map(located));
      if (r.outcome === "created") this.report.created++;
      else if (r.outcome === "updated") this.report.updated++;
      else this.report.unchanged++;
    });
    this.#o.onProgress?.(this.report.read);
  }
}
