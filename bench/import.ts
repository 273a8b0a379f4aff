/**
 * Import throughput (issue 2): generates a SEA standard v4 CSV of N rows (100,000 by default) and
 * imports it into a fresh SQLite instance through the same code path as `essfed import`.
 *
 *   node bench/import.ts [--rows 100000]
 *
 * Prints figures; asserts nothing.
 */
import { createWriteStream, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { loadConfig } from "../src/config.ts";
import { compose } from "../src/compose.ts";
import { importFile } from "../src/importers/import.ts";
import { V4_COLUMNS } from "../src/importers/csv/columns.ts";
import { csvLine, generateRow, rng } from "./generate.ts";

const { values } = parseArgs({ options: { rows: { type: "string", default: "100000" } } });
const ROWS = Number(values.rows);
const dir = mkdtempSync(join(tmpdir(), "essfed-bench-import-"));
try {
  const file = join(dir, "generated.csv");
  const out = createWriteStream(file);
  out.write(V4_COLUMNS.join(",") + "\n");
  const r = rng();
  for (let k = 0; k < ROWS; k++) if (!out.write(csvLine(generateRow(k, r), k) + "\n")) await new Promise<void>((res) => out.once("drain", () => res()));
  await new Promise<void>((res) => out.end(() => res()));

  const instance = await compose(loadConfig({ ESSFED_DATA: join(dir, "data"), ESSFED_LOG_LEVEL: "error" }));
  let peak = process.memoryUsage().rss;
  const t0 = performance.now();
  const report = await importFile(file, instance.directory, instance.iris, { format: "csv", onProgress: () => { peak = Math.max(peak, process.memoryUsage().rss); } });
  const secs = (performance.now() - t0) / 1000;
  console.log(`import of ${ROWS.toLocaleString("en")} generated v4 rows: ${secs.toFixed(2)} s → ${Math.round(ROWS / secs).toLocaleString("en")} rows/s ` +
    `(${report.created} created, ${report.refused.length} refused), peak RSS ${Math.round(peak / 1048576)} MB`);
  const ti = performance.now();
  await instance.store.search.catchUp();
  console.log(`search index caught up ${((performance.now() - ti) / 1000).toFixed(2)} s after the import returned (it indexes behind the writes)`);
  const t1 = performance.now();
  const again = await importFile(file, instance.directory, instance.iris, { format: "csv" });
  const secs2 = (performance.now() - t1) / 1000;
  console.log(`re-import (nothing changes): ${secs2.toFixed(2)} s → ${Math.round(ROWS / secs2).toLocaleString("en")} rows/s (${again.unchanged} unchanged)`);
  await instance.close();
} finally {
  rmSync(dir, { recursive: true, force: true });
}
