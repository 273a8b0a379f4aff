import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { DatabaseSync } from "node:sqlite";
import { afterEach, beforeEach, describe, expect, it } from "@jest/globals";
import { emptyInitiative, type InitiativeRecord } from "../../src/domain/initiative.ts";
import { versionOf } from "../../src/domain/version.ts";
import { DuplicateFinder } from "../../src/duplicates/finder.ts";
import { SQLITE_MIGRATIONS } from "../../src/store/sqlite/migrations.ts";
import { SqliteStore } from "../../src/store/sqlite/store.sqlite.ts";

/**
 * On SQLite the duplicate finder reads writes from the change order, not from a note per write:
 * what a removal without a change number leaves behind, and a file noted under the old scheme.
 */
describe("SqliteStore: what the duplicate finder has to look at", () => {
  let dir: string;
  let file: string;
  const record = (n: number, name = `Suma Wholefoods ${n}`): InitiativeRecord => {
    const initiative = emptyInitiative(`https://here.example/initiatives/d${n}`, name);
    return {
      initiative,
      published: "2026-01-01T00:00:00Z",
      updated: "2026-01-02T00:00:00Z",
      version: versionOf(initiative),
    };
  };

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), "essfed-dup-changes-"));
    file = join(dir, "essfed.sqlite");
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it("counts each write and each removal once, whether it left a tombstone or not, until the finder has looked.", async () => {
    const store = new SqliteStore(file);
    await store.initialize();
    try {
      await store.putInitiatives([record(1), record(2), record(3)]);
      expect(await store.duplicates.pendingCount()).toBe(3);
      await new DuplicateFinder(store).catchUp();
      expect(await store.duplicates.pendingCount()).toBe(0);

      // A delete leaves a tombstone (a change); a purge leaves nothing but the trigger's note.
      await store.deleteInitiative({ id: record(1).initiative.id, deleted: "2026-02-01T00:00:00Z" });
      await store.purgeInitiatives([record(2).initiative.id]);
      expect(await store.duplicates.pendingCount()).toBe(2);
      const pending = await store.duplicates.pending(10);
      expect(pending.map((p) => p.id).sort()).toEqual([record(1).initiative.id, record(2).initiative.id]);

      // A record written again between a round's reading and its end stays to be looked at.
      const early = await store.duplicates.pending(10);
      await store.putInitiatives([record(3, "Suma Wholefoods Co-operative")]);
      await store.duplicates.apply({ done: early, keys: new Map(), pairs: [], at: "2026-02-02T00:00:00Z" });
      expect((await store.duplicates.pending(10)).map((p) => p.id)).toEqual([record(3).initiative.id]);
      expect((await new DuplicateFinder(store).catchUp()).records).toBe(1);
      expect(await store.duplicates.pendingCount()).toBe(0);
    } finally {
      await store.close();
    }
  });

  it("keeps the notes of a file written by a version that noted every write, and looks at later writes too.", async () => {
    const old = new DatabaseSync(file);
    for (const [v, sql] of SQLITE_MIGRATIONS.slice(0, 8).entries()) {
      old.exec(sql);
      old.exec(`PRAGMA user_version = ${v + 1}`);
    }
    old
      .prepare("INSERT INTO initiative (id, seq, version, updated, record) VALUES (?, 1, 'v', ?, ?)")
      .run(record(1).initiative.id, "2026-01-02T00:00:00Z", JSON.stringify(record(1)));
    old.exec("UPDATE meta SET value = 1 WHERE key = 'seq'");
    old.close();

    const store = new SqliteStore(file);
    await store.initialize();
    try {
      expect(await store.duplicates.pending(10)).toEqual([{ id: record(1).initiative.id, stamp: 0 }]);
      await store.putInitiatives([record(2)]);
      expect((await store.duplicates.pending(10)).map((p) => p.id)).toEqual([
        record(1).initiative.id,
        record(2).initiative.id,
      ]);
      expect((await new DuplicateFinder(store).catchUp()).records).toBe(2);
      expect(await store.duplicates.pendingCount()).toBe(0);
    } finally {
      await store.close();
    }
  });
});
