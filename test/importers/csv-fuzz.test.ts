/**
 * Property-based fuzzing of the CSV tokenizer and of the cells essfed writes (fast-check, bounded
 * in runs and time so it finishes in seconds in CI): arbitrary input never throws anything but a
 * syntax error naming row and line, and reads the same however it is split into chunks; written
 * rows read back exactly; and what an export writes in a cell imports back to the exact text.
 */
import { Readable } from "node:stream";
import { describe, expect, it } from "@jest/globals";
import fc from "fast-check";
import { V4_COLUMNS } from "../../src/importers/csv/columns.ts";
import { csvCell, csvField, neutralise, restore } from "../../src/importers/csv/cells.ts";
import { CsvFormatError, readStandardCsv } from "../../src/importers/csv/read.ts";
import { CsvSyntaxError, CsvTokenizer, type CsvRecord } from "../../src/importers/csv/tokenizer.ts";
import { findUnstorableText } from "../../src/domain/text.ts";

/** Stop each property after this long, whatever numRuns says (a slow shared machine). */
const BUDGET = { interruptAfterTimeLimit: 4_000, markInterruptAsFailure: false };

function tokenize(chunks: string[], limits = {}): CsvRecord[] {
  const t = new CsvTokenizer(limits);
  const out: CsvRecord[] = [];
  for (const c of chunks) t.push(c, out);
  t.end(out);
  return out;
}

/** Splits `text` at the given fractions of its length. */
const split = (text: string, cuts: number[]) => {
  const at = [...new Set(cuts.map((c) => Math.floor(c * text.length)))].sort((a, b) => a - b);
  return [...at, text.length].map((end, k) => text.slice(k ? at[k - 1] : 0, end));
};

/** Text rich in what CSV cares about: quotes, commas, every line break, formula characters, any Unicode. */
const csvText = fc.string({
  unit: fc.oneof(
    {
      weight: 4,
      arbitrary: fc.constantFrom(",", '"', "\r", "\n", "\r\n", "'", "=", "+", "-", "@", "\t", " ", "a", "1"),
    },
    { weight: 1, arbitrary: fc.string({ unit: "binary", maxLength: 1 }) },
  ),
  maxLength: 60,
});
const cuts = fc.array(fc.double({ min: 0, max: 1, noNaN: true }), { maxLength: 4 });

describe("Fuzzing the CSV tokenizer", () => {
  it("reads any input to the end or stops with a syntax error naming row and line; records count rows and lines upwards.", () => {
    fc.assert(
      fc.property(csvText, (text) => {
        let records: CsvRecord[];
        try {
          records = tokenize([text], { maxRecordChars: 40, maxCells: 8 });
        } catch (e) {
          expect(e).toBeInstanceOf(CsvSyntaxError);
          expect((e as CsvSyntaxError).row).toBeGreaterThanOrEqual(1);
          expect((e as CsvSyntaxError).line).toBeGreaterThanOrEqual(1);
          return;
        }
        records.forEach((r, k) => {
          expect(r.row).toBe(k + 1);
          expect(r.line).toBeGreaterThanOrEqual(k ? records[k - 1]!.line + 1 : 1);
          if (r.error) expect(r.error.cell).toBeGreaterThanOrEqual(0);
          else expect(r.cells.length).toBeGreaterThanOrEqual(1);
        });
      }),
      { numRuns: 3000, ...BUDGET },
    );
  });

  it("gives the same records, or the same error, however the input is split into chunks.", () => {
    const outcome = (chunks: string[]) => {
      try {
        return tokenize(chunks);
      } catch (e) {
        return (e as Error).message;
      }
    };
    fc.assert(
      fc.property(csvText, cuts, (text, at) => {
        expect(outcome(split(text, at))).toEqual(outcome([text]));
      }),
      { numRuns: 3000, ...BUDGET },
    );
  });

  it("reads back exactly the rows it is given, written as RFC 4180, in any chunks.", () => {
    const rows = fc.array(fc.array(csvText, { minLength: 1, maxLength: 5 }), { maxLength: 6 });
    fc.assert(
      fc.property(rows, cuts, fc.constantFrom("\n", "\r\n"), (given, at, eol) => {
        const text = given.map((r) => r.map(csvField).join(",") + eol).join("");
        expect(tokenize(split(text, at)).map((r) => r.cells)).toEqual(given);
      }),
      { numRuns: 2000, ...BUDGET },
    );
  });

  it("never hangs or throws on arbitrary files given to the standard reader: rows, issues naming row, line and column, or a format error.", async () => {
    const header = V4_COLUMNS.join(",") + "\n";
    await fc.assert(
      fc.asyncProperty(csvText, cuts, async (body, at) => {
        try {
          for await (const item of readStandardCsv(Readable.from(split(header + body, at)), {
            maxRecordChars: 200,
          })) {
            if (!("issue" in item)) continue;
            expect(item.issue.row).toBeGreaterThanOrEqual(2);
            expect(item.issue.line).toBeGreaterThanOrEqual(2);
            // A syntax error in one of the header's cells names that column.
            expect(V4_COLUMNS).toContain(item.issue.column ?? V4_COLUMNS[0]);
          }
        } catch (e) {
          expect(e).toBeInstanceOf(CsvFormatError);
          expect((e as CsvFormatError).issue.line).toBeGreaterThanOrEqual(1);
        }
      }),
      { numRuns: 500, ...BUDGET },
    );
  });
});

