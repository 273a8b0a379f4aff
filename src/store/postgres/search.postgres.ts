/**
 * Search on PostgreSQL: expression indexes on the stored records (GIN full text, GIN jsonb
 * containment for facets, GiST on points), so the index is always exactly the data; the planner
 * combines them. Facet and cell counts for the unfiltered case come from trigger-kept tables.
 */
import type pg from "pg";
import type { InitiativeRecord } from "../../domain/initiative.ts";
import {
  FACET_NAMES, emptyFacetCounts, locationBox,
  type Cluster, type FacetCounts, type FacetName, type SearchFilter, type SearchIndex,
} from "../../query/search.ts";
import type { Page, StoredInitiative } from "../store.ts";

/** A tsquery of the words, each as a prefix, all required; words are letters and digits only. */
function tsQuery(words: string[]): string {
  return words.map((w) => `${w.replace(/[^\p{L}\p{N}]/gu, "")}:*`).filter((w) => w !== ":*").join(" & ");
}

export class PostgresSearchIndex implements SearchIndex {
  readonly #pool: pg.Pool;
  constructor(pool: pg.Pool) {
    this.#pool = pool;
  }

  async catchUp(): Promise<void> {
    // Expression indexes change with the data: nothing to catch up.
  }

  /** WHERE clause (on alias i) and its parameters for a filter. */
  #where(f: SearchFilter, params: unknown[]): string[] {
    const where: string[] = [];
    const p = (v: unknown) => `$${params.push(v)}`;
    if (f.words?.length) where.push(`i.search_text @@ to_tsquery('simple', ${p(tsQuery(f.words))})`);
    for (const name of FACET_NAMES) {
      const values = f.facets[name];
      // Any of the values: array overlap on "facet value" keys (GIN).
      if (values?.length) where.push(`i.facet_keys && ${p(values.map((v) => `${name} ${v}`))}::text[]`);
    }
    const box = locationBox(f);
    if (box) where.push(`i.search_point <@ box(point(${p(box.minLon)}, ${p(box.minLat)}), point(${p(box.maxLon)}, ${p(box.maxLat)}))`);
    if (f.near) {
      // Haversine, in km, on rows the box above let through (search_point is lon, lat).
      where.push(`2 * 6371.0088 * asin(least(1, sqrt(power(sin(radians(i.search_point[1] - ${p(f.near.lat)}) / 2), 2)
        + cos(radians(i.search_point[1])) * cos(radians(${p(f.near.lat)})) * power(sin(radians(i.search_point[0] - ${p(f.near.lon)}) / 2), 2)))) <= ${p(f.near.radiusKm)}`);
    }
    if (f.updatedSince !== undefined) where.push(`i.updated >= ${p(new Date(f.updatedSince).toISOString())}`);
    return where;
  }

  async search(f: SearchFilter, limit: number, cursor?: string): Promise<Page<StoredInitiative>> {
    const params: unknown[] = [];
    const where = this.#where(f, params);
    if (cursor !== undefined) where.push(`i.seq < $${params.push(Number(cursor))}`);
    const { rows } = await this.#pool.query(
      `SELECT i.seq, i.record, i.signed FROM initiative i ${where.length ? `WHERE ${where.join(" AND ")}` : ""} ORDER BY i.seq DESC LIMIT $${params.push(limit + 1)}`,
      params,
    );
    const items = rows.slice(0, limit).map((r): StoredInitiative => ({ ...(r.record as InitiativeRecord), seq: Number(r.seq), ...(r.signed ? { signed: r.signed } : {}) }));
    return rows.length > limit ? { items, next: String(items[items.length - 1]!.seq) } : { items };
  }

  async count(f: SearchFilter): Promise<number> {
    const params: unknown[] = [];
    const where = this.#where(f, params);
    const { rows } = await this.#pool.query(`SELECT count(*) AS n FROM initiative i ${where.length ? `WHERE ${where.join(" AND ")}` : ""}`, params);
    return Number(rows[0].n);
  }

  async facets(f: SearchFilter): Promise<FacetCounts> {
    const params: unknown[] = [];
    const where = this.#where(f, params);
    const out = emptyFacetCounts();
    if (!where.length) {
      const { rows } = await this.#pool.query("SELECT name, value, n FROM facet_count WHERE n > 0 ORDER BY n DESC, value");
      for (const r of rows) out[r.name as FacetName]?.push({ value: r.value, count: Number(r.n) });
      return out;
    }
    const { rows } = await this.#pool.query(
      `SELECT k, count(*) AS n FROM initiative i, unnest(i.facet_keys) k WHERE ${where.join(" AND ")} GROUP BY k ORDER BY n DESC, k`, params);
    for (const r of rows) {
      const cut = (r.k as string).indexOf(" ");
      out[(r.k as string).slice(0, cut) as FacetName]?.push({ value: (r.k as string).slice(cut + 1), count: Number(r.n) });
    }
    return out;
  }

  async clusters(f: SearchFilter, cell: number, limit: number): Promise<Cluster[]> {
    if (cell >= 1 && !f.words?.length && !f.near && f.updatedSince === undefined && !Object.values(f.facets).some((v) => v?.length)) {
      // A whole-world view of everything: the 1° cell counts already hold the answer.
      const b = f.bbox ?? { minLat: -90, maxLat: 90, minLon: -180, maxLon: 180 };
      const { rows } = await this.#pool.query(
        `SELECT sum(n) AS n, sum(n * (lat_idx - 89.5)) / sum(n) AS lat, sum(n * (lon_idx - 179.5)) / sum(n) AS lon
         FROM geo_cell WHERE n > 0 AND lat_idx BETWEEN $1 AND $2 AND lon_idx BETWEEN $3 AND $4
         GROUP BY floor((lat_idx - 90) / $5::float8), floor((lon_idx - 180) / $5::float8) ORDER BY n DESC LIMIT $6`,
        [Math.floor(b.minLat + 90), Math.floor(b.maxLat + 90), Math.floor(b.minLon + 180), Math.floor(b.maxLon + 180), cell, limit],
      );
      return rows.map((r) => ({ lat: Number(r.lat), lon: Number(r.lon), count: Number(r.n) }));
    }
    const params: unknown[] = [];
    const where = ["i.search_point IS NOT NULL", ...this.#where(f, params)];
    const base = `SELECT i.id, i.record->'initiative'->>'name' AS name, i.search_point[1] AS lat, i.search_point[0] AS lon
      FROM initiative i WHERE ${where.join(" AND ")}`;
    const sql = cell > 0
      ? `SELECT count(*) AS n, avg(lat) AS lat, avg(lon) AS lon, min(id) AS id, min(name) AS name FROM (${base}) p
         GROUP BY floor(lat / ${Number(cell)}), floor(lon / ${Number(cell)}) ORDER BY n DESC LIMIT $${params.push(limit)}`
      : `SELECT 1 AS n, lat, lon, id, name FROM (${base}) p LIMIT $${params.push(limit)}`;
    const { rows } = await this.#pool.query(sql, params);
    return rows.map((r) => (Number(r.n) === 1
      ? { lat: Number(r.lat), lon: Number(r.lon), count: 1, id: r.id, name: r.name }
      : { lat: Number(r.lat), lon: Number(r.lon), count: Number(r.n) }));
  }
}
