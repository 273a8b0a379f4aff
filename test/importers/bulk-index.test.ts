/**
 * A bulk import builds the index of what it wrote when it ends (ADR 35): the import returns with the
 * search index up to date, and searches find exactly what an index built afterwards by the
 * catch-up finds (words, facets, places), after updates and re-imports too.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import { loadConfig } from "../../src/config.ts";
import { compose, type Instance } from "../../src/compose.ts";
import { V4_COLUMNS } from "../../src/importers/csv/columns.ts";
import { bufferSource, importSource } from "../../src/importers/import.ts";
import type { SearchFilter } from "../../src/store/search.ts";
import type { SqliteStore } from "../../src/store/sqlite/store.sqlite.ts";
import { csvLine, generateRow, rng } from "../../bench/generate.ts";

const N = 2300;
const dir = mkdtempSync(join(tmpdir(), "essfed-bulk-index-"));
let bulk: Instance;
let later: Instance;

const csv = (rename?: (k: number) => string | undefined) => {
  const r = rng(7);
  const lines = Array.from({ length: N }, (_, k) => {
    const g = generateRow(k, r);
    return csvLine({ ...g, name: rename?.(k) ?? g.name }, k);
  });
  return [V4_COLUMNS.join(","), ...lines].join("\n") + "\n";
};
const open = (name: string) =>
  compose(loadConfig({ ESSFED_DATA: join(dir, name), ESSFED_LOG_LEVEL: "error", ESSFED_URL: "https://here.example" }));
const sqlite = (i: Instance) => i.store as unknown as SqliteStore;
const meta = (i: Instance, key: string) =>
  (sqlite(i).db.prepare("SELECT value FROM meta WHERE key = ?").get(key) as { value: number }).value;

/** The same import, written with indexing deferred to the catch-up (the path before batch indexing). */
async function importThenCatchUp(i: Instance, text: string) {
  const release = i.store.deferIndexing!();
  try {
    await importSource(bufferSource("x.csv", text), i.directory, i.iris, { format: "csv" });
  } finally {
    release();
  }
  await i.store.search.catchUp();
}

const FILTERS: SearchFilter[] = [
  { facets: {} },
  { words: ["green"], facets: {} },
  { words: ["bre"], facets: {} },
  { words: ["renamed"], facets: {} },
  { bbox: { minLat: 45, maxLat: 52, minLon: -2, maxLon: 8 }, facets: {} },
];

async function answers(i: Instance) {
  // The most common country and activity, as the facet counts name them.
  const { counts } = await i.store.search.facets({ facets: {} });
  const facetFilters: SearchFilter[] = [
    { facets: { country: [counts.country[0]!.value] } },
    { words: ["valley"], facets: { activity: [counts.activity[0]!.value] } },
  ];
  return Promise.all(
    [...FILTERS, ...facetFilters].map(async (f) => ({
      count: await i.store.search.count(f),
      facets: await i.store.search.facets(f),
      clusters: await i.store.search.clusters(f, 1, 50),
      first: (await i.store.search.search(f, 20)).items.map((r) => r.initiative.id),
    })),
  );
}

beforeAll(async () => {
  [bulk, later] = await Promise.all([open("bulk"), open("later")]);
});
afterAll(async () => {
  await Promise.all([bulk?.close(), later?.close()]);
  rmSync(dir, { recursive: true, force: true });
});

describe("Indexing an import batch by batch", () => {
  it("returns with the index up to date, finding what an index built afterwards finds.", async () => {
    const report = await importSource(bufferSource("x.csv", csv()), bulk.directory, bulk.iris, {
      format: "csv",
      batchSize: 500,
    });
    expect(report.created).toBe(N);
    // Nothing left for the catch-up: the import built the index of what it wrote.
    expect(meta(bulk, "indexed_seq")).toBe(meta(bulk, "seq"));
    await importThenCatchUp(later, csv());
    expect(await answers(bulk)).toEqual(await answers(later));
  });

  it("reindexes updated records and leaves a re-import of the same file without a change.", async () => {
    const renamed = csv((k) => (k % 10 === 0 ? `Renamed ${k}` : undefined));
    const again = await importSource(bufferSource("x.csv", renamed), bulk.directory, bulk.iris, { format: "csv" });
    expect(again.updated).toBe(N / 10);
    expect(meta(bulk, "indexed_seq")).toBe(meta(bulk, "seq"));
    await importThenCatchUp(later, renamed);
    expect(await bulk.store.search.count({ words: ["renamed"], facets: {} })).toBe(N / 10);
    expect(await answers(bulk)).toEqual(await answers(later));
    const seq = meta(bulk, "seq");
    const same = await importSource(bufferSource("x.csv", renamed), bulk.directory, bulk.iris, { format: "csv" });
    expect(same.unchanged).toBe(N);
    expect(meta(bulk, "seq")).toBe(seq);
  });

  it("catches up first when the index was behind, then indexes the import's batches.", async () => {
    const release = bulk.store.deferIndexing!();
    try {
      await bulk.directory.delete(bulk.iris.initiative("G1"));
    } finally {
      release();
    }
    expect(meta(bulk, "indexed_seq")).toBeLessThan(meta(bulk, "seq"));
    const report = await importSource(bufferSource("x.csv", csv()), bulk.directory, bulk.iris, { format: "csv" });
    // Record G1 comes back, the renamed ones get their names back.
    expect(report.created).toBe(1);
    expect(meta(bulk, "indexed_seq")).toBe(meta(bulk, "seq"));
    expect(await bulk.store.search.count({ words: ["renamed"], facets: {} })).toBe(0);
    await importThenCatchUp(later, csv());
    expect(await answers(bulk)).toEqual(await answers(later));
  });
});
