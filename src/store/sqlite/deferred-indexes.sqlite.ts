/**
 * Indexes of the record table that an import into an almost empty store builds once at its end instead of entry by
 * entry (ADR 47): the name order (`initiative_name`, migration 17) and the lookup keys (`initiative_key`, ADR 42).
 * Their entries land in random order, and an import's every commit wrote out again each page of them it had touched;
 * sorting them once at the end costs a fraction of that. SPARQL's lookups by name scan the records instead meanwhile
 * (slower, not wrong), and keyed lookups miss the records written since, as searches miss them until the import's
 * search index is built (ADR 35).
 *
 * The deferral is marked in `meta` (`keys_deferred_from`: the change number it began after) in the transaction that
 * drops the index, so that it outlives a crash: while the mark is there, every write of a record (any process; an
 * own-IRI rewrite excepted) leaves out its key entries, and whoever ends the deferral (the import at its end, or the
 * next store to open the file after a crash) writes the entries of every record changed since, rebuilds the name index
 * and removes the mark in one transaction.
 */
import type { SqliteDatabase } from "./database.ts";

/** The store holds fewer records than this when an import may defer them (rebuilding them is then cheap). */
export const DEFER_BELOW = 10_000;

const MARK = "keys_deferred_from";

/** As migration 17 creates it. */
const NAME_INDEX = "CREATE INDEX IF NOT EXISTS initiative_name ON initiative (plain, name, seq)";

/**
 * In a write transaction of a grouped bulk write (ADR 46): drops the name index and marks the deferral, when the store
 * holds fewer than {@link DEFER_BELOW} records and nothing is deferred already. Returns whether it deferred.
 */
export function deferIndexes(db: SqliteDatabase): boolean {
  if (keysDeferred(db) || !almostEmpty(db)) return false;
  db.exec("DROP INDEX IF EXISTS initiative_name");
  db.prepare(`INSERT INTO meta (key, value) SELECT '${MARK}', value FROM meta WHERE key = 'seq'`).run();
  return true;
}

/** Whether the store holds fewer than {@link DEFER_BELOW} records: an import into it is a network's first, say. */
export function almostEmpty(db: Pick<SqliteDatabase, "prepare">): boolean {
  const { n } = db.prepare("SELECT count(*) AS n FROM (SELECT 1 FROM initiative LIMIT ?)").get(DEFER_BELOW) as {
    n: number;
  };
  return n < DEFER_BELOW;
}

/** The change number a marked deferral began after, or undefined when none is marked. */
const markedFrom = (db: SqliteDatabase) =>
  (db.prepare(`SELECT value FROM meta WHERE key = '${MARK}'`).get() as { value: number } | undefined)?.value;

/** Whether writes leave their key entries out (read in the writing transaction: the mark may come and go). */
export function keysDeferred(db: SqliteDatabase): boolean {
  return markedFrom(db) !== undefined;
}

/**
 * Ends a deferral, if one is marked: the key entries of every record changed since it began, the name index rebuilt,
 * the mark removed, in one transaction. Returns whether there was one.
 */
export function endDeferral(db: SqliteDatabase): boolean {
  // Read first without the write lock: every store that opens a file asks, and there is seldom one.
  if (!keysDeferred(db)) return false;
  return db.transaction(() => {
    const from = markedFrom(db);
    if (from === undefined) return false;
    db.exec(NAME_INDEX);
    // Entries written all the same meanwhile (an own-IRI rewrite writes its records' keys) are kept once.
    db.prepare(
      `INSERT OR IGNORE INTO initiative_key (key, seq)
       SELECT k.value, i.seq FROM initiative i, json_each(i.lookup_keys) AS k
       WHERE i.seq > ? AND i.lookup_keys IS NOT NULL ORDER BY 1, 2`,
    ).run(from);
    db.prepare(`DELETE FROM meta WHERE key = '${MARK}'`).run();
    return true;
  });
}
