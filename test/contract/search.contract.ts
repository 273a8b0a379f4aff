/**
 * The search contract, run against every store: each filter and combinations of them give exactly
 * the records a plain JavaScript filter over the same data picks (computed here, independently of
 * both adapters), newest change first, through every page; facet counts and clusters likewise.
 */
import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import type { InitiativeRecord } from "../../src/domain/initiative.ts";
import { versionOf } from "../../src/domain/version.ts";
import {
  LOCAL_SOURCE,
  distanceKm,
  indexFields,
  wordsOf,
  type FacetName,
  type SearchFilter,
} from "../../src/store/search.ts";
import type { Store, StoredInitiative } from "../../src/store/store.ts";

const S = "https://lod.coop/essglobal/2.1/standard/";
const OS = ["OS60", "OS70", "OS115", "OS130"].map((c) => `${S}organisational-structure/${c}`);
const ICA = ["ICA10", "ICA120", "ICA210", "ICA240", "ICA280"].map((c) => `${S}activities-ica/${c}`);
const Q = ["q01", "q05", "Organic"].map((c) => `${S}qualifiers/${c}`);
const COUNTRY = ["GB", "FR", "ES", "AR"].map((c) => `${S}countries-iso/${c}`);
/** A country no record of the fixture has: no store has a facet row (or number) for it. */
const NOWHERE = `${S}countries-iso/ZZ`;
const BMT = ["BMT10", "BMT30"].map((c) => `${S}base-membership-type/${c}`);
const WORDS = ["bakery", "energy", "housing", "bicycle", "printing", "garden", "credit", "repair"];
const TOWNS = [
  ["Leeds", 53.8, -1.55],
  ["Lyon", 45.76, 4.84],
  ["Bilbao", 43.26, -2.93],
  ["Rosario", -32.94, -60.65],
  ["Paris", 48.86, 2.35],
] as const;
export const REGIONAL = "https://regional.example/actors/network";

/** 300 records with every facet, coordinates (or none), words and sources spread about. */
export function fixture(): InitiativeRecord[] {
  const out: InitiativeRecord[] = [];
  for (let k = 0; k < 300; k++) {
    const [town, lat, lon] = TOWNS[k % TOWNS.length]!;
    const initiative = {
      id: `https://${k % 7 === 0 ? "regional.example" : "here.example"}/initiatives/s${k}`,
      name: `${WORDS[k % WORDS.length]} cooperative ${k}`,
      description: `A ${WORDS[(k * 3) % WORDS.length]} project in ${town}`,
      organisationalStructure: k % 9 === 0 ? [OS[0]!, OS[2]!] : [OS[k % OS.length]!],
      legalForm: [],
      ...(k % 4 ? { primaryActivity: ICA[k % ICA.length]! } : {}),
      activities: k % 3 === 0 ? [ICA[(k + 1) % ICA.length]!] : [],
      qualifiers: k % 5 === 0 ? [Q[k % Q.length]!] : [],
      ...(k % 6 ? { baseMembershipType: BMT[k % 2]! } : {}),
      country: COUNTRY[k % COUNTRY.length]!,
      ...(k % 10 === 9 ? {} : { address: { locality: town, lat: lat + (k % 13) / 100, long: lon - (k % 11) / 100 } }),
      sameAs: [],
    };
    const updated = new Date(Date.UTC(2026, 0, 1) + k * 3600_000).toISOString();
    out.push({
      initiative,
      published: updated,
      updated,
      version: versionOf(initiative),
      ...(k % 7 === 0 ? { provenance: { origin: REGIONAL, via: [], receivedAt: updated } } : {}),
    });
  }
  return out;
}

/** The reference: does a record match a filter? */
export function matches(r: InitiativeRecord, f: SearchFilter): boolean {
  const x = indexFields(r);
  if (f.words?.length) {
    const tokens = wordsOf(`${x.name} ${x.description}`);
    if (!f.words.every((w) => tokens.some((t) => (f.wholeWords ? t === w : t.startsWith(w))))) return false;
  }
  for (const [name, values] of Object.entries(f.facets) as [FacetName, string[]][]) {
    if (values?.length && !x.facets.some((v) => v.name === name && values.includes(v.value))) return false;
  }
  if (
    f.bbox &&
    (x.lat === undefined ||
      x.lat < f.bbox.minLat ||
      x.lat > f.bbox.maxLat ||
      x.lon! < f.bbox.minLon ||
      x.lon! > f.bbox.maxLon)
  )
    return false;
  if (f.near && (x.lat === undefined || distanceKm(f.near.lat, f.near.lon, x.lat, x.lon!) > f.near.radiusKm))
    return false;
  if (f.updatedSince !== undefined && x.updated < f.updatedSince) return false;
  if (f.located !== undefined && (x.lat !== undefined) !== f.located) return false;
  return true;
}

