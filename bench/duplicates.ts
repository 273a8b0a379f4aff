/**
 * Duplicate finding (issue 16): N records (100,000 by default) from three networks, of which 10 %
 * are a second listing of an organisation another network also lists, varied as real listings
 * vary (legal form added, dropped or spelled otherwise; case, accents, "&"/"and", punctuation; a
 * typo in one in ten; website with or without scheme, www. and trailing slash; phone written
 * nationally or internationally; coordinates moved up to ~150 m or left out; registration numbers
 * removed). Distinct organisations share words, places and sometimes whole names, as real ones do.
 *
 *   node bench/duplicates.ts [--records 100000] [--arrivals 1000]
 *   DATABASE_URL=postgres://… node bench/duplicates.ts      # on PostgreSQL (a schema of its own)
 *
 * Prints the time to write the records and to find candidates among them, precision and recall of
 * the candidates against the known pairs, then the cost per arriving record (written one at a time,
 * each followed by a finder round), and peak RSS. Asserts nothing.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { loadConfig } from "../src/config.ts";
import { compose } from "../src/compose.ts";
import { emptyInitiative, type Initiative, type InitiativeRecord } from "../src/domain/initiative.ts";
import { versionOf } from "../src/domain/version.ts";
import { DuplicateFinder } from "../src/duplicates/finder.ts";
import { rng } from "./generate.ts";

const { values } = parseArgs({
  options: { records: { type: "string", default: "100000" }, arrivals: { type: "string", default: "1000" } },
});
const RECORDS = Number(values.records);
const ARRIVALS = Number(values.arrivals);
const SOURCES = [
  "https://north.example/actors/network",
  "https://city.example/actors/network",
  "https://sector.example/actors/network",
];
const GB = "https://lod.coop/essglobal/2.1/standard/countries-iso/GB";

const PLACES = [
  "Leeds",
  "York",
  "Bradford",
  "Hull",
  "Sheffield",
  "Leicester",
  "Derby",
  "Nottingham",
  "Bristol",
  "Bath",
  "Exeter",
  "Plymouth",
  "Norwich",
  "Ipswich",
  "Cambridge",
  "Oxford",
  "Reading",
  "Brighton",
  "Hastings",
  "Dover",
  "Canterbury",
  "Kent",
  "Durham",
  "Newcastle",
  "Sunderland",
  "Carlisle",
  "Kendal",
  "Lancaster",
  "Preston",
  "Bolton",
  "Wigan",
  "Stockport",
  "Salford",
  "Oldham",
  "Rochdale",
  "Halifax",
  "Huddersfield",
  "Wakefield",
  "Barnsley",
  "Doncaster",
  "Lincoln",
  "Grimsby",
  "Hereford",
  "Worcester",
  "Gloucester",
  "Stroud",
  "Totnes",
  "Falmouth",
  "Truro",
  "Cardiff",
  "Swansea",
  "Newport",
  "Bangor",
  "Glasgow",
  "Edinburgh",
  "Dundee",
  "Aberdeen",
  "Inverness",
  "Belfast",
  "Derry",
  "Hebden",
  "Calder",
  "Pennine",
  "Moorland",
  "Riverside",
  "Harbour",
  "Valley",
  "Northern",
  "Southern",
  "Eastside",
  "Westside",
  "Highland",
];
const NOUNS = [
  "Bike",
  "Bakery",
  "Bread",
  "Books",
  "Print",
  "Press",
  "Energy",
  "Solar",
  "Wind",
  "Housing",
  "Homes",
  "Grocery",
  "Food",
  "Farm",
  "Garden",
  "Growers",
  "Brewery",
  "Ale",
  "Coffee",
  "Tea",
  "Kitchen",
  "Cafe",
  "Design",
  "Media",
  "Film",
  "Radio",
  "Music",
  "Arts",
  "Theatre",
  "Dance",
  "Care",
  "Health",
  "Childcare",
  "Nursery",
  "Cleaning",
  "Builders",
  "Joinery",
  "Carpentry",
  "Plumbing",
  "Electrics",
  "Software",
  "Web",
  "Digital",
  "Data",
  "Tech",
  "Repair",
  "Reuse",
  "Recycling",
  "Textiles",
  "Wool",
  "Clothing",
  "Shoes",
  "Pottery",
  "Glass",
  "Timber",
  "Transport",
  "Taxi",
  "Couriers",
  "Cycle",
  "Travel",
  "Translation",
  "Consulting",
  "Training",
  "Learning",
  "Education",
  "Research",
  "Land",
  "Woodland",
  "Orchard",
  "Apple",
  "Honey",
  "Bee",
  "Seed",
  "Fish",
  "Dairy",
  "Cheese",
  "Wine",
  "Cider",
  "Pub",
  "Shop",
  "Store",
  "Market",
];
const KINDS = [
  "",
  "",
  "",
  "Co-op",
  "Collective",
  "Workers",
  "Works",
  "Project",
  "Company",
  "Society",
  "Partnership",
  "Community",
  "Network",
];
const FORMS = [
  "Limited",
  "Ltd",
  "Ltd.",
  "Co-operative Limited",
  "Cooperative",
  "CIC",
  "Workers' Co-operative",
  "Co-op Ltd",
  "",
];

type Rand = () => number;
const pick = <T>(r: Rand, a: readonly T[]): T => a[Math.floor(r() * a.length)]!;

interface Org {
  n: number;
  name: string;
  lat: number;
  lon: number;
  postcode: string;
  website?: string;
  email?: string;
  phone?: string;
  reg?: string;
}

function makeOrg(n: number, r: Rand): Org {
  const place = pick(r, PLACES);
  const name = [r() < 0.6 ? place : "", pick(r, NOUNS), r() < 0.4 ? pick(r, NOUNS) : "", pick(r, KINDS)]
    .filter(Boolean)
    .join(" ");
  // Places cluster around towns: a centre per place name, spread ~20 km.
  const centre = PLACES.indexOf(place);
  const lat = 50.5 + (centre % 12) * 0.6 + (r() - 0.5) * 0.4;
  const lon = -4.5 + Math.floor(centre / 12) * 0.9 + (r() - 0.5) * 0.6;
  const slug = `${name.toLowerCase().replace(/[^a-z]+/g, "")}${n}`;
  const letter = () => String.fromCharCode(65 + Math.floor(r() * 26));
  const o: Org = {
    n,
    name,
    lat,
    lon,
    postcode:
      `${place.slice(0, 2).toUpperCase()}${Math.floor((lat * 100) % 90)} ${Math.floor((lon * 100 + 1000) % 9)}` +
      `${letter()}${letter()}`,
  };
  if (r() < 0.7) o.website = `https://www.${slug}.coop/`;
  if (r() < 0.5) o.email = `info@${slug}.coop`;
  if (r() < 0.4) o.phone = `01${String(100 + (n % 900))} ${String(100000 + Math.floor(r() * 899999))}`;
  if (r() < 0.6) o.reg = String(1_000_000 + n).padStart(8, "0");
  return o;
}

/** The organisation as one network lists it; `vary` for the second listing. */
function listingOf(o: Org, id: string, source: string, r: Rand, vary: boolean): InitiativeRecord {
  let name = `${o.name} ${pick(r, FORMS)}`.trim();
  const i: Initiative = {
    ...emptyInitiative(id, name),
    country: GB,
    address: { postcode: o.postcode, lat: o.lat, long: o.lon },
  };
  if (o.website) i.homepage = o.website;
  if (o.email) i.email = o.email;
  if (o.phone) i.phone = o.phone;
  if (o.reg) i.companiesHouseNumber = o.reg;
  if (vary) {
    name = `${o.name} ${pick(r, FORMS)}`.trim();
    if (r() < 0.3) name = name.toUpperCase();
    if (r() < 0.2) name = `The ${name}`;
    name = name.replace(/ and /g, " & ").replace(/Cafe/g, "Café");
    if (r() < 0.1) {
      // one typo: a letter dropped or two swapped
      const k = 1 + Math.floor(r() * (name.length - 2));
      name =
        r() < 0.5 ? name.slice(0, k) + name.slice(k + 1) : name.slice(0, k) + name[k + 1] + name[k] + name.slice(k + 2);
    }
    i.name = name;
    delete i.companiesHouseNumber; // identifiers removed in this copy
    if (i.homepage)
      i.homepage =
        r() < 0.2 ? undefined : i.homepage.replace("https://www.", r() < 0.5 ? "http://" : "").replace(/\/$/, "");
    if (i.email && r() < 0.5) i.email = undefined;
    if (i.phone) i.phone = r() < 0.5 ? undefined : `+44 ${i.phone.slice(1)}`;
    if (r() < 0.2) i.address = { postcode: o.postcode.toLowerCase().replace(" ", "") };
    else i.address = { postcode: o.postcode, lat: o.lat + (r() - 0.5) * 0.002, long: o.lon + (r() - 0.5) * 0.003 };
    for (const k of Object.keys(i) as (keyof Initiative)[]) if (i[k] === undefined) delete i[k];
  }
  const updated = "2026-05-01T00:00:00.000Z";
  return {
    initiative: i,
    published: updated,
    updated,
    version: versionOf(i),
    provenance: { origin: source, via: [], receivedAt: updated },
  };
}

