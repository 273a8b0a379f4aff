/**
 * JSON → drafts: a GeoJSON FeatureCollection feature by feature, and JSON-LD `@graph` items one by
 * one when they are written as essfed writes them (its own export), both read as a stream so that
 * memory stays flat however long the file. Other JSON-LD items are gathered and read together at
 * the end (they may describe one initiative across several nodes); a document with neither
 * `features` nor `@graph` (a single initiative or Feature) is read whole.
 */
import { JSONParser } from "@streamparser/json";
import { said, type Said } from "../domain/issue-messages.ts";
import type { Directory } from "../directory/directory.ts";
import type { Iris } from "../directory/ids.ts";
import { FIELD_PROPERTY } from "../linkeddata/fields.ts";
import { IMPORT_BUDGET, draftsFromJsonLd, fastDraft, isJsonLdRefusal } from "../linkeddata/jsonld-in.ts";
import { prescan, prescanContext } from "../linkeddata/jsonld-budget.ts";
import type { Batcher, Pending } from "./batcher.ts";
import { readFeature } from "./geojson.ts";
import type { ImportSource } from "./report.ts";
import { Localiser } from "./localiser.ts";
import { localised, readText, tooLarge } from "./rdf-import.ts";

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === "object" && v !== null && !Array.isArray(v);

/** The most text one feature or @graph item may take while it is read. */
const MAX_ITEM_BYTES = 16 * 1024 * 1024;

/** Distinct ignored property names counted; past this many, the rest are one "other properties" line. */
const MAX_IGNORED_NAMES = 200;

