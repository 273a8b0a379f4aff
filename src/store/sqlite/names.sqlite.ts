/**
 * Records in SPARQL's name order (`Store.listByName`, ADR 26) from the expression index
 * `initiative_name`: translated records first, then by name (SQLite compares text as UTF-8 bytes,
 * which is code point order), then by change number. The expressions here are the index's own,
 * word for word, and each part (translated or not) is read on its own, so that SQLite seeks in the
 * index rather than sorting or scanning from its start.
 */
import type { InitiativeRecord } from "../../domain/initiative.ts";
import { readNameCursor, writeNameCursor } from "../name-order.ts";
import { MAX_TERM_GROUPS, termsRow, type Page, type SourceTerms, type StoredInitiative } from "../store.ts";
import type { SqliteDatabase } from "./database.ts";

const PLAIN = "json_type(record, '$.initiative.translations') IS NULL";
const NAME = "json_extract(record, '$.initiative.name')";
const FIRST = `SELECT seq, record FROM initiative WHERE ${PLAIN} = ? ORDER BY ${NAME}, seq LIMIT ?`;
const AFTER = `SELECT seq, record FROM initiative WHERE ${PLAIN} = ? AND ${NAME} >= ? AND (${NAME} > ? OR seq > ?)
  ORDER BY ${NAME}, seq LIMIT ?`;

export function listByNameSqlite(db: SqliteDatabase, o: { cursor?: string; limit: number }): Page<StoredInitiative> {
  const limit = Math.max(1, Math.min(o.limit, 10_000));
  const after = o.cursor === undefined ? undefined : readNameCursor(o.cursor);
  if (o.cursor !== undefined && !after) return { items: [] };
  const rows: { seq: number; record: string; plain: 0 | 1 }[] = [];
  for (let plain = after?.plain ?? 0; plain <= 1 && rows.length <= limit; plain++) {
    const want = limit + 1 - rows.length;
    const part = (after && plain === after.plain
      ? db.prepare(AFTER).all(plain, after.name, after.name, after.seq, want)
      : db.prepare(FIRST).all(plain, want)) as unknown as { seq: number; record: string }[];
    for (const r of part) rows.push({ ...r, plain: plain as 0 | 1 });
  }
  const page = rows.slice(0, limit);
  const items = page.map((r): StoredInitiative => ({ ...(JSON.parse(r.record) as InitiativeRecord), seq: r.seq }));
  if (rows.length <= limit) return { items };
  const last = page[page.length - 1]!;
  return {
    items,
    next: writeNameCursor({ plain: last.plain, name: items[items.length - 1]!.initiative.name, seq: last.seq }),
  };
}

const BY_PRIMARY = `SELECT v AS value, count(*) AS count
  FROM (SELECT json_extract(record, '$.initiative.primaryActivity') AS v FROM initiative) WHERE v > '' GROUP BY v`;

/**
 * Records by primary activity (`Store.countPrimaryActivities`): one pass over the records in SQL,
 * their JSON read by SQLite itself, none handed to JavaScript. Empty values make no triple. (An
 * index would answer it alone, but made every write of a record about a third slower.)
 */
export function countPrimaryActivitiesSqlite(db: SqliteDatabase): { value: string; count: number }[] {
  return db.prepare(BY_PRIMARY).all() as unknown as { value: string; count: number }[];
}

const BY_TERMS = `SELECT source, l AS license, a AS attribution, count(*) AS count
  FROM (SELECT source, json_extract(record, '$.initiative.license') AS l,
    json_extract(record, '$.initiative.attribution') AS a FROM initiative)
  GROUP BY source, l, a ORDER BY count DESC, source, l, a LIMIT ${MAX_TERM_GROUPS}`;

/** Records per source, licence and attribution (`Store.countTerms`): one pass in SQL. */
export function countTermsSqlite(db: SqliteDatabase): SourceTerms[] {
  const rows = db.prepare(BY_TERMS).all() as {
    source: string | null;
    license: unknown;
    attribution: unknown;
    count: number;
  }[];
  return rows.map(termsRow);
}