/** Records and the known duplicate pairs ("a b", sorted). */
function generate(total: number, seed: number) {
  const r = rng(seed);
  const records: InitiativeRecord[] = [];
  const known = new Set<string>();
  let n = 0;
  while (records.length < total) {
    const o = makeOrg(n++, r);
    const s = Math.floor(r() * 3);
    const first = `https://${new URL(SOURCES[s]!).host}/initiatives/${o.n}`;
    records.push(listingOf(o, first, SOURCES[s]!, r, false));
    if (r() < 0.111 && records.length < total) {
      // ~10 % of all records are second listings
      const t = (s + 1 + Math.floor(r() * 2)) % 3;
      const second = `https://${new URL(SOURCES[t]!).host}/initiatives/${o.n}-b`;
      records.push(listingOf(o, second, SOURCES[t]!, r, true));
      known.add([first, second].sort().join(" "));
    }
  }
  return { records, known, next: n };
}

const peakMb = () => Math.round(process.resourceUsage().maxRSS / 1024);
const cpu = () => {
  const c = process.cpuUsage();
  return (c.user + c.system) / 1e6;
};
const dir = mkdtempSync(join(tmpdir(), "essfed-bench-dups-"));
const schema = `bench_dups_${process.pid}`;
const DATABASE_URL = process.env.DATABASE_URL;
const pgUrl = DATABASE_URL
  ? `${DATABASE_URL}${DATABASE_URL.includes("?") ? "&" : "?"}options=-c%20search_path%3D${schema}`
  : undefined;
