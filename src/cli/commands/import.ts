/**
 * `essfed import FILE [--format F] [--dry-run] [--quiet] [--thread on|off|auto] [--lang L]`: imports into this
 * instance's own directory. Exit code 0 when every record was imported, 1 when some were refused (the others are
 * imported), 2 when the file could not be read (an unsupported format, a syntax error, no
 * initiatives in it).
 */
import { existsSync } from "node:fs";
import { constants } from "node:os";
import { loadConfig } from "../../config.ts";
import { compose } from "../../compose.ts";
import {
  IMPORT_FORMATS,
  MAX_ISSUES,
  UnsupportedFormatError,
  describe,
  fileSource,
  formatOfSource,
  importSource,
  type ImportFormat,
  type ImportReport,
  type RowIssue,
} from "../../importers/import.ts";
import { LOCALES, isLocale, translator, type Translator } from "../../web/i18n.ts";
import { CommandError, EXIT, type Io } from "../io.ts";
import type { Parsed } from "../spec.ts";

const where = (i: RowIssue) =>
  [
    i.row ? `row ${i.row}` : "",
    i.line && i.line !== i.row ? `(line ${i.line})` : "",
    i.record ? `[${i.record}]` : "",
    i.column ? `column "${i.column}"` : "",
  ]
    .filter(Boolean)
    .join(" ");

/**
 * An issue's reason: in English as the report words it, or, given another language's translator,
 * from the same catalogues the console uses (the issues that carry a key; the others as worded).
 */
function reason(i: RowIssue, tr?: Translator): string {
  if (!tr || tr.locale === "en" || !i.key) return i.message;
  const text = tr.t(`importIssue.${i.key}`, i.params ?? {});
  return `${i.field ? `${i.field} ` : ""}${text}${i.leftOut ? tr.t("importIssue.leftOut") : ""}`;
}

export function formatIssue(i: RowIssue, tr?: Translator): string {
  const at = where(i);
  const message = reason(i, tr);
  const got = i.value !== undefined && !message.includes(i.value) ? ` (got "${i.value}")` : "";
  return `${at ? `${at}: ` : ""}${message}${got}`;
}

/** The report as people read it: one summary line, then what was ignored, left out and refused. */
export function reportLines(
  file: string,
  report: ImportReport,
  secs: number,
  tr?: Translator,
): { out: string[]; err: string[] } {
  const what = `${describe(report.format)}${report.version ? ` (SEA standard v${report.version})` : ""}`;
  const verb = report.dryRun ? "dry run, nothing written: would be" : "";
  const read = `${report.interrupted ? "interrupted after " : ""}${report.read} read`;
  const out = [
    `${file}: ${what}, ${read} in ${secs.toFixed(1)} s: ${verb ? `${verb} ` : ""}` +
      `${report.created} created, ${report.updated} updated, ${report.unchanged} unchanged, ` +
      `${report.refusedRecords} refused`,
  ];
  if (report.ignored.length) {
    const ignored = report.ignored.map((c) => `"${c.column}" (${c.rows} ${c.rows === 1 ? "record" : "records"})`);
    out.push(`not held, ignored: ${ignored.join(", ")}`);
  }
  const err = [
    ...report.warnings.map((w) => `warning: ${formatIssue(w, tr)}`),
    ...report.refused.map((r) => `refused: ${formatIssue(r, tr)}`),
  ];
  if (report.omitted.warnings)
    err.push(`… and ${report.omitted.warnings} more warnings (the first ${MAX_ISSUES} are listed)`);
  if (report.omitted.refused)
    err.push(`… and ${report.omitted.refused} more refusals (the first ${MAX_ISSUES} are listed)`);
  if (report.fatal)
    err.push(`error: ${formatIssue(report.fatal, tr)}${report.read ? "; the rest of the file was not read" : ""}`);
  if (report.interrupted)
    err.push(
      report.dryRun
        ? "interrupted: the counts are of the records read until then"
        : "interrupted: the records read until then are imported; the same import again imports the rest " +
            "(the records already imported come out unchanged)",
    );
  return { out, err };
}

