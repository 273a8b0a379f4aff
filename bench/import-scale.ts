/**
 * Issue 11's import goal in one command: imports the generated SEA standard CSV at each size, each run in a process
 * of its own (`bench/import.ts --rows N --keep-file --no-reimport`, so that a run's peak RSS is the import's alone,
 * not the generator's nor an earlier run's), and prints each run, then per size the slowest and fastest rate and the
 * peak RSS, against 20,000 rows/s.
 *
 *   node bench/import-scale.ts [--rows 100000,500000,1000000] [--runs 1]
 *
 * The files are written first (kept in the temporary directory as bench/import.ts keeps them) and the sizes are taken
 * in turn, run after run, so that a slow spell of a shared machine falls on every size alike. Asserts nothing.
 */
import { execFileSync } from "node:child_process";
import { existsSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { writeCsv } from "./generate.ts";

const { values } = parseArgs({
  options: {
    rows: { type: "string", default: "100000,500000,1000000" },
    runs: { type: "string", default: "1" },
  },
});
const sizes = values.rows.split(",").map(Number);
const runs = Number(values.runs);
if (sizes.some((n) => !Number.isInteger(n) || n <= 0) || !(runs > 0)) throw new Error("--rows N,N,... --runs N");
const GOAL = 20_000;
const IMPORT = fileURLToPath(new URL("./import.ts", import.meta.url));

interface Run {
  rows: number;
  secs: number;
  rate: number;
  cpuUs: number;
  peakMb: number;
  load: string;
}

/** One import in a child process, read off the line bench/import.ts prints for it. */
function run(rows: number): Run {
  const out = execFileSync(process.execPath, [IMPORT, "--rows", String(rows), "--keep-file", "--no-reimport"], {
    encoding: "utf8",
    stdio: ["ignore", "pipe", "inherit"],
  });
  const m =
    /^import: ([\d.]+) s → [\d,]+ rows\/s \(CPU ([\d.]+) µs\/row.*peak RSS (\d+) MB; load average ([\d.]+)/m.exec(out);
  if (!m) throw new Error(`bench/import.ts printed no import line:\n${out}`);
  const secs = Number(m[1]);
  return { rows, secs, rate: rows / secs, cpuUs: Number(m[2]), peakMb: Number(m[3]), load: m[4]! };
}

const n = (x: number) => Math.round(x).toLocaleString("en");
for (const rows of sizes) {
  const file = join(tmpdir(), `essfed-bench-import-${rows}.csv`);
  if (!existsSync(file)) await writeCsv(file, rows);
}
const all: Run[] = [];
for (let k = 1; k <= runs; k++)
  for (const rows of sizes) {
    const r = run(rows);
    all.push(r);
    console.log(
      `run ${k}: ${n(rows)} rows in ${r.secs.toFixed(2)} s → ${n(r.rate)} rows/s (CPU ${r.cpuUs} µs/row), ` +
        `peak RSS ${r.peakMb} MB; load average ${r.load} at the end`,
    );
  }
console.log(
  "\n| rows | runs | rows/s, slowest – fastest | peak RSS | ≥ 20,000 rows/s |\n| --- | --- | --- | --- | --- |",
);
for (const rows of sizes) {
  const mine = all.filter((r) => r.rows === rows);
  const rates = mine.map((r) => r.rate);
  const rss = mine.map((r) => r.peakMb);
  const met = rates.filter((r) => r >= GOAL).length;
  console.log(
    `| ${n(rows)} | ${mine.length} | ${n(Math.min(...rates))} – ${n(Math.max(...rates))} | ` +
      `${Math.min(...rss)} – ${Math.max(...rss)} MB | ${met} of ${mine.length} |`,
  );
}