export async function* jsonRecords(
  format: "geojson" | "jsonld",
  source: ImportSource,
  iris: Iris,
  directory: Directory,
  b: Batcher,
): AsyncGenerator<Pending> {
  b.columnOf = (field) =>
    FIELD_PROPERTY[field] ??
    (field.startsWith("translations.") ? (field.endsWith(".name") ? "gr:name" : "dcterms:description") : undefined);
  const localiser = new Localiser(iris, directory);
  const ignored = new Map<string, number>();
  let features = 0;
  let graphItems = 0;
  let context: unknown;
  let held: unknown[] = [];
  let heldBytes = 0;
  const feature = async (f: unknown): Promise<Pending | undefined> => {
    const row = ++features;
    const read = readFeature(f);
    if (!read) return void b.refuse({ row, line: 0 }, said("notFeature"));
    const record = (read.draft.id || read.draft.name || "").slice(0, 200);
    const where = { row, line: 0, ...(record ? { record } : {}) };
    for (const k of read.ignored) {
      const key = ignored.has(k) || ignored.size < MAX_IGNORED_NAMES ? k : "(other properties)";
      ignored.set(key, (ignored.get(key) ?? 0) + 1);
    }
    for (const note of read.notes) b.warn(where, note);
    return { where, draft: await localiser.localise(read.draft), columns: read.columns };
  };
  /** Runs a budget check; a refusal is the import's fatal error, naming `what`. */
  const overBudget = (check: () => void, row: number, what: (detail: string) => Said): boolean => {
    try {
      check();
      return true;
    } catch (e) {
      if (!isJsonLdRefusal(e)) throw e;
      b.report.fatal = { row, line: 0, ...what(e.message) };
      return false;
    }
  };
  /** The stream pass: features and @graph items as they close. */
  async function* stream(): AsyncGenerator<Pending> {
    const queue: { key: string | number | undefined; path: string; value: unknown }[] = [];
    const parser = new JSONParser({ paths: ["$.features.*", "$.@graph.*", "$.@context"], keepStack: false });
    parser.onValue = ({ value, key, stack }) =>
      void queue.push({ key, path: stack.map((s) => s.key ?? "").join("."), value });
    // The parser's own errors are the file's; anything else (the store) is not.
    const parse = (chunk?: Buffer | string) => {
      try {
        if (chunk === undefined) parser.end();
        else parser.write(chunk);
        return true;
      } catch (e) {
        b.report.fatal = { row: 0, line: 0, ...said("notJson", { detail: (e as Error).message }) };
        return false;
      }
    };
    // One feature or item is held whole until it closes: bound how much text that may take.
    const maxItem = Math.min(MAX_ITEM_BYTES, b.maxDocumentBytes);
    let sinceItem = 0;
    for await (const chunk of source.open() as AsyncIterable<Buffer | string>) {
      if (parser.isEnded) break;
      if (!parse(chunk)) return;
      sinceItem = queue.length ? 0 : sinceItem + chunk.length;
      if (sinceItem > maxItem) {
        return void (b.report.fatal = {
          row: features + graphItems + 1,
          line: 0,
          message: `a feature, @graph item or document part larger than ${+(maxItem / 1048576).toFixed(3)} MB`,
        });
      }
      for (const item of queue.splice(0)) {
        if (item.path === ".features") {
          const p = await feature(item.value);
          if (p) yield p;
        } else if (item.key === "@context") {
          // The JSON-LD budget's shape limits (ADR 18), once for the context every item shares.
          if (
            !overBudget(
              () => prescanContext(item.value, IMPORT_BUDGET),
              0,
              (detail) => said("contextRefused", { detail }),
            )
          )
            return;
          context = item.value;
        } else if (item.path === ".@graph") {
          graphItems++;
          // essfed's own items carry their whole record: read each as it comes.
          const own =
            context !== undefined && isObj(item.value) ? fastDraft({ "@context": context, ...item.value }) : undefined;
          if (own) yield* localised([own], localiser, graphItems);
          else {
            const n = graphItems;
            if (
              !overBudget(
                () => prescan(item.value, IMPORT_BUDGET),
                n,
                (detail) => said("graphItemRefused", { n, detail }),
              )
            )
              return;
            held.push(item.value);
            heldBytes += JSON.stringify(item.value).length;
            if (heldBytes > b.maxDocumentBytes)
              return void (b.report.fatal = tooLarge("graphTooLarge", b.maxDocumentBytes));
          }
        }
      }
    }
    if (!parser.isEnded) parse();
  }

  /** What the stream pass could not read by itself: gathered @graph items, or a document read whole. */
  async function* rest(): AsyncGenerator<Pending> {
    if (held.length) {
      const drafts = await draftsFromJsonLd(
        { ...(context !== undefined ? { "@context": context } : {}), "@graph": held },
        IMPORT_BUDGET,
      );
      held = [];
      return yield* localised(drafts, localiser, graphItems - drafts.length + 1);
    }
    if (features || graphItems) return;
    // Neither a collection of features nor a graph: one Feature, or a single JSON-LD node.
    const text = await readText(source, b.maxDocumentBytes);
    if (text === undefined) return void (b.report.fatal = tooLarge("jsonTooLarge", b.maxDocumentBytes));
    let doc: unknown;
    try {
      doc = JSON.parse(text);
    } catch (e) {
      return void (b.report.fatal = { row: 0, line: 0, ...said("notJson", { detail: (e as Error).message }) });
    }
    if (isObj(doc) && doc.type === "Feature") {
      const p = await feature(doc);
      if (p) yield p;
    } else if (isObj(doc) && doc.type === "FeatureCollection") {
      b.report.fatal = { row: 0, line: 0, ...said("noFeatures") };
    } else yield* localised(await draftsFromJsonLd(doc, IMPORT_BUDGET), localiser);
  }

  try {
    yield* stream();
    if (!b.report.fatal) yield* rest();
  } catch (e) {
    if (!isJsonLdRefusal(e)) throw e;
    b.report.fatal = { row: 0, line: 0, ...said("documentRefused", { detail: e.message }) };
  } finally {
    localiser.close();
    if (ignored.size) b.report.ignored.push(...[...ignored].map(([column, rows]) => ({ column, rows })));
    // Say what the file turned out to be, whatever its start suggested.
    b.report.format = features ? "geojson" : graphItems || b.report.read ? "jsonld" : format;
  }
}
