/**
 * A streaming RFC 4180 tokenizer that knows exactly where every record is: the spreadsheet row it
 * is (blank lines are rows too) and the file line it starts on (a CRLF, LF or lone CR ends a line,
 * inside quoted cells as well). A malformed record is reported and skipped to the end of its line,
 * so one stray character costs one row, not the rest of the file. Work per record is bounded.
 */
import { EssfedError } from "../../errors.ts";

/** One record: its cells, or why it could not be read. */
export interface CsvRecord {
  /** Spreadsheet row, counting from 1. */
  row: number;
  /** File line where the record starts, counting from 1. */
  line: number;
  cells: string[];
  /** Set for a malformed record; `cell` is the 0-based index of the cell where it went wrong. */
  error?: { message: string; cell: number };
}

/** The file cannot be read past this point (a quote never closed, a record too long, not UTF-8). */
export class CsvSyntaxError extends EssfedError {
  readonly row: number;
  readonly line: number;
  readonly cell: number | undefined;
  constructor(message: string, row: number, line: number, cell?: number) {
    super("csv-syntax", message);
    this.row = row;
    this.line = line;
    this.cell = cell;
  }
}

export interface TokenizerLimits {
  /** Characters in one record, quoted line breaks included. */
  maxRecordChars?: number;
  /** Cells in one record. */
  maxCells?: number;
}

