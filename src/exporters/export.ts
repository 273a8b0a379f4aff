/**
 * Streaming exports of everything an instance holds (its own and mirrored initiatives): N-Quads
 * with one named graph per source network, Turtle, JSON-LD, CSV in the SEA standard v4 columns and
 * GeoJSON. Each is an async generator of text chunks that pages through the store, so memory stays
 * flat however large the directory (the CLI writes them to a file, the HTTP dumps to disk).
 */
import { DataFactory, Writer } from "n3";
import type { Iris } from "../directory/ids.ts";
import type { Taxonomies } from "../domain/taxonomy.ts";
import { DOCUMENT_CONTEXT } from "../linkeddata/context.ts";
import { initiativeToJsonLd } from "../linkeddata/initiative-jsonld.ts";
import { initiativeToQuads } from "../linkeddata/initiative-rdf.ts";
import { PREFIXES, writeQuads } from "../linkeddata/serialize.ts";
import type { Store, StoredInitiative } from "../store/store.ts";
import { csvHeader, csvRow, translationLanguages } from "./csv.ts";
import { geoJsonFeature } from "./geojson.ts";

export type ExportFormat = "nquads" | "turtle" | "jsonld" | "csv" | "geojson";
export const EXPORT_FORMATS: readonly ExportFormat[] = ["nquads", "turtle", "jsonld", "csv", "geojson"];

export interface ExportDeps {
  store: Store;
  taxonomies: Taxonomies;
  iris: Iris;
}

const PAGE = 1000;

/** Every stored record, newest change first, a page at a time. */
export async function* allRecords(store: Store): AsyncGenerator<StoredInitiative[]> {
  let cursor: string | undefined;
  do {
    const page = await store.listInitiatives({ limit: PAGE, ...(cursor ? { cursor } : {}) });
    if (page.items.length) yield page.items;
    cursor = page.next;
  } while (cursor);
}

/** The network a record comes from: its origin for mirrors, this instance's actor for its own. */
export function sourceOf(r: StoredInitiative, iris: Iris): string {
  return r.provenance?.origin ?? iris.actor;
}

/** Text chunks of the whole directory in `format`. */
export async function* exportAll(deps: ExportDeps, format: ExportFormat): AsyncGenerator<string> {
  const { store, taxonomies, iris } = deps;
  // Dumps are this network's own publication: fields kept for the team (`none`) are left out.
  // Each record carries the licence and attribution it holds (a mirror's are its owner's); own
  // records giving none fall under the dataset's, named by the dump's Link header and /dataset,
  // not written into each record, so that the dump imports back to the same data.
  const terms = {};
  switch (format) {
    case "nquads":
      for await (const page of allRecords(store)) {
        yield writeQuads(
          page.flatMap((r) =>
            initiativeToQuads(
              r,
              taxonomies,
              sourceOf(r, iris),
              DataFactory.namedNode(sourceOf(r, iris)),
              undefined,
              "public",
              terms,
            ),
          ),
          "nquads",
        );
      }
      return;
    case "turtle": {
      yield (
        Object.entries(PREFIXES)
          .map(([p, ns]) => `@prefix ${p}: <${ns}>.\n`)
          .join("") + "\n"
      );
      for await (const page of allRecords(store)) {
        // Each page is written with the same prefixes, so only the body goes out after the first.
        const writer = new Writer({ format: "Turtle", prefixes: PREFIXES });
        writer.addQuads(
          page.flatMap((r) =>
            initiativeToQuads(r, taxonomies, sourceOf(r, iris), undefined, undefined, "public", terms),
          ),
        );
        let text = "";
        writer.end((err, result: string) => {
          if (err) throw err;
          text = result;
        });
        yield text.replace(/^@prefix [^\n]*\n/gm, "").replace(/^\n+/, "") + "\n";
      }
      return;
    }
    case "jsonld": {
      yield `{"@context":${JSON.stringify(DOCUMENT_CONTEXT)},"@graph":[`;
      let first = true;
      for await (const page of allRecords(store)) {
        const items = page.map((r) =>
          JSON.stringify(
            initiativeToJsonLd(r, taxonomies, { owner: sourceOf(r, iris), context: false, audience: "public", terms }),
          ),
        );
        yield (first ? "\n" : ",\n") + items.join(",\n");
        first = false;
      }
      yield "\n]}\n";
      return;
    }
    case "csv": {
      // The header names a column per translation language: find them first (one more pass, reading only).
      const found = new Set<string>();
      for await (const page of allRecords(store)) translationLanguages(page, found);
      const languages = [...found].sort();
      yield csvHeader(languages) + "\n";
      for await (const page of allRecords(store))
        yield page.map((r) => csvRow(r, iris, taxonomies, languages)).join("\n") + "\n";
      return;
    }
    case "geojson": {
      yield '{"type":"FeatureCollection","features":[';
      let first = true;
      for await (const page of allRecords(store)) {
        // Every record, with a null geometry when it has no position (RFC 7946 §3.2), so the file holds all of them.
        const features = page.map((r) => JSON.stringify(geoJsonFeature(r, taxonomies, iris)));
        yield (first ? "\n" : ",\n") + features.join(",\n");
        first = false;
      }
      yield "\n]}\n";
      return;
    }
  }
}

export { writeQuads };
