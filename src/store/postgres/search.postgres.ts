/**
 * Search on PostgreSQL: a narrow side table, `initiative_search`, holds what queries test of each
 * record (change number, point, word vector, facet value hashes, update time), kept in step with
 * `initiative` by statement triggers in the writing transaction, with GIN full text, GIN facet
 * and GiST point indexes (ADR 8). Queries scan it and read whole records only for the rows they
 * return. Facet and cell counts for the unfiltered case come from trigger-kept tables.
 */
import type pg from "pg";
import type { InitiativeRecord } from "../../domain/initiative.ts";
import {
  FACET_NAMES,
  emptyFacetCounts,
  exactSummary,
  isUnfiltered,
  locationBox,
  type Cluster,
  type ClusterSummary,
  type FacetName,
  type FacetSummary,
  type SearchFilter,
  type SearchIndex,
} from "../search.ts";
import type { Page, StoredInitiative } from "../store.ts";
import { HiddenListings, NOT_HIDDEN, cellsLessHidden } from "./collapse.postgres.ts";
import { TUNING, type SearchTuning } from "./search-tuning.ts";

export type { SearchTuning } from "./search-tuning.ts";

/** A tsquery of the words, each as a prefix, all required; words are letters and digits only. */
function tsQuery(words: string[], whole = false): string {
  return words
    .map((w) => w.replace(/[^\p{L}\p{N}]/gu, ""))
    .filter(Boolean)
    .map((w) => (whole ? w : `${w}:*`))
    .join(" & ");
}

/** Facets a record has at most one value of. */
/** pg gives bigint and numeric columns as strings and float8 ones as numbers; both are read through Number(). */
type Num = string | number;
/** A cluster, with the IRI and name of its one record when it has one. */
type ClusterRow = { n: Num; lat: Num; lon: Num; id: string; name: string };

const SINGLE_VALUED = new Set<FacetName>(["membership", "country", "source"]);
/**
 * The "facet value" keys known to the kept counts, joined (alias v) to counts per key hash (alias
 * c, column h): records keep 64-bit hashes of their keys, this turns them back into keys.
 */
const FACET_KEYS = "(SELECT DISTINCT name || ' ' || value AS k FROM facet_count) v ON hashtextextended(v.k, 0) = c.h";
/** Adds a query parameter and returns its placeholder. */
const param = (params: unknown[], v: unknown) => `$${params.push(v)}`;
/** The side table (alias s) as a fixed sample of its pages, about `rows` of its `total` rows. */
const sampleOf = (params: unknown[], rows: number, total: number) =>
  `initiative_search s TABLESAMPLE SYSTEM (${param(params, Math.min(100, (100 * rows) / total))}) REPEATABLE (0)`;

/**
 * Records with any of these values of a facet (every value when none are given), from the
 * trigger-kept counts summed over their shards. With `source`, which every record has exactly one
 * of, that is the number of records.
 */
export async function keptCount(pool: pg.Pool, name: FacetName, values?: string[]): Promise<number> {
  const { rows } = values
    ? await pool.query<{ n: Num }>(
        "SELECT coalesce(sum(n), 0) AS n FROM facet_count WHERE name = $1 AND value = ANY($2)",
        [name, values],
      )
    : await pool.query<{ n: Num }>("SELECT coalesce(sum(n), 0) AS n FROM facet_count WHERE name = $1", [name]);
  return Number(rows[0]!.n);
}

export class PostgresSearchIndex implements SearchIndex {
  readonly #pool: pg.Pool;
  readonly #tuning: SearchTuning;
  readonly #hidden: HiddenListings;
  /** @param stamp the store's change stamp: what collapsed answers leave out is kept while it stays */
  constructor(pool: pg.Pool, stamp: () => Promise<string>, tuning: Partial<SearchTuning> = {}) {
    this.#pool = pool;
    this.#tuning = { ...TUNING, ...tuning };
    this.#hidden = new HiddenListings(pool, stamp, FACET_KEYS);
  }

  async catchUp(): Promise<void> {
    // Expression indexes change with the data: nothing to catch up.
  }

