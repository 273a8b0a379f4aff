/**
 * Where the map opens: the box that holds what the instance holds, from the map's own clusters at
 * 1° (answered from kept cell counts on both stores, so it costs the same at a million records).
 * The outermost 2 % of records on each side is left out, so one initiative far away does not
 * zoom the map out to the whole world.
 */
import type { SearchIndex } from "../store/search.ts";

export interface Extent {
  minLat: number;
  minLon: number;
  maxLat: number;
  maxLon: number;
}

const TRIM = 0.02;

/** The value below which `share` of the weight lies. */
function quantile(values: { v: number; n: number }[], share: number): number {
  const total = values.reduce((s, x) => s + x.n, 0);
  let seen = 0;
  for (const x of values) {
    seen += x.n;
    if (seen >= total * share) return x.v;
  }
  return values[values.length - 1]!.v;
}

export async function extentOf(search: SearchIndex): Promise<Extent | undefined> {
  const { clusters } = await search.clusters({ facets: {} }, 1, 5000);
  if (!clusters.length) return undefined;
  const lats = clusters.map((c) => ({ v: c.lat, n: c.count })).sort((a, b) => a.v - b.v);
  const lons = clusters.map((c) => ({ v: c.lon, n: c.count })).sort((a, b) => a.v - b.v);
  // Cells are 1°: pad by half a degree so points at the edge are inside.
  const pad = 0.5;
  return {
    minLat: Math.max(-85, quantile(lats, TRIM) - pad),
    maxLat: Math.min(85, quantile(lats, 1 - TRIM) + pad),
    minLon: Math.max(-180, quantile(lons, TRIM) - pad),
    maxLon: Math.min(180, quantile(lons, 1 - TRIM) + pad),
  };
}
