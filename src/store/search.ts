/**
 * Searching everything an instance holds: the filter model, the facets, what each record
 * contributes to the search index, and the search port each store adapter implements. It sits beside
 * the Store port (`store.ts`), which it extends, so the port and its adapters import nothing from `query/`.
 */
import type { InitiativeRecord } from "../domain/initiative.ts";
import type { SchemeName } from "../domain/taxonomy.ts";
import { FIELD_SCHEMES } from "../domain/taxonomy.ts";
import { plain } from "../domain/plain-text.ts";
import { LOCAL_SOURCE, type Page, type StoredInitiative } from "./records.ts";

/** The facets, with the taxonomy schemes their values come from (`source` has none). */
export const FACETS = {
  activity: FIELD_SCHEMES.activities,
  structure: FIELD_SCHEMES.organisationalStructure,
  membership: FIELD_SCHEMES.baseMembershipType,
  qualifier: FIELD_SCHEMES.qualifiers,
  country: FIELD_SCHEMES.country,
  source: [],
} as const satisfies Record<string, readonly SchemeName[]>;
export type FacetName = keyof typeof FACETS;
export const FACET_NAMES = Object.keys(FACETS) as FacetName[];

export { LOCAL_SOURCE };

/** A validated search. Facet values are canonical IRIs (or actor IRIs / "local" for source). */
export interface SearchFilter {
  /** Words that must all occur in the name or description (prefix match). */
  words?: string[];
  /** Match `words` as whole words only, not as prefixes (SPARQL literal lookups). */
  wholeWords?: boolean;
  bbox?: { minLon: number; minLat: number; maxLon: number; maxLat: number };
  near?: { lat: number; lon: number; radiusKm: number };
  /** Per facet, values of which a record must have at least one. */
  facets: Partial<Record<FacetName, string[]>>;
  /** Epoch ms: only records changed at or after. */
  updatedSince?: number;
  /**
   * Only records with coordinates (true) or only those without (false): the map's list shows the
   * second kind apart, since the map cannot.
   */
  located?: boolean;
  /**
   * Listings confirmed to be one organisation (`?collapse=sameAs`) count and come once: only the
   * listing standing for each group of confirmed duplicates matches (see src/duplicates/groups.ts).
   */
  collapse?: boolean;
}

/** True when a filter has no condition at all (`except` names conditions to disregard). */
export function isUnfiltered(f: SearchFilter, ...except: ("words" | "bbox" | "facets")[]): boolean {
  return (
    (except.includes("words") || !f.words?.length) &&
    (except.includes("bbox") || !f.bbox) &&
    !f.near &&
    f.updatedSince === undefined &&
    f.located === undefined &&
    (except.includes("facets") || !Object.values(f.facets).some((v) => v?.length))
  );
}

/** Counts per facet value for a filter. */
export type FacetCounts = Record<FacetName, { value: string; count: number }[]>;

/** Facet counts and how many records match in all (each record has exactly one `source`). */
export interface FacetSummary {
  total: number;
  counts: FacetCounts;
  /**
   * True when the counts were estimated from a sample because the match set was too large to
   * count within the query budget (an adapter's choice; the SQLite adapter always counts).
   */
  approximate: boolean;
}

/** A summary of exact counts: the total is the sum of the `source` counts. */
export function exactSummary(counts: FacetCounts): FacetSummary {
  return { total: counts.source.reduce((n, c) => n + c.count, 0), counts, approximate: false };
}

/** A cluster of points (or a single point when `count` is 1) for the map. */
export interface Cluster {
  lat: number;
  lon: number;
  count: number;
  /** The initiative's IRI and name when `count` is 1. */
  id?: string;
  name?: string;
}

/** Map clusters; `approximate` when counted on a sample (too many matches to read each). */
export interface ClusterSummary {
  clusters: Cluster[];
  approximate: boolean;
}

