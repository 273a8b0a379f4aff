/**
 * Import throughput (issues 2 and 11): generates a SEA standard v4 CSV of N rows (100,000 by
 * default) and imports it into a fresh SQLite instance through the same code path as
 * `essfed import`, then brings the search index up to date as `essfed import` does before it
 * returns, then imports the file again (nothing changes).
 *
 *   node bench/import.ts [--rows 100000] [--keep-file] [--no-reimport] [--batch ROWS] [--thread on|off] [--postgres]
 *     [--memory] [--progress]
 *
 * With --memory, samples the process's RSS and this thread's heap after each write batch and prints
 * the highest RSS in each tenth of the rows, and the highest sample's make-up: this thread's V8 heap
 * and external memory (the rest is the reading thread's heap, SQLite's caches, the code). The peak
 * RSS printed after each phase (the kernel's high-water mark) misses nothing between samples.
 *
 * With --progress, prints when each tenth of the rows had been written (how long the import takes to reach its pace).
 *
 * With --postgres, the instance stores in PostgreSQL (POSTGRES_URL, a schema of its own, dropped
 * afterwards) instead of SQLite; the CPU time printed is this process's, not the database server's.
 *
 * Prints rows/s of wall time and the CPU time per row (user + system: on a machine shared with
 * other work, wall time measures the neighbours too; for the import, also the main thread's share:
 * a large CSV is read on a worker thread), and the process's peak RSS after each
 * phase (from the kernel's high-water mark, so nothing between samples is missed), with the
 * machine's load average: above its number of cores, wall time measures the neighbours. The import's
 * time is also split at its last write batch: the records written (all but the last group's commit,
 * ADR 46), then the set-wise build of the search index (ADR 35). The import runs as `essfed import`
 * does: alone in its process.
 * Asserts nothing.
 */
