/**
 * What of a record tells organisations apart (its signals), and its blocking keys: short strings
 * two listings of one organisation are likely to share, so that candidates are found by looking
 * up a record's keys, never by comparing it with everything held.
 */
import type { Initiative } from "../initiative.ts";
import { matchKey, normaliseCompaniesHouse } from "../registrations.ts";
import {
  fold,
  normaliseEmail,
  normaliseName,
  normalisePhone,
  normalisePostcode,
  normaliseWebsite,
} from "./normalise.ts";

export interface Signals {
  id: string;
  /** Normalised name ({@link normaliseName}). */
  name: string;
  /** Registrations as `REGISTER:number` (`GB-COH:01234567`; a SIRET as its SIREN), sorted. */
  registrations?: string[];
  website?: string;
  email?: string;
  phone?: string;
  /** Country code and normalised postcode, `GB:LE15EW`. */
  postcode?: string;
  lat?: number;
  lon?: number;
  /** The network the listing comes from (its origin actor), undefined for this instance's own. */
  source?: string;
}

/** The two-letter code at the end of a countries-iso concept IRI. */
function countryCode(iri: string | undefined): string {
  const m = iri ? /([A-Za-z]{2})$/.exec(iri) : null;
  return m ? m[1]!.toUpperCase() : "";
}

/** The signals of one record. */
export function signalsOf(i: Initiative, source?: string): Signals {
  const s: Signals = { id: i.id, name: normaliseName(i.name) };
  const registrations = new Set((i.registrations ?? []).map(matchKey));
  // Normalised as a GB-COH registration is, so that the field and a registration of one number agree.
  const ch = i.companiesHouseNumber ? normaliseCompaniesHouse(i.companiesHouseNumber) : undefined;
  if (ch) registrations.add(`GB-COH:${ch}`);
  if (registrations.size) s.registrations = [...registrations].sort();
  const website = i.homepage ? normaliseWebsite(i.homepage) : undefined;
  if (website) s.website = website;
  const email = i.email ? normaliseEmail(i.email) : undefined;
  if (email) s.email = email;
  const phone = i.phone ? normalisePhone(i.phone) : undefined;
  if (phone) s.phone = phone;
  const pc = i.address?.postcode ? normalisePostcode(i.address.postcode) : undefined;
  if (pc) s.postcode = `${countryCode(i.country)}:${pc}`;
  const lat = i.address?.lat ?? i.address?.geoContainerLat;
  const lon = i.address?.long ?? i.address?.geoContainerLong;
  if (typeof lat === "number" && typeof lon === "number" && Number.isFinite(lat) && Number.isFinite(lon)) {
    s.lat = lat;
    s.lon = lon;
  }
  if (source) s.source = source;
  return s;
}

/** Words too common in names of SSE organisations to block on. */
const COMMON = new Set([
  "community",
  "cooperative",
  "coop",
  "cooperativa",
  "social",
  "workers",
  "worker",
  "association",
  "group",
  "services",
  "solutions",
  "project",
  "projects",
  "trust",
  "society",
  "network",
  "centre",
  "center",
  "for",
  "des",
  "del",
  "der",
  "die",
  "von",
  "los",
  "las",
  "les",
  "ltd",
  "limited",
  "uk",
]);

/** The words of a normalised name worth blocking on: three letters or more, not too common, longest first. */
export function nameWords(name: string, max: number): string[] {
  return [...new Set(name.split(" ").filter((w) => w.length >= 3 && !COMMON.has(w)))]
    .sort((a, b) => b.length - a.length || (a < b ? -1 : 1))
    .slice(0, max);
}

/** Size in degrees of the map cells places are blocked by (about 2 km north–south). */
const CELL = 0.02;

/**
 * The cells of a 2×2 block around a point, toward its cell's nearest edges: two points less than
 * half a cell apart on each axis always share one.
 */
function cells(lat: number, lon: number): string[] {
  const i = Math.floor(lat / CELL);
  const j = Math.floor(lon / CELL);
  const i2 = lat / CELL - i < 0.5 ? i - 1 : i + 1;
  const j2 = lon / CELL - j < 0.5 ? j - 1 : j + 1;
  return [`${i},${j}`, `${i2},${j}`, `${i},${j2}`, `${i2},${j2}`];
}

/**
 * The blocking keys of a record: its registrations, website, email and phone; its name without
 * spaces and with its words sorted; and each of its distinctive name words with its postcode and
 * with the map cells around it (so that a varied name is still found near the same place).
 */
export function blockingKeys(s: Signals): string[] {
  const keys = new Set<string>();
  for (const r of s.registrations ?? []) keys.add(`reg:${r}`);
  if (s.website) keys.add(`web:${s.website}`);
  if (s.email) keys.add(`mail:${s.email}`);
  if (s.phone) keys.add(`tel:${s.phone}`);
  const compact = s.name.replace(/ /g, "");
  if (compact.length >= 4) {
    keys.add(`name:${compact}`);
    keys.add(`words:${s.name.split(" ").sort().join(" ")}`);
  }
  const words = nameWords(s.name, 4);
  if (s.postcode) for (const w of words) keys.add(`pc:${s.postcode}:${w}`);
  if (s.lat !== undefined && s.lon !== undefined) {
    for (const w of words.slice(0, 2)) for (const c of cells(s.lat, s.lon)) keys.add(`geo:${c}:${w}`);
  }
  // Keys are bounded whatever the record holds: they are stored and looked up.
  return [...keys].map((k) => fold(k).slice(0, 200));
}
