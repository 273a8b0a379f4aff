/**
 * Issue 2's check on real data: every row of the UK worker co-ops file (v4) and of the ICA youth
 * co-ops file (v1) becomes an initiative whose Turtle, fetched over HTTP, holds the row's name,
 * structure, activities and coordinates.
 */
import { createReadStream, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import { parse } from "csv-parse/sync";
import { Parser, type Quad } from "n3";
import { importCsv } from "../../src/importers/import.ts";
import { startInstance, type TestInstance } from "../support/instance.ts";

const fixture = (name: string) => fileURLToPath(new URL(`../fixtures/csv/${name}`, import.meta.url));
const ESS = "https://lod.coop/essglobal/2.1/";
const P = {
  name: "http://purl.org/goodrelations/v1#name",
  structure: `${ESS}vocab/organisationalStructure`,
  primary: `${ESS}vocab/primarySector`,
  activity: `${ESS}vocab/economicSector`,
  lat: "http://www.w3.org/2003/01/geo/wgs84_pos#lat",
  long: "http://www.w3.org/2003/01/geo/wgs84_pos#long",
};

let inst: TestInstance;
beforeAll(async () => {
  inst = await startInstance();
});
afterAll(async () => {
  await inst.stop();
});

async function turtleOf(id: string): Promise<Quad[]> {
  const res = await fetch(inst.iris.initiative(id), { headers: { accept: "text/turtle" } });
  expect(res.status).toBe(200);
  return new Parser({ format: "text/turtle" }).parse(await res.text());
}
const values = (quads: Quad[], p: string) => quads.filter((q) => q.predicate.value === p).map((q) => q.object.value);
/** A taxonomy cell value (IRI on any base, code or label) → the concept code it must resolve to. */
const codeOf = (v: string) => v.trim().split("/").pop()!;

describe("Importing the real spreadsheets", () => {
  it.each([
    ["workers-coops-uk-2023-06-23-standard.csv", 4, 387],
    ["ica-youth-coops-standard-v1.csv", 1, 97],
  ])(
    "imports every row of %s (v%i) with its name, structure, activities and coordinates.",
    async (file, version, rows) => {
      const report = await importCsv(createReadStream(fixture(file)), inst.directory, inst.iris);
      expect(report).toEqual(expect.objectContaining({ version, read: rows, created: rows, refused: [] }));
      const records = parse<Record<string, string>>(readFileSync(fixture(file)), {
        columns: true,
        relax_column_count: true,
      });
      expect(records).toHaveLength(rows);
      for (const row of records) {
        const quads = await turtleOf(row.Identifier!);
        expect(values(quads, P.name)).toEqual([row.Name!.trim()]);
        const structures = values(quads, P.structure);
        const cells = row["Organisational Structure"]!.split(";").filter((s) => s.trim());
        expect(structures).toHaveLength(cells.length);
        if (version === 4) expect(structures.map(codeOf).sort()).toEqual(cells.map(codeOf).sort());
        else for (const s of structures) expect(s.startsWith(`${ESS}standard/organisational-structure/OS`)).toBe(true);
        if (row["Primary Activity"])
          expect(values(quads, P.primary).map(codeOf)).toEqual([codeOf(row["Primary Activity"])]);
        expect(values(quads, P.activity).map(codeOf).sort()).toEqual(
          row.Activities!.split(";").filter(Boolean).map(codeOf).sort(),
        );
        if (row.Latitude) {
          expect(Number(values(quads, P.lat)[0])).toBeCloseTo(Number(row.Latitude), 6);
          expect(Number(values(quads, P.long)[0])).toBeCloseTo(Number(row.Longitude), 6);
        } else {
          expect(values(quads, P.lat)).toEqual([]);
        }
      }
    },
    60_000,
  );

  it("maps the older labels of the v1 file to concepts (e.g. Consumer co-operative → OS80).", async () => {
    const quads = await turtleOf("0");
    expect(values(quads, P.structure)).toEqual([`${ESS}standard/organisational-structure/OS115`]);
    const records = parse<Record<string, string>>(readFileSync(fixture("ica-youth-coops-standard-v1.csv")), {
      columns: true,
    });
    const consumer = records.find((r) => r["Organisational Structure"] === "Consumer co-operative")!;
    expect(values(await turtleOf(consumer.Identifier!), P.structure)).toEqual([
      `${ESS}standard/organisational-structure/OS80`,
    ]);
  });

  it("changes nothing when the same file is imported again.", async () => {
    const before = await inst.store.listInitiatives({ limit: 1 });
    const report = await importCsv(
      createReadStream(fixture("workers-coops-uk-2023-06-23-standard.csv")),
      inst.directory,
      inst.iris,
    );
    expect(report).toEqual(expect.objectContaining({ created: 0, updated: 0, unchanged: 387, refused: [] }));
    expect((await inst.store.listInitiatives({ limit: 1 })).items[0]!.seq).toBe(before.items[0]!.seq);
  });
});
