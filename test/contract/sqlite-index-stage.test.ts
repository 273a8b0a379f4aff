/**
 * A bulk import's search index, built set-wise when it ends (ADR 35), holds exactly what the
 * catch-up builds from the same records: every index table is compared with the tables the
 * catch-up rebuilds from scratch on the same file. Whatever would break that (a change number
 * taken by another connection between two batches, another process's catch-up, a record written
 * twice, a crash before the build) leaves the import's changes to the catch-up, with the same result.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "@jest/globals";
import { loadConfig } from "../../src/config.ts";
import { compose, type Instance } from "../../src/compose.ts";
import { emptyInitiative, type InitiativeRecord } from "../../src/domain/initiative.ts";
import { versionOf } from "../../src/domain/version.ts";
import { V4_COLUMNS } from "../../src/importers/csv/columns.ts";
import { bufferSource, importFile, importSource } from "../../src/importers/import.ts";
import { ignoredFailures } from "../../src/logging.ts";
import type { PutOutcome } from "../../src/domain/puts.ts";
import type { OutboxWrite } from "../../src/store/records.ts";
import { SqliteStore } from "../../src/store/sqlite/store.sqlite.ts";
import { csvLine, generateRow, rng } from "../../bench/generate.ts";

const dir = mkdtempSync(join(tmpdir(), "essfed-index-stage-"));
const open: Instance[] = [];
afterAll(async () => {
  await Promise.all(open.map((i) => i.close()));
  rmSync(dir, { recursive: true, force: true });
});
let n = 0;
async function instance(): Promise<Instance> {
  const i = await compose(
    loadConfig({ ESSFED_DATA: join(dir, `i${n++}`), ESSFED_LOG_LEVEL: "error", ESSFED_URL: "https://here.example" }),
  );
  open.push(i);
  return i;
}
const sqlite = (i: Instance) => i.store as unknown as SqliteStore;
const meta = (s: SqliteStore, key: string) =>
  (s.db.prepare("SELECT value FROM meta WHERE key = ?").get(key) as { value: number }).value;

/** Every index table, in key order (counts that went to zero are as good as absent). */
function tables(s: SqliteStore) {
  const all = (sql: string) => s.db.prepare(sql).all();
  return {
    search: all("SELECT * FROM search ORDER BY seq"),
    facet: all("SELECT v.name, v.value, f.seq FROM facet f JOIN facet_value v ON v.id = f.vid ORDER BY 1, 2, 3"),
    facetList: all("SELECT * FROM facet_list ORDER BY seq"),
    facetCount: all("SELECT * FROM facet_count WHERE n != 0 ORDER BY name, value"),
    geoCell: all("SELECT * FROM geo_cell WHERE n != 0 ORDER BY lat_idx, lon_idx"),
    geo: all("SELECT * FROM search_geo ORDER BY seq"),
    words: all("SELECT term, doc, cnt FROM search_vocab ORDER BY term"),
    indexed: meta(s, "indexed_seq"),
  };
}

/** The index tables as the catch-up builds them from every stored record, on the same file. */
async function rebuilt(s: SqliteStore) {
  s.db.exec(`DELETE FROM search; DELETE FROM facet; DELETE FROM facet_list; DELETE FROM facet_count;
    DELETE FROM geo_cell; DELETE FROM search_geo; INSERT INTO search_fts (search_fts) VALUES ('delete-all');
    UPDATE meta SET value = 0 WHERE key = 'indexed_seq'`);
  await s.search.catchUp();
  return tables(s);
}

/** The index after the import (and the catch-up `essfed import` runs), then the same rebuilt. */
async function bothWays(s: SqliteStore) {
  // A build that meets what it should have seen coming fails on the index's constraints: none did.
  expect(ignoredFailures().get("sqlite-index-stage")).toBeUndefined();
  await s.search.catchUp();
  const after = tables(s);
  expect(after.indexed).toBe(meta(s, "seq"));
  expect(after.search.length).toBeGreaterThan(0);
  expect(after).toEqual(await rebuilt(s));
}

