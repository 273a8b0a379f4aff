/**
 * A bulk write that is alone in its process commits its transactions in groups (ADR 46): what a
 * group wrote reaches another connection only when the group commits (by age, by its timer, or at
 * the release); a transaction that fails inside a group is rolled back alone; and an import through
 * a group leaves the same records and index as one committed batch by batch.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { DatabaseSync } from "node:sqlite";
import { afterEach, beforeEach, describe, expect, it } from "@jest/globals";
import { emptyInitiative, type InitiativeRecord } from "../../src/domain/initiative.ts";
import { versionOf } from "../../src/domain/version.ts";
import { openSqlite, type SqliteDatabase } from "../../src/store/sqlite/database.ts";
import { SqliteStore } from "../../src/store/sqlite/store.sqlite.ts";

const record = (n: number): InitiativeRecord => {
  const initiative = emptyInitiative(`https://here.example/initiatives/g${n}`, `bakery ${n}`);
  const at = "2026-01-01T00:00:00Z";
  return { initiative, published: at, updated: at, version: versionOf(initiative) };
};
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe("Grouped transactions (SqliteDatabase.group)", () => {
  let dir: string;
  let db: SqliteDatabase;
  let other: DatabaseSync;
  const seen = () => (other.prepare("SELECT count(*) AS n FROM t").get() as { n: number }).n;
  const mine = () => (db.prepare("SELECT count(*) AS n FROM t").get() as { n: number }).n;
  const insert = (n: number) => db.transaction(() => db.prepare("INSERT INTO t (n) VALUES (?)").run(n));

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), "essfed-group-"));
    db = openSqlite(join(dir, "x.sqlite"));
    db.exec("CREATE TABLE t (n INTEGER PRIMARY KEY)");
    other = new DatabaseSync(join(dir, "x.sqlite"));
  });
  afterEach(() => {
    other.close();
    db.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it("commits a group when it is old enough, and the rest at the release.", () => {
    const release = db.group(200);
    insert(1);
    insert(2);
    // This connection reads its own group; another sees nothing before the group commits.
    expect(mine()).toBe(2);
    expect(seen()).toBe(0);
    // Waited without returning to the event loop (so the group's timer cannot commit it first).
    const until = performance.now() + 250;
    while (performance.now() < until);
    insert(3); // the group is older than 200 ms at the end of this one: committed with it
    expect(seen()).toBe(3);
    insert(4);
    expect(seen()).toBe(3);
    release();
    expect(seen()).toBe(4);
    // Released: transactions commit one by one again.
    insert(5);
    expect(seen()).toBe(5);
  });

  it("commits a group that waits for its next transaction by a timer, so the write lock is given back.", async () => {
    const release = db.group(100);
    insert(1);
    expect(seen()).toBe(0);
    await sleep(300);
    expect(seen()).toBe(1);
    // Another connection may write between groups.
    other.exec("INSERT INTO t (n) VALUES (100)");
    insert(2);
    release();
    expect(seen()).toBe(3);
  });

  it("rolls a failed transaction back alone and keeps the group's others.", () => {
    const release = db.group(60_000);
    insert(1);
    expect(() =>
      db.transaction(() => {
        db.prepare("INSERT INTO t (n) VALUES (?)").run(2);
        db.prepare("INSERT INTO t (n) VALUES (?)").run(1); // a duplicate key: this transaction fails
      }),
    ).toThrow();
    insert(3);
    release();
    expect(
      other
        .prepare("SELECT n FROM t ORDER BY n")
        .all()
        .map((r) => (r as { n: number }).n),
    ).toEqual([1, 3]);
  });

  it("refuses a second group, and commits an open one when the connection closes.", () => {
    const release = db.group(60_000);
    expect(() => db.group(10)).toThrow(/grouped already/);
    insert(1);
    db.close();
    expect(seen()).toBe(1);
    release(); // after the close: nothing left to do
  });
});

describe("A grouped bulk write of the SQLite store", () => {
  let dir: string;
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it("leaves the same records and index as a bulk write committed batch by batch.", async () => {
    dir = mkdtempSync(join(tmpdir(), "essfed-group-store-"));
    const tables = async (grouped: boolean) => {
      const s = new SqliteStore(join(dir, `${grouped}.sqlite`));
      await s.initialize();
      const release = s.bulkWrite({ grouped });
      for (let b = 0; b < 5; b++) await s.putInitiatives(Array.from({ length: 40 }, (_, k) => record(b * 40 + k)));
      // Written again in a later batch: an update inside the same group.
      await s.putInitiatives([{ ...record(3), initiative: { ...record(3).initiative, name: "renamed" } }]);
      release();
      const all = (sql: string) => s.db.prepare(sql).all();
      const out = {
        records: all("SELECT id, seq, name, record FROM initiative ORDER BY seq"),
        search: all("SELECT seq, id, name FROM search ORDER BY seq"),
        fts: all("SELECT rowid FROM search_fts WHERE search_fts MATCH 'bakery' ORDER BY rowid"),
        indexed: all("SELECT key, value FROM meta WHERE key IN ('seq', 'indexed_seq') ORDER BY key"),
      };
      await s.close();
      return out;
    };
    const grouped = await tables(true);
    expect(grouped.records).toHaveLength(200);
    expect(grouped.search).toHaveLength(200);
    expect(grouped).toEqual(await tables(false));
  });
});