  /**
   * WHERE clause (on the side table, alias s) and its parameters for a filter. `indexed` says which conditions the
   * planner may answer from an index; the others are wrapped in `IS TRUE`, which no index matches,
   * so they are tested on the rows the chosen access path yields (see {@link search}).
   */
  #where(f: SearchFilter, params: unknown[], indexed: "all" | "geo" | "none" = "all"): string[] {
    const where: string[] = [];
    const p = (v: unknown) => param(params, v);
    const add = (cond: string, kind: "geo" | "other") =>
      where.push(indexed === "all" || (indexed === "geo" && kind === "geo") ? cond : `(${cond}) IS TRUE`);
    if (f.words?.length) add(`s.search_text @@ to_tsquery('simple', ${p(tsQuery(f.words, f.wholeWords))})`, "other");
    for (const name of FACET_NAMES) {
      const values = f.facets[name];
      // Any of the values: array overlap on hashes of "facet value" keys (GIN).
      if (values?.length)
        add(`s.facet_ids && essfed_facet_ids(${p(values.map((v) => `${name} ${v}`))}::text[])`, "other");
    }
    const box = locationBox(f);
    if (box)
      add(
        `s.search_point <@ box(point(${p(box.minLon)}, ${p(box.minLat)}), point(${p(box.maxLon)}, ${p(box.maxLat)}))`,
        "geo",
      );
    if (f.near) {
      // Haversine, in km, on rows the box above let through (search_point is lon, lat).
      where.push(`2 * 6371.0088 * asin(least(1, sqrt(power(sin(radians(s.search_point[1] - ${p(f.near.lat)}) / 2), 2)
        + cos(radians(s.search_point[1])) * cos(radians(${p(f.near.lat)}))
        * power(sin(radians(s.search_point[0] - ${p(f.near.lon)}) / 2), 2)))) <= ${p(f.near.radiusKm)}`);
    }
    if (f.updatedSince !== undefined) add(`s.updated >= ${p(new Date(f.updatedSince).toISOString())}`, "other");
    if (f.located !== undefined) add(f.located ? "s.search_point IS NOT NULL" : "s.search_point IS NULL", "other");
    // Never wrapped: an anti-join the planner may run as it likes, on a small index.
    if (f.collapse) where.push(NOT_HIDDEN);
    return where;
  }

  /** Points in a box, estimated from the 1° cell counts (each cell's share by overlapping area). */
  async #pointsAround(box: NonNullable<SearchFilter["bbox"]>): Promise<number> {
    const { rows } = await this.#pool.query<{ n: Num }>(
      `SELECT coalesce(sum(n
           * greatest(0, least($5::float8, lat_idx - 89) - greatest($6::float8, lat_idx - 90))
           * greatest(0, least($7::float8, lon_idx - 179) - greatest($8::float8, lon_idx - 180))), 0) AS n
       FROM geo_cell WHERE lat_idx BETWEEN $1 AND $2 AND lon_idx BETWEEN $3 AND $4`,
      [
        Math.floor(box.minLat + 90),
        Math.floor(box.maxLat + 90),
        Math.floor(box.minLon + 180),
        Math.floor(box.maxLon + 180),
        box.maxLat,
        box.minLat,
        box.maxLon,
        box.minLon,
      ],
    );
    return Math.ceil(Number(rows[0]!.n));
  }

  /** The estimated points in the filter's box, or undefined without one. */
  async #points(f: SearchFilter): Promise<number | undefined> {
    const box = locationBox(f);
    return box ? this.#pointsAround(box) : undefined;
  }

  /** Which indexes the planner may use: the box alone when at most `limit` points are in it. */
  #access(points: number | undefined, limit = this.#tuning.geoDriven): "geo" | "all" {
    return points !== undefined && points <= limit ? "geo" : "all";
  }

  async #query(
    f: SearchFilter,
    limit: number,
    indexed: "all" | "geo" | "none",
    below?: number,
    from?: number,
  ): Promise<{ seq: string; record: unknown; signed: unknown }[]> {
    const params: unknown[] = [];
    const where = this.#where(f, params, indexed);
    if (below !== undefined) where.push(`s.seq < $${params.push(below)}`);
    if (from !== undefined) where.push(`s.seq >= $${params.push(from)}`);
    // The page is chosen on the narrow rows; only its records are read.
    const { rows } = await this.#pool.query<{ seq: string; record: unknown; signed: unknown }>(
      `SELECT i.seq, i.record, i.signed
       FROM (SELECT s.seq FROM initiative_search s ${where.length ? `WHERE ${where.join(" AND ")}` : ""}
       ORDER BY s.seq DESC LIMIT $${params.push(limit)}) m JOIN initiative i ON i.seq = m.seq ORDER BY m.seq DESC`,
      params,
    );
    return rows;
  }

  /**
   * A page, newest change first. A box with few points in it drives (its index, the rest tested
   * per row). Otherwise the planner would combine bitmaps of every record each condition matches
   * and sort them, and a bitmap costs ~0.4 µs an entry: a common word's or facet's is 100,000+
   * entries at 1M records. So when the matches are expected (from the conditions' estimated sizes,
   * taken as independent) to fill a page within the newest `window` change numbers, those are
   * walked first from the top (or the cursor), every condition tested on the narrow rows; only if
   * that falls short do the indexes answer the rest, below it. Work stays bounded either way.
   */
  async search(f: SearchFilter, limit: number, cursor?: string): Promise<Page<StoredInitiative>> {
    let rows: { seq: string; record: unknown; signed: unknown }[];
    const below = cursor !== undefined ? Number(cursor) : undefined;
    const points = await this.#points(f);
    const access = this.#access(points);
    if (access === "geo" || isUnfiltered(f) || !(await this.#windowFills(f, points, limit + 1))) {
      rows = await this.#query(f, limit + 1, access, below);
    } else {
      const top =
        below ??
        Number(
          (await this.#pool.query<{ t: Num }>("SELECT coalesce(max(seq), 0) + 1 AS t FROM initiative_search")).rows[0]!
            .t,
        );
      const from = top - this.#tuning.window;
      rows = await this.#query(f, limit + 1, "none", top, from);
      if (rows.length <= limit && from > 0)
        rows = rows.concat(
          await this.#query(f, limit + 1 - rows.length, this.#access(points, this.#tuning.geoFallback), from),
        );
    }
    const items = rows.slice(0, limit).map((r): StoredInitiative => ({
      ...(r.record as InitiativeRecord),
      seq: Number(r.seq),
      ...(r.signed ? { signed: r.signed as string } : {}),
    }));
    return rows.length > limit ? { items, next: String(items[items.length - 1]!.seq) } : { items };
  }

  /** The planner's estimate of how many records have the words (from the text column's statistics). */
  async #wordMatches(f: SearchFilter): Promise<number> {
    const { rows } = await this.#pool.query<{ "QUERY PLAN": { Plan: { "Plan Rows": number } }[] }>(
      `EXPLAIN (FORMAT JSON) SELECT 1 FROM initiative_search s WHERE s.search_text @@ to_tsquery('simple', $1)`,
      [tsQuery(f.words!, f.wholeWords)],
    );
    return Number(rows[0]!["QUERY PLAN"][0]!.Plan["Plan Rows"]);
  }

  /**
   * Estimated matches of each condition, from the cheapest estimates: planner rows for words, kept counts for facets
   * and boxes.
   */
  async #sizes(f: SearchFilter, points: number | undefined): Promise<number[]> {
    const sizes = points !== undefined ? [points] : [];
    if (f.words?.length) sizes.push(await this.#wordMatches(f));
    for (const name of FACET_NAMES) {
      const values = f.facets[name];
      if (values?.length) sizes.push(await keptCount(this.#pool, name, values));
    }
    return sizes;
  }

  /** An upper bound of the matches: the smallest condition's. */
  async #upperBound(f: SearchFilter, total: number, points: number | undefined): Promise<number> {
    return Math.min(total, ...(await this.#sizes(f, points)));
  }

  /** The share of records expected to match, the conditions' estimated sizes taken as independent. */
  async #share(f: SearchFilter, points: number | undefined, total: number): Promise<number> {
    return (await this.#sizes(f, points)).reduce((p, n) => p * Math.min(1, n / total), 1);
  }

  /** The number of records (at least 1, to divide by), from the kept counts. */
  async #total(): Promise<number> {
    return Math.max(1, await keptCount(this.#pool, "source"));
  }

  /** Whether the window is expected to hold `pageShare` pages of matches. */
  async #windowFills(f: SearchFilter, points: number | undefined, page: number): Promise<boolean> {
    const total = await this.#total();
    return (
      (await this.#share(f, points, total)) * Math.min(total, this.#tuning.window) >= this.#tuning.pageShare * page
    );
  }

  async count(f: SearchFilter): Promise<number> {
    if (isUnfiltered(f))
      return (await keptCount(this.#pool, "source")) - (f.collapse ? (await this.#hidden.get()).count : 0);
    const only = Object.entries(f.facets).filter(([, v]) => v?.length) as [FacetName, string[]][];
    if (
      !f.collapse &&
      only.length === 1 &&
      isUnfiltered(f, "facets") &&
      (only[0]![1].length === 1 || SINGLE_VALUED.has(only[0]![0]))
    ) {
      // One value, or values of a facet a record has at most one of: the kept counts add up.
      return keptCount(this.#pool, ...only[0]!);
    }
    const params: unknown[] = [];
    const where = this.#where(f, params, this.#access(await this.#points(f)));
    const { rows } = await this.#pool.query<{ n: string }>(
      `SELECT count(*) AS n FROM initiative_search s WHERE ${where.join(" AND ")}`,
      params,
    );
    return Number(rows[0]!.n);
  }

  /**
   * Facet counts. Counting exactly reads every matching row, ~15 µs each from a large table, so a
   * match set that may exceed `exactMax` is counted on a fixed sample of the table's pages
   * (`sampleRows` rows, the same pages every time) and scaled up: bounded work, flagged approximate.
   */
  async facets(f: SearchFilter): Promise<FacetSummary> {
    const out = emptyFacetCounts();
    const add = (k: string, n: number) => {
      const cut = k.indexOf(" ");
      out[k.slice(0, cut) as FacetName]?.push({ value: k.slice(cut + 1), count: n });
    };
    if (isUnfiltered(f)) {
      const { rows } = await this.#pool.query<{ name: string; value: string; n: string }>(
        "SELECT name, value, sum(n) AS n FROM facet_count GROUP BY name, value HAVING sum(n) > 0 " +
          "ORDER BY n DESC, value",
      );
      const less = f.collapse ? (await this.#hidden.get()).facets : new Map<string, number>();
      for (const r of rows) {
        const n = Number(r.n) - (less.get(`${r.name} ${r.value}`) ?? 0);
        if (n > 0) out[r.name as FacetName]?.push({ value: r.value, count: n });
      }
      if (less.size)
        for (const name of FACET_NAMES) out[name].sort((a, b) => b.count - a.count || (a.value < b.value ? -1 : 1));
      return exactSummary(out);
    }
    const total = await keptCount(this.#pool, "source");
    const params: unknown[] = [];
    const points = await this.#points(f);
    if (total <= this.#tuning.sampleRows || (await this.#upperBound(f, total, points)) <= this.#tuning.exactMax) {
      const where = this.#where(f, params, this.#access(points));
      const { rows } = await this.#pool.query<{ k: string; n: string }>(
        `WITH c AS (SELECT h, count(*) AS n FROM initiative_search s, unnest(s.facet_ids) h
           WHERE ${where.join(" AND ")} GROUP BY h)
         SELECT v.k, c.n FROM c JOIN ${FACET_KEYS} ORDER BY c.n DESC, v.k`,
        params,
      );
      for (const r of rows) add(r.k, Number(r.n));
      return exactSummary(out);
    }
    const sample = sampleOf(params, this.#tuning.sampleRows, total);
    const where = this.#where(f, params, "all");
    // The sample's own size (row NULL) gives the scale: matches per sampled row times the total.
    const { rows } = await this.#pool.query<{ k: string | null; n: string }>(
      `WITH sample AS MATERIALIZED (SELECT s.facet_ids, (${where.join(" AND ")}) AS hit FROM ${sample}),
         c AS (SELECT h, count(*) AS n FROM sample, unnest(sample.facet_ids) h WHERE sample.hit GROUP BY h)
       SELECT NULL AS k, count(*) AS n FROM sample UNION ALL SELECT v.k, c.n FROM c JOIN ${FACET_KEYS}`,
      params,
    );
    const sampled = Number(rows.find((r) => r.k === null)?.n ?? 0);
    const scale = sampled ? total / sampled : 0;
    for (const r of rows
      .filter((x): x is { k: string; n: string } => x.k !== null)
      .sort((a, b) => Number(b.n) - Number(a.n) || (a.k < b.k ? -1 : 1)))
      add(r.k, Math.round(Number(r.n) * scale));
    // Scaled counts are estimates; the total is still the sum of the (scaled) `source` counts.
    return { ...exactSummary(out), approximate: true };
  }

  /**
   * Map clusters. Exact, except when a box too large to drive holds more expected matches than
   * `clusterExactMax` (a common word over a continent: 150,000 matches, ~550 ms to read at 1M):
   * those are counted on a fixed sample of pages and scaled, like facet counts, and flagged.
   */
  async clusters(f: SearchFilter, cell: number, limit: number): Promise<ClusterSummary> {
    if (cell >= 1 && isUnfiltered(f, "bbox"))
      return { clusters: await this.#keptClusters(f.bbox, cell, limit, f.collapse), approximate: false };
    const points = await this.#points(f);
    if (cell > 0 && points !== undefined && points > this.#tuning.geoClusters) {
      const total = await this.#total();
      if (total * (await this.#share(f, points, total)) > this.#tuning.clusterExactMax)
        return this.#sampledClusters(f, cell, limit, total);
    }
    return { clusters: await this.#exactClusters(f, cell, limit, points), approximate: false };
  }

  /** A view of everything at 1° cells or coarser: the kept 1° cell counts already hold the answer. */
  async #keptClusters(bbox: SearchFilter["bbox"], cell: number, limit: number, collapse?: boolean): Promise<Cluster[]> {
    const b = bbox ?? { minLat: -90, maxLat: 90, minLon: -180, maxLon: 180 };
    const params: unknown[] = [
      Math.floor(b.minLat + 90),
      Math.floor(b.maxLat + 90),
      Math.floor(b.minLon + 180),
      Math.floor(b.maxLon + 180),
      cell,
      limit,
    ];
    const cells = collapse ? cellsLessHidden(params, (await this.#hidden.get()).cells) : "geo_cell";
    const { rows } = await this.#pool.query<{ n: Num; lat: Num; lon: Num }>(
      `SELECT sum(n) AS n, sum(n * (lat_idx - 89.5)) / sum(n) AS lat, sum(n * (lon_idx - 179.5)) / sum(n) AS lon
       FROM ${cells} WHERE lat_idx BETWEEN $1 AND $2 AND lon_idx BETWEEN $3 AND $4
       GROUP BY floor((lat_idx - 90) / $5::float8), floor((lon_idx - 180) / $5::float8)
       HAVING sum(n) > 0 ORDER BY n DESC LIMIT $6`,
      params,
    );
    return rows.map((r) => ({ lat: Number(r.lat), lon: Number(r.lon), count: Number(r.n) }));
  }

  async #sampledClusters(f: SearchFilter, cell: number, limit: number, total: number): Promise<ClusterSummary> {
    const params: unknown[] = [];
    const sample = sampleOf(params, this.#tuning.clusterSampleRows, total);
    const where = this.#where(f, params, "all");
    const { rows } = await this.#pool.query<{ n: Num; lat: Num; lon: Num; sampled: Num }>(
      `WITH sample AS MATERIALIZED (SELECT s.search_point AS p, (${where.join(" AND ")}) AS hit FROM ${sample})
       SELECT count(*) AS n, avg(p[1]) AS lat, avg(p[0]) AS lon, (SELECT count(*) FROM sample) AS sampled
       FROM sample WHERE hit
       GROUP BY floor(p[1] / ${Number(cell)}), floor(p[0] / ${Number(cell)})
       ORDER BY n DESC LIMIT ${param(params, limit)}`,
      params,
    );
    const scale = rows.length ? total / Number(rows[0]!.sampled) : 0;
    return {
      clusters: rows.map((r) => ({
        lat: Number(r.lat),
        lon: Number(r.lon),
        count: Math.max(1, Math.round(Number(r.n) * scale)),
      })),
      approximate: true,
    };
  }

  async #exactClusters(f: SearchFilter, cell: number, limit: number, points: number | undefined): Promise<Cluster[]> {
    const params: unknown[] = [];
    const where = [
      "s.search_point IS NOT NULL",
      ...this.#where(f, params, this.#access(points, this.#tuning.geoClusters)),
    ];
    const base =
      "SELECT s.seq, s.search_point[1] AS lat, s.search_point[0] AS lon " +
      `FROM initiative_search s WHERE ${where.join(" AND ")}`;
    // Group on the narrow columns first; only a cell of one point needs its record's id and name.
    const grouped =
      cell > 0
        ? `SELECT count(*) AS n, avg(lat) AS lat, avg(lon) AS lon, min(seq) AS seq FROM (${base}) p
         GROUP BY floor(lat / ${Number(cell)}), floor(lon / ${Number(cell)})
         ORDER BY n DESC LIMIT $${params.push(limit)}`
        : `SELECT 1 AS n, lat, lon, seq FROM (${base}) p LIMIT $${params.push(limit)}`;
    const sql = `SELECT g.n, g.lat, g.lon, i.id, i.record->'initiative'->>'name' AS name
      FROM (${grouped}) g LEFT JOIN initiative i ON g.n = 1 AND i.seq = g.seq ORDER BY g.n DESC`;
    const { rows } = await this.#pool.query<ClusterRow>(sql, params);
    return rows.map((r) =>
      Number(r.n) === 1
        ? { lat: Number(r.lat), lon: Number(r.lon), count: 1, id: r.id, name: r.name }
        : { lat: Number(r.lat), lon: Number(r.lon), count: Number(r.n) },
    );
  }
}
