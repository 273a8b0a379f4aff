/**
 * The messages of record issues that imports report (refusals and warnings), each under a key with
 * its parameters, so that the console can show them in its reader's language while the CLI and
 * the API keep the English text built here. The console's catalogues translate each key as
 * `importIssue.<key>` with the same parameters (src/web/messages/*.json); a test holds the English
 * ones equal to these. The command line prints them in English unless asked for another language
 * (`essfed import --lang`), through the same catalogues.
 */
export const ISSUE_MESSAGES = {
  required: "is required",
  tooLong: "is longer than {max} characters",
  tooManyValues: "has more than {max} values",
  tooManyLanguages: "has more than {max} languages",
  notHttpUrl: "must be an http(s) URL",
  notHttpIri: "must be an absolute http(s) IRI",
  notConcept: '"{value}" is not a concept of {schemes}',
  notEmail: "is not an email address",
  notNumber: "is not a number",
  outOfRange: "must be between -{max} and {max}",
  latLongTogether: "latitude and longitude must be given together",
  containerLatLongTogether: "geo container latitude and longitude must be given together",
  notCompaniesHouse: "must be up to 8 digits, or a prefix such as SC and digits (8 characters in all)",
  notLanguageTag: "is not a language tag",
  severalHomepages: "has several addresses; kept the first, left out {rest}",
  unknownCountry: "is not a known country; kept as text",
  badIdentifier: "must be 1-100 letters, digits, '.', '_', '~' or '-', starting with a letter or digit",
  appearsAgain: "appears again",
  appearsAgainAt: "appears again (first at row {row})",
  notFeature: "is not a GeoJSON Feature",
  // What a reader notes about a record it kept.
  geometryCentre: "geometry is a {type}: the centre of its bounding box is used as the position",
  mirroredId: "belongs to a mirrored record from another network",
  // Why a file could not be read (an import's fatal error). `{detail}` is the parser's own words.
  emptyFile: "the file is empty",
  noInitiatives: "the file holds no initiatives (read as {format})",
  syntaxError: "{syntax} syntax error: {detail}",
  notUtf8: 'the file is not UTF-8 text (line {line}); save it as "CSV UTF-8"',
  notSeaCsvColumn: "not a SEA standard CSV (v1–v4): missing column {columns}",
  notSeaCsvColumns: "not a SEA standard CSV (v1–v4): missing columns {columns}",
  notJson: "not valid JSON: {detail}",
  noFeatures: "the FeatureCollection has no features",
  itemTooLarge: "a feature, @graph item or document part larger than {max} MB",
  rdfTooLarge: "A Turtle or N-Quads file larger than {max} MB cannot be read whole; split it, or export it as CSV",
  jsonTooLarge:
    'A JSON document without "features" or "@graph" larger than {max} MB cannot be read whole; ' +
    "split it, or export it as CSV",
  graphTooLarge:
    "A JSON-LD @graph not written item by item as essfed writes it larger than {max} MB cannot be read whole; " +
    "split it, or export it as CSV",
  contextRefused: "the document's @context: {detail}",
  graphItemRefused: "@graph item {n}: {detail}",
  documentRefused: "the JSON-LD document: {detail}",
} as const;

export type IssueKey = keyof typeof ISSUE_MESSAGES;
export type IssueParams = Record<string, string | number>;

/** A message with its key and parameters. */
export interface Said {
  key: IssueKey;
  params?: IssueParams;
  message: string;
}

/** The English message of `key` with `params` filled in, with its key and parameters. */
export function said(key: IssueKey, params: IssueParams = {}): Said {
  const message = ISSUE_MESSAGES[key].replace(/\{(\w+)\}/g, (_m, name: string) => String(params[name] ?? ""));
  return { key, ...(Object.keys(params).length ? { params } : {}), message };
}
