/**
 * `essfed export [--format nquads|turtle|jsonld|csv|geojson] [--output FILE]`: everything the
 * instance holds, streamed to stdout or a file.
 */
import { createWriteStream } from "node:fs";
import { once } from "node:events";
import type { Writable } from "node:stream";
import { loadConfig } from "../../config.ts";
import { compose } from "../../compose.ts";
import { EXPORT_FORMATS, exportAll, type ExportFormat } from "../../exporters/export.ts";
import { CommandError, EXIT, type Io } from "../io.ts";
import type { Parsed } from "../spec.ts";

export async function exportCommand(args: Parsed, io: Io, stdout: Writable = process.stdout): Promise<number> {
  const values = { format: "nquads", ...args.values } as { format: string; output?: string };
  const format = values.format as ExportFormat;
  if (!EXPORT_FORMATS.includes(format))
    throw new CommandError(`--format must be one of ${EXPORT_FORMATS.join(", ")}`, EXIT.usage);
  const instance = await compose(loadConfig(io.env), { create: false });
  const out = values.output ? createWriteStream(values.output) : stdout;
  // A reader that stops early (`essfed export | head`) or an output that cannot be written ends
  // the export; the first error says which.
  let failed: NodeJS.ErrnoException | undefined;
  out.on("error", (e: NodeJS.ErrnoException) => {
    failed ??= e;
  });
  try {
    for await (const chunk of exportAll(instance, format)) {
      if (failed) break;
      // A failed output stream sets `failed` (its error listener reports it); the loop then stops.
      if (!out.write(chunk)) await once(out, "drain").catch(() => undefined);
    }
    if (values.output && !failed) await new Promise<void>((r) => out.end(() => r()));
  } finally {
    await instance.close();
  }
  if (failed && !values.output && failed.code === "EPIPE") return 0;
  if (failed) throw new CommandError(`cannot write ${values.output ?? "the output"}: ${failed.message}`, 1);
  if (values.output) io.err(`essfed: wrote ${format} to ${values.output}`);
  return 0;
}
