/**
 * One GeoJSON Feature → a draft. Properties are read under the names essfed's own GeoJSON export
 * writes and under the OpenStreetMap-style tags that TransforMap and other SSE maps publish
 * (`addr:*`, `contact:*`, `website`, `name:fr`, `description:es`, `ref:FR:SIREN`). Properties neither names are
 * listed, so the import can report them instead of dropping them silently.
 */
import { SHARED_FIELDS } from "../domain/sharing.ts";
import type { InitiativeDraft } from "../domain/validate.ts";
import { said, type Said } from "../domain/issue-messages.ts";
import { OSM_TAGS, parseRegistrations, type Registration } from "../domain/registrations.ts";

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === "object" && v !== null && !Array.isArray(v);

/** A string, or the `id` of a `{ id, label }` object as the export writes taxonomy values. */
const iriOrText = (v: unknown): string | undefined =>
  typeof v === "string"
    ? v
    : typeof v === "number"
      ? String(v)
      : isObj(v) && typeof v.id === "string"
        ? v.id
        : undefined;
const many = (v: unknown): string[] =>
  (Array.isArray(v) ? v : v === undefined || v === null ? [] : typeof v === "string" ? v.split(";") : [v])
    .map(iriOrText)
    .filter((x): x is string => x !== undefined);

/** Properties read directly, by the model field they fill (first name present wins). */
const TEXT: Record<string, readonly string[]> = {
  description: ["description"],
  homepage: ["homepage", "contact:website", "website", "contact:url"],
  email: ["email", "contact:email"],
  phone: ["phone", "contact:phone", "contact:mobile"],
  twitter: ["twitter", "contact:twitter"],
  facebook: ["facebook", "contact:facebook"],
  companiesHouseNumber: ["companiesHouseNumber"],
  legalFormText: ["legalFormText"],
  sector: ["sector"],
  ownership: ["ownership"],
  primaryActivity: ["primaryActivity"],
  baseMembershipType: ["baseMembershipType"],
  license: ["license"],
  attribution: ["attribution"],
  country: ["country", "addr:country"],
  territory: ["territory"],
};
const MANY: Record<string, string> = {
  organisationalStructure: "organisationalStructure",
  legalForm: "legalForm",
  activities: "activities",
  qualifiers: "qualifiers",
  sicCodes: "sicCodes",
  sameAs: "sameAs",
};
const ADDRESS: Record<string, readonly string[]> = {
  streetAddress: ["streetAddress", "addr:full"],
  locality: ["locality", "addr:city"],
  region: ["region", "addr:state", "addr:province", "addr:region"],
  postcode: ["postcode", "addr:postcode"],
  countryName: ["countryName"],
  geoContainer: ["geoContainer"],
  geoContainerLat: ["geoContainerLat"],
  geoContainerLong: ["geoContainerLong"],
};
/**
 * Read elsewhere below (name, street parts), or written by the export about the record rather than
 * part of it (its page, source network and dates): never reported as ignored.
 */
const READ_ELSEWHERE = new Set(["url", "source", "updated", "published", "addr:street", "addr:housenumber", "name"]);
const TRANSLATION = /^(name|description):([a-z]{2,3}(?:-[a-z0-9]{1,8})*)$/i;

export interface FeatureRead {
  draft: InitiativeDraft;
  /** The property each field was read from, for messages. */
  columns: Record<string, string>;
  /** Properties not read. */
  ignored: string[];
  /** Things said about the feature as a whole (a position taken from a polygon). */
  notes: Said[];
}

