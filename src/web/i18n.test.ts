import { describe, expect, it } from "@jest/globals";
import { parse, TYPE, type MessageFormatElement } from "@formatjs/icu-messageformat-parser";
import { CATALOGUES, LOCALES, translator } from "./i18n.ts";

/** The arguments a message uses, with their kinds ("plural:count", "argument:name"). */
function argumentsOf(elements: MessageFormatElement[], out = new Set<string>()): Set<string> {
  for (const e of elements) {
    if (e.type === TYPE.argument || e.type === TYPE.number || e.type === TYPE.date) out.add(`value:${e.value}`);
    if (e.type === TYPE.plural || e.type === TYPE.select) {
      out.add(`${e.type === TYPE.plural ? "plural" : "select"}:${e.value}`);
      for (const o of Object.values(e.options)) argumentsOf(o.value, out);
    }
  }
  return out;
}

describe("The message catalogues", () => {
  it("have the same keys in every language.", () => {
    const en = Object.keys(CATALOGUES.en).sort();
    for (const l of LOCALES) expect(Object.keys(CATALOGUES[l]).sort()).toEqual(en);
  });

  it("parse as ICU messages and use the same arguments as English.", () => {
    const mismatches: string[] = [];
    for (const [key, source] of Object.entries(CATALOGUES.en)) {
      const want = [...argumentsOf(parse(source))].sort();
      for (const l of LOCALES) {
        const got = [...argumentsOf(parse(CATALOGUES[l][key]!))].sort();
        if (got.join() !== want.join()) mismatches.push(`${l} ${key}: ${got.join()} ≠ ${want.join()}`);
      }
    }
    expect(mismatches).toEqual([]);
  });

  it("have no empty message.", () => {
    const empty = LOCALES.flatMap((l) =>
      Object.entries(CATALOGUES[l])
        .filter(([, v]) => !v.trim())
        .map(([k]) => `${l} ${k}`),
    );
    expect(empty).toEqual([]);
  });
});

describe("A Translator", () => {
  it("follows each language's plural rules.", () => {
    expect(translator("en").t("network.followers", { count: 1 })).toBe("1 follower");
    expect(translator("en").t("network.followers", { count: 2 })).toBe("2 followers");
    expect(translator("fr").t("map.inView", { count: 1 })).toBe("1 initiative visible");
    expect(translator("fr").t("map.inView", { count: 1500 })).toBe("1\u202f500 initiatives visibles");
    expect(translator("es").t("map.inView", { count: 0 })).toBe("Ninguna iniciativa a la vista");
    expect(translator("pt").t("network.followers", { count: 3 })).toBe("3 seguidores");
  });

  it("writes dates in the reader's language.", () => {
    expect(translator("fr").date("2026-03-03T10:00:00Z")).toBe("3 mars 2026");
    expect(translator("es").date("2026-03-03T10:00:00Z")).toBe("3 de marzo de 2026");
    expect(translator("pt").date("2026-03-03T10:00:00Z")).toBe("3 de março de 2026");
    expect(translator("en").date("not a date")).toBe("");
  });

  it("answers the key itself for a message no catalogue has.", () => {
    expect(translator("fr").t("no.such.key")).toBe("no.such.key");
  });
});
