/**
 * Query latency and memory (issue 5): generates N initiatives (100k and 1M by default) into SQLite
 * and PostgreSQL stores, then, in a separate process that only opens the store (as a server
 * would), runs each kind of query many times with varied parameters and prints p50/p95 and RSS.
 *
 *   node bench/query.ts [--sizes 100000,1000000] [--stores sqlite,postgres] [--runs 60] [--keep]
 *     [--only text,bbox+facet] [--curated] [--collapsed]
 *
 * --curated hides 1 % of the records and blocks one source network (a fifteenth of the records)
 * before querying, as curation does (ADR 13): they leave the served records and their indexes.
 * --collapsed confirms one record in ten as the duplicate of the next (ADR 27) and runs every query
 * a second time with `collapse` ("… (collapsed)"): what collapsing duplicates costs the queries.
 *
 * Before querying, the data set is read once into the OS page cache (--no-warm to skip), as on a
 * server whose memory holds its data: virtual machines that reclaim page cache eagerly otherwise
 * measure their disk. --keep generates each data set once into bench/out/ (SQLite) or schema essfed_bq_<size>
 * (PostgreSQL) and keeps it for the next run, which then only queries.
 *
 * PostgreSQL needs POSTGRES_URL. Prints figures; asserts nothing.
 */
