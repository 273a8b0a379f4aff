/**
 * Map clusters for words within a box, the map's commonest filtered view. Joining a common word's
 * FTS matches (150,000 at a million records) to the points table row by row costs ~70 ms; instead
 * the matches are read as one list into a bit set and the box's points, from the R-tree, are
 * tested against it (~35 ms). Only cells of one point look their record up.
 */
import type { Cluster, SearchFilter } from "../../query/search.ts";
import type { SqliteDatabase } from "./database.ts";

/** The change numbers FTS5 matches for a query, as a bit set indexed by change number. */
function matches(db: SqliteDatabase, ftsQuery: string): Uint8Array {
  const { list, top } = db.prepare("SELECT group_concat(rowid) AS list, (SELECT coalesce(max(seq), 0) FROM search) AS top FROM search_fts WHERE search_fts MATCH ?")
    .get(ftsQuery) as { list: string | null; top: number };
  const hit = new Uint8Array(top + 1);
  if (!list) return hit;
  let n = 0;
  for (let k = 0; k < list.length; k++) {
    const c = list.charCodeAt(k);
    if (c === 44) {
      hit[n] = 1;
      n = 0;
    } else n = n * 10 + c - 48;
  }
  hit[n] = 1;
  return hit;
}

interface Cell { n: number; lat: number; lon: number; seq: number }

export function clustersOfWordsInBox(db: SqliteDatabase, ftsQuery: string, box: NonNullable<SearchFilter["bbox"]>, cell: number, limit: number): Cluster[] {
  const hit = matches(db, ftsQuery);
  const stmt = db.prepare("SELECT seq, min_lat, max_lat, min_lon, max_lon FROM search_geo WHERE min_lat >= ? AND max_lat <= ? AND min_lon >= ? AND max_lon <= ?");
  // Rows as arrays where this Node.js has them (22.16+): no object per row.
  (stmt as { setReturnArrays?: (on: boolean) => void }).setReturnArrays?.(true);
  const cells = new Map<string, Cell>();
  const list: Cell[] = [];
  for (const r of stmt.iterate(box.minLat, box.maxLat, box.minLon, box.maxLon) as Iterable<number[] | Record<string, number>>) {
    const row = Array.isArray(r) ? r : Object.values(r);
    const seq = row[0]!;
    if (!hit[seq]) continue;
    // The R-tree keeps 32-bit bounds around each point: their middle is within a metre of it.
    const lat = (row[1]! + row[2]!) / 2;
    const lon = (row[3]! + row[4]!) / 2;
    if (cell <= 0) {
      list.push({ n: 1, lat, lon, seq });
      if (list.length >= limit) break;
      continue;
    }
    const key = `${Math.floor(lat / cell)},${Math.floor(lon / cell)}`;
    const c = cells.get(key);
    if (c) {
      c.n++;
      c.lat += lat;
      c.lon += lon;
      if (seq < c.seq) c.seq = seq;
    } else cells.set(key, { n: 1, lat, lon, seq });
  }
  const chosen = cell <= 0 ? list : [...cells.values()].sort((a, b) => b.n - a.n).slice(0, limit);
  const one = db.prepare("SELECT id, name, lat, lon FROM search WHERE seq = ?");
  return chosen.map((c) => {
    if (c.n > 1) return { lat: c.lat / c.n, lon: c.lon / c.n, count: c.n };
    const r = one.get(c.seq) as { id: string; name: string; lat: number; lon: number };
    return { lat: r.lat, lon: r.lon, count: 1, id: r.id, name: r.name };
  });
}
