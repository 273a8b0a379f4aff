/**
 * Reads a SEA standard CSV (v1–v4) as a stream and turns each row into an {@link InitiativeDraft},
 * with the spreadsheet row and file line of every record, so that errors can say exactly where.
 */
import type { Readable } from "node:stream";
import { parse, CsvError } from "csv-parse";
import type { InitiativeDraft } from "../../domain/validate.ts";
import { detectVersion, type CsvVersion } from "./columns.ts";

/** One problem in the file: where (spreadsheet row, file line, column) and why. */
export interface RowIssue {
  /** Spreadsheet row (the header is row 1). */
  row: number;
  /** Line in the file where the record starts (differs from `row` when cells hold line breaks). */
  line: number;
  column?: string;
  message: string;
  value?: string;
}

/** A data row read into a draft; `identifier` is the raw Identifier cell. */
export interface CsvRow {
  row: number;
  line: number;
  identifier: string;
  draft: Omit<InitiativeDraft, "id">;
}

/** Thrown for a file that cannot be read as a standard CSV at all (header, syntax). */
export class CsvFormatError extends Error {
  override readonly name = "CsvFormatError";
  readonly issue: RowIssue;
  constructor(issue: RowIssue) {
    super(`${issue.line ? `line ${issue.line}: ` : ""}${issue.message}`);
    this.issue = issue;
  }
}

const linesOf = (e: CsvError) => (e as unknown as { lines?: number }).lines ?? 0;
const multi = (v: string | undefined) => (v ? v.split(";").map((x) => x.trim()).filter(Boolean) : []);
const cell = (v: string | undefined) => (v === undefined || v.trim() === "" ? undefined : v.trim());

/**
 * Yields the detected version first, then one {@link CsvRow} per data row, and `{ issue }` for a
 * record that is not valid CSV (the reader skips it and goes on). A quote left open at the end of
 * the file ends the stream with a {@link CsvFormatError} naming its line, after every row before it.
 */
export async function* readStandardCsv(input: Readable): AsyncGenerator<{ version: CsvVersion } | CsvRow | { issue: RowIssue }> {
  const parser = input.pipe(parse({ bom: true, relax_column_count: true, skip_empty_lines: true, info: true, skip_records_with_error: true }));
  const skipped: CsvError[] = [];
  parser.on("skip", (e: CsvError) => skipped.push(e));
  let index: Map<string, number> | undefined;
  let row = 0;
  let previousEnd = 0;
  const syntax = (e: CsvError): RowIssue => {
    row++;
    const line = previousEnd + 1;
    previousEnd = linesOf(e) || previousEnd + 1;
    return { row, line, message: `CSV syntax error: ${e.message.replace(/^Invalid \w+: /, "")}` };
  };
  try {
    for await (const { record, info } of parser as AsyncIterable<{ record: string[]; info: { lines: number } }>) {
      // Skipped records are reported in file order: before the first record that ends after them.
      while (skipped.length && linesOf(skipped[0]!) < info.lines) yield { issue: syntax(skipped.shift()!) };
      row++;
      const line = previousEnd + 1;
      previousEnd = info.lines;
      if (!index) {
        const header = record.map((h) => h.trim());
        const detected = detectVersion(header);
        if ("missing" in detected) {
          throw new CsvFormatError({ row: 1, line: 1, message: `not a SEA standard CSV (v1–v4): missing column${detected.missing.length > 1 ? "s" : ""} ${detected.missing.join(", ")}` });
        }
        index = new Map();
        // Files in the wild repeat extra columns; the first occurrence of a name wins.
        header.forEach((h, n) => { if (!index!.has(h)) index!.set(h, n); });
        yield { version: detected.version };
        continue;
      }
      const get = (name: string) => {
        const n = index!.get(name);
        return n === undefined ? undefined : record[n];
      };
      yield { row, line, identifier: (get("Identifier") ?? "").trim(), draft: toDraft(get) };
    }
  } catch (e) {
    if (e instanceof CsvFormatError) throw e;
    if (e instanceof CsvError) throw new CsvFormatError(syntax(e));
    throw e;
  }
  const last = skipped.pop();
  while (skipped.length) yield { issue: syntax(skipped.shift()!) };
  // A quote still open at the end swallowed the rest of the file: that is not one bad row.
  if (last) throw new CsvFormatError({ ...syntax(last), message: `CSV syntax error: ${last.message.replace(/^Invalid \w+: /, "")}; the rest of the file after this line was not read` });
  if (!index) throw new CsvFormatError({ row: 1, line: 1, message: "the file is empty" });
}

function toDraft(get: (name: string) => string | undefined): Omit<InitiativeDraft, "id"> {
  let lat = cell(get("Latitude"));
  let long = cell(get("Longitude"));
  const gcLat = cell(get("Geo Container Latitude"));
  const gcLong = cell(get("Geo Container Longitude"));
  // The converter's fallback: a containing area's centroid when there is no exact location.
  if (lat === undefined && long === undefined && gcLat !== undefined && gcLong !== undefined) {
    lat = gcLat;
    long = gcLong;
  }
  // Some exports carry line breaks in descriptions as the two characters \n.
  const description = cell(get("Description"))?.replace(/\\n/g, "\n");
  const address = {
    streetAddress: cell(get("Street Address")), locality: cell(get("Locality")), region: cell(get("Region")),
    postcode: cell(get("Postcode")), countryName: cell(get("Country Name")),
    lat, long, geoContainer: cell(get("Geo Container")), geoContainerLat: gcLat, geoContainerLong: gcLong,
  };
  return {
    name: cell(get("Name")),
    description,
    homepage: cell(get("Website")),
    organisationalStructure: multi(get("Organisational Structure")),
    primaryActivity: cell(get("Primary Activity")),
    activities: multi(get("Activities")),
    qualifiers: multi(get("Qualifiers")),
    baseMembershipType: cell(get("Membership Type")),
    country: cell(get("Country ID")),
    territory: cell(get("Territory ID")),
    address,
    phone: cell(get("Phone")),
    email: cell(get("Email")),
    twitter: cell(get("Twitter")),
    facebook: cell(get("Facebook")),
    companiesHouseNumber: cell(get("Companies House Number")),
  };
}
