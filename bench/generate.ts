/**
 * Realistic generated data for benchmarks: SEA standard v4 rows with names, descriptions, taxonomy
 * values written as IRIs, codes and labels, addresses and coordinates spread over Europe.
 */
import { createWriteStream } from "node:fs";
import { V4_COLUMNS } from "../src/importers/csv/columns.ts";

const ORG = [
  "OS10",
  "OS20",
  "OS30",
  "OS60",
  "OS70",
  "OS80",
  "OS90",
  "OS100",
  "OS115",
  "OS120",
  "OS130",
  "OS160",
  "OS170",
];
const ICA = Array.from({ length: 28 }, (_, k) => `ICA${10 * (k + 1)}`);
const AM = Array.from({ length: 16 }, (_, k) => `AM${10 * (k + 1)}`);
const QUAL = ["q01", "q02", "q03", "q04", "q05", "q07", "Organic", "Fairtrade", "LocalorFromCommunity"];
const BMT = ["BMT10", "BMT20", "BMT30", "BMT40", "BMT50", "BMT60"];
const COUNTRIES = ["GB", "FR", "ES", "IT", "DE", "PT", "IE", "BE", "NL", "DK", "SE", "PL", "GR", "AT"];
const WORDS = [
  "Green",
  "Valley",
  "Bread",
  "Energy",
  "Housing",
  "Workers",
  "Food",
  "Bike",
  "River",
  "Commons",
  "Solidarity",
  "Market",
  "Credit",
  "Union",
  "Land",
  "Trust",
  "Garden",
  "Printing",
  "Care",
  "Music",
  "Tech",
  "Repair",
  "Water",
  "Seed",
];
const TOWNS = [
  "Leeds",
  "Bristol",
  "Lyon",
  "Bilbao",
  "Bologna",
  "Leipzig",
  "Porto",
  "Cork",
  "Ghent",
  "Utrecht",
  "Aarhus",
  "Malmö",
  "Gdańsk",
  "Patras",
  "Graz",
];

/** Deterministic pseudo-random numbers (mulberry32), so runs are comparable. */
export function rng(seed = 42): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export interface GeneratedRow {
  id: string;
  name: string;
  description: string;
  structure: string;
  primary: string;
  activities: string[];
  locality: string;
  postcode: string;
  country: string;
  lat: number;
  long: number;
  qualifiers: string[];
  membership: string;
  website: string;
}

export function generateRow(k: number, r: () => number): GeneratedRow {
  const pick = <T>(xs: readonly T[]) => xs[Math.floor(r() * xs.length)]!;
  const name = `${pick(WORDS)} ${pick(WORDS)} Co-op ${k}`;
  return {
    id: `G${k}`,
    name,
    description:
      `${name} is a ${pick(["worker", "community", "consumer", "housing"])}-owned co-operative in ` +
      `${pick(TOWNS)} working on ${pick(WORDS).toLowerCase()} and ${pick(WORDS).toLowerCase()} since ` +
      `${1950 + Math.floor(r() * 74)}.`,
    structure: pick(ORG),
    primary: pick(ICA),
    activities: r() < 0.5 ? [pick(AM)] : [],
    locality: pick(TOWNS),
    postcode: `${String.fromCharCode(65 + Math.floor(r() * 26))}${Math.floor(r() * 99)} ${Math.floor(r() * 9)}XY`,
    country: pick(COUNTRIES),
    lat: Math.round((36 + r() * 24) * 1e6) / 1e6,
    long: Math.round((-9 + r() * 33) * 1e6) / 1e6,
    qualifiers: r() < 0.3 ? [pick(QUAL)] : [],
    membership: pick(BMT),
    website: `https://coop-${k}.example.org`,
  };
}

const BASE = "https://dev.lod.coop/essglobal/2.1/standard/";
const csvCell = (v: string) => (/[",\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v);

/** A v4 CSV line for a generated row (taxonomy values as IRIs, codes or labels, like real files). */
export function csvLine(g: GeneratedRow, k: number): string {
  const structure = k % 3 === 0 ? `${BASE}organisational-structure/${g.structure}` : g.structure;
  const primary = k % 2 === 0 ? `${BASE}activities-ica/${g.primary}` : `aci:${g.primary}`;
  return [
    g.id,
    g.name,
    g.description,
    structure,
    primary,
    g.activities.join(";"),
    `${k} High Street`,
    g.locality,
    "",
    g.postcode,
    g.country,
    "",
    g.website,
    "",
    "",
    "",
    "",
    "",
    g.qualifiers.join(";"),
    `${BASE}base-membership-type/${g.membership}`,
    String(g.lat),
    String(g.long),
    "",
    "",
    "",
  ]
    .map(csvCell)
    .join(",");
}

/** Writes a v4 CSV of `rows` generated rows (the same file for the same number: the numbers are seeded). */
export async function writeCsv(file: string, rows: number): Promise<void> {
  const out = createWriteStream(file);
  out.write(V4_COLUMNS.join(",") + "\n");
  const r = rng();
  for (let k = 0; k < rows; k++)
    if (!out.write(csvLine(generateRow(k, r), k) + "\n"))
      await new Promise<void>((res) => out.once("drain", () => res()));
  await new Promise<void>((res) => out.end(() => res()));
}