export function describeSearchContract(
  name: string,
  make: () => Promise<Store>,
  cleanup: (s: Store) => Promise<void>,
): void {
  describe(`Search on a ${name}`, () => {
    let store: Store;
    let stored: StoredInitiative[];
    beforeAll(async () => {
      store = await make();
      const records = fixture();
      for (let k = 0; k < records.length; k += 50) await store.putInitiatives(records.slice(k, k + 50));
      // Some changes after the fact: a renamed record (new change number) and a deleted one.
      const renamed = { ...records[3]!.initiative, name: "printing renamed cooperative" };
      await store.putInitiatives([
        { ...records[3]!, initiative: renamed, updated: "2026-12-01T00:00:00.000Z", version: versionOf(renamed) },
      ]);
      await store.deleteInitiative({ id: records[4]!.initiative.id, deleted: "2026-12-02T00:00:00.000Z" });
      stored = [];
      for (let cursor: string | undefined, first = true; first || cursor; first = false) {
        const page = await store.listInitiatives({ limit: 1000, ...(cursor ? { cursor } : {}) });
        stored.push(...page.items);
        cursor = page.next;
      }
    });
    afterAll(async () => {
      await cleanup(store);
    });

    async function all(f: SearchFilter, limit: number): Promise<string[]> {
      const ids: string[] = [];
      let cursor: string | undefined;
      for (let pages = 0; pages < 100; pages++) {
        const page = await store.search.search(f, limit, cursor);
        expect(page.items.length).toBeLessThanOrEqual(limit);
        ids.push(...page.items.map((i) => i.initiative.id));
        if (!page.next) break;
        cursor = page.next;
      }
      return ids;
    }
    const expected = (f: SearchFilter) => stored.filter((r) => matches(r, f)).map((r) => r.initiative.id);

    const cases: [string, SearchFilter][] = [
      ["everything", { facets: {} }],
      ["one word", { words: ["bakery"], facets: {} }],
      ["a word prefix", { words: ["bicyc"], facets: {} }],
      ["two words (both required)", { words: ["energy", "leeds"], facets: {} }],
      ["a word nothing has", { words: ["zeppelin"], facets: {} }],
      ["whole words only", { words: ["bakery", "16"], wholeWords: true, facets: {} }],
      ["a bounding box", { bbox: { minLon: -3, minLat: 43, maxLon: 5, maxLat: 46 }, facets: {} }],
      ["near a point", { near: { lat: 53.8, lon: -1.55, radiusKm: 8 }, facets: {} }],
      ["a structure", { facets: { structure: [OS[0]!] } }],
      ["two structures (either)", { facets: { structure: [OS[1]!, OS[2]!] } }],
      ["an activity (primary or other)", { facets: { activity: [ICA[1]!] } }],
      ["membership", { facets: { membership: [BMT[0]!] } }],
      ["a qualifier", { facets: { qualifier: [Q[0]!] } }],
      ["a country", { facets: { country: [COUNTRY[1]!] } }],
      ["a country no record has", { facets: { country: [NOWHERE] } }],
      [
        "a country or one no record has, and a structure",
        { facets: { country: [NOWHERE, COUNTRY[1]!], structure: [OS[0]!, OS[1]!] } },
      ],
      ["this instance's own", { facets: { source: [LOCAL_SOURCE] } }],
      ["a source network", { facets: { source: [REGIONAL] } }],
      ["changed since", { updatedSince: Date.UTC(2026, 0, 10), facets: {} }],
      [
        "words and a box",
        { words: ["project"], bbox: { minLon: -70, minLat: -40, maxLon: 0, maxLat: 50 }, facets: {} },
      ],
      [
        "a box and a facet",
        { bbox: { minLon: -10, minLat: 40, maxLon: 10, maxLat: 60 }, facets: { structure: [OS[0]!] } },
      ],
      [
        "words, facets and a source",
        {
          words: ["cooperative"],
          facets: { country: [COUNTRY[0]!, COUNTRY[2]!], source: [LOCAL_SOURCE], activity: [ICA[2]!, ICA[4]!] },
        },
      ],
      ["without coordinates", { located: false, facets: {} }],
      [
        "without coordinates, with words and a facet",
        { located: false, words: ["cooperative"], facets: { structure: [OS[1]!] } },
      ],
      ["with coordinates and a country", { located: true, facets: { country: [COUNTRY[1]!] } }],
      [
        "everything at once",
        {
          words: ["project"],
          bbox: { minLon: -5, minLat: 40, maxLon: 10, maxLat: 55 },
          near: { lat: 45.76, lon: 4.84, radiusKm: 50 },
          facets: { structure: [OS[1]!, OS[0]!] },
          updatedSince: Date.UTC(2026, 0, 3),
        },
      ],
    ];

    it.each(cases)("finds exactly what the filter says, newest change first, over every page (%s).", async (n, f) => {
      const want = expected(f);
      // The fixture is built so that every case but two has something to find.
      expect(want.length > 0).toBe(n !== "a word nothing has" && n !== "a country no record has");
      expect(await all(f, 7)).toEqual(want);
      expect(await store.search.count(f)).toBe(want.length);
    });

    it("reflects a change at once: a renamed record under its new name, a deleted one nowhere.", async () => {
      expect(await all({ words: ["renamed"], facets: {} }, 10)).toEqual([fixture()[3]!.initiative.id]);
      expect(await all({ words: ["cooperative", "4"], facets: {} }, 100)).not.toContain(fixture()[4]!.initiative.id);
    });

    it.each(cases.filter((_c, n) => [0, 1, 5, 12, 17, 18, 20].includes(n)))(
      "counts facet values as the records have them (%s).",
      async (_n, f) => {
        const want = new Map<string, number>();
        for (const r of stored.filter((x) => matches(x, f)))
          for (const v of indexFields(r).facets)
            want.set(`${v.name} ${v.value}`, (want.get(`${v.name} ${v.value}`) ?? 0) + 1);
        const got = new Map<string, number>();
        const { counts, total, approximate } = await store.search.facets(f);
        for (const [facet, values] of Object.entries(counts))
          for (const v of values) got.set(`${facet} ${v.value}`, v.count);
        expect(got).toEqual(want);
        expect({ total, approximate }).toEqual({
          total: stored.filter((x) => matches(x, f)).length,
          approximate: false,
        });
      },
    );

    it("groups matching points into clusters that add up, and lists single points with their name.", async () => {
      const f: SearchFilter = { words: ["cooperative"], facets: {} };
      const withPoints = stored.filter((r) => matches(r, f) && indexFields(r).lat !== undefined);
      const { clusters, approximate } = await store.search.clusters(f, 5, 1000);
      expect(approximate).toBe(false);
      expect(clusters.reduce((n, c) => n + c.count, 0)).toBe(withPoints.length);
      const { clusters: world } = await store.search.clusters({ facets: {} }, 10, 1000);
      expect(world.reduce((n, c) => n + c.count, 0)).toBe(
        stored.filter((r) => indexFields(r).lat !== undefined).length,
      );
      const { clusters: points } = await store.search.clusters(
        { ...f, near: { lat: 53.8, lon: -1.55, radiusKm: 3 } },
        0,
        1000,
      );
      expect(points.length).toBeGreaterThan(0);
      for (const p of points)
        expect(p).toEqual(
          expect.objectContaining({ count: 1, id: expect.any(String), name: expect.stringContaining("cooperative") }),
        );
    });

    it.each([0.0713, 0])(
      "clusters words within a box cell by cell as the records have them (cell %s°).",
      async (cell) => {
        const f: SearchFilter = {
          words: ["bakery"],
          bbox: { minLon: -3, minLat: 43, maxLon: 5, maxLat: 54 },
          facets: {},
        };
        const points = stored
          .filter((r) => matches(r, f))
          .map((r) => ({ id: r.initiative.id, ...indexFields(r) }))
          .filter((p) => p.lat !== undefined);
        expect(points.length).toBeGreaterThan(10);
        const { clusters: got, approximate } = await store.search.clusters(f, cell, 1000);
        expect(approximate).toBe(false);
        if (cell === 0) {
          expect(got.map((c) => c.id).sort()).toEqual(points.map((p) => p.id).sort());
          for (const c of got)
            expect(c).toEqual(
              expect.objectContaining({
                count: 1,
                lat: indexFields(stored.find((r) => r.initiative.id === c.id)!).lat,
              }),
            );
          return;
        }
        const want = new Map<string, number>();
        for (const p of points)
          want.set(
            `${Math.floor(p.lat! / cell)} ${Math.floor(p.lon! / cell)}`,
            (want.get(`${Math.floor(p.lat! / cell)} ${Math.floor(p.lon! / cell)}`) ?? 0) + 1,
          );
        expect(got.map((c) => c.count).sort((a, b) => a - b)).toEqual([...want.values()].sort((a, b) => a - b));
        for (const c of got) expect(want.get(`${Math.floor(c.lat / cell)} ${Math.floor(c.lon / cell)}`)).toBe(c.count);
      },
    );
  });
}
