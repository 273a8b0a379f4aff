/**
 * Records in SPARQL's name order (`Store.listByName`, ADR 26) from the index `initiative_name` over
 * the plain columns (ADR 30): translated records first, then by name in code point order (the "C"
 * collation over UTF-8), then by change number; descending, names and change numbers backwards
 * within each part (the part's range of the index read from its end). The expressions here are the
 * index's own, so that PostgreSQL reads the index rather than sorting the table.
 */
import type pg from "pg";
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
import { toStored, type Row } from "./rows.postgres.ts";

const PLAIN = "plain";
const NAME = `(name COLLATE "C")`;

export async function listByNamePostgres(
  pool: pg.Pool,
  o: { cursor?: string; limit: number; descending?: boolean },
): Promise<Page<StoredInitiative>> {
  const limit = Math.max(1, Math.min(o.limit, 10_000));
  const after = o.cursor === undefined ? undefined : readNameCursor(o.cursor);
  if (o.cursor !== undefined && !after) return { items: [] };
  const select = `SELECT seq, record, NULL AS signed, ${PLAIN} AS plain FROM initiative`;
  let rows: (Row & { plain: boolean })[];
  if (o.descending) {
    // Each part on its own: the index's order is ascending on the part, descending within it.
    rows = [];
    for (let plain = after?.plain ?? 0; plain <= 1 && rows.length <= limit; plain++) {
      const within = after && plain === after.plain;
      const r = await pool.query(
        `${select} WHERE ${PLAIN} = $1 ${within ? `AND (${NAME}, seq) < ($3::text COLLATE "C", $4::bigint)` : ""} ` +
          `ORDER BY ${NAME} DESC, seq DESC LIMIT $2`,
        [plain === 1, limit + 1 - rows.length, ...(within ? [after.name, after.seq] : [])],
      );
      rows.push(...(r.rows as (Row & { plain: boolean })[]));
    }
  } else {
    const order = `ORDER BY ${PLAIN}, ${NAME}, seq`;
    ({ rows } = after
      ? await pool.query(
          `${select} WHERE (${PLAIN}, ${NAME}, seq) > ($1::boolean, $2::text COLLATE "C", $3::bigint) ` +
            `${order} LIMIT $4`,
          [after.plain === 1, after.name, after.seq, limit + 1],
        )
      : await pool.query(`${select} ${order} LIMIT $1`, [limit + 1]));
  }
  const page = rows.slice(0, limit);
  const items = page.map(toStored);
  if (rows.length <= limit) return { items };
  const last = items[items.length - 1]!;
  const next = writeNameCursor({
    plain: page[page.length - 1]!.plain ? 1 : 0,
    name: last.initiative.name,
    seq: last.seq,
  });
  return { items, next };
}

type ShapeColumnsRow = [string, string, string, string | null, number | null, number | null, boolean | null];

/**
 * Records' plain columns (`Store.listShapes`, ADR 30), newest first, from their own index (ADR 34:
 * an index-only scan where the table's visibility map allows); records with translations (a few)
 * then whole, read by their change numbers in one more statement.
 */
export async function listShapesPostgres(
  pool: pg.Pool,
  o: { cursor?: string; limit: number },
): Promise<Page<ShapeRow>> {
  const before = o.cursor === undefined ? Number.MAX_SAFE_INTEGER : Number(o.cursor);
  if (!Number.isSafeInteger(before)) return { items: [] };
  const limit = Math.max(1, Math.min(o.limit, 10_000));
  const { rows } = await pool.query<ShapeColumnsRow>({
    text:
      "SELECT seq, id, name, primary_activity, lat, lng, plain FROM initiative WHERE seq < $1 " +
      "ORDER BY seq DESC LIMIT $2",
    values: [before, limit + 1],
    // Arrays, not objects keyed by column name: a page is thousands of rows.
    rowMode: "array",
  });
  const page = rows.slice(0, limit);
  const wanted = page.filter((r) => r[6] !== true).map((r) => r[0]);
  const records = new Map<string, InitiativeRecord>();
  if (wanted.length) {
    const held = await pool.query<{ seq: string; record: InitiativeRecord }>(
      "SELECT seq, record FROM initiative WHERE seq = ANY($1::bigint[])",
      [wanted],
    );
    for (const h of held.rows) records.set(h.seq, h.record);
  }
  const items: ShapeRow[] = [];
  for (const [seq, id, name, primary, lat, lng, plain] of page) {
    const r: ShapeRow = { seq: Number(seq), id, name };
    if (primary !== null) r.primaryActivity = primary;
    if (lat !== null) r.lat = lat;
    if (lng !== null) r.long = lng;
    if (plain !== true) {
      const record = records.get(seq);
      // Rewritten since the page was read (under a new change number): a listing by change number passes it by.
      if (!record) continue;
      r.translated = { ...record, seq: r.seq };
    }
    items.push(r);
  }
  return rows.length > limit ? { items, next: String(page[page.length - 1]![0]) } : { items };
}

/**
 * Records by primary activity (`Store.countPrimaryActivities`), from the index on its plain column
 * (ADR 30). Empty values make no triple.
 */
export async function countPrimaryActivitiesPostgres(pool: pg.Pool): Promise<{ value: string; count: number }[]> {
  const { rows } = await pool.query(
    `SELECT primary_activity AS value, count(*)::int AS count FROM initiative
     WHERE primary_activity <> '' GROUP BY primary_activity`,
  );
  return rows as { value: string; count: number }[];
}

/** Records per source, licence and attribution (`Store.countTerms`): one pass in SQL. */
export async function countTermsPostgres(pool: pg.Pool): Promise<SourceTerms[]> {
  const { rows } = await pool.query(
    `SELECT source, l AS license, a AS attribution, count(*)::int AS count
     FROM (SELECT source, record #>> '{initiative,license}' AS l, record #>> '{initiative,attribution}' AS a
       FROM initiative) x
     GROUP BY source, l, a ORDER BY count DESC, source, l, a LIMIT ${MAX_TERM_GROUPS}`,
  );
  return (rows as { source: string | null; license: unknown; attribution: unknown; count: number }[]).map(termsRow);
}