const instance = await compose(
  loadConfig({ ESSFED_DATA: join(dir, "data"), ESSFED_LOG_LEVEL: "error", ...(pgUrl ? { DATABASE_URL: pgUrl } : {}) }),
);
const { store } = instance;
try {
  const { records, known, next } = generate(RECORDS, 16);
  console.log(
    `${records.length.toLocaleString("en")} records from 3 networks (${pgUrl ? "PostgreSQL" : "SQLite"}), ` +
      `${known.size.toLocaleString("en")} known pairs; peak RSS ${peakMb()} MB`,
  );
  let t = performance.now();
  for (let k = 0; k < records.length; k += 1000) await store.putInitiatives(records.slice(k, k + 1000));
  console.log(`write: ${((performance.now() - t) / 1000).toFixed(1)} s (notes taken by the triggers included)`);
  await store.search.catchUp(); // the search index's own work, not to be counted below
  const finder = new DuplicateFinder(store);
  t = performance.now();
  let c = cpu();
  const found = await finder.catchUp();
  const secs = (performance.now() - t) / 1000;
  console.log(
    `find: ${secs.toFixed(1)} s wall, ${(cpu() - c).toFixed(1)} s CPU in this process → ` +
      `${Math.round(records.length / secs).toLocaleString("en")} records/s; ` +
      `${found.compared.toLocaleString("en")} pairs scored, ${found.pairs.toLocaleString("en")} candidates, ` +
      `${found.crowdedKeys.toLocaleString("en")} crowded keys skipped; peak RSS ${peakMb()} MB`,
  );
  const candidates = new Set<string>();
  const falseBy = new Map<string, number>();
  for (let cursor: string | undefined, first = true; first || cursor; first = false) {
    const page = await store.duplicates.listPairs({ limit: 10_000, ...(cursor ? { cursor } : {}) });
    for (const p of page.items) {
      candidates.add(`${p.a} ${p.b}`);
      if (known.has(`${p.a} ${p.b}`)) continue;
      const why = p.reasons.map((x) => x.kind).join("+");
      falseBy.set(why, (falseBy.get(why) ?? 0) + 1);
    }
    cursor = page.next;
  }
  const truePositives = [...candidates].filter((p) => known.has(p)).length;
  const precision = truePositives / Math.max(1, candidates.size);
  const recall = truePositives / Math.max(1, known.size);
  if (process.env.BENCH_DETAIL) console.log([...falseBy].sort((x, y) => y[1] - x[1]).slice(0, 8));
  console.log(
    `precision ${(precision * 100).toFixed(1)} % (${truePositives} of ${candidates.size} candidates are known ` +
      `pairs), recall ${(recall * 100).toFixed(1)} % (${truePositives} of ${known.size} known pairs found)`,
  );

  // Arrivals: one record at a time, each followed by a finder round (as the worker does).
  const r = rng(99);
  const arriving: InitiativeRecord[] = [];
  for (let k = 0; k < ARRIVALS; k++) {
    const o = makeOrg(next + k, r);
    arriving.push(listingOf(o, `https://late.example/initiatives/${o.n}`, SOURCES[k % 3]!, r, k % 10 === 0));
  }
  t = performance.now();
  c = cpu();
  let putMs = 0;
  for (const rec of arriving) {
    const p = performance.now();
    await store.putInitiatives([rec]);
    putMs += performance.now() - p;
    await finder.catchUp();
  }
  const wall = performance.now() - t;
  console.log(
    `arrivals: ${ARRIVALS} records one at a time: ${(wall / ARRIVALS).toFixed(2)} ms each (write ` +
      `${(putMs / ARRIVALS).toFixed(2)} ms + finder ${((wall - putMs) / ARRIVALS).toFixed(2)} ms), ` +
      `CPU ${(((cpu() - c) * 1000) / ARRIVALS).toFixed(2)} ms each in this process; peak RSS ${peakMb()} MB`,
  );
} finally {
  if (pgUrl) await (store as unknown as { drop(): Promise<void> }).drop().catch(() => {});
  await instance.close();
  rmSync(dir, { recursive: true, force: true });
}
