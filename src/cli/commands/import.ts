/**
 * `essfed import FILE [--format csv|jsonld|turtle]`: imports into this instance's own directory.
 * Exit code 0 when every row was imported, 1 when some were refused (the others are imported),
 * 2 when the file could not be read.
 */
import { existsSync } from "node:fs";
import { loadConfig } from "../../config.ts";
import { compose } from "../../compose.ts";
import { formatOf, importFile, type ImportFormat, type ImportReport } from "../../importers/import.ts";
import type { RowIssue } from "../../importers/csv/read.ts";
import { CommandError, type Io } from "../io.ts";
import type { Parsed } from "../registry.ts";

const where = (i: RowIssue) => [i.row ? `row ${i.row}` : "", i.line && i.line !== i.row ? `(line ${i.line})` : "", i.column ? `column "${i.column}"` : ""].filter(Boolean).join(" ");

export function formatIssue(i: RowIssue): string {
  return `${where(i)}: ${i.message}${i.value !== undefined && !i.message.includes(i.value) ? ` (got "${i.value}")` : ""}`;
}

export async function importCommand({ values, positionals }: Parsed, io: Io): Promise<number> {
  const file = positionals[0]!;
  if (!existsSync(file)) throw new CommandError(`no such file: ${file}`, 2);
  const format = (typeof values.format === "string" ? values.format : formatOf(file)) as ImportFormat | undefined;
  if (!format || !["csv", "jsonld", "turtle"].includes(format)) throw new CommandError(`cannot tell the format of ${file}: add --format csv|jsonld|turtle`, 2);
  const instance = await compose(loadConfig(io.env), { create: false });
  const started = Date.now();
  let lastProgress = started;
  let report: ImportReport;
  try {
    report = await importFile(file, instance.directory, instance.iris, format, {
      onProgress: (read) => {
        const now = Date.now();
        if (values.quiet || now - lastProgress < 1000) return;
        lastProgress = now;
        io.err(`  ${read.toLocaleString("en")} rows read (${Math.round(read / ((now - started) / 1000)).toLocaleString("en")} rows/s)`);
      },
    });
  } finally {
    await instance.close();
  }
  const secs = (Date.now() - started) / 1000;
  io.out(`${file}: ${format}${report.version ? ` (SEA standard v${report.version})` : ""}, ${report.read} read in ${secs.toFixed(1)} s: ` +
    `${report.created} created, ${report.updated} updated, ${report.unchanged} unchanged, ${new Set(report.refused.map((r) => r.row)).size} refused`);
  for (const w of report.warnings) io.err(`warning: ${formatIssue(w)}`);
  for (const r of report.refused) io.err(`refused: ${formatIssue(r)}`);
  if (report.fatal) {
    io.err(`error: ${formatIssue(report.fatal)}; the rest of the file was not read`);
    return 2;
  }
  return report.refused.length ? 1 : 0;
}
