/**
 * How much heap a whole streamed SPARQL answer takes (issue 15, item 3), at several directory sizes:
 * every row of a large directory, read by a client as fast as it can, through the endpoint's own
 * service (what a query worker runs) in a separate process started with --expose-gc, after one
 * query to warm it up. The heap is sampled after a full collection at the first of every 8 pieces
 * (about 32 KB each) and at the end; the figure is the peak above the heap before the query. A
 * streamed answer's peak should not grow with the row count; an answer that must sort everything
 * first (ORDER BY a coordinate) holds every solution.
 *
 *   node bench/sparql-stream.ts [--sizes 10000,50000] [--stores sqlite,postgres] [--formats json,csv]
 */
import { fork } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { makeIris } from "../src/directory/ids.ts";
import { versionOf } from "../src/domain/version.ts";
import { loadTaxonomies } from "../src/linkeddata/vocabulary.ts";
import type { SelectType } from "../src/query/sparql-results.ts";
import { SparqlService } from "../src/query/sparql.ts";
import { PostgresStore } from "../src/store/postgres/store.postgres.ts";
import { SqliteStore } from "../src/store/sqlite/store.sqlite.ts";
import type { Store } from "../src/store/store.ts";
import { generateRow, rng } from "./generate.ts";
import { PREFIXES } from "./sparql-queries.ts";

const { values } = parseArgs({
  options: {
    sizes: { type: "string", default: "10000,50000" },
    stores: { type: "string", default: process.env.POSTGRES_URL ? "sqlite,postgres" : "sqlite" },
    formats: { type: "string", default: "json,csv" },
    child: { type: "string" },
  },
});
const S = "https://lod.coop/essglobal/2.1/standard/";
const FORMATS: Record<string, SelectType> = {
  json: "application/sparql-results+json",
  xml: "application/sparql-results+xml",
  csv: "text/csv",
  tsv: "text/tab-separated-values",
};
const NAME_COORDS =
  `${PREFIXES} SELECT ?i ?name ?lat ?lng WHERE { ?i a essglobal:SSEInitiative ; gr:name ?name ; ` +
  `essglobal:hasAddress ?a . ?a geo:lat ?lat ; geo:long ?lng }`;
const QUERIES: [string, string][] = [
  ["names and coordinates (record pass)", NAME_COORDS],
  ["the same ORDER BY ?name (streamed from the name index)", `${NAME_COORDS} ORDER BY ?name`],
  ["the same ORDER BY DESC(?name) (streamed from the name index)", `${NAME_COORDS} ORDER BY DESC(?name)`],
  ["the same ORDER BY ?lat (sorted in memory)", `${NAME_COORDS} ORDER BY ?lat`],
  ["names, one pattern (general engine)", `${PREFIXES} SELECT ?i ?name WHERE { ?i gr:name ?name }`],
];

async function open(target: string): Promise<Store> {
  const s = target.startsWith("postgres") ? new PostgresStore(target, { max: 4 }) : new SqliteStore(target);
  await s.initialize();
  return s;
}

async function fill(target: string, n: number): Promise<void> {
  const s = await open(target);
  const r = rng(1);
  for (let k = 0; k < n; k += 5000) {
    await s.putInitiatives(
      Array.from({ length: Math.min(5000, n - k) }, (_, j) => {
        const g = generateRow(k + j, r);
        const initiative = {
          id: `https://bench.example/initiatives/${g.id}`,
          name: g.name,
          organisationalStructure: [`${S}organisational-structure/${g.structure}`],
          legalForm: [],
          activities: [],
          qualifiers: [],
          sameAs: [],
          address: { locality: g.locality, lat: g.lat, long: g.long },
        };
        const at = "2025-01-01T00:00:00.000Z";
        return { initiative, published: at, updated: at, version: versionOf(initiative) };
      }),
    );
  }
  await s.search.catchUp();
  await s.close();
}

const mb = (bytes: number) => (bytes / 1024 / 1024).toFixed(1);

/** In the child: each query in each format, read whole; heap peak above the start, rows, time. */
async function child(target: string): Promise<void> {
  const gc = (globalThis as { gc?: () => void }).gc!;
  const store = await open(target);
  const service = new SparqlService(store, loadTaxonomies(), makeIris("https://bench.example", "network"), {
    timeoutMs: 60_000,
  });
  const lines: string[] = [];
  const warm = await service.execute(`${NAME_COORDS} LIMIT 10`, FORMATS.json!, "text/turtle");
  if (warm.ok) for await (const _ of warm.chunks);
  for (const [what, query] of QUERIES)
    for (const f of values.formats.split(",")) {
      gc();
      const base = process.memoryUsage().heapUsed;
      let peak = 0;
      const [t0, c0] = [performance.now(), process.cpuUsage()];
      const out = await service.execute(query, FORMATS[f]!, "text/turtle");
      if (!out.ok) throw new Error(out.message);
      let bytes = 0;
      let rows = 0;
      let pieces = 0;
      for await (const piece of out.chunks) {
        bytes += piece.length;
        rows += (piece.match(f === "json" ? /\{"i"/g : f === "xml" ? /<result>/g : /\n/g) ?? []).length;
        if (++pieces % 8 === 1) {
          gc();
          peak = Math.max(peak, process.memoryUsage().heapUsed - base);
        }
      }
      gc();
      peak = Math.max(peak, process.memoryUsage().heapUsed - base);
      const cpu = process.cpuUsage(c0);
      lines.push(
        `| ${what} | ${f} | ${rows - (f === "csv" || f === "tsv" ? 1 : 0)} | ${mb(bytes)} MB | ` +
          `${mb(peak)} MB | ${((performance.now() - t0) / 1000).toFixed(2)} s | ` +
          `${((cpu.user + cpu.system) / 1e6).toFixed(2)} s |`,
      );
    }
  await store.close();
  process.send!({ lines });
}

if (values.child) {
  await child(values.child);
  process.exit(0);
}

console.log(
  `load average at start: ${loadavg()
    .map((l) => l.toFixed(1))
    .join(", ")}`,
);
for (const kind of values.stores.split(",")) {
  for (const n of values.sizes.split(",").map(Number)) {
    const dir = mkdtempSync(join(tmpdir(), "essfed-sparql-stream-"));
    let target = join(dir, "bench.sqlite");
    let schema: string | undefined;
    if (kind === "postgres") {
      schema = `bench_stream_${Math.random().toString(36).slice(2, 8)}`;
      const u = new URL(process.env.POSTGRES_URL!);
      u.searchParams.set("options", `-c search_path=${schema}`);
      target = u.href;
      const s = new PostgresStore(process.env.POSTGRES_URL!, { schema, max: 1 });
      await s.initialize();
      await s.close();
    }
    await fill(target, n);
    const lines = await new Promise<string[]>((resolve, reject) => {
      const c = fork(fileURLToPath(import.meta.url), ["--child", target], { execArgv: ["--expose-gc"] });
      c.on("message", (m: { lines: string[] }) => resolve(m.lines));
      c.on("error", reject);
      c.on("exit", (code) => code && reject(new Error(`child exited ${code}`)));
    });
    console.log(`\n${kind}, ${n} initiatives (load ${loadavg()[0]!.toFixed(1)})`);
    console.log("| query | format | rows | answer | heap peak above start | wall | CPU |");
    console.log("| --- | --- | --- | --- | --- | --- | --- |");
    for (const l of lines) console.log(l);
    if (schema) {
      const s = new PostgresStore(process.env.POSTGRES_URL!, { schema, max: 1 });
      await s.drop();
      await s.pool.end();
    }
    rmSync(dir, { recursive: true, force: true });
  }
}
