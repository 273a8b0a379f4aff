/**
 * SEA standard CSV rows → drafts for the {@link Batcher}: the Identifier becomes this instance's
 * IRI for the record, a bad or repeated Identifier refuses the row, and the reader's version,
 * ignored columns and fatal errors go into the report. The reading ({@link csvSteps}) needs no
 * store, so a file can be read and checked on a worker thread (csv-thread.ts) while this one writes.
 */
import type { Directory } from "../directory/directory.ts";
import { said, type Said } from "../domain/issue-messages.ts";
import { LOCAL_ID, type Iris } from "../directory/ids.ts";
import { isHttpIri } from "../domain/validate.ts";
import { isStorable } from "../domain/text.ts";
import { FIELD_COLUMN, type CsvVersion } from "./csv/columns.ts";
import { CsvFormatError, readStandardCsv, type IgnoredColumn, type RowIssue } from "./csv/read.ts";
import type { Batcher, CheckedPending, Pending, Where } from "./batcher.ts";
import { Localiser } from "./localiser.ts";
import { SeenIds } from "./seen.ts";

/** The column of a translation field (`translations.fr.name` → `Name:fr`). */
export function translationColumnOf(
  field: string,
  name = (k: string) => k[0]!.toUpperCase() + k.slice(1),
): string | undefined {
  const m = /^translations\.([^.]+)\.(name|description)$/.exec(field);
  return m ? `${name(m[2]!)}:${m[1]}` : undefined;
}

/**
 * What reading a CSV yields, in file order: its version, a row refused, a draft to write (`foreign`:
 * a record of another network, as essfed's export writes it, whose IRI is its identifier: it is
 * localised against the store before it is checked; `screened`: every string in it is text essfed
 * stores, see `ValidateOptions.screened`), the columns ignored, or the fatal error that ended the file.
 */
export type CsvStep =
  | { version: CsvVersion }
  | { ignored: IgnoredColumn[] }
  | { refuse: Where & { column?: string }; message: string | Said; value?: string }
  | { pending: Pending; foreign?: true; screened?: true }
  | { checked: CheckedPending }
  | { fatal: RowIssue };

/** Reads a CSV into {@link CsvStep}s, with no store: identifiers already met are kept in a temporary file. */
export async function* csvSteps(input: AsyncIterable<Buffer | string>, iris: Iris): AsyncGenerator<CsvStep> {
  const seen = new SeenIds();
  // A local record's IRI is this directory's followed by an Identifier of letters, digits and ".", "_", "~", "-".
  const storableIris = isStorable(iris.directory);
  try {
    for await (const item of readStandardCsv(input as never)) {
      if ("version" in item || "ignored" in item) {
        yield item;
        continue;
      }
      if ("issue" in item) {
        const { message, key, params } = item.issue;
        yield { refuse: item.issue, message: key ? { message, key, ...(params ? { params } : {}) } : message };
        continue;
      }
      const where = {
        row: item.row,
        line: item.line,
        ...(item.identifier ? { record: item.identifier.slice(0, 100) } : {}),
      };
      const column = "Identifier";
      if (/^https?:\/\//.test(item.identifier) && !iris.localId(item.identifier) && isHttpIri(item.identifier)) {
        if (seen.firstAt(item.identifier, item.row) === undefined)
          yield { pending: { where, draft: { ...item.draft, id: item.identifier } }, foreign: true };
        else yield { refuse: { ...where, column }, message: said("appearsAgain"), value: item.identifier };
        continue;
      }
      const identifier = iris.localId(item.identifier) ?? item.identifier;
      if (!LOCAL_ID.test(identifier)) {
        const message = item.identifier ? said("badIdentifier") : said("required");
        yield { refuse: { ...where, column }, message, value: item.identifier };
        continue;
      }
      const first = seen.firstAt(identifier, item.row);
      if (first !== undefined) {
        yield {
          refuse: { ...where, column },
          message: said("appearsAgainAt", { row: first }),
          value: item.identifier,
        };
        continue;
      }
      const pending = { where, draft: { ...item.draft, id: iris.initiative(identifier) } };
      yield item.storable && storableIris ? { pending, screened: true } : { pending };
    }
  } catch (e) {
    if (!(e instanceof CsvFormatError)) throw e;
    yield { fatal: e.issue };
  } finally {
    seen.close();
  }
}

/** The column a model field comes from in a CSV of this version. */
export function csvColumnOf(version: CsvVersion | undefined, field: string): string | undefined {
  return (field === "country" || field === "address.countryName") && (version ?? 4) < 4
    ? "Country Name"
    : (FIELD_COLUMN[field] ?? translationColumnOf(field));
}

/**
 * Drafts of CSV steps for the batcher, with the report's version, ignored columns, refusals and
 * fatal error; records of other networks are localised here, against the store.
 */
export async function* csvPendings(
  steps: AsyncIterable<CsvStep>,
  iris: Iris,
  directory: Directory,
  b: Batcher,
): AsyncGenerator<Pending | CheckedPending> {
  b.columnOf = (field) => csvColumnOf(b.report.version, field);
  const localiser = new Localiser(iris, directory);
  try {
    for await (const step of steps) {
      if ("version" in step) b.report.version = step.version;
      else if ("ignored" in step) b.report.ignored.push(...step.ignored);
      else if ("refuse" in step) b.refuse(step.refuse, step.message, step.value);
      else if ("fatal" in step) b.report.fatal = step.fatal;
      else if ("checked" in step) yield step.checked;
      else if (step.foreign) yield { ...step.pending, draft: await localiser.localise(step.pending.draft) };
      else yield step.pending;
    }
  } finally {
    localiser.close();
  }
}
