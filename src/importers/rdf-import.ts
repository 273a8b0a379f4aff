/**
 * Linked-data records → drafts: Turtle and N-Triples/N-Quads read whole (up to a bound, 256 MB by default),
 * and the IRI each imported record gets here ({@link Localiser}), shared with the JSON readers.
 */
import { createHash } from "node:crypto";
import { Parser } from "n3";
import type { Directory } from "../directory/directory.ts";
import { LOCAL_ID, mintLocalId, slugOf, type Iris } from "../directory/ids.ts";
import type { InitiativeDraft } from "../domain/validate.ts";
import { said } from "../domain/issue-messages.ts";
import { stableJson } from "../domain/version.ts";
import { FIELD_PROPERTY } from "../linkeddata/fields.ts";
import { draftsFromQuads } from "../linkeddata/initiative-rdf.ts";
import type { Batcher, Pending } from "./batcher.ts";
import type { ImportSource } from "./report.ts";
import { SeenIds } from "./seen.ts";

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

/**
 * Chooses the IRI an imported record gets here, so that importing the same file again lands on the
 * same records and never on an unrelated one: its own when it is already one of ours; else its
 * IRI's last segment (or, for a record without an IRI, its name's slug) when that local id is free
 * or already holds this record (same owl:sameAs, or without an IRI the same name); else that id
 * suffixed with a hash of its IRI (or of its content). A foreign IRI is kept as owl:sameAs.
 */
export class Localiser {
  readonly #iris: Iris;
  readonly #directory: Directory;
  readonly #taken = new SeenIds();

  constructor(iris: Iris, directory: Directory) {
    this.#iris = iris;
    this.#directory = directory;
  }

  close(): void {
    this.#taken.close();
  }

  async localise(draft: InitiativeDraft): Promise<InitiativeDraft> {
    if (this.#iris.localId(draft.id)) return draft;
    const foreign = /^https?:\/\//.test(draft.id) ? draft.id : undefined;
    let segment = "";
    try {
      segment = foreign
        ? decodeURIComponent(
            foreign
              .replace(/[#?].*$/, "")
              .replace(/\/+$/, "")
              .split("/")
              .pop() ?? "",
          )
        : "";
    } catch {
      /* a malformed %-escape: use the name instead */
    }
    const base = LOCAL_ID.test(segment) ? segment : slugOf(draft.name ?? "") || "initiative";
    const hash = createHash("sha256")
      .update(foreign ?? stableJson(draft))
      .digest("hex")
      .slice(0, 10);
    const sameAs = foreign ? [...(draft.sameAs ?? []), foreign] : (draft.sameAs ?? []);
    const candidates = [base, `${base.slice(0, 89)}-${hash}`];
    for (const [k, id] of candidates.entries()) {
      if (this.#taken.has(id)) continue;
      const prev = await this.#directory.get(this.#iris.initiative(id));
      const ours =
        !prev ||
        k === candidates.length - 1 ||
        (foreign
          ? prev.initiative.sameAs.includes(foreign)
          : prev.initiative.name === draft.name && !prev.initiative.sameAs.length);
      if (!ours) continue;
      this.#taken.firstAt(id, 0);
      return { ...draft, id: this.#iris.initiative(id), sameAs };
    }
    // The same record twice in one file: the later one gets a fresh id, as two records would.
    const id = mintLocalId(draft.name ?? "");
    this.#taken.firstAt(id, 0);
    return { ...draft, id: this.#iris.initiative(id), sameAs };
  }
}

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
