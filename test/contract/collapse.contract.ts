/**
 * Collapsed results (`SearchFilter.collapse`), run against every store: with groups of listings
 * confirmed to be one organisation, each filter gives exactly what the search contract's reference
 * gives less the listings the groups do not show, through every page, in counts, facet counts and
 * clusters (also those answered from kept counts); without collapsing, nothing is left out.
 */
import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import { indexFields, LOCAL_SOURCE, type SearchFilter } from "../../src/store/search.ts";
import type { Store, StoredInitiative } from "../../src/store/store.ts";
import { fixture, matches, REGIONAL } from "./search.contract.ts";

const id = (k: number) => fixture()[k]!.initiative.id;

export function describeCollapseContract(
  name: string,
  make: () => Promise<Store>,
  cleanup: (s: Store) => Promise<void>,
): void {
  describe(`Collapsed results on a ${name}`, () => {
    let store: Store;
    let stored: StoredInitiative[];
    const hidden = new Set<string>();
    beforeAll(async () => {
      store = await make();
      const records = fixture();
      for (let k = 0; k < records.length; k += 100) await store.putInitiatives(records.slice(k, k + 100));
      // Pairs, a group of three, and a group with a member not held here.
      for (let k = 1; k < 150; k += 5) {
        await store.duplicates.setGroup([id(k + 150), id(k)], id(k));
        hidden.add(id(k + 150));
      }
      await store.duplicates.setGroup([id(2), id(3), id(5)], id(3));
      hidden.add(id(2)).add(id(5));
      await store.duplicates.setGroup([id(9), id(19)], id(19));
      hidden.add(id(9));
      await store.duplicates.setGroup([id(8), "https://gone.example/initiatives/x"], id(8));
      await store.search.catchUp();
      stored = (await store.listInitiatives({ limit: 1000 })).items;
    });
    afterAll(async () => {
      await cleanup(store);
    });

    const expected = (f: SearchFilter) =>
      stored.filter((r) => matches(r, f) && !hidden.has(r.initiative.id)).map((r) => r.initiative.id);
    async function all(f: SearchFilter, limit: number): Promise<string[]> {
      const ids: string[] = [];
      for (let cursor: string | undefined, pages = 0; pages < 100; pages++) {
        const page = await store.search.search(f, limit, cursor);
        ids.push(...page.items.map((i) => i.initiative.id));
        if (!page.next) break;
        cursor = page.next;
      }
      return ids;
    }

    const cases: [string, SearchFilter][] = [
      ["everything", { facets: {} }],
      ["one word", { words: ["bakery"], facets: {} }],
      ["a box", { bbox: { minLon: -3, minLat: 43, maxLon: 5, maxLat: 46 }, facets: {} }],
      ["a facet", { facets: { source: [LOCAL_SOURCE, REGIONAL] } }],
      ["words and a facet", { words: ["cooperative"], facets: { source: [LOCAL_SOURCE] } }],
      ["without coordinates", { located: false, facets: {} }],
    ];

    it.each(cases)("leaves out the listings groups do not show, in pages and counts (%s).", async (_n, f) => {
      const want = expected({ ...f, collapse: true });
      expect(want.length).toBeLessThan(stored.filter((r) => matches(r, f)).length);
      expect(await all({ ...f, collapse: true }, 9)).toEqual(want);
      expect(await store.search.count({ ...f, collapse: true })).toBe(want.length);
      // Without the flag every listing is there.
      expect(await store.search.count(f)).toBe(stored.filter((r) => matches(r, f)).length);
    });

    it.each(cases.slice(0, 5))("counts facet values of organisations, not listings (%s).", async (_n, f) => {
      const want = new Map<string, number>();
      for (const r of stored.filter((x) => matches(x, f) && !hidden.has(x.initiative.id)))
        for (const v of indexFields(r).facets)
          want.set(`${v.name} ${v.value}`, (want.get(`${v.name} ${v.value}`) ?? 0) + 1);
      const { counts, total } = await store.search.facets({ ...f, collapse: true });
      const got = new Map<string, number>();
      for (const [facet, values] of Object.entries(counts))
        for (const v of values) got.set(`${facet} ${v.value}`, v.count);
      expect(got).toEqual(want);
      expect(total).toBe(expected(f).length);
    });

    it.each([10, 45])("clusters a whole-world view cell by cell without the listings left out (%s°).", async (cell) => {
      const want = new Map<string, number>();
      for (const r of stored.filter((x) => !hidden.has(x.initiative.id))) {
        const { lat, lon } = indexFields(r);
        if (lat === undefined) continue;
        // Kept 1° cells, grouped as the adapters group them.
        const k =
          `${Math.floor((Math.min(179, Math.floor(lat + 90)) - 90) / cell)} ` +
          `${Math.floor((Math.min(359, Math.floor(lon! + 180)) - 180) / cell)}`;
        want.set(k, (want.get(k) ?? 0) + 1);
      }
      const { clusters } = await store.search.clusters({ facets: {}, collapse: true }, cell, 1000);
      expect(clusters.map((c) => c.count).sort((a, b) => a - b)).toEqual([...want.values()].sort((a, b) => a - b));
    });

    it.each([0.0713, 0])("clusters words within a box without the listings left out (cell %s°).", async (cell) => {
      const f: SearchFilter = {
        words: ["cooperative"],
        bbox: { minLon: -3, minLat: 43, maxLon: 5, maxLat: 54 },
        facets: {},
      };
      const points = stored.filter(
        (r) => matches(r, f) && !hidden.has(r.initiative.id) && indexFields(r).lat !== undefined,
      );
      const { clusters } = await store.search.clusters({ ...f, collapse: true }, cell, 1000);
      expect(clusters.reduce((n, c) => n + c.count, 0)).toBe(points.length);
      if (cell === 0) expect(clusters.map((c) => c.id).sort()).toEqual(points.map((p) => p.initiative.id).sort());
    });

    it("answers from kept counts change as soon as a group does (what is left out is not kept stale).", async () => {
      const all: SearchFilter = { facets: {}, collapse: true };
      const shown = expected({ facets: {} }).length;
      const located = async () =>
        (await store.search.clusters(all, 45, 1000)).clusters.reduce((n, c) => n + c.count, 0);
      const before = { count: await store.search.count(all), total: (await store.search.facets(all)).total };
      const points = await located();
      expect(before).toEqual({ count: shown, total: shown });
      // Records 0 and 4 (both located) become one organisation, 0 shown: one listing fewer everywhere.
      expect(indexFields(stored.find((r) => r.initiative.id === id(4))!).lat).toBeDefined();
      await store.duplicates.setGroup([id(0), id(4)], id(0));
      expect(await store.search.count(all)).toBe(shown - 1);
      expect((await store.search.facets(all)).total).toBe(shown - 1);
      expect(await located()).toBe(points - 1);
      await store.duplicates.setGroup([id(0)], undefined);
      await store.duplicates.setGroup([id(4)], undefined);
      expect(await store.search.count(all)).toBe(shown);
      expect((await store.search.facets(all)).total).toBe(shown);
      expect(await located()).toBe(points);
    });

    it("tells each member its whole group, and a group undone leaves its members in none.", async () => {
      const groups = await store.duplicates.groupsOf([id(3), id(151), id(0)]);
      expect(groups.get(id(3))).toEqual([id(2), id(3), id(5)].sort());
      expect(groups.get(id(151))).toEqual([id(1), id(151)].sort());
      expect(groups.has(id(0))).toBe(false);
      await store.duplicates.setGroup([id(8)], undefined);
      await store.duplicates.setGroup(["https://gone.example/initiatives/x"], undefined);
      expect((await store.duplicates.groupsOf([id(8)])).size).toBe(0);
    });
  });
}
