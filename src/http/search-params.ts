/**
 * Query-string → {@link SearchFilter}, with every bad parameter refused before any work is done:
 * each error names the parameter and says why (400 problem+json). Limits keep each query bounded.
 */
import type { Taxonomies } from "../domain/taxonomy.ts";
import { FACETS, FACET_NAMES, LOCAL_SOURCE, wordsOf, type FacetName, type SearchFilter } from "../store/search.ts";
import { BadRequestHttpError } from "../errors.ts";

export const SEARCH_LIMITS = {
  q: 200,
  words: 10,
  values: 20,
  pageMax: 1000,
  pageDefault: 100,
  radiusKm: 20_000,
} as const;

export interface SearchRequest {
  filter: SearchFilter;
  limit: number;
  cursor?: string;
  lang: string;
}

type Query = Record<string, unknown>;
type ParamError = { param: string; message: string; value?: string };

const KNOWN = new Set([
  "q",
  "bbox",
  "near",
  "radius",
  ...FACET_NAMES,
  "updatedSince",
  "located",
  "limit",
  "cursor",
  "format",
  "lang",
  "zoom",
  "collapse",
]);

function list(v: unknown): string[] {
  const raw = Array.isArray(v) ? v : v === undefined ? [] : [v];
  return raw
    .flatMap((x) => String(x).split(","))
    .map((x) => x.trim())
    .filter(Boolean);
}

function numbers(v: unknown, n: number): number[] | undefined {
  if (typeof v !== "string") return undefined;
  const parts = v.split(",").map((x) => x.trim());
  if (parts.length !== n || parts.some((p) => !/^[-+]?\d+(\.\d+)?$/.test(p))) return undefined;
  return parts.map(Number);
}

/** A parameter's value as the client sent it: a string, or the values of a repeated one joined by commas. */
const shown = (v: unknown): string => (Array.isArray(v) ? v.join(",") : typeof v === "string" ? v : JSON.stringify(v));