/** Reads a Feature; undefined when `f` is not a GeoJSON Feature at all. */
export function readFeature(f: unknown): FeatureRead | undefined {
  if (!isObj(f) || f.type !== "Feature") return undefined;
  const p = isObj(f.properties) ? f.properties : {};
  const columns: Record<string, string> = {};
  const used = new Set<string>(READ_ELSEWHERE);
  const first = (field: string, keys: readonly string[]) => {
    const key = keys.find((k) => p[k] !== undefined && p[k] !== null && p[k] !== "");
    keys.forEach((k) => used.add(k));
    if (key === undefined) return undefined;
    columns[field] = key;
    return iriOrText(p[key]);
  };
  const draft: InitiativeDraft = { id: featureIri(f) ?? "" };
  for (const [field, keys] of Object.entries(TEXT)) {
    const v = first(field, keys);
    if (v !== undefined) (draft as unknown as Obj)[field] = v;
  }
  // essfed's export writes the record's page as `url`; elsewhere `url` is the initiative's website.
  if (draft.homepage === undefined && typeof p.url === "string" && p.url !== f.id) {
    draft.homepage = p.url;
    columns.homepage = "url";
  }
  for (const [field, key] of Object.entries(MANY)) {
    used.add(key);
    if (p[key] === undefined || p[key] === null) continue;
    columns[field] = key;
    (draft as unknown as Obj)[field] = many(p[key]);
  }
  const address: NonNullable<InitiativeDraft["address"]> = {};
  for (const [field, keys] of Object.entries(ADDRESS)) {
    const v = first(`address.${field}`, keys);
    if (v !== undefined) (address as Obj)[field] = v;
  }
  const street = streetLine(p["addr:street"], p["addr:housenumber"], p["addr:country"]);
  if (street && address.streetAddress === undefined) {
    address.streetAddress = street;
    columns["address.streetAddress"] = "addr:street";
  }
  const notes: Said[] = [];
  const position = positionOf(f.geometry, notes);
  if (position) {
    address.lat = position.lat;
    address.long = position.long;
    columns["address.lat"] = columns["address.long"] = "geometry";
  }
  if (Object.keys(address).length) draft.address = address;
  for (const field of SHARED_FIELDS) {
    const v = first(`sharing.${field}`, [`${field}Sharing`]);
    if (v !== undefined) (draft.sharing ??= {})[field] = v;
  }
  const registrations = registrationsOf(p, columns, used);
  if (registrations.length) draft.registrations = registrations;
  readTexts(p, draft, columns, used);
  const ignored = Object.keys(p).filter((k) => !used.has(k) && p[k] !== null && p[k] !== "");
  return { draft, columns, ignored, notes };
}

/**
 * Registrations: essfed's `registrations` (objects `{ register, number }` or `REGISTER:number`
 * text), and OpenStreetMap's `ref:FR:SIREN`, `ref:FR:SIRET`, `ref:FR:RNA` and `ref:vatin` (a VAT
 * number with its country prefix, `FR40303265045`, is in the register `FR-VAT`).
 */
function registrationsOf(p: Obj, columns: Record<string, string>, used: Set<string>): Registration[] {
  const out: Registration[] = [];
  used.add("registrations");
  const given = p.registrations;
  for (const r of Array.isArray(given) ? given : typeof given === "string" ? [given] : []) {
    if (isObj(r)) out.push({ register: iriOrText(r.register) ?? "", number: iriOrText(r.number) ?? "" });
    else if (typeof r === "string") out.push(...parseRegistrations(r));
  }
  if (out.length) columns.registrations = "registrations";
  for (const [tag, register] of Object.entries({ ...OSM_TAGS, "ref:vatin": "" })) {
    used.add(tag);
    const v = p[tag];
    if (typeof v !== "string" && typeof v !== "number") continue;
    for (const number of String(v).split(";")) {
      const vat = /^\s*([A-Za-z]{2})/.exec(number);
      out.push({ register: register || (vat ? `${vat[1]!.toUpperCase()}-VAT` : ""), number });
    }
    columns.registrations ??= tag;
  }
  return out;
}

