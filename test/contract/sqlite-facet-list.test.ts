import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { DatabaseSync } from "node:sqlite";
import { afterEach, beforeEach, describe, expect, it } from "@jest/globals";
import { emptyInitiative, type InitiativeRecord } from "../../src/domain/initiative.ts";
import { versionOf } from "../../src/domain/version.ts";
import { SQLITE_MIGRATIONS } from "../../src/store/sqlite/migrations.ts";
import { SqliteStore } from "../../src/store/sqlite/store.sqlite.ts";

/** A file indexed before facets were listed per record (version 10) is upgraded and stays consistent. */
describe("SqliteStore: facets listed per record", () => {
  const C = "https://lod.coop/essglobal/2.1/standard/countries-iso/";
  let dir: string;
  let file: string;
  const record = (n: number, country: string): InitiativeRecord => {
    const initiative = {
      ...emptyInitiative(`https://here.example/initiatives/f${n}`, `bakery ${n}`),
      country: C + country,
    };
    return {
      initiative,
      published: "2026-01-01T00:00:00Z",
      updated: "2026-01-02T00:00:00Z",
      version: versionOf(initiative),
    };
  };
  const countries = async (store: SqliteStore) =>
    (await store.search.facets({ facets: {} })).counts.country.map((c) => `${c.value.slice(-2)}:${c.count}`);

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), "essfed-facet-list-"));
    file = join(dir, "essfed.sqlite");
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it("lists the facets of records indexed before the upgrade, so deleting one after it takes its facets away.", async () => {
    // Index three records with this version, then put the file back as version 10 left it.
    const first = new SqliteStore(file);
    await first.initialize();
    await first.putInitiatives([record(1, "GB"), record(2, "GB"), record(3, "FR")]);
    await first.search.catchUp();
    await first.close();
    const old = new DatabaseSync(file);
    old.exec(`CREATE INDEX facet_seq ON facet (seq, name, value); DROP TABLE facet_list; PRAGMA user_version = 10`);
    old.close();
    expect(SQLITE_MIGRATIONS.length).toBeGreaterThanOrEqual(11);

    const store = new SqliteStore(file);
    await store.initialize();
    try {
      expect(await countries(store)).toEqual(["GB:2", "FR:1"]);
      await store.deleteInitiative({ id: record(1, "GB").initiative.id, deleted: "2026-02-01T00:00:00Z" });
      await store.putInitiatives([{ ...record(3, "DE"), updated: "2026-02-01T00:00:00Z" }]);
      await store.search.catchUp();
      expect(await countries(store)).toEqual(["DE:1", "GB:1"]);
      const db = new DatabaseSync(file, { readOnly: true });
      try {
        expect(db.prepare("SELECT count(*) AS n FROM facet WHERE value LIKE ?").get(`${C}%`)).toEqual({ n: 2 });
        expect(db.prepare("SELECT count(*) AS n FROM facet_list").get()).toEqual({ n: 2 });
      } finally {
        db.close();
      }
    } finally {
      await store.close();
    }
  });
});
