/**
 * Collapsed results on SQLite (`SearchFilter.collapse`): the listings a group of confirmed
 * duplicates does not show (`dup_member.shown = 0`, a few per group) are left out. Queries on a
 * plan add one condition on them; answers read from kept counts (everything, or words alone)
 * take away what those few listings contribute, so collapsing keeps those answers' speed.
 */
import { emptyFacetCounts, type FacetCounts, type FacetName } from "../search.ts";
import type { SqliteDatabase } from "./database.ts";

/** The condition, on the search table (alias s), that leaves the listings not shown out. */
export const NOT_HIDDEN = "NOT EXISTS (SELECT 1 FROM dup_member m WHERE m.id = s.id AND m.shown = 0)";

/** Whether any listing is left out of collapsed results (none: collapsing changes nothing). */
export function anyHidden(db: SqliteDatabase): boolean {
  return (db.prepare("SELECT EXISTS (SELECT 1 FROM dup_member WHERE shown = 0) AS x").get() as { x: number }).x === 1;
}

/**
 * What the left-out listings contribute (their count, change numbers, facet values), kept while the
 * database is unchanged: `PRAGMA data_version` moves with other connections' commits and
 * `total_changes()` with this one's, so any write (a record, the indexer, a decision) renews it.
 */
interface Kept {
  stamp: string;
  values: Map<string, unknown>;
}
const kept = new WeakMap<SqliteDatabase, Kept>();
function cached<T>(db: SqliteDatabase, name: string, compute: () => T): T {
  const { v } = db
    .prepare("SELECT (SELECT data_version FROM pragma_data_version) || ':' || total_changes() AS v")
    .get() as {
    v: string;
  };
  let k = kept.get(db);
  if (!k || k.stamp !== v) kept.set(db, (k = { stamp: v, values: new Map() }));
  if (!k.values.has(name)) k.values.set(name, compute());
  return k.values.get(name) as T;
}

/** How many indexed listings are left out of collapsed results. */
export function hiddenCount(db: SqliteDatabase): number {
  return cached(db, "count", () => countHidden(db));
}

function countHidden(db: SqliteDatabase): number {
  return (
    db.prepare("SELECT count(*) AS n FROM dup_member m CROSS JOIN search s ON s.id = m.id WHERE m.shown = 0").get() as {
      n: number;
    }
  ).n;
}

/** A comma-separated list of change numbers without those of listings left out. */
export function withoutHidden(db: SqliteDatabase, list: string): string {
  const hidden = cached(db, "seqs", () => hiddenSeqs(db));
  return list
    .split(",")
    .filter((seq) => seq && !hidden.has(seq))
    .join(",");
}

function hiddenSeqs(db: SqliteDatabase): Set<string> {
  return new Set(
    (
      db.prepare("SELECT s.seq FROM dup_member m CROSS JOIN search s ON s.id = m.id WHERE m.shown = 0").all() as {
        seq: number;
      }[]
    ).map((r) => String(r.seq)),
  );
}

/** Kept facet counts less those of the listings left out. */
export function facetCountsLessHidden(db: SqliteDatabase): FacetCounts {
  const less = cached(db, "facets", () => hiddenFacets(db));
  const out = emptyFacetCounts();
  const rows = (
    db.prepare("SELECT name, value, n FROM facet_count WHERE n > 0").all() as {
      name: FacetName;
      value: string;
      n: number;
    }[]
  )
    .map((r) => ({ ...r, n: r.n - (less.get(`${r.name}\u0000${r.value}`) ?? 0) }))
    .filter((r) => r.n > 0)
    .sort((a, b) => b.n - a.n || (a.value < b.value ? -1 : a.value > b.value ? 1 : 0));
  for (const r of rows) out[r.name]?.push({ value: r.value, count: r.n });
  return out;
}

/** The left-out listings per 1° cell (`lat_idx,lon_idx` → count), kept like the rest. */
function hiddenCells(db: SqliteDatabase): Map<string, number> {
  return cached(
    db,
    "cells",
    () =>
      new Map(
        (
          db
            .prepare(
              `SELECT min(179, CAST(floor(s.lat + 90) AS INTEGER)) AS a,
              min(359, CAST(floor(s.lon + 180) AS INTEGER)) AS b,
              count(*) AS n FROM dup_member m CROSS JOIN search s ON s.id = m.id WHERE m.shown = 0 AND s.lat IS NOT NULL
              GROUP BY 1, 2`,
            )
            .all() as { a: number; b: number; n: number }[]
        ).map((r) => [`${r.a},${r.b}`, r.n]),
      ),
  );
}

/**
 * A whole-world view at `cell` degrees (1 or more) from the kept 1° cell counts less the listings
 * left out, grouped as the uncollapsed query groups them.
 */
export function worldClustersLessHidden(
  db: SqliteDatabase,
  b: { minLat: number; maxLat: number; minLon: number; maxLon: number },
  cell: number,
  limit: number,
): { lat: number; lon: number; count: number }[] {
  const hidden = hiddenCells(db);
  const groups = new Map<string, { n: number; lat: number; lon: number }>();
  for (const r of db
    .prepare(
      "SELECT lat_idx, lon_idx, n FROM geo_cell WHERE n > 0 AND lat_idx BETWEEN ? AND ? AND lon_idx BETWEEN ? AND ?",
    )
    .all(
      Math.floor(b.minLat + 90),
      Math.floor(b.maxLat + 90),
      Math.floor(b.minLon + 180),
      Math.floor(b.maxLon + 180),
    ) as { lat_idx: number; lon_idx: number; n: number }[]) {
    const n = r.n - (hidden.get(`${r.lat_idx},${r.lon_idx}`) ?? 0);
    if (n <= 0) continue;
    const key = `${Math.floor((r.lat_idx - 90) / cell)},${Math.floor((r.lon_idx - 180) / cell)}`;
    const g = groups.get(key) ?? { n: 0, lat: 0, lon: 0 };
    g.n += n;
    g.lat += n * (r.lat_idx - 89.5);
    g.lon += n * (r.lon_idx - 179.5);
    groups.set(key, g);
  }
  return [...groups.values()]
    .sort((x, y) => y.n - x.n)
    .slice(0, limit)
    .map((g) => ({ lat: g.lat / g.n, lon: g.lon / g.n, count: g.n }));
}
function hiddenFacets(db: SqliteDatabase): Map<string, number> {
  const less = new Map<string, number>();
  for (const r of db
    .prepare(
      `SELECT v.name, v.value, count(*) AS n FROM dup_member m
       CROSS JOIN search s ON s.id = m.id CROSS JOIN facet_list l ON l.seq = s.seq CROSS JOIN json_each(l.list) f
       CROSS JOIN facet_value v ON v.id = f.value
       WHERE m.shown = 0 GROUP BY 1, 2`,
    )
    .all() as { name: string; value: string; n: number }[])
    less.set(`${r.name}\u0000${r.value}`, r.n);
  return less;
}