/** Parses and validates the search parameters; throws 400 listing every problem. */
export function parseSearch(
  query: Query,
  taxonomies: Taxonomies,
  acceptLanguage?: string,
  defaults: { collapse?: boolean } = {},
): SearchRequest {
  const errors: ParamError[] = [];
  const bad = (param: string, message: string, value?: unknown) =>
    errors.push({ param, message, ...(value === undefined ? {} : { value: shown(value).slice(0, 200) }) });
  for (const k of Object.keys(query)) if (!KNOWN.has(k)) bad(k, "is not a search parameter");
  const filter: SearchFilter = { facets: {} };

  if (query.q !== undefined) {
    if (typeof query.q !== "string") bad("q", "must be given once");
    else if (query.q.length > SEARCH_LIMITS.q) bad("q", `must be at most ${SEARCH_LIMITS.q} characters`);
    else {
      const words = wordsOf(query.q);
      if (words.length) filter.words = words;
      else if (query.q.trim()) bad("q", "has no letters or digits to search for", query.q);
    }
  }

  if (query.bbox !== undefined) {
    const b = numbers(query.bbox, 4);
    if (!b) bad("bbox", "must be minLon,minLat,maxLon,maxLat in decimal degrees", query.bbox);
    else {
      const [minLon, minLat, maxLon, maxLat] = b as [number, number, number, number];
      if (Math.abs(minLat) > 90 || Math.abs(maxLat) > 90 || Math.abs(minLon) > 180 || Math.abs(maxLon) > 180)
        bad("bbox", "is outside -180..180, -90..90", query.bbox);
      else if (minLat > maxLat || minLon > maxLon)
        bad("bbox", "must have min before max (boxes across the antimeridian: send two queries)", query.bbox);
      else filter.bbox = { minLon, minLat, maxLon, maxLat };
    }
  }

  if (query.near !== undefined || query.radius !== undefined) {
    const p = numbers(query.near, 2);
    const radius = query.radius === undefined ? 25 : Number(query.radius);
    if (!p) bad("near", "must be lat,lon in decimal degrees", query.near);
    else if (Math.abs(p[0]!) > 90 || Math.abs(p[1]!) > 180) bad("near", "is outside -90..90, -180..180", query.near);
    if (!Number.isFinite(radius) || radius <= 0 || radius > SEARCH_LIMITS.radiusKm)
      bad("radius", `must be a distance in km above 0 and at most ${SEARCH_LIMITS.radiusKm}`, query.radius);
    else if (p && Math.abs(p[0]!) <= 90 && Math.abs(p[1]!) <= 180)
      filter.near = { lat: p[0]!, lon: p[1]!, radiusKm: radius };
  }

  for (const facet of FACET_NAMES) {
    const values = list(query[facet]);
    if (!values.length) continue;
    if (values.length > SEARCH_LIMITS.values) {
      bad(facet, `takes at most ${SEARCH_LIMITS.values} values`);
      continue;
    }
    const resolved: string[] = [];
    for (const v of values) {
      const iri = resolveFacet(facet, v, taxonomies);
      if (iri) resolved.push(iri);
      else
        bad(
          facet,
          facet === "source"
            ? `"${v}" is neither an actor IRI nor "${LOCAL_SOURCE}"`
            : `"${v}" is not a concept of ${FACETS[facet].join(" or ")}`,
          v,
        );
    }
    filter.facets[facet] = [...new Set(resolved)];
  }

  if (query.updatedSince !== undefined) {
    const t =
      typeof query.updatedSince === "string" && /^\d{4}-\d{2}-\d{2}/.test(query.updatedSince)
        ? Date.parse(query.updatedSince)
        : NaN;
    if (Number.isNaN(t)) bad("updatedSince", "must be an ISO 8601 date or date-time", query.updatedSince);
    else filter.updatedSince = t;
  }

  if (query.located !== undefined) {
    if (query.located === "true" || query.located === "false") filter.located = query.located === "true";
    else bad("located", "must be true (with coordinates) or false (without)", query.located);
  }

  // Listings confirmed to be one organisation, once (`sameAs`) or each (`none`); the map collapses by default.
  if (query.collapse === undefined) {
    if (defaults.collapse) filter.collapse = true;
  } else if (query.collapse === "sameAs") filter.collapse = true;
  else if (query.collapse !== "none")
    bad("collapse", "must be sameAs (duplicates once) or none (every listing)", query.collapse);

  let limit: number = SEARCH_LIMITS.pageDefault;
  if (query.limit !== undefined) {
    const n = Number(query.limit);
    if (!Number.isInteger(n) || n < 1 || n > SEARCH_LIMITS.pageMax)
      bad("limit", `must be an integer from 1 to ${SEARCH_LIMITS.pageMax}`, query.limit);
    else limit = n;
  }
  let cursor: string | undefined;
  if (query.cursor !== undefined) {
    if (typeof query.cursor !== "string" || !/^\d{1,16}$/.test(query.cursor))
      bad("cursor", "is not a cursor this API gave out", query.cursor);
    else cursor = query.cursor;
  }
  const lang =
    typeof query.lang === "string" && /^[a-z]{2,3}(-[A-Za-z0-9]+)?$/.test(query.lang)
      ? query.lang
      : (acceptLanguage ?? "").split(",")[0]?.split(";")[0]?.trim().toLowerCase().split("-")[0] || "en";
  if (query.lang !== undefined && lang !== query.lang)
    bad("lang", "must be a language tag such as en, fr or es", query.lang);

  if (errors.length) {
    throw new BadRequestHttpError(
      `bad search parameters: ${errors.map((e) => `${e.param} ${e.message}`).join("; ")}`,
      "invalid-search",
      { errors },
    );
  }
  return { filter, limit, ...(cursor ? { cursor } : {}), lang };
}

function resolveFacet(facet: FacetName, value: string, taxonomies: Taxonomies): string | undefined {
  if (facet === "source") return value === LOCAL_SOURCE || /^https?:\/\/\S+$/.test(value) ? value : undefined;
  // Countries are also written as ISO codes in lower case (fr, gb).
  return taxonomies.resolve(
    FACETS[facet],
    facet === "country" && /^[a-z]{2}$/.test(value) ? value.toUpperCase() : value,
  );
}