describe("Rows the reader screened whole", () => {
  /** With characters essfed does not store: controls, surrogate halves alone or paired, U+FFFE. */
  const dirtyText = fc.string({
    unit: fc.oneof(
      { weight: 6, arbitrary: fc.constantFrom(",", '"', "\r", "\n", "a", "b", " ") },
      {
        weight: 1,
        arbitrary: fc.constantFrom("\u0000", "\u0007", "\u001F", "\uD83D", "\uDE00", "\uD83D\uDE00", "\uFFFE"),
      },
    ),
    maxLength: 60,
  });

  it("hold only text essfed stores when marked so, however the file is split into pieces.", async () => {
    const header = V4_COLUMNS.join(",") + ",Name:fr\n";
    await fc.assert(
      fc.asyncProperty(fc.array(dirtyText, { maxLength: 6 }), cuts, async (rows, at) => {
        const body = rows.map((r, k) => `id${k},${r}`).join("\n");
        try {
          for await (const item of readStandardCsv(Readable.from(split(header + body, at)))) {
            if (!("draft" in item) || !item.storable) continue;
            expect(findUnstorableText({ ...item.draft, identifier: item.identifier })).toBeUndefined();
          }
        } catch (e) {
          expect(e).toBeInstanceOf(CsvFormatError);
        }
      }),
      { numRuns: 1000, ...BUDGET },
    );
  });

  it("are marked so when their piece of the file is clean, and not when it is not.", async () => {
    const header = V4_COLUMNS.join(",") + "\n";
    const marks = async (chunks: string[]) => {
      const out: [string, boolean][] = [];
      for await (const item of readStandardCsv(Readable.from(chunks)))
        if ("draft" in item) out.push([item.identifier, item.storable]);
      return out;
    };
    expect(await marks([header + "a,A\nb,B 😀\n"])).toEqual([
      ["a", true],
      ["b", true],
    ]);
    // A piece with a control character: its rows are screened again when checked, and the first row ended in the next
    // piece (which might have begun in it), but not the rows after.
    expect(await marks([header + "a,A\nb,B\u0007\nc,C\n", "d,D\ne,E\n"])).toEqual([
      ["a", false],
      ["b", false],
      ["c", false],
      ["d", false],
      ["e", true],
    ]);
    // A row begun in an unclean piece and ended in a clean one.
    expect(await marks([header + 'a,"A\u0000', '"\nb,B\n'])).toEqual([
      ["a", false],
      ["b", true],
    ]);
  });
});

describe("Cells safe to open in a spreadsheet", () => {
  const anyText = fc.oneof(csvText, fc.string({ unit: "binary", maxLength: 30 }));

  it("restore(neutralise(s)) is s for every string, and a neutralised cell never starts a formula.", () => {
    fc.assert(
      fc.property(anyText, (s) => {
        expect(restore(neutralise(s))).toBe(s);
        const n = neutralise(s);
        if (/^[=+\-@\t\r]/.test(n)) expect(n).toMatch(/^-\d+(\.\d+)?$/);
      }),
      { numRuns: 5000, ...BUDGET },
    );
  });

  it("export → import is the identity on any cell text: tokenised, then restored.", () => {
    fc.assert(
      fc.property(fc.array(anyText, { minLength: 1, maxLength: 6 }), (cells) => {
        const [record] = tokenize([cells.map(csvCell).join(",") + "\r\n"]);
        expect(record!.cells.map(restore)).toEqual(cells);
      }),
      { numRuns: 3000, ...BUDGET },
    );
  });

  it.each([
    ['=HYPERLINK("http://evil.example","x")', '\'=HYPERLINK("http://evil.example","x")'],
    ["+44 113 496 0000", "'+44 113 496 0000"],
    ["-2+3+cmd|' /C calc'!A0", "'-2+3+cmd|' /C calc'!A0"],
    ["@SUM(A1:A9)", "'@SUM(A1:A9)"],
    ["\t=1+1", "'\t=1+1"],
    ["\r=1+1", "'\r=1+1"],
    ["'=1+1", "''=1+1"],
    ["''+x", "'''+x"],
    ["-1.5477", "-1.5477"],
    ["-12", "-12"],
    ["'s-Hertogenbosch", "'s-Hertogenbosch"],
    ["'t Hoekje", "'t Hoekje"],
    ["Leeds", "Leeds"],
  ])("writes %j as %j, and reads it back.", (text, written) => {
    expect(neutralise(text)).toBe(written);
    expect(restore(written)).toBe(text);
  });
});
