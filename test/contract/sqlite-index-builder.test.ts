/**
 * The text and map tables of an import into an empty store, built on a thread of their own and copied in at its end
 * (ADR 49): the store then finds what the catch-up would have indexed, its own connection goes on writing the index
 * as before, and when the copy cannot be made the catch-up redoes what the import built.
 */
import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readdirSync, rmSync, utimesSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it, jest } from "@jest/globals";
import { emptyInitiative, type InitiativeRecord } from "../../src/domain/initiative.ts";
import { versionOf } from "../../src/domain/version.ts";
import type { SearchFilter } from "../../src/store/search.ts";
import { IndexBuilder } from "../../src/store/sqlite/index-builder.ts";
import { catchUp } from "../../src/store/sqlite/indexer.sqlite.ts";
import { SqliteStore } from "../../src/store/sqlite/store.sqlite.ts";
import { QUIET_MS } from "../../src/store/sqlite/stale-scratch.ts";

const dirs: string[] = [];
const stores: SqliteStore[] = [];
afterEach(async () => {
  jest.restoreAllMocks();
  for (const s of stores.splice(0)) if (s.db.isOpen()) await s.close();
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

const WORDS = ["bakery", "housing", "energy", "credit", "farm", "textile", "repair", "childcare"];
const TOWNS = ["Leeds", "Lyon", "Porto", "Gent", "Bilbao"];

/** Record n: a name and description from a few words and towns, most with a place. */
function record(n: number, extra = ""): InitiativeRecord {
  const initiative = {
    ...emptyInitiative(`https://here.example/initiatives/c${n}`, `${WORDS[n % 8]} co-op ${n}`),
    description: `A ${WORDS[(n * 3) % 8]} co-operative in ${TOWNS[n % 5]}${extra}`,
    ...(n % 7 ? { address: { lat: 40 + (n % 97) / 10, long: -5 + (n % 89) / 10 } } : {}),
  };
  return {
    initiative,
    published: "2026-01-01T00:00:00Z",
    updated: "2026-01-01T00:00:00Z",
    version: versionOf(initiative),
  };
}

async function open(path?: string): Promise<{ store: SqliteStore; path: string }> {
  if (!path) {
    const dir = mkdtempSync(join(tmpdir(), "essfed-index-builder-"));
    dirs.push(dir);
    path = join(dir, "store.sqlite");
  }
  const store = new SqliteStore(path);
  stores.push(store);
  await store.initialize();
  return { store, path };
}

const N = 2400;

/** Imports records 0..N-1 as `essfed import` does (grouped, alone in its process), in batches of 300. */
async function imported(store: SqliteStore): Promise<void> {
  const release = store.bulkWrite({ grouped: true });
  try {
    for (let b = 0; b < N; b += 300) await store.putInitiatives(Array.from({ length: 300 }, (_, k) => record(b + k)));
  } finally {
    release();
  }
}

const QUERIES: SearchFilter[] = [
  ...WORDS.map((w) => ({ words: [w], facets: {} })),
  ...TOWNS.map((t) => ({ words: [t.toLowerCase()], facets: {} })),
  { words: ["bak", "leeds"], facets: {} },
  { words: ["co"], facets: {} },
  { bbox: { minLat: 41, maxLat: 43.5, minLon: -3, maxLon: 1 }, facets: {} },
  { bbox: { minLat: 40, maxLat: 50, minLon: -5, maxLon: 4 }, words: ["energy"], facets: {} },
  { located: false, facets: {} },
];

/**
 * What each query finds (its count and the first 50 identifiers), and what the two tables hold when asked directly
 * (a search may take another way, by the plain columns or the cells, when it expects that to be cheaper).
 */
async function answers(store: SqliteStore): Promise<unknown[]> {
  const out: unknown[] = [];
  for (const q of QUERIES) {
    const page = await store.search.search(q, 50);
    out.push([await store.search.count(q), page.items.map((r) => r.initiative.id)]);
  }
  const seqs = (sql: string, ...args: (string | number)[]) =>
    (store.db.prepare(sql).all(...args) as { seq: number }[]).map((r) => r.seq);
  for (const w of [...WORDS, "leeds", "co*", "ba*"])
    out.push(seqs("SELECT rowid AS seq FROM search_fts WHERE search_fts MATCH ? ORDER BY rowid", w));
  out.push(seqs("SELECT seq FROM search_geo WHERE min_lat >= 41 AND max_lat <= 43.5 AND min_lon >= -3 ORDER BY seq"));
  out.push(seqs("SELECT seq FROM search_geo ORDER BY seq"));
  return out;
}

/** FTS5's and the R*Tree's own checks of their tables, and the R*Tree's points against the located search rows. */
function checked(store: SqliteStore): unknown {
  store.db.exec("INSERT INTO search_fts (search_fts, rank) VALUES ('integrity-check', 0)");
  const geo = store.db.prepare("SELECT count(*) AS n FROM search_geo").get() as { n: number };
  const located = store.db.prepare("SELECT count(*) AS n FROM search WHERE lat IS NOT NULL").get() as { n: number };
  return { ...(store.db.prepare("SELECT rtreecheck('search_geo') AS r").get() as object), points: geo.n - located.n };
}

/** The index as the catch-up builds it, record by record, from the same writes made one at a time. */
async function reference(): Promise<unknown[]> {
  const { store } = await open();
  for (let b = 0; b < N; b += 300) await store.putInitiatives(Array.from({ length: 300 }, (_, k) => record(b + k)));
  await store.search.catchUp();
  return answers(store);
}

describe("The text and map tables of an import built on a thread of their own", () => {
  it("find what the catch-up indexes, and the scratch file is gone.", async () => {
    const start = jest.spyOn(IndexBuilder, "start");
    const install = jest.spyOn(IndexBuilder.prototype, "install");
    const { store, path } = await open();
    await imported(store);
    expect(start).toHaveBeenCalledTimes(1);
    expect(install).toHaveReturnedWith(true);
    const meta = store.db.prepare("SELECT value FROM meta WHERE key = 'indexed_seq'").get() as { value: number };
    expect(meta.value).toBe(N);
    expect(await answers(store)).toEqual(await reference());
    expect(checked(store)).toEqual({ r: "ok", points: 0 });
    expect(readdirSync(join(path, "..")).filter((f) => f.includes(".index-"))).toEqual([]);
  });

  it("leave the store's own connection writing the index as before.", async () => {
    const { store } = await open();
    await imported(store);
    // The store's connection read FTS5's structure before the copy; writing through it must not lose what was copied.
    await store.putInitiatives([record(5, " now also a dairy"), record(N, " and a dairy")]);
    await store.deleteInitiative({ id: "https://here.example/initiatives/c6", deleted: "2026-02-01T00:00:00Z" });
    await store.search.catchUp();
    expect(await store.search.count({ words: ["dairy"], facets: {} })).toBe(2);
    expect(await store.search.count({ words: ["co"], facets: {} })).toBe(N);
    expect(checked(store)).toEqual({ r: "ok", points: 0 });
  });

  it("leave their ranges to the catch-up when the copy is not made, also after the store is opened again.", async () => {
    jest.spyOn(IndexBuilder.prototype, "install").mockImplementation(function (this: IndexBuilder) {
      this.abandon();
      return false;
    });
    const { store, path } = await open();
    await imported(store);
    // The search rows were written, the mark was not moved: as a crash before the copy leaves the file.
    expect(store.db.prepare("SELECT count(*) AS n FROM search").get()).toEqual({ n: N });
    expect(store.db.prepare("SELECT value FROM meta WHERE key = 'indexed_seq'").get()).toEqual({ value: 0 });
    await store.close();
    jest.restoreAllMocks();
    const again = (await open(path)).store;
    expect(await answers(again)).toEqual(await reference());
    expect(checked(again)).toEqual({ r: "ok", points: 0 });
    expect(readdirSync(join(path, "..")).filter((f) => f.includes(".index-"))).toEqual([]);
  });

  it("are not copied over an index another connection built meanwhile.", async () => {
    const { store, path } = await open();
    const other = (await open(path)).store;
    // Called below with the builder as `this`.
    // eslint-disable-next-line @typescript-eslint/unbound-method
    const original = IndexBuilder.prototype.install;
    const install = jest.spyOn(IndexBuilder.prototype, "install").mockImplementation(function (
      this: IndexBuilder,
      ...args: Parameters<IndexBuilder["install"]>
    ) {
      // Another process's search catches up between the import's last range and the copy.
      catchUp(other.db);
      return original.apply(this, args);
    });
    await imported(store);
    expect(install).toHaveReturnedWith(false);
    await store.search.catchUp();
    expect(await answers(store)).toEqual(await reference());
    expect(checked(store)).toEqual({ r: "ok", points: 0 });
  });

  it("leave nothing behind when the store closes during an import that never ended.", async () => {
    const { store, path } = await open();
    store.bulkWrite({ grouped: true });
    await store.putInitiatives(Array.from({ length: 300 }, (_, k) => record(k)));
    expect(readdirSync(join(path, "..")).filter((f) => f.includes(".index-"))).toHaveLength(1);
    await store.close();
    expect(readdirSync(join(path, "..")).filter((f) => f.includes(".index-"))).toEqual([]);
  });

  it("leave nothing of an import that was killed either: the next import removes its scratch folder.", async () => {
    const { store, path } = await open();
    // A process that has ended: its folders are an import's that no longer runs.
    const gone = spawnSync(process.execPath, ["-e", ""]).pid;
    const folder = (name: string, quietMs: number) => {
      const f = `${path}.index-${name}`;
      mkdirSync(f);
      writeFileSync(join(f, "stage.sqlite"), "staged rows");
      const at = (Date.now() - quietMs) / 1000;
      utimesSync(join(f, "stage.sqlite"), at, at);
      utimesSync(f, at, at);
      return f.slice(join(path, "..").length + 1);
    };
    const killed = folder(`${gone}-aaaaaa`, QUIET_MS + 60_000);
    const writing = folder(`${gone}-bbbbbb`, 1000);
    const running = folder(`${process.pid}-cccccc`, QUIET_MS + 60_000);
    const older = folder("dddddd", QUIET_MS + 60_000);
    await imported(store);
    const left = readdirSync(join(path, "..")).filter((f) => f.includes(".index-"));
    expect(left.sort()).toEqual([writing, running, older].sort());
    expect(left).not.toContain(killed);
  });
});
