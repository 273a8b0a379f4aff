/**
 * What a CSV cell looks like, written and read (ADR 19). Every CSV essfed writes is safe to open in
 * a spreadsheet: a cell that a spreadsheet would take for a formula — one starting with `=`, `+`,
 * `-`, `@`, a tab or a carriage return (OWASP's list) — is written with an apostrophe in front,
 * which spreadsheets read as "this is text". Plain negative numbers (`-1.54`, a longitude) are left
 * as they are: they are numbers to a spreadsheet, never formulas.
 *
 * The importer takes the apostrophe off again, and the rule is made so that reading what was
 * written gives back the exact text, whatever it was: an apostrophe is added before any run of
 * apostrophes that is followed by one of those characters (`'=x` is written `''=x`), and one is
 * taken off only there. A cell such as `'s-Hertogenbosch` (an apostrophe followed by anything else)
 * is neither changed on the way out nor on the way in.
 */

/** A value a spreadsheet would read as a formula once the leading apostrophes are counted out. */
const FORMULA_AFTER_APOSTROPHES = /^'*[=+\-@\t\r]/;
/** What {@link neutralise} wrote: one apostrophe added in front of such a value. */
const NEUTRALISED = /^'+[=+\-@\t\r]/;
/** Numbers a spreadsheet reads as numbers, and essfed writes (coordinates): never a formula. */
const NEGATIVE_DECIMAL = /^-\d+(\.\d+)?$/;

/** The text as a CSV cell's content that no spreadsheet runs as a formula. */
export function neutralise(text: string): string {
  return FORMULA_AFTER_APOSTROPHES.test(text) && !NEGATIVE_DECIMAL.test(text) ? `'${text}` : text;
}

/** The text {@link neutralise} was given: `restore(neutralise(s)) === s` for every string. */
export function restore(cell: string): string {
  // Only a cell that starts with an apostrophe can have one to take off (a test every cell of an import makes).
  return cell.charCodeAt(0) === 39 && NEUTRALISED.test(cell) ? cell.slice(1) : cell;
}

/**
 * The content as an RFC 4180 field: quoted when it holds a comma, quote or line break, or starts or ends with white
 * space.
 */
export function csvField(content: string): string {
  return /[",\r\n]/.test(content) || /^\s|\s$/.test(content) ? `"${content.replace(/"/g, '""')}"` : content;
}

/** A value as a CSV field, neutralised: what every essfed CSV writer writes. */
export function csvCell(text: string): string {
  return csvField(neutralise(text));
}