/** The name and description, and their translations under `name:xx` and `description:xx`. */
function readTexts(p: Obj, draft: InitiativeDraft, columns: Record<string, string>, used: Set<string>): void {
  const names: [string, string][] = [];
  for (const [k, v] of Object.entries(p)) {
    const m = TRANSLATION.exec(k);
    if (!m || typeof v !== "string") continue;
    used.add(k);
    const [kind, lang] = [m[1]!.toLowerCase(), m[2]!.toLowerCase()];
    if (kind === "name") names.push([lang, v]);
    const t = ((draft.translations ??= {})[lang] ??= {});
    t[kind as "name" | "description"] = v;
    columns[`translations.${lang}.${kind}`] = k;
  }
  const plain = typeof p.name === "string" && p.name.trim() ? p.name : undefined;
  columns.name = "name";
  // No plain name: an English one, else the first given, is the record's own.
  const [lang, name] =
    plain !== undefined ? [undefined, plain] : (names.find(([l]) => l === "en") ?? names[0] ?? [undefined, undefined]);
  draft.name = name;
  if (lang !== undefined) {
    columns.name = `name:${lang}`;
    const t = draft.translations![lang]!;
    delete t.name;
    // The description in that language goes with it, when there is no plain one.
    if (draft.description === undefined && t.description !== undefined) {
      draft.description = t.description;
      delete t.description;
    }
    if (t.description === undefined) delete draft.translations![lang];
  }
}

/** An IRI for the feature: its own `id` when that is one, an OpenStreetMap element's page for `node/123`. */
function featureIri(f: Obj): string | undefined {
  const id = f.id ?? (isObj(f.properties) ? f.properties["@id"] : undefined);
  if (typeof id === "string" && /^https?:\/\//.test(id)) return id;
  if (typeof id === "string" && /^(node|way|relation)\/\d+$/.test(id)) return `https://www.openstreetmap.org/${id}`;
  return undefined;
}

/**
 * Countries whose addresses put the house number before the street ("4 Rue du Port", "10 Downing
 * Street"); elsewhere in the SSE maps' world (Germany, Spain, Italy, Portugal, Latin America, most
 * of Europe) it follows the street ("Weserstraße 12"). OpenStreetMap keeps the two apart; the record
 * has one street line. Without a country, the number goes first, as before.
 */
const NUMBER_FIRST = new Set(["FR", "MC", "LU", "GB", "IE", "US", "CA", "AU", "NZ", "ZA", "IN", "PH", "SG", "MY"]);

/** One street line from OpenStreetMap's `addr:street` and `addr:housenumber`, in the country's order. */
function streetLine(street: unknown, number: unknown, country: unknown): string {
  const parts = [number, street].filter((x) => typeof x === "string" || typeof x === "number");
  const code = typeof country === "string" ? country.trim().toUpperCase() : "";
  const numberLast = parts.length === 2 && /^[A-Z]{2}$/.test(code) && !NUMBER_FIRST.has(code);
  return (numberLast ? parts.reverse() : parts).join(" ");
}

/** A centre's coordinate to 7 decimals (about a centimetre), without the binary sum's noise (48.855000000000004). */
const centre = (a: number, b: number) => Math.round(((a + b) / 2) * 1e7) / 1e7;

/** Latitude and longitude of a Point; the centre of the bounding box of anything else, with a note. */
function positionOf(g: unknown, notes: Said[]): { lat: number | string; long: number | string } | undefined {
  if (!isObj(g)) return undefined;
  if (g.type === "Point" && Array.isArray(g.coordinates)) {
    // Whatever is there goes to validation, which leaves out what is not a position.
    const [long, lat] = (g.coordinates as unknown[]).map((c) =>
      typeof c === "number" || typeof c === "string" ? c : String(c),
    );
    return { long: long ?? "", lat: lat ?? "" };
  }
  const points: number[][] = [];
  const walk = (c: unknown, depth: number): void => {
    if (!Array.isArray(c) || depth > 4 || points.length > 100_000) return;
    if (typeof c[0] === "number" && typeof c[1] === "number") points.push(c as number[]);
    else for (const x of c) walk(x, depth + 1);
  };
  walk(g.coordinates, 0);
  if (!points.length) return undefined;
  let [minLat, maxLat, minLong, maxLong] = [Infinity, -Infinity, Infinity, -Infinity];
  for (const [long, lat] of points as [number, number][]) {
    minLat = Math.min(minLat, lat);
    maxLat = Math.max(maxLat, lat);
    minLong = Math.min(minLong, long);
    maxLong = Math.max(maxLong, long);
  }
  notes.push(said("geometryCentre", { type: String(g.type) }));
  return { lat: centre(minLat, maxLat), long: centre(minLong, maxLong) };
}