/** The search port (one implementation per store adapter). */
export interface SearchIndex {
  /** Matching records, newest change first; `cursor` from a previous page. */
  search(filter: SearchFilter, limit: number, cursor?: string): Promise<Page<StoredInitiative>>;
  /** How many records match. */
  count(filter: SearchFilter): Promise<number>;
  /** Counts per facet value among the records that match, and their total. */
  facets(filter: SearchFilter): Promise<FacetSummary>;
  /** Matching records with coordinates grouped into cells of `cellDegrees` (0 = no grouping). */
  clusters(filter: SearchFilter, cellDegrees: number, limit: number): Promise<ClusterSummary>;
  /** Brings the index up to date with every stored change (adapters that index asynchronously). */
  catchUp(): Promise<void>;
}

/** What one record contributes to the index. */
export interface IndexFields {
  name: string;
  description: string;
  lat?: number;
  lon?: number;
  updated: number;
  facets: { name: FacetName; value: string }[];
}

export function indexFields(r: InitiativeRecord): IndexFields {
  const i = r.initiative;
  const a = i.address;
  const facets: IndexFields["facets"] = [];
  // Each value once, where it first comes: the lists are short, and a set for each took 0.3-0.5 of 3.3 µs a record.
  const add = (name: FacetName, values: (string | undefined)[]) => {
    for (let k = 0; k < values.length; k++) {
      const v = values[k];
      if (v && values.indexOf(v) === k) facets.push({ name, value: v });
    }
  };
  add("activity", [i.primaryActivity, ...i.activities]);
  add("structure", i.organisationalStructure);
  add("membership", [i.baseMembershipType]);
  add("qualifier", i.qualifiers);
  add("country", [i.country]);
  add("source", [r.provenance?.origin ?? LOCAL_SOURCE]);
  const lat = a?.lat ?? a?.geoContainerLat;
  const lon = a?.long ?? a?.geoContainerLong;
  return {
    name: i.name,
    description: [i.description ? plain(i.description) : "", a?.locality, a?.region, a?.postcode]
      .filter(Boolean)
      .join(" "),
    ...(lat !== undefined && lon !== undefined ? { lat, lon } : {}),
    updated: Date.parse(r.updated),
    facets,
  };
}

/** Splits free text into the words an index matches (letters and digits only). */
export function wordsOf(text: string): string[] {
  return (
    text
      .normalize("NFKC")
      .toLowerCase()
      .match(/[\p{L}\p{N}]+/gu) ?? []
  ).slice(0, 10);
}

const EARTH_KM = 6371.0088;

/** Great-circle distance in km. */
export function distanceKm(lat1: number, lon1: number, lat2: number, lon2: number): number {
  const r = Math.PI / 180;
  const a =
    Math.sin(((lat2 - lat1) * r) / 2) ** 2 +
    Math.cos(lat1 * r) * Math.cos(lat2 * r) * Math.sin(((lon2 - lon1) * r) / 2) ** 2;
  return 2 * EARTH_KM * Math.asin(Math.min(1, Math.sqrt(a)));
}

/** The bounding box that contains every point within `radiusKm` of a point (for index prefilters). */
export function boxAround(lat: number, lon: number, radiusKm: number): NonNullable<SearchFilter["bbox"]> {
  const dLat = (radiusKm / EARTH_KM) * (180 / Math.PI);
  const minLat = Math.max(-90, lat - dLat);
  const maxLat = Math.min(90, lat + dLat);
  const cos = Math.cos((Math.max(Math.abs(minLat), Math.abs(maxLat)) * Math.PI) / 180);
  const dLon = cos < 1e-9 ? 180 : Math.min(180, dLat / cos);
  return { minLat, maxLat, minLon: Math.max(-180, lon - dLon), maxLon: Math.min(180, lon + dLon) };
}

/** The boxes a filter's location constraints put on the index (bbox and the near-circle's box). */
export function locationBox(f: SearchFilter): SearchFilter["bbox"] {
  const near = f.near ? boxAround(f.near.lat, f.near.lon, f.near.radiusKm) : undefined;
  if (!f.bbox) return near;
  if (!near) return f.bbox;
  return {
    minLat: Math.max(f.bbox.minLat, near.minLat),
    maxLat: Math.min(f.bbox.maxLat, near.maxLat),
    minLon: Math.max(f.bbox.minLon, near.minLon),
    maxLon: Math.min(f.bbox.maxLon, near.maxLon),
  };
}

export function emptyFacetCounts(): FacetCounts {
  return { activity: [], structure: [], membership: [], qualifier: [], country: [], source: [] };
}
