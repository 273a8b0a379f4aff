/**
 * A network's first import, alone in its process, writes its store's file with a rollback journal instead of the
 * write-ahead log, and turns the log on again at its end (ADR 50); with another connection to the file, or into a
 * store that holds records already, it keeps the log. A connection opened meanwhile waits for the import to let the
 * log be turned on, then reads everything the import committed. (An import has threads of its own, and this journal,
 * on a machine with two cores or more, as the ones tests run on have.)
 */
import { spawn } from "node:child_process";
import { mkdtempSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { DatabaseSync } from "node:sqlite";
import { fileURLToPath } from "node:url";
import { Worker } from "node:worker_threads";
import { afterEach, beforeEach, describe, expect, it } from "@jest/globals";
import { emptyInitiative, type InitiativeRecord } from "../../src/domain/initiative.ts";
import { versionOf } from "../../src/domain/version.ts";
import { DEFER_BELOW } from "../../src/store/sqlite/deferred-indexes.sqlite.ts";
import { openWithLog } from "../../src/store/sqlite/journal.sqlite.ts";
import { openSqlite } from "../../src/store/sqlite/database.ts";
import { main } from "../../src/cli/main.ts";
import { SqliteStore } from "../../src/store/sqlite/store.sqlite.ts";

const record = (n: number): InitiativeRecord => {
  const initiative = emptyInitiative(`https://here.example/initiatives/j${n}`, `Journal co-op ${n}`);
  return {
    initiative,
    published: "2026-01-01T00:00:00Z",
    updated: "2026-01-01T00:00:00Z",
    version: versionOf(initiative),
  };
};
const batch = (from: number, n: number) => Array.from({ length: n }, (_, k) => record(from + k));
const journal = (db: { prepare(sql: string): { get(): unknown } }) =>
  (db.prepare("PRAGMA main.journal_mode").get() as { journal_mode: string }).journal_mode;

/**
 * A thread that opens the file as the import does, writes with a rollback journal and holds the write lock for
 * `holdMs` or until told to `commit()`, then commits and keeps its connection open; resolves once it holds the lock,
 * with a promise of the commit.
 */
async function importingThread(
  path: string,
  holdMs: number,
): Promise<{ committed: Promise<void>; commit(): void; end(): Promise<void> }> {
  const worker = new Worker(
    `const { DatabaseSync } = require("node:sqlite");
     const { parentPort, workerData } = require("node:worker_threads");
     const db = new DatabaseSync(workerData.path);
     db.exec("PRAGMA main.journal_mode = TRUNCATE; BEGIN IMMEDIATE; CREATE TABLE t (n INTEGER PRIMARY KEY, s TEXT);" +
       "INSERT INTO t (s) VALUES ('committed by the import')");
     parentPort.postMessage("holding");
     const commit = () => { if (db.isTransaction) { db.exec("COMMIT"); parentPort.postMessage("committed"); } };
     const timer = setTimeout(commit, workerData.holdMs);
     parentPort.on("message", (m) => {
       if (m === "commit") return void (clearTimeout(timer), commit());
       db.close();
       process.exit(0);
     });`,
    { eval: true, workerData: { path, holdMs } },
  );
  let committed!: () => void;
  const done = new Promise<void>((r) => (committed = r));
  await new Promise<void>((resolve, reject) => {
    worker.on("error", reject);
    worker.on("message", (m) => (m === "holding" ? resolve() : committed()));
  });
  const exited = new Promise<void>((r) => worker.on("exit", () => r()));
  return {
    committed: done,
    commit: () => worker.postMessage("commit"),
    end: () => {
      worker.postMessage("end");
      return exited;
    },
  };
}

describe("SqliteStore: the journal of a first import", () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), "essfed-journal-"));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));
  const open = async () => {
    const s = new SqliteStore(join(dir, "store.sqlite"));
    await s.initialize();
    return s;
  };

  it("writes with a rollback journal, and turns the log on again at its end.", async () => {
    const s = await open();
    expect(journal(s.db)).toBe("wal");
    const release = s.bulkWrite({ grouped: true });
    await s.putInitiatives(batch(0, 300));
    expect(journal(s.db)).toBe("truncate");
    await s.putInitiatives(batch(300, 300));
    release();
    expect(journal(s.db)).toBe("wal");
    // Everything committed, indexed, and read by a connection of its own.
    expect(await s.search.count({ words: ["journal"], facets: {} })).toBe(600);
    const other = new DatabaseSync(join(dir, "store.sqlite"), { readOnly: true });
    expect(other.prepare("SELECT count(*) AS n FROM initiative").get()).toEqual({ n: 600 });
    expect(other.prepare("PRAGMA integrity_check").get()).toEqual({ integrity_check: "ok" });
    other.close();
    await s.close();
  });

  it("keeps the log while another connection has the file open (a server, say).", async () => {
    const s = await open();
    const server = openSqlite(join(dir, "store.sqlite"));
    server.prepare("SELECT count(*) FROM initiative").get();
    const release = s.bulkWrite({ grouped: true });
    await s.putInitiatives(batch(0, 300));
    expect(journal(s.db)).toBe("wal");
    release();
    // The server read the import's records while it wrote, as the log allows.
    expect(server.prepare("SELECT count(*) AS n FROM initiative").get()).toEqual({ n: 300 });
    server.close();
    await s.close();
  });

  it("keeps the log for an import into a store that holds records already.", async () => {
    const s = await open();
    for (let n = 0; n < DEFER_BELOW; n += 2500) await s.putInitiatives(batch(n, 2500));
    const release = s.bulkWrite({ grouped: true });
    await s.putInitiatives(batch(DEFER_BELOW, 300));
    expect(journal(s.db)).toBe("wal");
    release();
    expect(await s.search.count({ words: ["journal"], facets: {} })).toBe(DEFER_BELOW + 300);
    await s.close();
  });

  it("leaves a file that a crash in the middle of a commit group rolls back to its last commit.", async () => {
    const path = join(dir, "crashed.sqlite");
    // A process that commits 100 rows, then writes 2,000 more in a transaction larger than its page cache (so that
    // SQLite writes pages into the file before the commit, the journal holding what they replace), and is killed.
    const child = spawn(
      process.execPath,
      [
        "-e",
        `const { DatabaseSync } = require("node:sqlite");
         const db = new DatabaseSync(process.argv[1]);
         db.exec("PRAGMA main.journal_mode = TRUNCATE; PRAGMA cache_size = 20");
         db.exec("CREATE TABLE t (n INTEGER PRIMARY KEY, b BLOB)");
         const insert = db.prepare("INSERT INTO t (b) VALUES (randomblob(3000))");
         db.exec("BEGIN"); for (let k = 0; k < 100; k++) insert.run(); db.exec("COMMIT");
         db.exec("BEGIN"); for (let k = 0; k < 2000; k++) insert.run();
         process.stdout.write("written");
         setInterval(() => {}, 1000);`,
        path,
      ],
      { stdio: ["ignore", "pipe", "inherit"] },
    );
    await new Promise<void>((r) => child.stdout.once("data", () => r()));
    expect(statSync(`${path}-journal`).size).toBeGreaterThan(0);
    child.kill("SIGKILL");
    await new Promise((r) => child.once("exit", r));
    const db = openSqlite(path);
    expect(db.prepare("SELECT count(*) AS n FROM t").get()).toEqual({ n: 100 });
    expect(db.prepare("PRAGMA integrity_check").get()).toEqual({ integrity_check: "ok" });
    expect(journal(db)).toBe("wal");
    db.close();
  });

  it("makes a connection opened meanwhile wait for a commit, then turns the log on.", async () => {
    const path = join(dir, "waiting.sqlite");
    const thread = await importingThread(path, 1000);
    const db = new DatabaseSync(path);
    db.exec("PRAGMA busy_timeout = 10000");
    let waited = 0;
    const started = Date.now();
    openWithLog(db, 30_000, () => waited++);
    expect(waited).toBe(1);
    expect(Date.now() - started).toBeGreaterThanOrEqual(200);
    await thread.committed;
    expect(journal(db)).toBe("wal");
    expect(db.prepare("SELECT s FROM t").get()).toEqual({ s: "committed by the import" });
    db.close();
    await thread.end();
  });

  it("has a CLI command run meanwhile say that it waits, then answer.", async () => {
    const data = join(dir, "instance");
    const env = { ESSFED_DATA: data, ESSFED_LOG_LEVEL: "error" };
    expect(await main(["init"], { out: () => {}, err: () => {}, env })).toBe(0);
    // The lock is held until the command says it waits (however long Node takes to start it), a minute at most.
    const thread = await importingThread(join(data, "essfed.sqlite"), 60_000);
    const child = spawn(process.execPath, [fileURLToPath(new URL("../../bin/essfed.js", import.meta.url)), "status"], {
      env: { PATH: process.env.PATH ?? "", ...env },
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d: Buffer) => (stdout += d.toString()));
    child.stderr.on("data", (d: Buffer) => {
      stderr += d.toString();
      if (stderr.includes("Waiting for ")) thread.commit();
    });
    const code = await new Promise((r) => child.once("exit", r));
    await thread.committed;
    await thread.end();
    expect(stderr).toContain(`Waiting for ${join(data, "essfed.sqlite")}: another process holds it`);
    expect(code).toBe(0);
    expect(stdout).toMatch(/records\s+0 own/);
  });

  it("gives up with SQLite's error after the time it was given.", async () => {
    const path = join(dir, "given-up.sqlite");
    const thread = await importingThread(path, 1500);
    const db = new DatabaseSync(path);
    const started = Date.now();
    expect(() => openWithLog(db, 200)).toThrow(/locked/);
    expect(Date.now() - started).toBeLessThan(1200);
    db.close();
    await thread.committed;
    await thread.end();
  });
});
