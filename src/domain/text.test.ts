import { describe, expect, it } from "@jest/globals";
import fc from "fast-check";
import { loadTaxonomies } from "../linkeddata/vocabulary.ts";
import { findUnstorableText, iriFits, unstorableChar, visible } from "./text.ts";
import { validateInitiative, type InitiativeDraft } from "./validate.ts";

const taxonomies = loadTaxonomies();
const ID = "https://coops.example/initiatives/one";
const refusal = (d: Partial<InitiativeDraft>, lenient = false) => {
  const r = validateInitiative({ id: ID, name: "A Co-op", ...d }, taxonomies, { lenient });
  return r.ok ? r.warnings.map((i) => `${i.field}: ${i.message}`) : r.issues.map((i) => `${i.field}: ${i.message}`);
};

describe("Text that every store holds", () => {
  it.each([
    ["NUL", "a\u0000b", "U+0000", 1],
    ["an unpaired high surrogate", "ab\uD800", "U+D800", 2],
    ["an unpaired low surrogate", "\uDC00", "U+DC00", 0],
    ["a low surrogate before its high half", "\uDE00\uD83D", "U+DE00", 0],
    ["a control character", "x\u001B[31m", "U+001B", 1],
    ["U+FFFE", "\uFFFE", "U+FFFE", 0],
    ["U+FFFF", "ok\uFFFF", "U+FFFF", 2],
  ])("finds %s.", (_what, s, codePoint, index) => {
    expect(unstorableChar(s)).toEqual({ codePoint, index });
  });

  it("keeps tab, line breaks, surrogate pairs and every other character.", () => {
    expect(unstorableChar("tab\there\r\nline 😀 \u00A0 \u0085 \u007F \uFDD0 \u{10FFFD}")).toBeUndefined();
  });

  it("agrees with a character-by-character reading of XML 1.0's Char on arbitrary strings.", () => {
    const xmlChar = (c: number) =>
      c === 9 ||
      c === 10 ||
      c === 13 ||
      (c >= 0x20 && c <= 0xd7ff) ||
      (c >= 0xe000 && c <= 0xfffd) ||
      (c >= 0x10000 && c <= 0x10ffff);
    fc.assert(
      fc.property(fc.string({ unit: "binary", maxLength: 40 }), (s) => {
        const firstBad = [...s].findIndex((ch) => !xmlChar(ch.codePointAt(0)!));
        const found = unstorableChar(s);
        expect(found === undefined).toBe(firstBad < 0);
        if (found) expect(found.index).toBe([...s].slice(0, firstBad).join("").length);
        expect(unstorableChar(visible(s))).toBeUndefined();
      }),
      { numRuns: 2000 },
    );
  });

  it("names the path of unstorable text in a JSON document, keys included.", () => {
    expect(findUnstorableText({ object: { "gr:name": ["ok", "b\u0000"] } }, "activity")?.path).toBe(
      'activity.object["gr:name"][1]',
    );
    expect(findUnstorableText({ a: { "k\uD800": 1 } })?.path).toBe('.a["k\\uD800"] (the key)');
    expect(findUnstorableText({ a: [1, true, null, "fine 😀"] })).toBeUndefined();
    let deep: unknown = "\u0000";
    for (let i = 0; i < 100_000; i++) deep = [deep];
    expect(findUnstorableText(deep)?.reason).toMatch(/U\+0000/);
  });

  it("bounds IRIs in UTF-8 bytes, the unit of PostgreSQL's index limit.", () => {
    expect(iriFits(`https://x.example/${"a".repeat(1980)}`)).toBe(true);
    expect(iriFits(`https://x.example/${"é".repeat(992)}`)).toBe(false);
    expect(refusal({ id: `https://x.example/${"中".repeat(700)}` })).toEqual([
      expect.stringMatching(/^id: must be an absolute http\(s\) IRI .*at most 2000 bytes/),
    ]);
  });

  it.each<[string, Partial<InitiativeDraft>, string]>([
    ["NUL in the name", { name: "Bakery\u0000" }, "name: contains U+0000 at character 7"],
    ["a lone surrogate in the description", { description: "caf\uD800" }, "description: contains U+D800"],
    ["U+FFFE in the locality", { address: { locality: "\uFFFELeeds" } }, "address.locality: contains U+FFFE"],
    ["a control character in one activity", { activities: ["ICA10", "x\u0007"] }, "activities: contains U+0007"],
    [
      "NUL in a translation",
      { translations: { fr: { name: "Boulangerie\u0000" } } },
      "translations.fr.name: contains U+0000",
    ],
    [
      "NUL in a translation's language",
      { translations: { "f\u0000r": { name: "x" } } },
      "translations: contains U+0000",
    ],
    ["NUL in the id", { id: `${ID}\u0000` }, "id: contains U+0000"],
  ])("refuses %s, naming the field.", (_what, draft, expected) => {
    const issues = refusal(draft);
    expect(issues).toEqual([expect.stringContaining(expected)]);
  });

  it("leaves an unstorable optional value out of a lenient import, with a warning; a bad name refuses it.", () => {
    const r = validateInitiative(
      { id: ID, name: "A Co-op", phone: "01\u000B23", activities: ["ICA10", "\uDFFF"] },
      taxonomies,
      { lenient: true },
    );
    expect(r.ok && r.initiative.phone).toBeUndefined();
    expect(r.ok && r.initiative.activities).toEqual([taxonomies.resolveField("activities", "ICA10")]);
    expect(r.ok && r.warnings.map((w) => w.field)).toEqual(["phone", "activities"]);
    expect(r.ok && r.warnings[0]!.value).toBe("01\\u000B23");
    expect(refusal({ name: "\u0000" }, true)).toEqual([expect.stringContaining("name: contains U+0000")]);
  });
});
