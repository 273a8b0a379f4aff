/**
 * A SQLite store as an earlier version of essfed left it, for migration tests: a file of its own in a temporary
 * folder, written by every migration before the first whose SQL includes `marker`, holding `records` the way that
 * schema wrote them (the JSON and the few columns every version had), then opened and migrated by today's store.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { DatabaseSync } from "node:sqlite";
import type { InitiativeRecord } from "../../src/domain/initiative.ts";
import { SQLITE_MIGRATIONS } from "../../src/store/sqlite/migrations.ts";
import { SqliteStore } from "../../src/store/sqlite/store.sqlite.ts";

export async function withSqliteBefore(
  marker: string,
  records: InitiativeRecord[],
  fn: (store: SqliteStore) => Promise<void>,
): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), "essfed-before-"));
  const file = join(dir, "essfed.sqlite");
  try {
    const before = SQLITE_MIGRATIONS.findIndex((m) => m.includes(marker));
    if (before < 0) throw new Error(`no SQLite migration includes ${marker}`);
    const db = new DatabaseSync(file);
    for (let v = 0; v < before; v++) db.exec(SQLITE_MIGRATIONS[v]!);
    db.exec(`PRAGMA user_version = ${before}`);
    const insert = db.prepare("INSERT INTO initiative (id, seq, version, updated, record) VALUES (?, ?, ?, ?, ?)");
    records.forEach((r, k) => insert.run(r.initiative.id, k + 1, r.version, r.updated, JSON.stringify(r)));
    db.exec(`UPDATE meta SET value = ${records.length} WHERE key = 'seq'`);
    db.close();
    const store = new SqliteStore(file);
    await store.initialize();
    try {
      await fn(store);
    } finally {
      await store.close();
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