import { fork } from "node:child_process";
import { createReadStream, mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import type { InitiativeRecord } from "../src/domain/initiative.ts";
import { versionOf } from "../src/domain/version.ts";
import type { SearchFilter, SearchIndex } from "../src/store/search.ts";
import { PostgresStore } from "../src/store/postgres/store.postgres.ts";
import { SqliteStore } from "../src/store/sqlite/store.sqlite.ts";
import type { Store } from "../src/store/store.ts";
import { generateRow, rng } from "./generate.ts";

const { values } = parseArgs({
  options: {
    sizes: { type: "string", default: "100000,1000000" },
    stores: { type: "string", default: process.env.POSTGRES_URL ? "sqlite,postgres" : "sqlite" },
    runs: { type: "string", default: "60" },
    keep: { type: "boolean", default: false },
    only: { type: "string" },
    warm: { type: "boolean", default: true },
    child: { type: "string" },
    target: { type: "string" },
    curated: { type: "boolean", default: false },
    collapsed: { type: "boolean", default: false },
  },
  allowNegative: true,
});

const S = "https://lod.coop/essglobal/2.1/standard/";
const WORDS = [
  "green",
  "valley",
  "bread",
  "energy",
  "housing",
  "workers",
  "food",
  "bike",
  "river",
  "commons",
  "solidarity",
  "market",
];

function record(k: number, r: () => number): InitiativeRecord {
  const g = generateRow(k, r);
  const initiative = {
    id: `https://bench.example/initiatives/${g.id}`,
    name: g.name,
    description: g.description,
    organisationalStructure: [`${S}organisational-structure/${g.structure}`],
    legalForm: [],
    primaryActivity: `${S}activities-ica/${g.primary}`,
    activities: g.activities.map((a) => `${S}activities-modified/${a}`),
    qualifiers: g.qualifiers.map((q) => `${S}qualifiers/${q}`),
    baseMembershipType: `${S}base-membership-type/${g.membership}`,
    country: `${S}countries-iso/${g.country}`,
    homepage: g.website,
    address: {
      streetAddress: `${k} High Street`,
      locality: g.locality,
      postcode: g.postcode,
      lat: g.lat,
      long: g.long,
    },
    sameAs: [],
  };
  const updated = new Date(Date.UTC(2025, 0, 1) + k * 1000).toISOString();
  return {
    initiative,
    published: updated,
    updated,
    version: versionOf(initiative),
    ...(k % 5 === 0
      ? { provenance: { origin: `https://n${k % 3}.example/actors/network`, via: [], receivedAt: updated } }
      : {}),
  };
}

async function open(target: string): Promise<Store> {
  const s = target.startsWith("postgres") ? new PostgresStore(target, { max: 4 }) : new SqliteStore(target);
  await s.initialize();
  return s;
}

async function fill(target: string, n: number): Promise<void> {
  const s = await open(target);
  if (
    values.keep &&
    ((await s.countInitiatives()) === n || (values.curated && (await s.curation.listPolicies()).length > 0))
  ) {
    console.log(`  kept from an earlier run`);
    return void (await s.close());
  }
  const r = rng(1);
  const t0 = performance.now();
  for (let k = 0; k < n; k += 5000)
    await s.putInitiatives(Array.from({ length: Math.min(5000, n - k) }, (_, j) => record(k + j, r)));
  const t1 = performance.now();
  await s.search.catchUp();
  console.log(
    `  stored ${n.toLocaleString("en")} in ${((t1 - t0) / 1000).toFixed(1)} s; search index ready ` +
      `${((performance.now() - t1) / 1000).toFixed(1)} s later`,
  );
  if (s instanceof PostgresStore) await s.pool.query("VACUUM ANALYZE"); // as autovacuum would after a bulk load
  await s.close();
}

/** Hides every hundredth record and blocks one source, through the store's curation port. */
async function curate(target: string, n: number): Promise<void> {
  const s = await open(target);
  if ((await s.curation.listPolicies()).length) return void (await s.close()); // kept, already curated
  const at = new Date().toISOString();
  const t0 = performance.now();
  let hidden = 0;
  for (let k = 0; k < n; k += 100_000) {
    const ids = Array.from(
      { length: Math.min(100_000, n - k) / 100 },
      (_, j) => `https://bench.example/initiatives/G${k + j * 100 + 1}`,
    );
    hidden += await s.curation.withhold(ids, "hidden", at, "bench");
  }
  const blockedSource = "https://n2.example/actors/network";
  await s.curation.putPolicy({ source: blockedSource, policy: "block", at });
  const ids = await s.listIdsBySource(blockedSource);
  let blocked = 0;
  for (let k = 0; k < ids.length; k += 20_000)
    blocked += await s.curation.withhold(ids.slice(k, k + 20_000), "blocked", at, "bench");
  const t1 = performance.now();
  await s.search.catchUp();
  console.log(
    `  curated: ${hidden.toLocaleString("en")} hidden, ${blocked.toLocaleString("en")} from a blocked source, in ` +
      `${((t1 - t0) / 1000).toFixed(1)} s; ${(await s.countInitiatives()).toLocaleString("en")} served`,
  );
  if (s instanceof PostgresStore) await s.pool.query("VACUUM ANALYZE");
  await s.close();
}

/** Groups every tenth record with the next as one organisation, the first shown (as confirmed duplicates are). */
async function group(target: string, n: number): Promise<void> {
  const s = await open(target);
  const t0 = performance.now();
  const id = (k: number) => `https://bench.example/initiatives/G${k}`;
  for (let k = 0; k + 1 < n; k += 10) await s.duplicates.setGroup([id(k), id(k + 1)], id(k));
  // As autovacuum would after so many changes: the planner then knows how many listings are left out.
  if (s instanceof PostgresStore) await s.pool.query("ANALYZE dup_member");
  console.log(
    `  grouped: ${Math.floor(n / 10).toLocaleString("en")} pairs in ${((performance.now() - t0) / 1000).toFixed(1)} s`,
  );
  await s.close();
}

/** The search port with every filter collapsing duplicates. */
function collapsing(search: SearchIndex): SearchIndex {
  return {
    search: (f, limit, cursor) => search.search({ ...f, collapse: true }, limit, cursor),
    count: (f) => search.count({ ...f, collapse: true }),
    facets: (f) => search.facets({ ...f, collapse: true }),
    clusters: (f, cell, limit) => search.clusters({ ...f, collapse: true }, cell, limit),
    catchUp: () => search.catchUp(),
  };
}

/** Reads a data set into the OS page cache: the SQLite file, or every table and index (pg_prewarm). */
async function warm(target: string): Promise<void> {
  const t0 = performance.now();
  if (!target.startsWith("postgres")) {
    for await (const _chunk of createReadStream(target, { highWaterMark: 1 << 20 })) {
      /* read */
    }
  } else {
    const s = new PostgresStore(target, { max: 1 });
    try {
      await s.pool.query("CREATE EXTENSION IF NOT EXISTS pg_prewarm SCHEMA public");
      await s.pool
        .query(`SELECT public.pg_prewarm(c.oid, 'read') FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
        WHERE n.nspname = current_schema() AND c.relkind IN ('r', 'i', 't')`);
      // The search table and its indexes into shared buffers too, as far as they hold them.
      await s.pool
        .query(`SELECT public.pg_prewarm(c.oid, 'buffer') FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
        WHERE n.nspname = current_schema() AND c.relname LIKE 'initiative_search%'`);
    } catch (e) {
      console.log(`  (not warmed: ${(e as Error).message})`);
    } finally {
      await s.close();
    }
  }
  console.log(`  read into the page cache in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
}

/** Child process: open the store, run the queries, report. */
async function run(target: string, runs: number) {
  const s = await open(target);
  const r = rng(9);
  const pick = <T>(xs: T[]) => xs[Math.floor(r() * xs.length)]!;
  const cityBox = (): SearchFilter["bbox"] => {
    const lat = 37 + r() * 22,
      lon = -8 + r() * 30;
    return { minLat: lat, maxLat: lat + 0.5, minLon: lon, maxLon: lon + 0.5 };
  };
  const countryBox = (): SearchFilter["bbox"] => {
    const lat = 38 + r() * 15,
      lon = -6 + r() * 20;
    return { minLat: lat, maxLat: lat + 5, minLon: lon, maxLon: lon + 5 };
  };
  const wideBox = (): SearchFilter["bbox"] => {
    const lat = 36 + r() * 6,
      lon = -9 + r() * 10;
    return { minLat: lat, maxLat: lat + 18, minLon: lon, maxLon: lon + 24 };
  };
  const structure = () => [`${S}organisational-structure/${pick(["OS60", "OS70", "OS115", "OS130"])}`];
  const kindsOn = (search: SearchIndex): [string, () => Promise<unknown>][] => [
    ["text", () => search.search({ words: [pick(WORDS)], facets: {} }, 100)],
    ["bbox", () => search.search({ bbox: cityBox(), facets: {} }, 100)],
    ["bbox+facet", () => search.search({ bbox: countryBox(), facets: { structure: structure() } }, 100)],
    ["text+bbox", () => search.search({ words: [pick(WORDS)], bbox: countryBox(), facets: {} }, 100)],
    ["near", () => search.search({ near: { lat: 40 + r() * 15, lon: r() * 15, radiusKm: 25 }, facets: {} }, 100)],
    ["facet counts (all)", () => search.facets({ facets: {} })],
    ["facet counts (text)", () => search.facets({ words: [pick(WORDS)], facets: {} })],
    ["facet counts (city box)", () => search.facets({ bbox: cityBox(), facets: {} })],
    [
      "deep page (cursor)",
      async () => {
        const first = await search.search({ facets: { structure: structure() } }, 100, String(Math.floor(r() * 1e6)));
        return first;
      },
    ],
    ["clusters (world)", () => search.clusters({ facets: {} }, 360 / 2 ** 5, 5000)],
    [
      "clusters (text, country)",
      () => search.clusters({ words: [pick(WORDS)], bbox: countryBox(), facets: {} }, 360 / 2 ** 9, 5000),
    ],
    [
      "clusters (text, continent)",
      () => search.clusters({ words: [pick(WORDS)], bbox: wideBox(), facets: {} }, 360 / 2 ** 7, 5000),
    ],
  ];
  const kinds = [
    ...kindsOn(s.search),
    ...(values.collapsed
      ? kindsOn(collapsing(s.search)).map(([n, q]): [string, () => Promise<unknown>] => [`${n} (collapsed)`, q])
      : []),
  ];
  const out: Record<string, { p50: number; p95: number }> = {};
  for (const [name, q] of kinds.filter(([n]) => !values.only || values.only.split(",").some((o) => n.startsWith(o)))) {
    await q();
    const times: number[] = [];
    for (let k = 0; k < runs; k++) {
      const t0 = performance.now();
      await q();
      times.push(performance.now() - t0);
    }
    times.sort((a, b) => a - b);
    out[name] = { p50: times[Math.floor(runs * 0.5)]!, p95: times[Math.min(runs - 1, Math.floor(runs * 0.95))]! };
  }
  process.send!({ out, rss: process.memoryUsage().rss });
  await s.close();
}

if (values.child) {
  await run(values.target!, Number(values.runs));
} else {
  for (const store of values.stores.split(",")) {
    for (const size of values.sizes.split(",").map(Number)) {
      const dir = values.keep
        ? fileURLToPath(new URL("out/", import.meta.url))
        : mkdtempSync(join(tmpdir(), "essfed-bench-query-"));
      if (values.keep) mkdirSync(dir, { recursive: true });
      const schema = values.keep
        ? `essfed_bq_${size}${values.curated ? "_c" : ""}`
        : `essfed_bq_${Math.random().toString(36).slice(2, 8)}`;
      const target =
        store === "postgres"
          ? (() => {
              const u = new URL(process.env.POSTGRES_URL!);
              u.searchParams.set("options", `-c search_path=${schema}`);
              return u.href;
            })()
          : join(dir, values.keep ? `query-${size}${values.curated ? "-curated" : ""}.sqlite` : "essfed.sqlite");
      console.log(`\n== ${store}, ${size.toLocaleString("en")} initiatives`);
      try {
        await fill(target, size);
        if (values.curated) await curate(target, size);
        if (values.collapsed) await group(target, size);
        if (values.warm) await warm(target);
        const child = fork(fileURLToPath(import.meta.url), [
          "--child",
          "1",
          "--target",
          target,
          "--runs",
          values.runs,
          ...(values.only ? ["--only", values.only] : []),
          ...(values.collapsed ? ["--collapsed"] : []),
        ]);
        const { out, rss } = await new Promise<{ out: Record<string, { p50: number; p95: number }>; rss: number }>(
          (res) => child.once("message", (m) => res(m as never)),
        );
        for (const [name, t] of Object.entries(out))
          console.log(
            `  ${name.padEnd(26)} p50 ${t.p50.toFixed(1).padStart(7)} ms   p95 ${t.p95.toFixed(1).padStart(7)} ms`,
          );
        console.log(`  query process RSS ${Math.round(rss / 1048576)} MB`);
        await new Promise((res) => child.once("exit", res));
      } finally {
        if (!values.keep) {
          if (store === "postgres") {
            const s = new PostgresStore(process.env.POSTGRES_URL!, { schema, max: 1 });
            await s.drop().catch(() => {});
            await s.pool.end();
          }
          rmSync(dir, { recursive: true, force: true });
        }
      }
    }
  }
}
