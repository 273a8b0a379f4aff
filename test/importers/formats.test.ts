/**
 * Telling formats apart and refusing what essfed cannot read; a dry run that writes nothing;
 * optional values left out with a warning in every format, while the admin API stays strict.
 */
import { execFile } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import { V4_COLUMNS } from "../../src/importers/csv/columns.ts";
import { detectFormat, UnsupportedFormatError } from "../../src/importers/detect.ts";
import { bufferSource, dryRunImport, importSource } from "../../src/importers/import.ts";
import { auth, startInstance, type TestInstance } from "../support/instance.ts";

const run = promisify(execFile);
const BIN = fileURLToPath(new URL("../../bin/essfed.js", import.meta.url));
const dir = mkdtempSync(join(tmpdir(), "essfed-formats-"));
const env = { PATH: process.env.PATH ?? "", ESSFED_DATA: join(dir, "data"), ESSFED_LOG_LEVEL: "error" };
const essfed = (...args: string[]) => run(process.execPath, [BIN, ...args], { env });

let inst: TestInstance;
beforeAll(async () => {
  inst = await startInstance();
  // Commands other than init and serve refuse a data directory that holds no instance.
  await essfed("init");
}, 60_000);
afterAll(async () => {
  await inst.stop();
  rmSync(dir, { recursive: true, force: true });
});

const csvOf = (...rows: Partial<Record<(typeof V4_COLUMNS)[number], string>>[]) =>
  [V4_COLUMNS.join(","), ...rows.map((r) => V4_COLUMNS.map((c) => r[c] ?? "").join(","))].join("\n") + "\n";

describe("Telling the format", () => {
  it.each([
    ["a GeoJSON file named .json", '{"type": "FeatureCollection", "features": []}', "map.json", "geojson"],
    ["JSON-LD named .txt", '{"@context": {}, "@graph": []}', "data.txt", "jsonld"],
    ["a CSV named .txt", "Identifier,Name\nx,y\n", "data.txt", "csv"],
    ["Turtle", "@prefix gr: <http://purl.org/goodrelations/v1#> .\n", "x", "turtle"],
    [
      "N-Quads",
      '<http://a.example/1> <http://purl.org/goodrelations/v1#name> "A" <http://g.example/> .\n',
      "dump",
      "nquads",
    ],
  ])("reads %s by its content.", (_what, content, name, format) => {
    expect(detectFormat(Buffer.from(content), name)).toBe(format);
  });

  it.each([
    [
      "an Excel workbook",
      Buffer.from([0x50, 0x4b, 0x03, 0x04, 0x14, 0x00]),
      "list.xlsx",
      /Excel workbook: save it as "CSV UTF-8"/,
    ],
    ["an old Excel file", Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1]), "list.xls", /Excel workbook/],
    [
      "RDF/XML",
      Buffer.from('<?xml version="1.0"?>\n<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"/>'),
      "data.rdf",
      /RDF\/XML/,
    ],
    ["a PDF", Buffer.from("%PDF-1.7\n"), "list.pdf", /a PDF/],
    ["binary data", Buffer.from([1, 2, 0, 3]), "x.bin", /binary data/],
    ["plain text", Buffer.from("just some notes about co-ops\n"), "notes.txt", /cannot tell what format/],
    ["an empty file", Buffer.alloc(0), "empty.csv", /the file is empty/],
  ])("refuses %s, naming the formats it reads.", (_what, bytes, name, message) => {
    expect(() => detectFormat(bytes, name)).toThrow(UnsupportedFormatError);
    expect(() => detectFormat(bytes, name)).toThrow(message);
    expect(() => detectFormat(bytes, name)).toThrow(/GeoJSON FeatureCollection .*JSON-LD .*Turtle/);
  });

  it("refuses an unsupported file from the command line with exit 2, before touching any data directory.", async () => {
    const file = join(dir, "list.xlsx");
    writeFileSync(file, Buffer.from([0x50, 0x4b, 0x03, 0x04, 0x14, 0x00, 0x06, 0x00]));
    await expect(essfed("import", file)).rejects.toMatchObject({
      code: 2,
      stderr: expect.stringMatching(/Excel workbook.*essfed imports SEA standard CSV/),
    });
  }, 60_000);

  it.each([
    [
      "a JSON document with no initiatives",
      "other.json",
      '{"hello": "world"}',
      /holds no initiatives \(read as JSON-LD\)/,
    ],
    [
      "JSON-LD describing something else",
      "thing.jsonld",
      '{"@context": {"s": "http://schema.org/"}, "@type": "s:Book", "s:name": "A book"}',
      /holds no initiatives/,
    ],
    [
      "an empty FeatureCollection",
      "empty.geojson",
      '{"type": "FeatureCollection", "features": []}',
      /the FeatureCollection has no features/,
    ],
    [
      "broken JSON",
      "broken.geojson",
      '{"type": "FeatureCollection", "features": [{"type": "Feature",',
      /not valid JSON/,
    ],
    [
      "a spreadsheet with a header and no rows",
      "header.csv",
      V4_COLUMNS.join(",") + "\n",
      /holds no initiatives \(read as CSV\)/,
    ],
  ])(
    "says %s is an error, with exit 2.",
    async (_what, name, content, message) => {
      const file = join(dir, name);
      writeFileSync(file, content);
      await expect(essfed("import", file)).rejects.toMatchObject({ code: 2, stderr: expect.stringMatching(message) });
    },
    60_000,
  );
});

