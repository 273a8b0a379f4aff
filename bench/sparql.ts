/**
 * SPARQL figures (issue 5): a lookup by name, a DESCRIBE and a facet count (GROUP BY) over N
 * generated initiatives on SQLite and PostgreSQL, run in a separate process that only opens the
 * store, with the endpoint's own limits (10 s, 10,000 rows). Prints p50/p95 and RSS.
 *
 *   node bench/sparql.ts [--sizes 100000,1000000] [--stores sqlite,postgres] [--runs 10]
 */
import { fork } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { makeIris } from "../src/directory/ids.ts";
import { loadTaxonomies } from "../src/linkeddata/vocabulary.ts";
import { SparqlService } from "../src/query/sparql.ts";
import { PostgresStore } from "../src/store/postgres/store.postgres.ts";
import { SqliteStore } from "../src/store/sqlite/store.sqlite.ts";
import type { Store } from "../src/store/store.ts";
import { generateRow, rng } from "./generate.ts";
import { versionOf } from "../src/domain/version.ts";

const { values } = parseArgs({ options: {
  sizes: { type: "string", default: "100000,1000000" },
  stores: { type: "string", default: process.env.POSTGRES_URL ? "sqlite,postgres" : "sqlite" },
  runs: { type: "string", default: "10" }, child: { type: "string" }, target: { type: "string" },
} });
const S = "https://lod.coop/essglobal/2.1/standard/";
const P = "PREFIX essglobal: <https://lod.coop/essglobal/2.1/vocab/> PREFIX gr: <http://purl.org/goodrelations/v1#>";

async function open(target: string): Promise<Store> {
  const s = target.startsWith("postgres") ? new PostgresStore(target, { max: 4 }) : new SqliteStore(target);
  await s.initialize();
  return s;
}

async function fill(target: string, n: number) {
  const s = await open(target);
  const r = rng(1);
  for (let k = 0; k < n; k += 5000) {
    await s.putInitiatives(Array.from({ length: Math.min(5000, n - k) }, (_, j) => {
      const g = generateRow(k + j, r);
      const initiative = {
        id: `https://bench.example/initiatives/${g.id}`, name: g.name, description: g.description,
        organisationalStructure: [`${S}organisational-structure/${g.structure}`], legalForm: [], activities: [], qualifiers: [], sameAs: [],
        primaryActivity: `${S}activities-ica/${g.primary}`, country: `${S}countries-iso/${g.country}`, address: { locality: g.locality, lat: g.lat, long: g.long },
      };
      return { initiative, published: "2025-01-01T00:00:00.000Z", updated: "2025-01-01T00:00:00.000Z", version: versionOf(initiative) };
    }));
  }
  await s.search.catchUp();
  await s.close();
}

async function run(target: string, runs: number) {
  const s = await open(target);
  const service = new SparqlService(s, loadTaxonomies(), makeIris("https://bench.example", "network"));
  const r = rng(5);
  const kinds: [string, () => string][] = [
    ["lookup by name", () => { const k = Math.floor(r() * 1000); return `${P} SELECT ?i ?locality WHERE { ?i gr:name ?n FILTER(?n = "${generateRow(k, rng(1)).name}") }`; }],
    ["lookup by name (literal)", () => `${P} SELECT ?i WHERE { ?i gr:name "Green Valley Co-op 7" }`],
    ["DESCRIBE one initiative", () => `DESCRIBE <https://bench.example/initiatives/G${Math.floor(r() * 1000)}>`],
    ["facet count (GROUP BY structure)", () => `${P} SELECT ?s (COUNT(?i) AS ?n) WHERE { ?i essglobal:organisationalStructure ?s } GROUP BY ?s`],
  ];
  const out: Record<string, string> = {};
  for (const [name, q] of kinds) {
    const times: number[] = [];
    let last = "";
    for (let k = 0; k < runs; k++) {
      const t0 = performance.now();
      const res = await service.execute(q(), "application/sparql-results+json", "text/turtle");
      times.push(performance.now() - t0);
      let bytes = 0;
      if (res.ok) for await (const c of res.chunks) bytes += c.length;
      last = res.ok ? `ok (${bytes} bytes)` : `${res.code}`;
    }
    times.sort((a, b) => a - b);
    out[name] = `p50 ${times[Math.floor(runs / 2)]!.toFixed(0).padStart(6)} ms   p95 ${times[Math.min(runs - 1, Math.floor(runs * 0.95))]!.toFixed(0).padStart(6)} ms   last: ${last}`;
  }
  process.send!({ out, rss: process.memoryUsage().rss });
  await s.close();
  process.exit(0);
}

if (values.child) {
  await run(values.target!, Number(values.runs));
} else {
  for (const store of values.stores!.split(",")) {
    for (const size of values.sizes!.split(",").map(Number)) {
      const dir = mkdtempSync(join(tmpdir(), "essfed-bench-sparql-"));
      const schema = `essfed_bs_${Math.random().toString(36).slice(2, 8)}`;
      const target = store === "postgres"
        ? (() => { const u = new URL(process.env.POSTGRES_URL!); u.searchParams.set("options", `-c search_path=${schema}`); return u.href; })()
        : join(dir, "essfed.sqlite");
      console.log(`\n== SPARQL on ${store}, ${size.toLocaleString("en")} initiatives`);
      try {
        await fill(target, size);
        const child = fork(fileURLToPath(import.meta.url), ["--child", "1", "--target", target, "--runs", values.runs!]);
        const { out, rss } = await new Promise<{ out: Record<string, string>; rss: number }>((res) => child.once("message", (m) => res(m as never)));
        for (const [name, line] of Object.entries(out)) console.log(`  ${name.padEnd(34)} ${line}`);
        console.log(`  query process RSS ${Math.round(rss / 1048576)} MB`);
      } finally {
        if (store === "postgres") { const s = new PostgresStore(process.env.POSTGRES_URL!, { schema, max: 1 }); await s.drop().catch(() => {}); await s.pool.end(); }
        rmSync(dir, { recursive: true, force: true });
      }
    }
  }
}