import { existsSync, mkdtempSync, rmSync, statSync } from "node:fs";
import { availableParallelism, loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { enableCompileCache } from "../bin/compile-cache.js";
import { loadConfig } from "../src/config.ts";
import { compose } from "../src/compose.ts";
import { importFile } from "../src/importers/import.ts";
import { writeCsv } from "./generate.ts";
import { databaseUrl, dropSchema, randomSchema } from "../test/support/postgres.ts";

const { values } = parseArgs({
  options: {
    rows: { type: "string", default: "100000" },
    "keep-file": { type: "boolean" },
    "no-reimport": { type: "boolean" },
    batch: { type: "string" },
    thread: { type: "string" },
    postgres: { type: "boolean" },
    memory: { type: "boolean" },
    progress: { type: "boolean" },
  },
});
const ROWS = Number(values.rows);
// As bin/essfed.js does: the reading thread's modules come from Node's compile cache.
enableCompileCache();
if (values.postgres && !process.env.POSTGRES_URL) throw new Error("--postgres needs POSTGRES_URL");
const schema = values.postgres ? randomSchema("bench") : undefined;
const dir = mkdtempSync(join(tmpdir(), "essfed-bench-import-"));
// --keep-file keeps the generated CSV between runs (it takes a while to write a million rows).
const file = values["keep-file"] ? join(tmpdir(), `essfed-bench-import-${ROWS}.csv`) : join(dir, "generated.csv");

const peakMb = () => Math.round(process.resourceUsage().maxRSS / 1024);
const cpu = () => {
  const c = process.cpuUsage();
  return (c.user + c.system) / 1e6;
};
/** CPU time of this thread alone: with the CSV read on a worker thread, the rest is the worker's. */
const mainCpu = () => {
  const c = process.threadCpuUsage();
  return (c.user + c.system) / 1e6;
};
const rate = (n: number, secs: number) => `${Math.round(n / secs).toLocaleString("en")} rows/s`;
const load = () => `load average ${loadavg()[0]!.toFixed(1)} on ${availableParallelism()} cores`;

/**
 * RSS and this thread's heap after each write batch (the writing thread seldom returns to its event
 * loop while the reading thread keeps it busy, so a timer would not fire); prints the highest RSS in
 * each tenth of the rows and the make-up of the highest sample.
 */
function memorySampler() {
  const mb = (b: number) => Math.round(b / 1048576);
  let peak = { rss: 0, heapUsed: 0, heapTotal: 0, external: 0, rows: 0 };
  const tenths = new Map<number, number>();
  return {
    sample(rows: number) {
      const m = process.memoryUsage();
      const tenth = Math.min(9, Math.floor((rows * 10) / ROWS));
      tenths.set(tenth, Math.max(tenths.get(tenth) ?? 0, m.rss));
      if (m.rss > peak.rss) peak = { ...m, rows };
    },
    print() {
      const steps = [...tenths].sort((a, b) => a[0] - b[0]).map(([k, rss]) => `${k * 10}%: ${mb(rss)}`);
      console.log(`memory: RSS after each batch, highest by tenth of the rows (MB) ${steps.join(", ")}`);
      console.log(
        `memory: highest ${mb(peak.rss)} MB after ${peak.rows.toLocaleString("en")} rows; this thread's heap ` +
          `${mb(peak.heapUsed)} used / ${mb(peak.heapTotal)} MB, external ${mb(peak.external)} MB`,
      );
    },
  };
}

try {
  if (!existsSync(file)) await writeCsv(file, ROWS);
  const mb = Math.round(statSync(file).size / 1048576);
  console.log(
    `${ROWS.toLocaleString("en")} generated v4 rows, ${mb} MB; peak RSS before importing ${peakMb()} MB; ${load()}`,
  );

  const instance = await compose(
    loadConfig({
      ESSFED_DATA: join(dir, "data"),
      ESSFED_LOG_LEVEL: "error",
      ...(schema ? { DATABASE_URL: databaseUrl(schema) } : {}),
    }),
  );
  let t = performance.now();
  let c = cpu();
  const c0 = c;
  const m0 = mainCpu();
  const batchSize = values.batch ? Number(values.batch) : undefined;
  // --thread on|off: read the CSV on a worker thread or not (by default, as essfed import decides: by size).
  const thread = values.thread === undefined ? undefined : values.thread === "on";
  const sampler = values.memory ? memorySampler() : undefined;
  let written = t;
  // --progress: the time at which each tenth of the rows was written (how long the import takes to reach its pace).
  const tenthsAt: string[] = [];
  const report = await importFile(file, instance.directory, instance.iris, {
    format: "csv",
    alone: true,
    batchSize,
    thread,
    onProgress: (n: number) => {
      // After the last batch is written, what is left is the set-wise build of the search index (ADR 35).
      written = performance.now();
      sampler?.sample(n);
      if (values.progress && n >= ((tenthsAt.length + 1) * ROWS) / 10)
        tenthsAt.push(`${n.toLocaleString("en")} ${((written - t) / 1000).toFixed(2)} s`);
    },
  });
  sampler?.print();
  if (values.progress) console.log(`progress: rows written by then: ${tenthsAt.join("; ")}`);
  const importSecs = (performance.now() - t) / 1000;
  const writtenSecs = (written - t) / 1000;
  const importCpu = cpu() - c;
  const mainCpuUs = (((mainCpu() - m0) * 1e6) / ROWS).toFixed(1);
  console.log(
    `import: ${importSecs.toFixed(2)} s → ${rate(ROWS, importSecs)} (CPU ` +
      `${((importCpu * 1e6) / ROWS).toFixed(1)} µs/row, of which this thread ${mainCpuUs}; ` +
      `${report.created} created, ${report.refusedRecords} refused), peak RSS ${peakMb()} MB; ${load()}`,
  );
  console.log(
    `  of which records written: ${writtenSecs.toFixed(2)} s → ${rate(ROWS, writtenSecs)}; ` +
      `then the search index built: ${(importSecs - writtenSecs).toFixed(2)} s`,
  );

  t = performance.now();
  c = cpu();
  await instance.store.search.catchUp();
  const indexSecs = (performance.now() - t) / 1000;
  console.log(
    `search index brought up to date: ${indexSecs.toFixed(2)} s → ${rate(ROWS, indexSecs)} (CPU ` +
      `${(((cpu() - c) * 1e6) / ROWS).toFixed(1)} µs/row), peak RSS ${peakMb()} MB; ${load()}`,
  );
  console.log(
    `import and index together: ${(importSecs + indexSecs).toFixed(2)} s → ${rate(ROWS, importSecs + indexSecs)} ` +
      `(CPU ${(((cpu() - c0) * 1e6) / ROWS).toFixed(1)} µs/row)`,
  );

  if (!values["no-reimport"]) {
    t = performance.now();
    const again = await importFile(file, instance.directory, instance.iris, { format: "csv" });
    const secs2 = (performance.now() - t) / 1000;
    console.log(
      `re-import (nothing changes): ${secs2.toFixed(2)} s → ${rate(ROWS, secs2)} (${again.unchanged} unchanged), ` +
        `peak RSS ${peakMb()} MB`,
    );
  }
  await instance.close();
} finally {
  if (schema) await dropSchema(schema).catch(() => {});
  rmSync(dir, { recursive: true, force: true });
}
