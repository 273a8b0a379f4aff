/**
 * Which format a file is in, told from its first bytes and, where the bytes leave it open, its
 * name. Content wins over the extension: a GeoJSON file saved as `.json`, or a CSV saved as `.txt`,
 * is read as what it is; a spreadsheet workbook or an XML file is refused with what to do instead.
 */
import { extname } from "node:path";
import { EssfedError } from "../errors.ts";

export type ImportFormat = "csv" | "geojson" | "jsonld" | "turtle" | "nquads";
export const IMPORT_FORMATS: readonly ImportFormat[] = ["csv", "geojson", "jsonld", "turtle", "nquads"];

/** The formats, as said to people who gave something else. */
export const SUPPORTED =
  "SEA standard CSV (.csv), GeoJSON FeatureCollection (.geojson), JSON-LD (.jsonld, .json), Turtle (.ttl) " +
  "or N-Triples/N-Quads (.nt, .nq)";

/** The file is not in a format essfed imports; `message` says what it looks like and what is read. */
export class UnsupportedFormatError extends EssfedError {
  constructor(message: string) {
    super("unsupported-format", message);
  }
}

const BY_EXTENSION: Record<string, ImportFormat> = {
  ".csv": "csv",
  ".geojson": "geojson",
  ".jsonld": "jsonld",
  ".json": "jsonld",
  ".ttl": "turtle",
  ".nt": "nquads",
  ".nq": "nquads",
};

/** Formats known by name that essfed does not read, with what to do instead. */
const REFUSED_EXTENSIONS: Record<string, string> = {
  ".xlsx": 'an Excel workbook: save it as "CSV UTF-8"',
  ".xls": 'an Excel workbook: save it as "CSV UTF-8"',
  ".ods": "an OpenDocument spreadsheet: save it as CSV (UTF-8)",
  ".kml": "KML",
  ".kmz": "KMZ",
  ".gpx": "GPX",
  ".shp": "a shapefile",
  ".zip": "a ZIP archive",
  ".rdf": "RDF/XML",
  ".owl": "RDF/XML",
  ".xml": "XML",
  ".html": "an HTML page",
  ".htm": "an HTML page",
  ".pdf": "a PDF",
};

/** The format an extension names, if any. */
export function formatOfName(name: string): ImportFormat | undefined {
  return BY_EXTENSION[extname(name).toLowerCase()];
}

function refuse(what: string): never {
  throw new UnsupportedFormatError(`this is ${what}; essfed imports ${SUPPORTED}`);
}

/**
 * The format of a file from its first bytes (at least a few kilobytes when the file has them) and
 * its name. Throws {@link UnsupportedFormatError} for anything it cannot read.
 */
export function detectFormat(head: Buffer, name = ""): ImportFormat {
  const ext = extname(name).toLowerCase();
  if (head.length === 0) throw new UnsupportedFormatError(`the file is empty; essfed imports ${SUPPORTED}`);
  if (head[0] === 0x50 && head[1] === 0x4b && head[2] === 0x03 && head[3] === 0x04) {
    refuse(
      ext === ".xlsx" || ext === ".ods"
        ? REFUSED_EXTENSIONS[ext]!
        : 'a ZIP archive (a spreadsheet workbook?); save spreadsheets as "CSV UTF-8"',
    );
  }
  if (head[0] === 0xd0 && head[1] === 0xcf && head[2] === 0x11 && head[3] === 0xe0) refuse(REFUSED_EXTENSIONS[".xls"]!);
  if (head.subarray(0, 5).toString("latin1") === "%PDF-") refuse("a PDF");
  if (head.includes(0)) refuse("binary data, not text");
  const text = head.toString("utf8").replace(/^\uFEFF/, "");
  const start = text.replace(/^\s+/, "");
  if (start.startsWith("{") || start.startsWith("[")) {
    // GeoJSON says what it is near its start; anything else in JSON is read as JSON-LD.
    if (/"type"\s*:\s*"(FeatureCollection|Feature)"/.test(text) || /^\{\s*"features"\s*:/.test(start)) return "geojson";
    return "jsonld";
  }
  if (start.startsWith("<")) {
    if (/^<\?xml|^<rdf:RDF|^<!DOCTYPE|^<html|^<kml|^<gpx/i.test(start))
      refuse(/rdf:RDF/.test(text) ? "RDF/XML" : /^<(!DOCTYPE\s+)?html/i.test(start) ? "an HTML page" : "XML");
    return ext === ".ttl" ? "turtle" : firstStatementIsQuad(start) ? "nquads" : "turtle";
  }
  if (/^(@prefix|@base|PREFIX\s|BASE\s)/i.test(start) || ext === ".ttl") return "turtle";
  if (start.startsWith("_:") || (start.startsWith("#") && ext in BY_EXTENSION && BY_EXTENSION[ext] !== "csv")) {
    return BY_EXTENSION[ext] === "turtle" ? "turtle" : "nquads";
  }
  const firstLine = start.split(/\r\n|\r|\n/, 1)[0] ?? "";
  // A header row: several cells separated by commas (or a lone Identifier column).
  if (/[,;\t]/.test(firstLine) || /^"?identifier"?$/i.test(firstLine.trim())) {
    if (REFUSED_EXTENSIONS[ext] && !/,/.test(firstLine)) refuse(REFUSED_EXTENSIONS[ext]);
    return "csv";
  }
  if (REFUSED_EXTENSIONS[ext]) refuse(REFUSED_EXTENSIONS[ext]);
  throw new UnsupportedFormatError(
    `cannot tell what format this is (it starts "${firstLine.slice(0, 40)}"); essfed imports ${SUPPORTED}`,
  );
}

/** `<s> <p> <o> .` or with a fourth term: N-Triples or N-Quads rather than Turtle. */
function firstStatementIsQuad(text: string): boolean {
  const line = text.split(/\r\n|\r|\n/, 1)[0] ?? "";
  return /^<[^>\s]*>\s+<[^>\s]*>\s+.+\.\s*(#.*)?$/.test(line) && !/;\s*$|,\s*$/.test(line);
}