const csv = (rows: number, rename?: (k: number) => string | undefined) => {
  const r = rng(11);
  const lines = Array.from({ length: rows }, (_, k) => {
    const g = generateRow(k, r);
    return csvLine({ ...g, name: rename?.(k) ?? g.name }, k);
  });
  return [V4_COLUMNS.join(","), ...lines].join("\n") + "\n";
};

describe("A bulk import's index built set-wise", () => {
  it("holds what the catch-up builds, for the worker co-ops CSV.", async () => {
    const i = await instance();
    const file = join(import.meta.dirname, "..", "fixtures", "csv", "workers-coops-uk-2023-06-23-standard.csv");
    const report = await importFile(file, i.directory, i.iris, { format: "csv", batchSize: 100 });
    expect(report.created).toBeGreaterThan(300);
    // Built when the import returned, without the catch-up.
    expect(meta(sqlite(i), "indexed_seq")).toBe(meta(sqlite(i), "seq"));
    await bothWays(sqlite(i));
  });

  it("holds what the catch-up builds for generated rows, and after updates of indexed records.", async () => {
    const i = await instance();
    await importSource(bufferSource("x.csv", csv(2500)), i.directory, i.iris, { format: "csv", batchSize: 300 });
    expect(meta(sqlite(i), "indexed_seq")).toBe(meta(sqlite(i), "seq"));
    await bothWays(sqlite(i));
    const renamed = csv(2500, (k) => (k % 7 === 0 ? `Renamed ${k}` : undefined));
    const again = await importSource(bufferSource("x.csv", renamed), i.directory, i.iris, { format: "csv" });
    expect(again.updated).toBe(358);
    expect(meta(sqlite(i), "indexed_seq")).toBe(meta(sqlite(i), "seq"));
    expect(await i.store.search.count({ words: ["renamed"], facets: {} })).toBe(358);
    await bothWays(sqlite(i));
  });

  it("holds what the catch-up builds when its counts were written several times during the import.", async () => {
    // The stage sums its facet and cell counts in memory and writes them every so many rows (10,000 by default; 120
    // here): after the third, fifth and eighth batch, then the rest at the end. The ranges end where they were written.
    const store = new SqliteStore(join(dir, "counted.sqlite"), { stageCountsEvery: 120 });
    await store.initialize();
    const release = store.bulkWrite();
    const countries = ["GB", "FR", "DE", "ES"].map((c) => `https://lod.coop/essglobal/2.1/standard/countries-iso/${c}`);
    for (let b = 0; b < 9; b++) {
      await store.putInitiatives(
        Array.from({ length: 50 - 2 * b }, (_, k) => {
          const r = record(`c${b}-${k}`);
          const initiative = {
            ...r.initiative,
            country: countries[(b + k) % 4]!,
            address: { lat: b * 7 + k, long: k },
          };
          return { ...r, initiative, version: versionOf(initiative) };
        }),
      );
    }
    release();
    expect(meta(store, "indexed_seq")).toBe(meta(store, "seq"));
    await bothWays(store);
    expect((await store.search.facets({ facets: {} })).counts.country).toHaveLength(4);
    await store.close();
  });

  it.each([
    ["with its counts still in memory", undefined],
    ["after writing its counts", 30],
  ])("leaves the import to the catch-up when its last batch was staged and then rolled back, %s.", async (_, every) => {
    const store = new SqliteStore(join(dir, `rolled-back-${every}.sqlite`), { stageCountsEvery: every });
    await store.initialize();
    const release = store.bulkWrite();
    await store.putInitiatives(Array.from({ length: 40 }, (_, k) => record(`r${k}`)));
    // The outbox's messages are worked out after the batch is staged, in the same transaction: it rolls back.
    const failing: OutboxWrite<PutOutcome[]> = {
      queue: "outbox",
      messages: () => {
        throw new Error("no room for the messages");
      },
    };
    await expect(
      store.putInitiatives(
        Array.from({ length: 30 }, (_, k) => record(`t${k}`, `tea ${k}`)),
        failing,
      ),
    ).rejects.toThrow("no room");
    release();
    expect(await store.search.count({ words: ["tea"], facets: {} })).toBe(0);
    await bothWays(store);
    expect(await store.search.count({ words: ["bakery"], facets: {} })).toBe(40);
    await store.close();
  });

  it("leaves no stale facet values in memory when facets were counted before the import and a write follows.", async () => {
    const i = await instance();
    await importSource(bufferSource("x.csv", csv(600)), i.directory, i.iris, { format: "csv" });
    const { counts } = await i.store.search.facets({ facets: {} });
    const filter = { facets: { country: [counts.country[0]!.value] } };
    // A filtered count loads the facet values in memory (FacetMemo).
    await i.store.search.facets(filter);
    await importSource(bufferSource("x.csv", csv(1200)), i.directory, i.iris, { format: "csv" });
    // A write the catch-up indexes, which tells the memo it is up to date with it.
    await i.store.putInitiatives([record("after")]);
    const fresh = new SqliteStore(join(dir, `i${n - 1}`, "essfed.sqlite"));
    expect(await i.store.search.facets(filter)).toEqual(await fresh.search.facets(filter));
    expect((await i.store.search.facets(filter)).counts.country[0]!.count).toBeGreaterThan(counts.country[0]!.count);
    fresh.db.close();
  });

  it("leaves the import to the catch-up when another connection writes between two batches.", async () => {
    const i = await instance();
    const other = new SqliteStore(join(dir, `i${n - 1}`, "essfed.sqlite"));
    let wrote = false;
    await importSource(bufferSource("x.csv", csv(1500)), i.directory, i.iris, {
      format: "csv",
      batchSize: 500,
      onProgress: () => {
        if (wrote) return;
        wrote = true;
        void other.putInitiatives([record("elsewhere")]);
      },
    });
    other.db.close();
    expect(await i.store.search.count({ words: ["elsewhere"], facets: {} })).toBe(1);
    await bothWays(sqlite(i));
  });

  it("leaves the import to the catch-up when another process's catch-up indexed part of it first.", async () => {
    const i = await instance();
    const other = new SqliteStore(join(dir, `i${n - 1}`, "essfed.sqlite"));
    let caughtUp = false;
    await importSource(bufferSource("x.csv", csv(1500)), i.directory, i.iris, {
      format: "csv",
      batchSize: 500,
      onProgress: () => {
        if (caughtUp) return;
        caughtUp = true;
        void other.search.catchUp();
      },
    });
    expect(meta(other, "indexed_seq")).toBeGreaterThan(0);
    other.db.close();
    await bothWays(sqlite(i));
  });

  it("leaves a record written twice in one bulk write, and a bulk write never built, to the catch-up.", async () => {
    const file = join(dir, "direct.sqlite");
    let store = new SqliteStore(file);
    await store.initialize();
    let release = store.bulkWrite();
    await store.putInitiatives(Array.from({ length: 50 }, (_, k) => record(`r${k}`)));
    await store.putInitiatives([record("r3", "renamed", "2026-01-05T00:00:00Z")]);
    release();
    await bothWays(store);
    // Written, never built (the process ends inside the bulk write): the stage is gone with the connection.
    release = store.bulkWrite();
    await store.putInitiatives(Array.from({ length: 50 }, (_, k) => record(`s${k}`)));
    await store.close();
    void release;
    store = new SqliteStore(file);
    await store.initialize();
    expect(meta(store, "indexed_seq")).toBeLessThan(meta(store, "seq"));
    await bothWays(store);
    expect(await store.search.count({ words: ["renamed"], facets: {} })).toBe(1);
    await store.close();
  });
});

function record(key: string, name = `bakery ${key}`, updated = "2026-01-02T00:00:00Z"): InitiativeRecord {
  const initiative = {
    ...emptyInitiative(`https://here.example/initiatives/${key}`, name),
    country: "https://lod.coop/essglobal/2.1/standard/countries-iso/GB",
    address: { lat: 51.5, long: -0.1 },
  };
  return { initiative, published: "2026-01-01T00:00:00Z", updated, version: versionOf(initiative) };
}
