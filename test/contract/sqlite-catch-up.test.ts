import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import { emptyInitiative, type InitiativeRecord } from "../../src/domain/initiative.ts";
import { versionOf } from "../../src/domain/version.ts";
import { SqliteStore } from "../../src/store/sqlite/store.sqlite.ts";

/** A catch-up longer than one batch (a bulk import's): several transactions, a wider page cache while it lasts. */
describe("SqliteStore catch-up over many batches", () => {
  const S = "https://lod.coop/essglobal/2.1/standard/countries-iso/";
  const N = 5200;
  let dir: string;
  let store: SqliteStore;
  const record = (n: number, country: string, name = `bakery ${n}`): InitiativeRecord => {
    const initiative = {
      ...emptyInitiative(`https://here.example/initiatives/b${n}`, name),
      country: `${S}${country}`,
    };
    return {
      initiative,
      published: "2026-01-01T00:00:00Z",
      updated: "2026-01-02T00:00:00Z",
      version: versionOf(initiative),
    };
  };

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), "essfed-catch-up-"));
    store = new SqliteStore(join(dir, "essfed.sqlite"));
    await store.initialize();
  });
  afterAll(async () => {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it("indexes every change in order, deletions and renames included, and gives the page cache back.", async () => {
    const release = store.deferIndexing();
    try {
      for (let k = 0; k < N; k += 1000) {
        await store.putInitiatives(
          Array.from({ length: Math.min(1000, N - k) }, (_, j) => record(k + j, (k + j) % 3 ? "GB" : "FR")),
        );
      }
      // Changes after the first batch's worth: a rename and a deletion the catch-up must apply in order.
      await store.putInitiatives([{ ...record(7, "ES", "garage 7"), updated: "2026-01-03T00:00:00Z" }]);
      await store.deleteInitiative({ id: record(8, "GB").initiative.id, deleted: "2026-01-03T00:00:00Z" });
    } finally {
      release();
    }
    const cacheBefore = (store.db.prepare("PRAGMA cache_size").get() as { cache_size: number }).cache_size;
    await store.search.catchUp();
    expect((store.db.prepare("PRAGMA cache_size").get() as { cache_size: number }).cache_size).toBe(cacheBefore);
    expect(await store.search.count({ words: ["bakery"], facets: {} })).toBe(N - 2);
    expect(await store.search.count({ words: ["garage"], facets: {} })).toBe(1);
    const counts = Object.fromEntries(
      (await store.search.facets({ facets: {} })).counts.country.map((v) => [v.value.slice(S.length), v.count]),
    );
    // Records 0, 3, 6, … are French; 7 moved to Spain, 8 (British) was deleted.
    const fr = Math.ceil(N / 3);
    expect(counts).toEqual({ FR: fr, GB: N - fr - 2, ES: 1 });
    const indexed = (store.db.prepare("SELECT value FROM meta WHERE key = 'indexed_seq'").get() as { value: number })
      .value;
    expect(indexed).toBe(await store.changeNumber());
  });
});
