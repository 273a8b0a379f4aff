import { Readable } from "node:stream";
import { describe, expect, it } from "@jest/globals";
import fc from "fast-check";
import { WIDE, compact } from "../../domain/one-byte.ts";
import { pushByLines } from "./lines.ts";
import { readStandardCsv } from "./read.ts";
import { V4_COLUMNS } from "./columns.ts";
import { isOneByte } from "../../../test/support/one-byte.ts";

const pieces = (text: string) => {
  const out: string[] = [];
  pushByLines(text, (p) => out.push(p));
  return out;
};

/** Text of Latin-1 letters, line breaks and, now and then, a character beyond Latin-1. */
const text = fc.string({
  unit: fc.oneof(
    { weight: 6, arbitrary: fc.constantFrom("a", "é", "ö", ",", '"', "\n", "\r\n", "\r", " ") },
    { weight: 1, arbitrary: fc.constantFrom("ń", "’", "–", "Ω", "😀") },
  ),
  maxLength: 80,
});

describe("Cutting a decoded piece of CSV into lines V8 holds one byte a character", () => {
  it("hands on Latin-1 text whole, as it came.", () => {
    const latin = "Café Ökonomie,1\nSecond line é,2\n";
    expect(pieces(latin)).toEqual([latin]);
    expect(pieces("")).toEqual([""]);
  });

  it("cuts text holding a character beyond Latin-1 into its lines, line breaks kept, the Latin-1 ones one byte a character.", () => {
    // V8 copies a short part of a string, but a longer one (13 characters and more) is a view of the whole and keeps
    // its two bytes a character: what the tokenizer would have cut the cells from.
    const decoded = "Łódź Housing Co-op,1\r\nCafé des Producteurs,2\nBar of the Solidarity Street,3";
    const out = pieces(decoded);
    expect(out).toEqual(["Łódź Housing Co-op,1\r\n", "Café des Producteurs,2\n", "Bar of the Solidarity Street,3"]);
    expect(out.map(isOneByte)).toEqual([false, true, true]);
    expect(isOneByte(decoded.slice(22, 45))).toBe(false);
  });

  it("always hands on the exact text, in order, each piece Latin-1 one byte a character (property).", () => {
    fc.assert(
      fc.property(text, (t) => {
        const out = pieces(t);
        expect(out.join("")).toBe(t);
        for (const p of out) if (!WIDE.test(p)) expect(isOneByte(p)).toBe(true);
        if (out.length > 1) out.slice(0, -1).forEach((p) => expect(p.endsWith("\n")).toBe(true));
      }),
      { numRuns: 300 },
    );
  });

  it("copies Latin-1 text exactly, whatever its representation.", () => {
    const wide = "ÿé\u0080\u00a0 and more Latin-1 text’".slice(0, 26);
    expect(isOneByte(wide)).toBe(false);
    expect(compact(wide)).toBe(wide);
    expect(isOneByte(compact(wide))).toBe(true);
    expect(compact("Łódź")).toBe("Łódź");
  });
});

describe("Reading a CSV in which one row has a character beyond Latin-1", () => {
  it("reads every row as before, and the cells of the other rows are one byte a character.", async () => {
    const header = V4_COLUMNS.join(",");
    const row = (id: string, name: string) =>
      V4_COLUMNS.map((c) => (c === "Identifier" ? id : c === "Name" ? `"${name}"` : "")).join(",");
    const csv = [header, row("a1", "Caf\u00e9 Solidaire, Lyon"), row("a2", "Spółdzielnia\nŁódź"), row("a3", "Bar ’")]
      .concat(Array.from({ length: 20 }, (_v, k) => row(`b${k}`, `Coopérative numéro ${k} des Producteurs`)))
      .join("\r\n");
    const rows: { row: number; line: number; name?: string }[] = [];
    for await (const item of readStandardCsv(Readable.from([Buffer.from(csv)]))) {
      if ("draft" in item) rows.push({ row: item.row, line: item.line, name: item.draft.name });
    }
    expect(rows.slice(0, 4)).toEqual([
      { row: 2, line: 2, name: "Café Solidaire, Lyon" },
      { row: 3, line: 3, name: "Spółdzielnia\nŁódź" },
      { row: 4, line: 5, name: "Bar ’" },
      { row: 5, line: 6, name: "Coopérative numéro 0 des Producteurs" },
    ]);
    expect(rows).toHaveLength(23);
    expect(rows.filter((r) => !isOneByte(r.name!)).map((r) => r.row)).toEqual([3, 4]);
  });
});
