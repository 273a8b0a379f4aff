/**
 * The CSV tokenizer and reader: exact rows and lines whatever the line endings, blank lines and
 * chunk boundaries; a malformed record costs one row; limits, encodings and header spellings.
 */
import { Readable } from "node:stream";
import { describe, expect, it } from "@jest/globals";
import { V4_COLUMNS } from "../../src/importers/csv/columns.ts";
import { CsvFormatError, readStandardCsv } from "../../src/importers/csv/read.ts";
import { CsvSyntaxError, CsvTokenizer, type CsvRecord } from "../../src/importers/csv/tokenizer.ts";

function tokenize(chunks: string[], limits = {}): CsvRecord[] {
  const t = new CsvTokenizer(limits);
  const out: CsvRecord[] = [];
  for (const c of chunks) t.push(c, out);
  t.end(out);
  return out;
}

const SAMPLE = 'a,"b ""q"", c"\r\n\r\n"multi\r\nline\nand\rmore",x\rlone,cr\n"bad"x,tail "quote\n,\nlast,"';
const EXPECTED: CsvRecord[] = [
  { row: 1, line: 1, cells: ["a", 'b "q", c'] },
  { row: 2, line: 2, cells: [""] },
  { row: 3, line: 3, cells: ["multi\r\nline\nand\rmore", "x"] },
  { row: 4, line: 7, cells: ["lone", "cr"] },
  {
    row: 5,
    line: 8,
    cells: [],
    error: { message: 'unexpected "x" after the closing quote of a quoted cell', cell: 0 },
  },
  { row: 6, line: 9, cells: ["", ""] },
  { row: 7, line: 10, cells: ["last", ""] },
];

describe("The CSV tokenizer", () => {
  it("gives every record its spreadsheet row and file line, with CRLF, LF and lone CR, inside quotes too.", () => {
    expect(tokenize([SAMPLE + '"'])).toEqual(EXPECTED);
  });

  it("gives the same records however the input is split into chunks.", () => {
    const text = SAMPLE + '"';
    for (let i = 0; i <= text.length; i++) {
      expect(tokenize([text.slice(0, i), text.slice(i)])).toEqual(EXPECTED);
      for (let j = i; j <= text.length; j += 3) {
        expect(tokenize([text.slice(0, i), text.slice(i, j), text.slice(j)])).toEqual(EXPECTED);
      }
    }
  });

  it("reports a quote never closed with the row and line where its record starts.", () => {
    const t = () => tokenize(['h\nok,1\n"open,2\nmore\n']);
    expect(t).toThrow(CsvSyntaxError);
    expect(t).toThrow(/never closed/);
    try {
      t();
    } catch (e) {
      expect([(e as CsvSyntaxError).row, (e as CsvSyntaxError).line]).toEqual([3, 3]);
    }
  });

  it("bounds the characters and cells of one record.", () => {
    expect(() => tokenize([`"${"x".repeat(200)}`], { maxRecordChars: 100 })).toThrow(/longer than 100 characters/);
    expect(tokenize([`${",".repeat(20)}\nok`], { maxCells: 10 })).toEqual([
      { row: 1, line: 1, cells: [], error: { message: "more than 10 cells", cell: 10 } },
      { row: 2, line: 2, cells: ["ok"] },
    ]);
  });
});

const HEADER = V4_COLUMNS.join(",");
async function read(input: Readable) {
  const out: unknown[] = [];
  for await (const item of readStandardCsv(input)) {
    // The closing list of ignored columns is empty for a file of standard columns only.
    if ("ignored" in item) expect(item.ignored).toEqual([]);
    else
      out.push("row" in item ? { row: item.row, line: item.line, id: item.identifier, name: item.draft.name } : item);
  }
  return out;
}

describe("Reading a standard CSV", () => {
  it("counts blank lines and quoted line breaks, and goes on after a malformed row.", async () => {
    const text = `${HEADER}\r\n\r\na,"Name\r\nsplit"\r\nb,"B"x,y\r\n\r\nc,C\r\n`;
    expect(await read(Readable.from([text]))).toEqual([
      { version: 4 },
      { row: 3, line: 3, id: "a", name: "Name\r\nsplit" },
      {
        issue: {
          row: 4,
          line: 5,
          column: "Name",
          message: 'CSV syntax error: unexpected "x" after the closing quote of a quoted cell',
          key: "syntaxError",
          params: { syntax: "CSV", detail: 'unexpected "x" after the closing quote of a quoted cell' },
        },
      },
      { row: 6, line: 7, id: "c", name: "C" },
    ]);
  });

  it("reads UTF-8 split anywhere between chunks, drops a byte-order mark and matches header names in any case and spacing.", async () => {
    const header = HEADER.replace("Identifier", "\uFEFFidentifier").replace("Country ID", " country  id ");
    const bytes = Buffer.from(`${header}\nz,Coopérative ñandú 🐝\n`, "utf8");
    for (let i = 0; i < bytes.length; i += 7) {
      const out = await read(Readable.from([bytes.subarray(0, i), bytes.subarray(i)]));
      expect(out).toEqual([{ version: 4 }, { row: 2, line: 2, id: "z", name: "Coopérative ñandú 🐝" }]);
    }
  });

  it("refuses a file that is not UTF-8, naming the line.", async () => {
    const latin1 = Buffer.concat([Buffer.from(`${HEADER}\nok,Fine\n`), Buffer.from("bad,Coop\xe9rative\n", "latin1")]);
    await expect(read(Readable.from([latin1]))).rejects.toThrow(CsvFormatError);
    await expect(read(Readable.from([latin1]))).rejects.toThrow(/not UTF-8 text \(line 3\)/);
  });
});
