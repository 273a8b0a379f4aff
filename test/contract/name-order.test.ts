/**
 * `Store.listByName` on SQLite and PostgreSQL (ADR 26): translated records first, each part by
 * name in code point order (not UTF-16 order: a name with a character beyond U+FFFF sorts after
 * one with U+FF21), ties by change number, in pages whose cursor resumes exactly where the last
 * page ended, also across the two parts; descending, each part backwards; a cursor it did not
 * write lists nothing. And `Store.listNamed` (ADR 36): the records of one exact name from the same
 * index, translated first, then by change.
 */
import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import { BASE, record, SPARQL_STORES, type OpenStore } from "../support/sparql-stores.ts";

const NAMES = ["b", "a", "Z", "é", "\u{1F600} smile", "\uFF21 fullwidth", "a", "", "ab", "a"];

function records() {
  return NAMES.map((name, k) =>
    record({
      id: `${BASE}/initiatives/n${k}`,
      name,
      ...(k % 4 === 1 ? { translations: { fr: { name: `fr ${name}` } } } : {}),
    }),
  );
}

/** Code point order of strings, as SPARQL's ORDER BY compares simple literals. */
const byCodePoints = (a: string, b: string) => {
  const [x, y] = [[...a].map((c) => c.codePointAt(0)!), [...b].map((c) => c.codePointAt(0)!)];
  for (let k = 0; k < Math.min(x.length, y.length); k++) if (x[k] !== y[k]) return x[k]! - y[k]!;
  return x.length - y.length;
};

describe.each(SPARQL_STORES)("Records in name order on %s", (_name, open) => {
  let held: OpenStore;
  beforeAll(async () => {
    held = await open();
    for (const r of records()) await held.store.putInitiatives([r]);
  }, 60_000);
  afterAll(async () => {
    await held.close();
  });

  it.each([
    ["ascending", false],
    ["descending", true],
  ])(
    "lists translated records first, then the others, each by code point order of the name, then by change, %s.",
    async (_way, descending) => {
      const all = await held.store.listInitiatives({ limit: 100 });
      const way = descending ? -1 : 1;
      const expected = [...all.items]
        .sort(
          (a, b) =>
            Number(!a.initiative.translations) - Number(!b.initiative.translations) ||
            way * byCodePoints(a.initiative.name, b.initiative.name) ||
            way * (a.seq - b.seq),
        )
        .map((r) => r.initiative.id);
      for (const size of [1, 3, 100]) {
        const seen: string[] = [];
        let cursor: string | undefined;
        do {
          const page = await held.store.listByName({ limit: size, descending, ...(cursor ? { cursor } : {}) });
          expect(page.items.length).toBeLessThanOrEqual(size);
          expect(page.items.every((r) => r.signed === undefined)).toBe(true);
          seen.push(...page.items.map((r) => r.initiative.id));
          cursor = page.next;
        } while (cursor);
        expect(seen).toEqual(expected);
      }
      // The fullwidth A (U+FF21) comes before the emoji (U+1F600) although its UTF-16 unit is larger.
      const names = expected.map((id) => all.items.find((r) => r.initiative.id === id)!.initiative.name);
      if (!descending) expect(names.indexOf("\uFF21 fullwidth")).toBeLessThan(names.indexOf("\u{1F600} smile"));
    },
  );

  it("lists nothing after a cursor it did not write.", async () => {
    for (const cursor of ["nonsense", '[2,"a",1]', "[0,1,1]", '[0,"a",1.5]', "{}"])
      expect(await held.store.listByName({ limit: 10, cursor })).toEqual({ items: [] });
  });
});

describe.each(SPARQL_STORES)("Records of one exact name on %s", (_name, open) => {
  let held: OpenStore;
  beforeAll(async () => {
    held = await open();
    for (const r of records()) await held.store.putInitiatives([r]);
  }, 60_000);
  afterAll(async () => {
    await held.close();
  });

  it("lists the records whose own name is exactly the string, translated first, then by change, in pages.", async () => {
    const all = (await held.store.listInitiatives({ limit: 100 })).items;
    for (const name of ["a", "b", "", "\u{1F600} smile", "A", "a ", "fr a", "e\u0301", "nowhere"]) {
      const expected = all
        .filter((r) => r.initiative.name === name)
        .sort((x, y) => Number(!x.initiative.translations) - Number(!y.initiative.translations) || x.seq - y.seq)
        .map((r) => r.initiative.id);
      for (const size of [1, 2, 100]) {
        const seen: string[] = [];
        let cursor: string | undefined;
        do {
          const page = await held.store.listNamed(name, { limit: size, ...(cursor ? { cursor } : {}) });
          expect(page.items.length).toBeLessThanOrEqual(size);
          expect(page.items.every((r) => r.signed === undefined)).toBe(true);
          seen.push(...page.items.map((r) => r.initiative.id));
          cursor = page.next;
        } while (cursor);
        expect(seen).toEqual(expected);
      }
    }
    // "a" is held three times, once with a translation (a name of its own that is not "a").
    expect((await held.store.listNamed("a", { limit: 10 })).items).toHaveLength(3);
  });

  it("lists nothing after a cursor it did not write.", async () => {
    for (const cursor of ["nonsense", "2:1", "0:-1", "1:1.5", "0:01", "1:99999999999999999", ""])
      expect(await held.store.listNamed("a", { limit: 10, cursor })).toEqual({ items: [] });
  });
});