/** Tokenizer states (plain numbers: Node's type stripping has no enums). */
const S = { FieldStart: 0, Unquoted: 1, Quoted: 2, QuoteInQuoted: 3, Skipping: 4 } as const;
const UNQUOTED_STOP = /[,"\r\n]/g;
const QUOTED_STOP = /["\r\n]/g;
const EOL_STOP = /[\r\n]/g;

export class CsvTokenizer {
  readonly #maxChars: number;
  readonly #maxCells: number;
  #state: number = S.FieldStart;
  #cells: string[] = [];
  #field = "";
  #line = 1;
  #recordLine = 1;
  #row = 0;
  #chars = 0;
  #afterCR = false;
  #error: CsvRecord["error"];

  constructor(limits: TokenizerLimits = {}) {
    this.#maxChars = limits.maxRecordChars ?? 1_000_000;
    this.#maxCells = limits.maxCells ?? 1000;
  }

  /** The file line the tokenizer has reached. */
  get line(): number {
    return this.#line;
  }

  /** Feeds text; complete records are appended to `out`. */
  push(text: string, out: CsvRecord[]): void {
    let i = 0;
    const n = text.length;
    if (this.#afterCR && n > 0) {
      // The second half of a CRLF split across chunks: not another line break.
      if (text.charCodeAt(0) === 10) {
        if (this.#state === S.Quoted) this.#field += "\n";
        i = 1;
      }
      this.#afterCR = false;
    }
    while (i < n) {
      const state = this.#state;
      if (state === S.Quoted) {
        const stop = this.#takeUntil(QUOTED_STOP, text, i);
        if (stop < 0) return;
        const c = text.charCodeAt(stop);
        if (c === 34) {
          this.#state = S.QuoteInQuoted;
          i = stop + 1;
          continue;
        }
        // A line break inside a quoted cell: kept in the cell, counted as one line.
        i = this.#pastLineBreak(text, stop, true);
        continue;
      }
      if (state === S.Skipping) {
        EOL_STOP.lastIndex = i;
        const m = EOL_STOP.exec(text);
        if (!m) return;
        i = this.#endRecord(text, m.index, out);
        continue;
      }
      if (state === S.QuoteInQuoted) {
        const c = text.charCodeAt(i);
        if (c === 34) {
          this.#take(text, i, i + 1);
          this.#state = S.Quoted;
          i++;
          continue;
        }
        if (c === 44) {
          this.#endField();
          i++;
          continue;
        }
        if (c === 10 || c === 13) {
          i = this.#endRecord(text, i, out);
          continue;
        }
        this.#fail(`unexpected ${JSON.stringify(text[i])} after the closing quote of a quoted cell`);
        continue;
      }
      // FieldStart or Unquoted.
      if (state === S.FieldStart && text.charCodeAt(i) === 34) {
        this.#state = S.Quoted;
        this.#chars++;
        i++;
        continue;
      }
      this.#state = S.Unquoted;
      const stop = this.#takeUntil(UNQUOTED_STOP, text, i);
      if (stop < 0) return;
      const c = text.charCodeAt(stop);
      if (c === 34) {
        this.#take(text, stop, stop + 1);
        i = stop + 1;
        continue;
      } // a quote inside an unquoted cell is kept, as spreadsheets do
      if (c === 44) {
        this.#endField();
        i = stop + 1;
        continue;
      }
      i = this.#endRecord(text, stop, out);
    }
  }

  /** Ends the input: emits the last record, or throws when a quoted cell was never closed. */
  end(out: CsvRecord[]): void {
    if (this.#state === S.Quoted) {
      throw new CsvSyntaxError(
        `the quote that opens cell ${this.#cells.length + 1} is never closed: ` +
          "the rest of the file after this line was not read",
        this.#row + 1,
        this.#recordLine,
        this.#cells.length,
      );
    }
    if (this.#state !== S.FieldStart || this.#cells.length > 0) this.#emit(out);
  }

  /**
   * Takes the text from `i` up to the next match of `stop` into the cell; returns where that match is, or -1 at the
   * chunk's end.
   */
  #takeUntil(stop: RegExp, text: string, i: number): number {
    stop.lastIndex = i;
    const m = stop.exec(text);
    this.#take(text, i, m ? m.index : text.length);
    return m ? m.index : -1;
  }

  #take(text: string, from: number, to: number): void {
    if (to <= from) return;
    this.#chars += to - from;
    if (this.#chars > this.#maxChars) {
      throw new CsvSyntaxError(
        `a record longer than ${this.#maxChars} characters (is a quote left open?)`,
        this.#row + 1,
        this.#recordLine,
        this.#cells.length,
      );
    }
    if (this.#state !== S.Skipping) this.#field += text.slice(from, to);
  }

  /**
   * Steps over the line break at `at` (CRLF, LF or a lone CR, counted as one line), keeping it in
   * the cell when it is inside quotes; a CR that ends the chunk leaves its LF to the next one.
   * @returns the index after the line break
   */
  #pastLineBreak(text: string, at: number, inCell: boolean): number {
    this.#line++;
    if (inCell) this.#take(text, at, at + 1);
    if (text.charCodeAt(at) === 13) {
      if (at + 1 >= text.length) {
        this.#afterCR = true;
        return at + 1;
      }
      if (text.charCodeAt(at + 1) === 10) {
        if (inCell) this.#take(text, at + 1, at + 2);
        return at + 2;
      }
    }
    return at + 1;
  }

  #endField(): void {
    this.#cells.push(this.#field);
    this.#field = "";
    this.#state = S.FieldStart;
    this.#chars++;
    if (this.#cells.length >= this.#maxCells) this.#fail(`more than ${this.#maxCells} cells`);
  }

  #fail(message: string): void {
    this.#error = { message, cell: this.#cells.length };
    this.#state = S.Skipping;
    this.#field = "";
  }

  /** Ends the record at the line break at `at`; returns the index after the line break. */
  #endRecord(text: string, at: number, out: CsvRecord[]): number {
    this.#emit(out);
    const next = this.#pastLineBreak(text, at, false);
    this.#recordLine = this.#line;
    return next;
  }

  #emit(out: CsvRecord[]): void {
    this.#row++;
    if (this.#error) {
      out.push({ row: this.#row, line: this.#recordLine, cells: [], error: this.#error });
    } else {
      this.#cells.push(this.#field);
      out.push({ row: this.#row, line: this.#recordLine, cells: this.#cells });
    }
    this.#cells = [];
    this.#field = "";
    this.#state = S.FieldStart;
    this.#chars = 0;
    this.#error = undefined;
  }
}
