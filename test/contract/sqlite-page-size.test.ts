/**
 * A new SQLite store gets 16 KiB pages (ADR 41); a file made with SQLite's default 4 KiB pages keeps
 * them and works as before.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { DatabaseSync } from "node:sqlite";
import { afterEach, describe, expect, it } from "@jest/globals";
import { emptyInitiative, type InitiativeRecord } from "../../src/domain/initiative.ts";
import { versionOf } from "../../src/domain/version.ts";
import { PAGE_SIZE } from "../../src/store/sqlite/database.ts";
import { SqliteStore } from "../../src/store/sqlite/store.sqlite.ts";

const record = (n: number): InitiativeRecord => {
  const initiative = emptyInitiative(`https://here.example/initiatives/p${n}`, `bakery ${n}`);
  return {
    initiative,
    published: "2026-01-01T00:00:00Z",
    updated: "2026-01-01T00:00:00Z",
    version: versionOf(initiative),
  };
};
const pageSize = (file: string) => {
  const db = new DatabaseSync(file, { readOnly: true });
  try {
    return (db.prepare("PRAGMA page_size").get() as { page_size: number }).page_size;
  } finally {
    db.close();
  }
};

describe("SqliteStore page size", () => {
  let dir: string;
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it("gives a new file 16 KiB pages.", async () => {
    dir = mkdtempSync(join(tmpdir(), "essfed-page-"));
    const file = join(dir, "essfed.sqlite");
    const s = new SqliteStore(file);
    await s.initialize();
    await s.putInitiatives([record(1)]);
    await s.close();
    expect(PAGE_SIZE).toBe(16384);
    expect(pageSize(file)).toBe(16384);
  });

  it("keeps a 4 KiB file's pages, migrates it and reads and searches what it holds.", async () => {
    dir = mkdtempSync(join(tmpdir(), "essfed-page-"));
    const file = join(dir, "essfed.sqlite");
    const old = new DatabaseSync(file);
    old.exec("PRAGMA page_size = 4096; PRAGMA journal_mode = WAL; CREATE TABLE before_essfed (x INTEGER) STRICT;");
    old.close();
    const s = new SqliteStore(file);
    await s.initialize();
    await s.putInitiatives(Array.from({ length: 300 }, (_, n) => record(n)));
    await s.close();
    const again = new SqliteStore(file);
    await again.initialize();
    try {
      expect((await again.getInitiative(record(7).initiative.id))?.initiative.name).toBe("bakery 7");
      expect(await again.countInitiatives()).toBe(300);
      expect(await again.search.count({ words: ["bakery"], facets: {} })).toBe(300);
      expect(
        (await again.search.search({ words: ["7"], wholeWords: true, facets: {} }, 5)).items.map(
          (r) => r.initiative.name,
        ),
      ).toEqual(["bakery 7"]);
    } finally {
      await again.close();
    }
    expect(pageSize(file)).toBe(4096);
  });
});