/**
 * Ctrl-C (SIGINT) or SIGTERM while importing: the first stops the reading, and the import writes what it read, builds
 * the search index and reports, then exits with 128 + the signal's number (130 for Ctrl-C); a second exits at once
 * (the store recovers from that as from a crash: ADR 47, ADR 49).
 */
function stopOnSignals(io: Io): { signal: AbortSignal; by?: NodeJS.Signals; dispose(): void } {
  const controller = new AbortController();
  const stopping = {
    signal: controller.signal,
    by: undefined as NodeJS.Signals | undefined,
    dispose: () => SIGNALS.forEach((s) => process.off(s, on)),
  };
  function on(s: NodeJS.Signals) {
    if (stopping.by) process.exit(128 + constants.signals[s]);
    stopping.by = s;
    io.err(
      `stopping (${s}): writing the records read so far and building the search index; ` +
        `${s === "SIGINT" ? "Ctrl-C" : s} again stops at once`,
    );
    controller.abort();
  }
  SIGNALS.forEach((s) => process.on(s, on));
  return stopping;
}
const SIGNALS = ["SIGINT", "SIGTERM"] as const;

export async function importCommand({ values, positionals }: Parsed, io: Io): Promise<number> {
  const file = positionals[0]!;
  if (!existsSync(file)) throw new CommandError(`no such file: ${file}`, 2);
  if (values.format !== undefined && !(IMPORT_FORMATS as readonly unknown[]).includes(values.format)) {
    throw new CommandError(`--format must be one of ${IMPORT_FORMATS.join(", ")}`, 2);
  }
  if (values.lang !== undefined && !isLocale(values.lang))
    throw new CommandError(`--lang must be one of ${LOCALES.join(", ")}`, EXIT.usage);
  const tr = isLocale(values.lang) ? translator(values.lang) : undefined;
  const thread = values.thread ?? "auto";
  if (thread !== "on" && thread !== "off" && thread !== "auto")
    throw new CommandError("--thread must be one of on, off, auto", EXIT.usage);
  const source = fileSource(file);
  let format: ImportFormat;
  try {
    // Told before the store is opened: a file that cannot be imported touches nothing.
    format = (values.format as ImportFormat | undefined) ?? (await formatOfSource(source));
  } catch (e) {
    if (e instanceof UnsupportedFormatError) throw new CommandError(`${file}: ${e.message}`, 2);
    throw e;
  }
  const instance = await compose(loadConfig(io.env), { create: false });
  const stopping = stopOnSignals(io);
  const started = Date.now();
  let lastProgress = started;
  let report: ImportReport;
  try {
    report = await importSource(source, instance.directory, instance.iris, {
      format,
      dryRun: values["dry-run"] === true,
      // This process runs nothing but the import: its batches may be committed in groups (ADR 46).
      alone: true,
      signal: stopping.signal,
      ...(thread === "auto" ? {} : { thread: thread === "on" }),
      onProgress: (read) => {
        const now = Date.now();
        if (values.quiet || now - lastProgress < 1000) return;
        lastProgress = now;
        io.err(
          `  ${read.toLocaleString("en")} rows read ` +
            `(${Math.round(read / ((now - started) / 1000)).toLocaleString("en")} rows/s)`,
        );
      },
    });
    const secs = (Date.now() - started) / 1000;
    const lines = reportLines(file, report, secs, tr);
    lines.out.forEach((l) => io.out(l));
    lines.err.forEach((l) => io.err(l));
    if (!report.dryRun && report.created + report.updated > 0) {
      // Searches wait for the index to catch up: do it now rather than on the server's first search
      // (on SQLite, an import indexes its batches as it writes them, and this finds nothing left).
      const t = Date.now();
      await instance.store.search.catchUp();
      const indexSecs = (Date.now() - t) / 1000;
      const { indexLag } = await instance.store.health();
      if (indexLag === 0)
        io.out(
          `search index up to date${indexSecs >= 0.5 ? ` (brought up to date in ${indexSecs.toFixed(1)} s)` : ""}`,
        );
    }
  } finally {
    await instance.close();
    stopping.dispose();
  }
  if (report.interrupted) return 128 + constants.signals[stopping.by ?? "SIGINT"];
  if (report.fatal) return 2;
  return report.refusedRecords ? 1 : 0;
}
