/**
 * Exports: what `essfed export` writes reads back to the same data — CSV re-imports to equal
 * versions, the RDF formats describe the same graph, N-Quads keeps one graph per source network.
 */
import { createReadStream } from "node:fs";
import { Readable } from "node:stream";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import { DataFactory, Parser, type Quad } from "n3";
import { exportAll, type ExportFormat } from "../../src/exporters/export.ts";
import { importCsv, importJsonLd, importTurtle } from "../../src/importers/import.ts";
import { initiativeToQuads } from "../../src/linkeddata/initiative-rdf.ts";
import { jsonLdToQuads } from "../../src/linkeddata/jsonld-in.ts";
import { startInstance, type TestInstance } from "../support/instance.ts";
import { LOCAL_SOURCE } from "../../src/store/records.ts";

const fixture = fileURLToPath(new URL("../fixtures/csv/sample-standard-v4-25rows.csv", import.meta.url));
let source: TestInstance;
const MIRROR_ORIGIN = "https://regional.example/actors/network";

async function text(inst: TestInstance, format: ExportFormat): Promise<string> {
  let out = "";
  for await (const chunk of exportAll(inst, format)) out += chunk;
  return out;
}

beforeAll(async () => {
  source = await startInstance();
  await importCsv(createReadStream(fixture), source.directory, source.iris);
  // One mirrored record from another network, to see it land in its own graph.
  const [own] = (await source.store.listInitiatives({ limit: 1 })).items;
  await source.store.putInitiatives([
    {
      ...own!,
      initiative: {
        ...own!.initiative,
        id: "https://regional.example/initiatives/m1",
        name: "Mirrored Co-op",
        address: { locality: "Leeds", lat: 53.8, long: -1.55 },
      },
      provenance: { origin: MIRROR_ORIGIN, via: [], receivedAt: new Date().toISOString() },
    },
  ]);
});
afterAll(async () => {
  await source.stop();
});

describe("Exports", () => {
  it("CSV in the SEA v4 columns imports back to the same records.", async () => {
    const target = await startInstance();
    try {
      const csv = await text(source, "csv");
      expect(csv.split("\n")[0]).toMatch(/^Identifier,Name,Description,Organisational Structure,Primary Activity,/);
      const report = await importCsv(Readable.from([csv]), target.directory, target.iris);
      expect(report.refused.filter((r) => r.value !== "https://regional.example/initiatives/m1")).toEqual([]);
      for (const rec of (await source.store.listInitiatives({ limit: 100, source: LOCAL_SOURCE })).items) {
        const local = source.iris.localId(rec.initiative.id)!;
        const copy = await target.store.getInitiative(target.iris.initiative(local));
        expect({ ...copy!.initiative, id: rec.initiative.id }).toEqual(rec.initiative);
      }
    } finally {
      await target.stop();
    }
  });

  it("N-Quads puts each source network's records in a graph named by its actor.", async () => {
    const quads = new Parser({ format: "N-Quads" }).parse(await text(source, "nquads"));
    const expected: Quad[] = [];
    for (const r of (await source.store.listInitiatives({ limit: 100 })).items) {
      const owner = r.provenance?.origin ?? source.iris.actor;
      expected.push(...initiativeToQuads(r, source.taxonomies, owner, DataFactory.namedNode(owner)));
    }
    expect(quads).toBeRdfIsomorphic(expected);
    expect(new Set(quads.map((q) => q.graph.value))).toEqual(new Set([source.iris.actor, MIRROR_ORIGIN]));
  });

  it("Turtle and JSON-LD describe the same graph, and both import back.", async () => {
    const turtle = new Parser({ format: "text/turtle" }).parse(await text(source, "turtle"));
    const jsonld = await jsonLdToQuads(JSON.parse(await text(source, "jsonld")));
    expect(jsonld).toBeRdfIsomorphic(turtle);
    const target = await startInstance();
    try {
      const t = await importTurtle(await text(source, "turtle"), target.directory, target.iris);
      const j = await importJsonLd(await text(source, "jsonld"), target.directory, target.iris);
      expect([t.created, t.refused.length]).toEqual([26, 0]);
      expect([j.unchanged, j.refused.length]).toEqual([26, 0]);
      // A record from elsewhere keeps its original IRI as owl:sameAs.
      const m = await target.store.getInitiative(target.iris.initiative("m1"));
      expect(m!.initiative.sameAs).toEqual(["https://regional.example/initiatives/m1"]);
    } finally {
      await target.stop();
    }
  });

  it("GeoJSON has a feature for every record: a Point where it has coordinates, a null geometry where not.", async () => {
    const g = JSON.parse(await text(source, "geojson")) as {
      type: string;
      features: { geometry: { coordinates: number[] } | null }[];
    };
    const all = (await source.store.listInitiatives({ limit: 100 })).items;
    const withCoords = all.filter((r) => r.initiative.address?.lat !== undefined);
    expect(g.type).toBe("FeatureCollection");
    expect(withCoords.length).toBeGreaterThan(0);
    expect(g.features).toHaveLength(all.length);
    expect(g.features.filter((f) => f.geometry).map((f) => f.geometry!.coordinates)).toContainEqual([-1.55, 53.8]);
    expect(g.features.filter((f) => f.geometry === null)).toHaveLength(all.length - withCoords.length);
  });
});
