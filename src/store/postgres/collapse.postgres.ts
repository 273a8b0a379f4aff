/**
 * Collapsed results on PostgreSQL (`SearchFilter.collapse`): the listings a group of confirmed
 * duplicates does not show (`dup_member.shown = 0`, a few per group) are left out, by the change
 * number each had when its group was last worked out (the finder does so after each write of a
 * member). Queries add one anti-join on a small partial index (never a subplan scanning the
 * members per row, whatever the planner's statistics of them); answers read from kept counts take
 * away what those few listings contribute.
 */
import type pg from "pg";

/** The side-table rows (alias s) of the listings left out: joined by change number. */
const HIDDEN_ROWS = `dup_member m JOIN initiative_search s ON s.seq = m.seq`;

/** The condition, on the side table (alias s), that leaves the listings not shown out. */
export const NOT_HIDDEN = "NOT EXISTS (SELECT 1 FROM dup_member m WHERE m.seq = s.seq AND m.shown = 0)";

/** How many listings are left out of collapsed results. */
export async function hiddenCount(pool: pg.Pool): Promise<number> {
  const { rows } = await pool.query(`SELECT count(*) AS n FROM ${HIDDEN_ROWS} WHERE m.shown = 0`);
  return Number(rows[0].n);
}

/** Per "facet value" key, how many of the listings left out have it (`keys` joins hashes back to keys, alias c). */
export async function hiddenFacetCounts(pool: pg.Pool, keys: string): Promise<Map<string, number>> {
  const { rows } = await pool.query(
    `WITH c AS (SELECT h, count(*) AS n FROM ${HIDDEN_ROWS}, unnest(s.facet_ids) h WHERE m.shown = 0 GROUP BY h)
     SELECT v.k, c.n FROM c JOIN ${keys}`,
  );
  return new Map(rows.map((r) => [r.k as string, Number(r.n)]));
}

/** The kept 1° cell counts (as a table expression) less the listings left out, for whole-world views. */
export const CELLS_LESS_HIDDEN = `(SELECT lat_idx, lon_idx, n FROM geo_cell UNION ALL
  SELECT least(179, floor(s.search_point[1] + 90))::int, least(359, floor(s.search_point[0] + 180))::int, -count(*)
  FROM ${HIDDEN_ROWS} WHERE m.shown = 0 AND s.search_point IS NOT NULL GROUP BY 1, 2) geo_cell`;
