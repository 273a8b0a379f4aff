/**
 * Reads a SEA standard CSV (v1–v4) as a stream and turns each row into an {@link InitiativeDraft},
 * with the spreadsheet row and file line of every record, so that errors can say exactly where.
 */
import type { Readable } from "node:stream";
import { said, type IssueKey, type IssueParams } from "../../domain/issue-messages.ts";
import type { InitiativeDraft } from "../../domain/validate.ts";
import { REGISTRARS, parseRegistrations } from "../../domain/registrations.ts";
import {
  CANONICAL_COLUMN,
  EXTRA_COLUMNS,
  VERSION_COLUMNS,
  detectVersion,
  translationColumn,
  type CsvVersion,
} from "./columns.ts";
import { restore } from "./cells.ts";
import { CsvSyntaxError, CsvTokenizer, type CsvRecord, type TokenizerLimits } from "./tokenizer.ts";
import { EssfedError } from "../../errors.ts";
import { isStorable } from "../../domain/text.ts";
import { pushByLines } from "./lines.ts";

/** One problem in the file: where (spreadsheet row, file line, column) and why. */
export interface RowIssue {
  /** Spreadsheet row (the header is row 1). */
  row: number;
  /** Line in the file where the record starts (differs from `row` when cells hold line breaks). */
  line: number;
  column?: string;
  /** The record's identifier, IRI or name, when known. */
  record?: string;
  message: string;
  value?: string;
  /** The model field the message is about (the message starts with it). */
  field?: string;
  /** The message's key and parameters (src/domain/issue-messages.ts), for the console to translate. */
  key?: IssueKey;
  params?: IssueParams;
  leftOut?: boolean;
}

/** A column essfed does not hold, and in how many rows it had a value (reported, never dropped silently). */
export interface IgnoredColumn {
  column: string;
  rows: number;
}

/** A data row read into a draft; `identifier` is the raw Identifier cell. */
export interface CsvRow {
  row: number;
  line: number;
  identifier: string;
  draft: Omit<InitiativeDraft, "id">;
  /**
   * Every string of the draft and the identifier is text essfed stores: the row's text was screened as part of the
   * whole piece of the file it came in, so checking the draft need not screen it again. False says only that it
   * was not shown (the piece held some character essfed does not store, maybe in another row).
   */
  storable: boolean;
}

/** Thrown for a file that cannot be read as a standard CSV at all (header, syntax). */
export class CsvFormatError extends EssfedError {
  readonly issue: RowIssue;
  constructor(issue: RowIssue) {
    super("csv-format", `${issue.line ? `line ${issue.line}: ` : ""}${issue.message}`);
    this.issue = issue;
  }
}

/** A cell's values separated by ";", trimmed, empty ones left out. */
const multi = (v: string | undefined): string[] => {
  if (!v) return [];
  // Most cells hold one value or none.
  if (!v.includes(";")) {
    const t = v.trim();
    return t ? [t] : [];
  }
  return v
    .split(";")
    .map((x) => x.trim())
    .filter(Boolean);
};
const cell = (v: string | undefined) => {
  if (v === undefined) return undefined;
  const t = v.trim();
  return t === "" ? undefined : t;
};
/** Header names as people type them: any case, any spacing. */
const headerKey = (h: string) => h.trim().replace(/\s+/g, " ").toLowerCase();

/**
 * Decodes UTF-8 (refusing anything else, with the line it broke on), drops a byte-order mark and
 * yields the tokenizer's records, each `storable` when all the text it could have come from holds only characters
 * essfed stores (one test of each decoded piece instead of one of every value); a fatal syntax error ends the stream
 * with a {@link CsvFormatError}.
 */
async function* records(input: Readable, limits?: TokenizerLimits): AsyncGenerator<CsvRecord & { storable: boolean }> {
  const tokenizer = new CsvTokenizer(limits);
  const decoder = new TextDecoder("utf-8", { fatal: true, ignoreBOM: false });
  const out: (CsvRecord & { storable?: boolean })[] = [];
  // Whether all the text pushed since the last record ended is storable: the next record may have begun in it.
  let sinceLast = true;
  const push = (text: string) => {
    const storable = isStorable(text);
    const before = out.length;
    tokenizer.push(text, out);
    // The first record ended in this piece may hold text of earlier ones; any later one began in this piece.
    for (let k = before; k < out.length; k++) out[k]!.storable = storable && (k > before || sinceLast);
    sinceLast = out.length > before ? storable : sinceLast && storable;
  };
  const fatal = (e: unknown, chunk?: Buffer): never => {
    if (e instanceof CsvSyntaxError)
      throw new CsvFormatError({
        row: e.row,
        line: e.line,
        ...said("syntaxError", { syntax: "CSV", detail: e.message }),
      });
    if ((e as { code?: string }).code === "ERR_ENCODING_INVALID_ENCODED_DATA") {
      // The line of the first byte that is not UTF-8: lines already read plus line breaks before it.
      const lenient = chunk ? new TextDecoder("utf-8").decode(chunk) : "";
      const bad = lenient.indexOf("\uFFFD");
      const line = tokenizer.line + (lenient.slice(0, Math.max(bad, 0)).match(/\r\n|\r|\n/g)?.length ?? 0);
      throw new CsvFormatError({
        row: 0,
        line,
        ...said("notUtf8", { line }),
      });
    }
    throw e;
  };
  for await (const chunk of input as AsyncIterable<Buffer | string>) {
    try {
      pushByLines(typeof chunk === "string" ? chunk : decoder.decode(chunk, { stream: true }), push);
    } catch (e) {
      fatal(e, typeof chunk === "string" ? undefined : chunk);
    }
    yield* out as (CsvRecord & { storable: boolean })[];
    out.length = 0;
  }
  try {
    pushByLines(decoder.decode(), push);
    const before = out.length;
    tokenizer.end(out);
    for (let k = before; k < out.length; k++) out[k]!.storable = sinceLast;
  } catch (e) {
    fatal(e);
  }
  yield* out as (CsvRecord & { storable: boolean })[];
}