describe("A dry run", () => {
  it("says what would be created, updated, unchanged and refused, and leaves the store untouched.", async () => {
    const first = csvOf(
      { Identifier: "d1", Name: "One" },
      { Identifier: "d2", Name: "Two" },
      { Identifier: "d3", Name: "Three" },
    );
    await importSource(bufferSource("first.csv", first), inst.directory, inst.iris);
    const before = {
      n: await inst.store.countInitiatives(),
      seq: await inst.store.changeNumber(),
      d2: await inst.store.getInitiative(inst.iris.initiative("d2")),
    };
    const second = csvOf(
      { Identifier: "d1", Name: "One" },
      { Identifier: "d2", Name: "Two, renamed" },
      { Identifier: "d4", Name: "Four", Website: "not a site" },
      { Identifier: "d5" },
    );
    const report = await dryRunImport(bufferSource("second.csv", second), inst.directory, inst.iris);
    expect(report).toMatchObject({ dryRun: true, read: 4, created: 1, updated: 1, unchanged: 1, refusedRecords: 1 });
    expect(report.refused).toEqual([
      expect.objectContaining({ row: 5, column: "Name", record: "d5", message: "name is required" }),
    ]);
    expect(report.warnings).toEqual([expect.objectContaining({ row: 4, column: "Website", record: "d4" })]);
    expect(await inst.store.countInitiatives()).toBe(before.n);
    expect(await inst.store.changeNumber()).toBe(before.seq);
    expect(await inst.store.getInitiative(inst.iris.initiative("d2"))).toEqual(before.d2);
    expect(await inst.store.getInitiative(inst.iris.initiative("d4"))).toBeUndefined();
  });

  it("from the command line prints the same summary and writes nothing.", async () => {
    const file = join(dir, "dry.csv");
    writeFileSync(file, csvOf({ Identifier: "x1", Name: "Dry" }));
    const { stdout } = await essfed("import", "--dry-run", file);
    expect(stdout).toContain("dry run, nothing written: would be 1 created, 0 updated, 0 unchanged, 0 refused");
    const { stdout: real } = await essfed("import", file);
    expect(real).toContain("1 created");
  }, 120_000);
});

