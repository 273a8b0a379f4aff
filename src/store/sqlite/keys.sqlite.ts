/**
 * The keys index of SQLite (`initiative_key (key, seq)`, ADR 42): each write of a record writes its
 * lookup keys (the `lookup_keys` plain column, a JSON array) in the same transaction, and drops the
 * keys of the row it replaces. Written here rather than by insert and update triggers, whose mere
 * presence cost every insert about 40 µs (migration 20); removals of rows, rarer and on several
 * paths, still go through the delete trigger, which reads the row's own column.
 */
import type { SqliteDatabase } from "./database.ts";

/** Writes `keys` for change `seq`, first dropping those of the row it replaces (its change and keys). */
export function writeKeys(
  db: SqliteDatabase,
  seq: number,
  keys: string | null,
  replaced?: { seq: number; lookup_keys: string | null },
): void {
  if (replaced?.lookup_keys) {
    const drop = db.prepare("DELETE FROM initiative_key WHERE key = ? AND seq = ?");
    for (const k of JSON.parse(replaced.lookup_keys) as string[]) drop.run(k, replaced.seq);
  }
  if (!keys) return;
  const add = db.prepare("INSERT INTO initiative_key (key, seq) VALUES (?, ?)");
  for (const k of JSON.parse(keys) as string[]) add.run(k, seq);
}
