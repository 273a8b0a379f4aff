/**
 * Collapsed results on PostgreSQL (`SearchFilter.collapse`): the listings a group of confirmed
 * duplicates does not show (`dup_member.shown = 0`, a few per group) are left out, by the change
 * number each had when its group was last worked out (the finder does so after each write of a
 * member). Queries add one anti-join on a small partial index (never a subplan scanning the
 * members per row, whatever the planner's statistics of them); answers read from kept counts take
 * away what those few listings contribute, which each process keeps until the store's change
 * stamp moves (a record written or a group worked out again, in this process or any other).
 */
import type pg from "pg";

/** The side-table rows (alias s) of the listings left out: joined by change number. */
const HIDDEN_ROWS = `dup_member m JOIN initiative_search s ON s.seq = m.seq`;

/** The condition, on the side table (alias s), that leaves the listings not shown out. */
export const NOT_HIDDEN = "NOT EXISTS (SELECT 1 FROM dup_member m WHERE m.seq = s.seq AND m.shown = 0)";

/** What the listings left out contribute to the kept counts. */
export interface Hidden {
  /** How many listings are left out. */
  count: number;
  /** Per "facet value" key, how many of them have it. */
  facets: Map<string, number>;
  /** Their 1° cells (`lat_idx`, `lon_idx`) and how many are in each, as parallel arrays. */
  cells: { lat: number[]; lon: number[]; n: number[] };
}

/**
 * What the listings left out contribute, read once per change of the store: reading it costs
 * ~150 ms at 100,000 records with 10,000 left out, and the map's default view (everything,
 * collapsed) needs it on every request. `stamp` is the store's change stamp, which moves after
 * every write of records or groups in any process (LISTEN/NOTIFY) and is new on every call while
 * notifications cannot be received, so a stale contribution is never used beyond a notification's
 * delay. Concurrent readers of one stamp share one read.
 */
export class HiddenListings {
  readonly #pool: pg.Pool;
  readonly #stamp: () => Promise<string>;
  readonly #keys: string;
  #kept: { stamp: string; value: Promise<Hidden> } | undefined;

  /** @param keys joins facet key hashes (alias c, column h) back to keys (alias v, column k) */
  constructor(pool: pg.Pool, stamp: () => Promise<string>, keys: string) {
    this.#pool = pool;
    this.#stamp = stamp;
    this.#keys = keys;
  }

  async get(): Promise<Hidden> {
    // Read before the contribution: a change committed meanwhile moves the stamp past this one.
    const stamp = await this.#stamp();
    if (this.#kept?.stamp === stamp) return this.#kept.value;
    const value = this.#read();
    const kept = { stamp, value };
    this.#kept = kept;
    value.catch(() => {
      if (this.#kept === kept) this.#kept = undefined;
    });
    return value;
  }

  async #read(): Promise<Hidden> {
    const [count, facets, cells] = await Promise.all([
      this.#pool.query<{ n: string }>(`SELECT count(*) AS n FROM ${HIDDEN_ROWS} WHERE m.shown = 0`),
      this.#pool.query<{ k: string; n: string }>(
        `WITH c AS (SELECT h, count(*) AS n FROM ${HIDDEN_ROWS}, unnest(s.facet_ids) h WHERE m.shown = 0 GROUP BY h)
         SELECT v.k, c.n FROM c JOIN ${this.#keys}`,
      ),
      this.#pool.query<{ a: number; b: number; n: string }>(
        `SELECT least(179, floor(s.search_point[1] + 90))::int AS a,
           least(359, floor(s.search_point[0] + 180))::int AS b,
           count(*) AS n FROM ${HIDDEN_ROWS} WHERE m.shown = 0 AND s.search_point IS NOT NULL GROUP BY 1, 2`,
      ),
    ]);
    return {
      count: Number(count.rows[0]!.n),
      facets: new Map(facets.rows.map((r) => [r.k, Number(r.n)])),
      cells: {
        lat: cells.rows.map((r) => Number(r.a)),
        lon: cells.rows.map((r) => Number(r.b)),
        n: cells.rows.map((r) => Number(r.n)),
      },
    };
  }
}

/**
 * The kept 1° cell counts (as a table expression, alias geo_cell) less the listings left out, for
 * whole-world views; the hidden cells go in as three array parameters appended to `params`.
 */
export function cellsLessHidden(params: unknown[], cells: Hidden["cells"]): string {
  const p = (v: unknown) => `$${params.push(v)}`;
  return `(SELECT lat_idx, lon_idx, n FROM geo_cell UNION ALL
    SELECT a, b, -n FROM unnest(${p(cells.lat)}::int[], ${p(cells.lon)}::int[], ${p(cells.n)}::bigint[])
      AS h(a, b, n)) geo_cell`;
}
