/**
 * The checkpointing thread of a bulk write (ADR 48): with the writing connection's own checkpoints
 * off, the log still starts over once it is long, everything written is in the database file, and
 * a reader holding an old snapshot delays the restart without stopping the writer.
 */
import { mkdtempSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { DatabaseSync } from "node:sqlite";
import { afterEach, describe, expect, it } from "@jest/globals";
import { emptyInitiative, type InitiativeRecord } from "../../src/domain/initiative.ts";
import { versionOf } from "../../src/domain/version.ts";
import { Checkpointer } from "../../src/store/sqlite/checkpointer.ts";
import { openSqlite, type SqliteDatabase } from "../../src/store/sqlite/database.ts";
import { SqliteStore } from "../../src/store/sqlite/store.sqlite.ts";

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

/** A database file whose connection never checkpoints by itself. */
function fresh(): { path: string; db: SqliteDatabase } {
  const dir = mkdtempSync(join(tmpdir(), "essfed-checkpointer-"));
  dirs.push(dir);
  const path = join(dir, "store.sqlite");
  const db = openSqlite(path);
  db.exec("PRAGMA wal_autocheckpoint = 0; CREATE TABLE t (n INTEGER PRIMARY KEY, b BLOB NOT NULL)");
  return { path, db };
}

/**
 * Writes `commits` transactions of about 120 KB each, one after the other as an import does (the log can start over
 * only if the thread copied all of it before the next one began); returns the log file's largest size meanwhile.
 */
function write(path: string, db: SqliteDatabase, commits: number): number {
  let largest = 0;
  const insert = db.prepare(
    "WITH RECURSIVE k(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM k WHERE n < 6) " +
      "INSERT INTO t (b) SELECT randomblob(16000) FROM k",
  );
  for (let k = 0; k < commits; k++) {
    db.transaction(() => insert.run());
    largest = Math.max(largest, statSync(`${path}-wal`).size);
  }
  return largest;
}

const MB = 1024 * 1024;

describe("The checkpointing thread of a bulk write", () => {
  it("starts the log over once it is long, with everything written in the file.", async () => {
    const { path, db } = fresh();
    // Without the thread, the log holds everything: about 48 MB.
    expect(write(path, db, 400)).toBeGreaterThan(36 * MB);
    db.exec("PRAGMA wal_checkpoint(TRUNCATE)");

    const checkpointer = Checkpointer.start(path, { restartBytes: 1 * MB, waitMs: 10_000 });
    await checkpointer.ready;
    db.onCommit(() => checkpointer.committed());
    const largest = write(path, db, 400);
    db.onCommit(undefined);
    checkpointer.stop();
    // The restart size and the commits written before the thread said so (a few dozen on a busy machine).
    expect(largest).toBeLessThan(16 * MB);

    expect((db.prepare("SELECT count(*) AS n FROM t").get() as { n: number }).n).toBe(4800);
    db.close();
    // The file alone (its log removed by the last close) holds every row.
    expect(() => statSync(`${path}-wal`)).toThrow();
    const reopened = new DatabaseSync(path, { readOnly: true });
    expect(reopened.prepare("SELECT count(*) AS n FROM t").get()).toEqual({ n: 4800 });
    expect(reopened.prepare("PRAGMA integrity_check").get()).toEqual({ integrity_check: "ok" });
    reopened.close();
  });

  it("lets the writer go on while another connection's snapshot keeps the log, and restarts it after.", async () => {
    const { path, db } = fresh();
    write(path, db, 1);
    const checkpointer = Checkpointer.start(path, { restartBytes: 1 * MB, waitMs: 100 });
    await checkpointer.ready;
    db.onCommit(() => checkpointer.committed());
    // A reader in the middle of a read: the frames after its snapshot cannot be copied, nor the log start over.
    const reader = new DatabaseSync(path);
    reader.exec("BEGIN");
    reader.prepare("SELECT count(*) FROM t").get();
    const held = write(path, db, 60);
    expect(held).toBeGreaterThan(5 * MB);
    reader.exec("COMMIT");
    reader.close();

    // The file keeps the size it grew to; the log starts over within a few commits, and 6 MB more fit in it.
    const before = statSync(`${path}-wal`).size;
    expect(write(path, db, 60)).toBeLessThan(before + 2 * MB);
    db.onCommit(undefined);
    checkpointer.stop();
    expect((db.prepare("SELECT count(*) AS n FROM t").get() as { n: number }).n).toBe(121 * 6);
    db.close();
  });

  it("copies an import's log into the file as it goes, once the import has been writing a while.", async () => {
    const record = (n: number): InitiativeRecord => {
      const initiative = emptyInitiative(`https://here.example/initiatives/c${n}`, `Co-op ${n} ${"x".repeat(500)}`);
      return {
        initiative,
        published: "2026-01-01T00:00:00Z",
        updated: "2026-01-01T00:00:00Z",
        version: versionOf(initiative),
      };
    };
    /** The database file's size after a grouped import of 3,000 records, before the store closes. */
    const imported = async (checkpointerAfterMs?: number) => {
      const dir = mkdtempSync(join(tmpdir(), "essfed-checkpointer-"));
      dirs.push(dir);
      const path = join(dir, "store.sqlite");
      const store = new SqliteStore(path, checkpointerAfterMs === undefined ? {} : { checkpointerAfterMs });
      await store.initialize();
      // Another connection to the file (a server, say) keeps the import in the log (without, a first import leaves
      // it for a rollback journal: ADR 50).
      const server = openSqlite(path);
      const release = store.bulkWrite({ grouped: true });
      for (let b = 0; b < 30; b++)
        await store.putInitiatives(Array.from({ length: 100 }, (_, k) => record(b * 100 + k)));
      release();
      const size = statSync(path).size;
      expect(await store.search.count({ words: ["co"], facets: {} })).toBe(3000);
      server.close();
      await store.close();
      return size;
    };
    // Seconds of writing are needed by default: this import is shorter, and its log stays in the log until it ends.
    const alone = await imported();
    const threaded = await imported(0);
    expect(threaded).toBeGreaterThan(alone + 2 * MB);
  });
});