/** Every column a standard file may have that essfed reads. */
const HELD = new Set<string>([
  ...VERSION_COLUMNS[4],
  ...VERSION_COLUMNS[3],
  ...EXTRA_COLUMNS,
  // Co-ops UK's registration, read into Registrations.
  "Registered Number",
  "Registrar",
]);

/**
 * Yields the detected version first, then one {@link CsvRow} per data row, and `{ issue }` for a
 * record that is not valid CSV (the reader skips it and goes on); last, `{ ignored }`: the columns
 * it does not hold that had values, and in how many rows. Rows whose cells are all empty
 * are skipped but still counted, so row numbers are the spreadsheet's. A quote left open ends the
 * stream with a {@link CsvFormatError} naming its line, after every row before it.
 */
export async function* readStandardCsv(
  input: Readable,
  limits?: TokenizerLimits,
): AsyncGenerator<{ version: CsvVersion } | CsvRow | { issue: RowIssue } | { ignored: IgnoredColumn[] }> {
  let index: Map<string, number> | undefined;
  let header: string[] = [];
  let translations: { at: number; key: "name" | "description"; lang: string }[] = [];
  let ignored: { at: number; column: string; rows: number }[] = [];
  let first = true;
  for await (const r of records(input, limits)) {
    if (first && r.cells[0]?.charCodeAt(0) === 0xfeff) r.cells[0] = r.cells[0].slice(1);
    first = false;
    if (r.error) {
      const column = header[r.error.cell];
      yield {
        issue: {
          row: r.row,
          line: r.line,
          ...(column ? { column } : {}),
          ...said("syntaxError", { syntax: "CSV", detail: r.error.message }),
        },
      };
      continue;
    }
    if (r.cells.every((c) => c.trim() === "")) continue;
    if (!index) {
      header = r.cells.map((h) => h.trim());
      // Match the standard's column names whatever their case and spacing in this file.
      const canonical = header.map((h) => CANONICAL_COLUMN.get(headerKey(h)) ?? h);
      const detected = detectVersion(canonical);
      if ("missing" in detected) {
        throw new CsvFormatError({
          row: r.row,
          line: r.line,
          ...said(detected.missing.length > 1 ? "notSeaCsvColumns" : "notSeaCsvColumn", {
            columns: detected.missing.join(", "),
          }),
        });
      }
      index = new Map();
      // Files in the wild repeat extra columns; the first occurrence of a name wins.
      canonical.forEach((h, n) => {
        if (!index!.has(h)) index!.set(h, n);
      });
      translations = canonical.flatMap((h, at) => {
        const t = translationColumn(h);
        return t && index!.get(h) === at ? [{ at, ...t }] : [];
      });
      ignored = canonical.flatMap((column, at) =>
        (HELD.has(column) && index!.get(column) === at) || translations.some((t) => t.at === at)
          ? []
          : [{ at, column, rows: 0 }],
      );
      yield { version: detected.version };
      continue;
    }
    const cells = r.cells;
    // Cells as written, without the apostrophe an export puts before what looks like a formula.
    const get = (name: string) => {
      const n = index!.get(name);
      const c = n === undefined ? undefined : cells[n];
      return c === undefined ? undefined : restore(c);
    };
    for (const c of ignored) if (cells[c.at]?.trim()) c.rows++;
    const draft = toDraft(get);
    for (const t of translations) {
      const raw = cells[t.at];
      const v = cell(raw === undefined ? undefined : restore(raw));
      if (v !== undefined) ((draft.translations ??= {})[t.lang] ??= {})[t.key] = v;
    }
    yield { row: r.row, line: r.line, identifier: (get("Identifier") ?? "").trim(), draft, storable: r.storable };
  }
  if (!index) throw new CsvFormatError({ row: 1, line: 1, ...said("emptyFile") });
  yield { ignored: ignored.filter((c) => c.rows > 0).map(({ column, rows }) => ({ column, rows })) };
}

/**
 * The Registrations column (`FR-SIREN:552100554; GB-CHC:1123456`), and Co-ops UK's Registered
 * Number under its Registrar (a name such as "FCA", or a register code).
 */
function registrationsOf(get: (name: string) => string | undefined): InitiativeDraft["registrations"] {
  const out = parseRegistrations(cell(get("Registrations")) ?? "");
  const number = cell(get("Registered Number"));
  const registrar = cell(get("Registrar"));
  if (number !== undefined && registrar !== undefined)
    out.push({ register: REGISTRARS[registrar.toLowerCase()] ?? registrar, number });
  return out.length ? out : undefined;
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
    streetAddress: cell(get("Street Address")),
    locality: cell(get("Locality")),
    region: cell(get("Region")),
    postcode: cell(get("Postcode")),
    countryName: cell(get("Country Name")),
    lat,
    long,
    geoContainer: cell(get("Geo Container")),
    geoContainerLat: gcLat,
    geoContainerLong: gcLong,
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
    registrations: registrationsOf(get),
    legalFormText: cell(get("Legal Form")),
    sector: cell(get("Sector")),
    sicCodes: multi(get("SIC Code")),
    ownership: cell(get("Ownership Classification")),
    sameAs: multi(get("Same As")),
    license: cell(get("License")),
    attribution: cell(get("Attribution")),
    sharing: {
      email: cell(get("Email Sharing")),
      phone: cell(get("Phone Sharing")),
      streetAddress: cell(get("Street Address Sharing")),
    },
  };
}