describe("Optional values in imports and in the admin API", () => {
  const BAD = { website: "call us", email: "nobody-at-example", structure: "OS9999", lat: "95.5", long: "200" };
  it.each([
    [
      "CSV",
      "bad.csv",
      csvOf({
        Identifier: "lenient",
        Name: "Lenient Co-op",
        Website: BAD.website,
        Email: BAD.email,
        "Organisational Structure": BAD.structure,
        Latitude: BAD.lat,
        Longitude: BAD.long,
      }),
    ],
    [
      "GeoJSON",
      "bad.geojson",
      JSON.stringify({
        type: "FeatureCollection",
        features: [
          {
            type: "Feature",
            id: "https://other.example/lenient",
            geometry: { type: "Point", coordinates: [Number(BAD.long), Number(BAD.lat)] },
            properties: {
              name: "Lenient Co-op",
              website: BAD.website,
              email: BAD.email,
              organisationalStructure: [BAD.structure],
            },
          },
        ],
      }),
    ],
    [
      "JSON-LD",
      "bad.jsonld",
      JSON.stringify({
        "@context": {
          ess: "https://lod.coop/essglobal/2.1/vocab/",
          gr: "http://purl.org/goodrelations/v1#",
          foaf: "http://xmlns.com/foaf/0.1/",
          geo: "http://www.w3.org/2003/01/geo/wgs84_pos#",
          vcard: "http://www.w3.org/2006/vcard/ns#",
        },
        "@id": "https://other.example/lenient",
        "@type": "ess:SSEInitiative",
        "gr:name": "Lenient Co-op",
        "foaf:homepage": BAD.website,
        "vcard:hasEmail": { "vcard:value": BAD.email },
        "ess:organisationalStructure": {
          "@id": `https://lod.coop/essglobal/2.1/standard/organisational-structure/${BAD.structure}`,
        },
        "ess:hasAddress": { "geo:lat": BAD.lat, "geo:long": BAD.long },
      }),
    ],
    [
      "Turtle",
      "bad.ttl",
      `@prefix ess: <https://lod.coop/essglobal/2.1/vocab/> . @prefix gr: <http://purl.org/goodrelations/v1#> .
      @prefix foaf: <http://xmlns.com/foaf/0.1/> . @prefix vcard: <http://www.w3.org/2006/vcard/ns#> . @prefix geo: <http://www.w3.org/2003/01/geo/wgs84_pos#> .
      <https://other.example/lenient> a ess:SSEInitiative; gr:name "Lenient Co-op"; foaf:homepage "${BAD.website}"; vcard:hasEmail [ vcard:value "${BAD.email}" ];
        ess:organisationalStructure <https://lod.coop/essglobal/2.1/standard/organisational-structure/${BAD.structure}>;
        ess:hasAddress [ geo:lat "${BAD.lat}"; geo:long "${BAD.long}" ] .`,
    ],
  ])(
    "%s: a bad website, email, taxonomy code and impossible coordinates are each left out with a warning; the " +
      "record is kept.",
    async (format, name, content) => {
      const target = await startInstance();
      try {
        const report = await importSource(bufferSource(name, content), target.directory, target.iris);
        expect([report.created, report.refusedRecords]).toEqual([1, 0]);
        expect(new Set(report.warnings.map((w) => w.message.split(" ")[0]))).toEqual(
          new Set(["homepage", "email", "organisationalStructure", "address.lat", "address.long"]),
        );
        expect(
          report.warnings.every(
            (w) => w.row === (format === "CSV" ? 2 : 1) && w.record && w.column && w.message.endsWith("left out"),
          ),
        ).toBe(true);
        const [kept] = (await target.store.listInitiatives({ limit: 1 })).items;
        expect(kept!.initiative).toMatchObject({ name: "Lenient Co-op", organisationalStructure: [] });
        expect([kept!.initiative.homepage, kept!.initiative.email, kept!.initiative.address]).toEqual([
          undefined,
          undefined,
          undefined,
        ]);
      } finally {
        await target.stop();
      }
    },
    30_000,
  );

  it("the admin API refuses the same values with 422, naming each field, and stores nothing.", async () => {
    const before = await inst.store.countInitiatives();
    const res = await fetch(`${inst.base}/initiatives`, {
      method: "POST",
      headers: { "content-type": "application/ld+json", ...auth },
      body: JSON.stringify({
        "@context": {
          ess: "https://lod.coop/essglobal/2.1/vocab/",
          gr: "http://purl.org/goodrelations/v1#",
          foaf: "http://xmlns.com/foaf/0.1/",
        },
        "@type": "ess:SSEInitiative",
        "gr:name": "Strict Co-op",
        "foaf:homepage": BAD.website,
        "ess:organisationalStructure": {
          "@id": `https://lod.coop/essglobal/2.1/standard/organisational-structure/${BAD.structure}`,
        },
      }),
    });
    expect(res.status).toBe(422);
    const problem = (await res.json()) as { errors: { field: string }[] };
    expect(problem.errors.map((e) => e.field).sort()).toEqual(["homepage", "organisationalStructure"]);
    expect(await inst.store.countInitiatives()).toBe(before);
  });
});
