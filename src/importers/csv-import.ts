/**
 * SEA standard CSV rows → drafts for the {@link Batcher}: the Identifier becomes this instance's
 * IRI for the record, a bad or repeated Identifier refuses the row, and the reader's version,
 * ignored columns and fatal errors go into the report.
 */
import type { Directory } from "../directory/directory.ts";
import { LOCAL_ID, type Iris } from "../directory/ids.ts";
import { isHttpIri } from "../domain/validate.ts";
import { FIELD_COLUMN, type CsvVersion } from "./csv/columns.ts";
import { CsvFormatError, readStandardCsv } from "./csv/read.ts";
import type { Batcher, Pending } from "./batcher.ts";
import type { ImportSource } from "./report.ts";
import { Localiser } from "./rdf-import.ts";
import { SeenIds } from "./seen.ts";

/** The column of a translation field (`translations.fr.name` → `Name:fr`). */
export function translationColumnOf(
  field: string,
  name = (k: string) => k[0]!.toUpperCase() + k.slice(1),
): string | undefined {
  const m = /^translations\.([^.]+)\.(name|description)$/.exec(field);
  return m ? `${name(m[2]!)}:${m[1]}` : undefined;
}

export async function* csvRecords(
  source: ImportSource,
  iris: Iris,
  directory: Directory,
  b: Batcher,
): AsyncGenerator<Pending> {
  let version: CsvVersion = 4;
  b.columnOf = (field) =>
    (field === "country" || field === "address.countryName") && version < 4
      ? "Country Name"
      : (FIELD_COLUMN[field] ?? translationColumnOf(field));
  const seen = new SeenIds();
  const localiser = new Localiser(iris, directory);
  try {
    for await (const item of readStandardCsv(source.open())) {
      if ("version" in item) {
        version = item.version;
        b.report.version = version;
        continue;
      }
      if ("ignored" in item) {
        b.report.ignored.push(...item.ignored);
        continue;
      }
      if ("issue" in item) {
        b.refuse(item.issue, item.issue.message);
        continue;
      }
      const where = {
        row: item.row,
        line: item.line,
        ...(item.identifier ? { record: item.identifier.slice(0, 100) } : {}),
      };
      // A record from another network, as essfed's own export writes it: its IRI is the identifier.
      if (/^https?:\/\//.test(item.identifier) && !iris.localId(item.identifier) && isHttpIri(item.identifier)) {
        if (seen.firstAt(item.identifier, item.row) === undefined)
          yield { where, draft: await localiser.localise({ ...item.draft, id: item.identifier }) };
        else b.refuse({ ...where, column: "Identifier" }, "appears again", item.identifier);
        continue;
      }
      const identifier = iris.localId(item.identifier) ?? item.identifier;
      if (!LOCAL_ID.test(identifier)) {
        b.refuse(
          { ...where, column: "Identifier" },
          item.identifier
            ? "must be 1-100 letters, digits, '.', '_', '~' or '-', starting with a letter or digit"
            : "is required",
          item.identifier,
        );
        continue;
      }
      const first = seen.firstAt(identifier, item.row);
      if (first !== undefined) {
        b.refuse({ ...where, column: "Identifier" }, `appears again (first at row ${first})`, item.identifier);
        continue;
      }
      yield { where, draft: { ...item.draft, id: iris.initiative(identifier) } };
    }
  } catch (e) {
    if (!(e instanceof CsvFormatError)) throw e;
    b.report.fatal = e.issue;
  } finally {
    seen.close();
    localiser.close();
  }
}
