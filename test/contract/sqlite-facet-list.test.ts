import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { DatabaseSync } from "node:sqlite";
import { afterEach, beforeEach, describe, expect, it } from "@jest/globals";
import { emptyInitiative, type InitiativeRecord } from "../../src/domain/initiative.ts";
import { versionOf } from "../../src/domain/version.ts";
import { LOCAL_SOURCE } from "../../src/store/search.ts";
import { SQLITE_MIGRATIONS } from "../../src/store/sqlite/migrations.ts";
import { SqliteStore } from "../../src/store/sqlite/store.sqlite.ts";

/**
 * A file indexed before facets were listed per record (version 10), or while the list held names and IRIs (version 20),
 * is upgraded and stays consistent.
 */
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
  const countries = async (store: SqliteStore, words?: string[]) =>
    (await store.search.facets({ words, facets: {} })).counts.country.map((c) => `${c.value.slice(-2)}:${c.count}`);

  /**
   * A file as version `version` left it: records 1 and 2 in GB and 3 in FR, indexed. `facets` runs once the schema is
   * there and gives what writes a record's facet rows, counts and list as that version did.
   */
  const oldFile = (version: number, facets: (old: DatabaseSync) => (seq: number, country: string) => void) => {
    const old = new DatabaseSync(file);
    for (const [v, sql] of SQLITE_MIGRATIONS.slice(0, version).entries()) {
      old.exec(sql);
      old.exec(`PRAGMA user_version = ${v + 1}`);
    }
    const write = facets(old);
    for (const [seq, country] of [
      [1, "GB"],
      [2, "GB"],
      [3, "FR"],
    ] as const) {
      const r = record(seq, country);
      old
        .prepare("INSERT INTO initiative (id, seq, version, updated, record) VALUES (?, ?, ?, ?, ?)")
        .run(r.initiative.id, seq, r.version, r.updated, JSON.stringify(r));
      old
        .prepare("INSERT INTO search (seq, id, name, updated) VALUES (?, ?, ?, ?)")
        .run(seq, r.initiative.id, r.initiative.name, Date.parse(r.updated));
      old.prepare("INSERT INTO search_fts (rowid, name, description) VALUES (?, ?, '')").run(seq, r.initiative.name);
      write(seq, country);
    }
    old.exec("UPDATE meta SET value = 3 WHERE key IN ('seq', 'indexed_seq', 'dup_seq')");
    old.close();
  };
  const counting = (old: DatabaseSync) =>
    old.prepare("INSERT INTO facet_count (name, value, n) VALUES (?, ?, 1) ON CONFLICT DO UPDATE SET n = n + 1");

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), "essfed-facet-list-"));
    file = join(dir, "essfed.sqlite");
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it("lists the facets of records indexed before the upgrade, so deleting one after it takes its facets away.", async () => {
    // A file as version 10 left it: facet rows found by change number through facet_seq.
    oldFile(10, (old) => {
      const facet = old.prepare("INSERT INTO facet (name, value, seq) VALUES (?, ?, ?)");
      const count = counting(old);
      return (seq, country) => {
        const facets: [string, string][] = [
          ["country", C + country],
          ["source", LOCAL_SOURCE],
        ];
        for (const [name, value] of facets) {
          facet.run(name, value, seq);
          count.run(name, value);
        }
      };
    });
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
        expect(
          db
            .prepare("SELECT count(*) AS n FROM facet JOIN facet_value v ON v.id = vid WHERE v.value LIKE ?")
            .get(`${C}%`),
        ).toEqual({ n: 2 });
        expect(db.prepare("SELECT count(*) AS n FROM facet_list").get()).toEqual({ n: 2 });
      } finally {
        db.close();
      }
    } finally {
      await store.close();
    }
  });

  it("turns the name and IRI pairs of a version 20 file's facet lists into the values' numbers, in the same order.", async () => {
    // A file as version 20 left it: each record lists its source before its country. France has no number yet (as if
    // its facet rows had been lost), so the upgrade numbers it.
    oldFile(20, (old) => {
      old.exec(
        `INSERT INTO facet_value (id, name, value) VALUES (1, 'country', '${C}GB'), (2, 'source', '${LOCAL_SOURCE}')`,
      );
      const vid = new Map([
        [`${C}GB`, 1],
        [LOCAL_SOURCE, 2],
      ]);
      const count = counting(old);
      return (seq, country) => {
        const facets: [string, string][] = [
          ["source", LOCAL_SOURCE],
          ["country", C + country],
        ];
        for (const [name, value] of facets) {
          const v = vid.get(value);
          if (v) old.prepare("INSERT INTO facet (vid, seq) VALUES (?, ?)").run(v, seq);
          count.run(name, value);
        }
        old.prepare("INSERT INTO facet_list (seq, list) VALUES (?, ?)").run(seq, JSON.stringify(facets));
      };
    });

    const store = new SqliteStore(file);
    await store.initialize();
    const db = new DatabaseSync(file, { readOnly: true });
    const lists = () =>
      (db.prepare("SELECT seq, list FROM facet_list ORDER BY seq").all() as { seq: number; list: string }[]).map(
        (r) => [r.seq, JSON.parse(r.list) as unknown],
      );
    try {
      const fr = (
        db.prepare("SELECT id FROM facet_value WHERE name = 'country' AND value = ?").get(`${C}FR`) as { id: number }
      ).id;
      expect(lists()).toEqual([
        [1, [2, 1]],
        [2, [2, 1]],
        [3, [2, fr]],
      ]);
      // Counted from the kept counts, then in memory from the lists.
      expect(await countries(store)).toEqual(["GB:2", "FR:1"]);
      expect(await countries(store, ["bakery"])).toEqual(["GB:2", "FR:1"]);

      await store.deleteInitiative({ id: record(1, "GB").initiative.id, deleted: "2026-02-01T00:00:00Z" });
      await store.putInitiatives([{ ...record(3, "DE"), updated: "2026-02-01T00:00:00Z" }]);
      await store.search.catchUp();
      expect(await countries(store)).toEqual(["DE:1", "GB:1"]);
      expect(await countries(store, ["bakery"])).toEqual(["DE:1", "GB:1"]);
      expect(await store.search.count({ facets: { country: [`${C}GB`] } })).toBe(1);
      const de = (
        db.prepare("SELECT id FROM facet_value WHERE name = 'country' AND value = ?").get(`${C}DE`) as { id: number }
      ).id;
      // Record 1 left the index with its facet rows; record 3 was indexed again under a new change number, its facets
      // in the order the indexer gives them (country first).
      expect(lists()).toEqual([
        [2, [2, 1]],
        [5, [de, 2]],
      ]);
      // Germany was numbered last.
      expect(db.prepare("SELECT vid, seq FROM facet ORDER BY vid, seq").all()).toEqual([
        { vid: 1, seq: 2 },
        { vid: 2, seq: 2 },
        { vid: 2, seq: 5 },
        { vid: de, seq: 5 },
      ]);
      expect(db.prepare("SELECT name, value, n FROM facet_count ORDER BY name, value").all()).toEqual([
        { name: "country", value: `${C}DE`, n: 1 },
        { name: "country", value: `${C}FR`, n: 0 },
        { name: "country", value: `${C}GB`, n: 1 },
        { name: "source", value: LOCAL_SOURCE, n: 2 },
      ]);
    } finally {
      db.close();
      await store.close();
    }
  });
});
