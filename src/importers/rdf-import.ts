/**
 * Linked-data records → drafts: Turtle and N-Triples/N-Quads read whole (up to a bound, 256 MB by default),
 * into drafts whose IRIs the {@link Localiser} chooses, as the JSON readers do.
 */
import { Parser } from "n3";
import type { Directory } from "../directory/directory.ts";
import type { Iris } from "../directory/ids.ts";
import type { InitiativeDraft } from "../domain/validate.ts";
import { said } from "../domain/issue-messages.ts";
import { FIELD_PROPERTY } from "../linkeddata/fields.ts";
import { draftsFromQuads } from "../linkeddata/initiative-rdf.ts";
import type { Batcher, Pending } from "./batcher.ts";
import type { ImportSource } from "./report.ts";
import { Localiser } from "./localiser.ts";

/**
 * The whole text of a source, or undefined when it is larger than `max` bytes. (CSV, GeoJSON and
 * JSON-LD shaped like essfed's own export are read as streams, at any size.)
 */
export async function readText(source: ImportSource, max: number): Promise<string | undefined> {
  const chunks: Buffer[] = [];
  let size = 0;
  const stream = source.open();
  try {
    for await (const c of stream as AsyncIterable<Buffer | string>) {
      const b = typeof c === "string" ? Buffer.from(c) : c;
      size += b.length;
      if (size > max) return undefined;
      chunks.push(b);
    }
  } finally {
    stream.destroy();
  }
  return new TextDecoder("utf-8").decode(Buffer.concat(chunks));
}

/** A document too large to read whole, as a fatal issue: `key` says which kind of document. */
export const tooLarge = (key: "rdfTooLarge" | "jsonTooLarge" | "graphTooLarge", max: number) => ({
  row: 0,
  line: 0,
  ...said(key, { max: +(max / 1048576).toFixed(3) }),
});

/** Pending records for drafts read from linked data, numbered in the order found. */
export async function* localised(
  drafts: Iterable<InitiativeDraft>,
  localiser: Localiser,
  start = 1,
): AsyncGenerator<Pending, void> {
  let n = start;
  for (const d of drafts) {
    const record = (d.id || d.name || "").slice(0, 200);
    yield { where: { row: n++, line: 0, ...(record ? { record } : {}) }, draft: await localiser.localise(d) };
  }
}

export async function* rdfRecords(
  format: "turtle" | "nquads",
  source: ImportSource,
  iris: Iris,
  directory: Directory,
  b: Batcher,
): AsyncGenerator<Pending> {
  b.columnOf = (field) =>
    FIELD_PROPERTY[field] ??
    (field.startsWith("translations.") ? (field.endsWith(".name") ? "gr:name" : "dcterms:description") : undefined);
  const text = await readText(source, b.maxDocumentBytes);
  if (text === undefined) return void (b.report.fatal = tooLarge("rdfTooLarge", b.maxDocumentBytes));
  let quads;
  try {
    // Relative IRIs name this instance's own initiatives.
    quads = new Parser({
      format: format === "turtle" ? "text/turtle" : "N-Quads",
      baseIRI: `${iris.directory}/`,
    }).parse(text);
  } catch (e) {
    const line = Number(/line (\d+)/.exec((e as Error).message)?.[1] ?? 0);
    b.report.fatal = {
      row: 0,
      line,
      ...said("syntaxError", { syntax: format === "turtle" ? "Turtle" : "N-Quads", detail: (e as Error).message }),
    };
    return;
  }
  const localiser = new Localiser(iris, directory);
  try {
    yield* localised(draftsFromQuads(quads), localiser);
  } finally {
    localiser.close();
  }
}
