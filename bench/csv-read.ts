/**
 * The reading thread's work alone (issue 11): reads a CSV, checks each own record and serialises the
 * batches as the worker thread of a large import does (src/importers/csv-worker.ts: `csvSteps`,
 * `checkDraft`, and V8's serialiser, which `postMessage` uses), on this thread and with no store,
 * so that its CPU a row is measured without the writing thread beside it.
 *
 *   node bench/csv-read.ts [--rows 100000 | FILE.csv ...] [--runs 3]
 *
 * With --rows, reads the file `bench/import.ts --rows N --keep-file` generates (generating it if
 * absent). Prints, per run, this thread's CPU a row (user + system) and the process's peak RSS with
 * the load average, and once per file a digest of every step read and checked (records, versions,
 * warnings, refusals, in order, as sorted-key JSON computed here): two versions of the code that
 * print the same digest give the same results. Asserts nothing.
 */
import { createHash } from "node:crypto";
import { createReadStream, createWriteStream, existsSync } from "node:fs";
import { availableParallelism, loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { serialize } from "node:v8";
import { checkDraft } from "../src/directory/directory.ts";
import { makeIris } from "../src/directory/ids.ts";
import { csvSteps, type CsvStep } from "../src/importers/csv-import.ts";
import { V4_COLUMNS } from "../src/importers/csv/columns.ts";
import { loadTaxonomies } from "../src/linkeddata/vocabulary.ts";
import { csvLine, generateRow, rng } from "./generate.ts";

const { values, positionals } = parseArgs({
  options: {
    rows: { type: "string" },
    runs: { type: "string", default: "3" },
  },
  allowPositionals: true,
});

/** Sorted-key JSON of its own, so that the digest does not depend on the code it checks. */
function canonical(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(canonical).join(",")}]`;
  if (v !== null && typeof v === "object") {
    const keys = Object.keys(v)
      .filter((k) => (v as Record<string, unknown>)[k] !== undefined)
      .sort();
    return `{${keys.map((k) => `${JSON.stringify(k)}:${canonical((v as Record<string, unknown>)[k])}`).join(",")}}`;
  }
  return JSON.stringify(v) ?? "null";
}

async function generated(rows: number): Promise<string> {
  const file = join(tmpdir(), `essfed-bench-import-${rows}.csv`);
  if (existsSync(file)) return file;
  const out = createWriteStream(file);
  out.write(V4_COLUMNS.join(",") + "\n");
  const r = rng();
  for (let k = 0; k < rows; k++)
    if (!out.write(csvLine(generateRow(k, r), k) + "\n")) await new Promise<void>((res) => out.once("drain", res));
  await new Promise<void>((res) => out.end(res));
  return file;
}

const files = positionals.length ? positionals : [await generated(Number(values.rows ?? 100_000))];
const iris = makeIris("https://bench.example", "directory");
const taxonomies = loadTaxonomies();
const options = { defaultSharing: "public", lenient: true } as const;
const screened = { ...options, screened: true };
const threadCpu = () => {
  const c = process.threadCpuUsage();
  return c.user + c.system;
};
const load = () => `load average ${loadavg()[0]!.toFixed(1)} on ${availableParallelism()} cores`;

for (const file of files) {
  for (let run = 0; run < Number(values.runs); run++) {
    const digest = run === 0 ? createHash("sha256") : undefined;
    let rows = 0;
    let bytes = 0;
    let batch: CsvStep[] = [];
    let records = 0;
    const c0 = threadCpu();
    for await (const step of csvSteps(createReadStream(file), iris)) {
      let out: CsvStep = step;
      if ("pending" in step && !step.foreign) {
        const { where, draft } = step.pending;
        out = {
          checked: {
            where,
            id: draft.id,
            checked: checkDraft(draft, taxonomies, iris, step.screened ? screened : options),
          },
        };
        records++;
      }
      if ("pending" in step || "refuse" in step) rows++;
      batch.push(out);
      if (records >= 1000 || batch.length >= 4000) {
        bytes += serialize(batch).length;
        batch = [];
        records = 0;
      }
      digest?.update(canonical(out) + "\n");
    }
    bytes += serialize(batch).length;
    const us = (threadCpu() - c0) / rows;
    console.log(
      `${file.split("/").pop()}: ${rows.toLocaleString("en")} rows, CPU ${us.toFixed(1)} µs/row` +
        `${digest ? " (with the digest)" : ""}, ${Math.round(bytes / rows)} bytes/row serialised, ` +
        `peak RSS ${Math.round(process.resourceUsage().maxRSS / 1024)} MB; ${load()}` +
        (digest ? `\n  digest ${digest.digest("base64url").slice(0, 22)}` : ""),
    );
  }
}
