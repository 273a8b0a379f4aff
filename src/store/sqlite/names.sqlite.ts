/**
 * Records in SPARQL's name order (`Store.listByName`, ADR 26) from the index `initiative_name` over
 * the plain columns (ADR 30): translated records first, then by name (SQLite compares text as UTF-8
 * bytes, which is code point order), then by change number; descending, names and change numbers
 * backwards (the same index read from its end). Each part (translated or not) is read on its own, so
 * that SQLite seeks in the index rather than sorting or scanning from its start.
 */
import type { InitiativeRecord } from "../../domain/initiative.ts";
import { readNameCursor, writeNameCursor } from "../name-order.ts";
import {
  MAX_TERM_GROUPS,
  termsRow,
  type Page,
  type ShapeRow,
  type SourceTerms,
  type StoredInitiative,
} from "../store.ts";
import type { StatementSync } from "node:sqlite";
import type { SqliteDatabase } from "./database.ts";

const FIRST = "SELECT seq, record FROM initiative WHERE plain = ? ORDER BY name, seq LIMIT ?";
const AFTER = `SELECT seq, record FROM initiative WHERE plain = ? AND name >= ? AND (name > ? OR seq > ?)
  ORDER BY name, seq LIMIT ?`;
const FIRST_DESC = "SELECT seq, record FROM initiative WHERE plain = ? ORDER BY name DESC, seq DESC LIMIT ?";
const AFTER_DESC = `SELECT seq, record FROM initiative WHERE plain = ? AND name <= ? AND (name < ? OR seq < ?)
  ORDER BY name DESC, seq DESC LIMIT ?`;

export function listByNameSqlite(
  db: SqliteDatabase,
  o: { cursor?: string; limit: number; descending?: boolean },
): Page<StoredInitiative> {
  const [first, next] = o.descending ? [FIRST_DESC, AFTER_DESC] : [FIRST, AFTER];
  const limit = Math.max(1, Math.min(o.limit, 10_000));
  const after = o.cursor === undefined ? undefined : readNameCursor(o.cursor);
  if (o.cursor !== undefined && !after) return { items: [] };
  const rows: { seq: number; record: string; plain: 0 | 1 }[] = [];
  for (let plain = after?.plain ?? 0; plain <= 1 && rows.length <= limit; plain++) {
    const want = limit + 1 - rows.length;
    const part = (after && plain === after.plain
      ? db.prepare(next).all(plain, after.name, after.name, after.seq, want)
      : db.prepare(first).all(plain, want)) as unknown as { seq: number; record: string }[];
    for (const r of part) rows.push({ ...r, plain });
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

const SHAPES = `SELECT seq, id, name, primary_activity, lat, lng, plain FROM initiative INDEXED BY initiative_shape
  WHERE seq < ? ORDER BY seq DESC LIMIT ?`;
const TRANSLATED = "SELECT record FROM initiative WHERE seq = ?";
type ShapeColumnsRow = [number, string, string, string | null, number | null, number | null, number];

/**
 * Records' plain columns (`Store.listShapes`, ADR 30), newest first, from their own index alone
 * (ADR 34); records with translations (a few) then whole, each looked up by its change number.
 */
export function listShapesSqlite(db: SqliteDatabase, o: { cursor?: string; limit: number }): Page<ShapeRow> {
  const before = o.cursor === undefined ? Number.MAX_SAFE_INTEGER : Number(o.cursor);
  if (!Number.isSafeInteger(before)) return { items: [] };
  const limit = Math.max(1, Math.min(o.limit, 10_000));
  const statement = db.prepare(SHAPES);
  // Arrays, not objects keyed by column name: a page is thousands of rows.
  statement.setReturnArrays(true);
  const rows = statement.all(before, limit + 1) as unknown as ShapeColumnsRow[];
  const items: ShapeRow[] = [];
  let translated: StatementSync | undefined;
  for (const [seq, id, name, primary, lat, lng, plain] of rows.slice(0, limit)) {
    const r: ShapeRow = { seq, id, name };
    if (primary !== null) r.primaryActivity = primary;
    if (lat !== null) r.lat = lat;
    if (lng !== null) r.long = lng;
    if (plain !== 1) {
      const held = (translated ??= db.prepare(TRANSLATED)).get(seq) as { record: string } | undefined;
      // Rewritten since the page was read (under a new change number): a listing by change number passes it by.
      if (!held) continue;
      r.translated = { ...(JSON.parse(held.record) as InitiativeRecord), seq };
    }
    items.push(r);
  }
  return rows.length > limit ? { items, next: String(rows[limit - 1]![0]) } : { items };
}

const BY_PRIMARY = `SELECT primary_activity AS value, count(*) AS count
  FROM initiative INDEXED BY initiative_primary_activity
  WHERE primary_activity > '' GROUP BY primary_activity`;

/**
 * Records by primary activity (`Store.countPrimaryActivities`), from the index on its plain column
 * alone (ADR 30). Empty values make no triple.
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
