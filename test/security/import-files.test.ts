/**
 * Hostile files given to the import (a browser upload in the console goes through the same code):
 * each is refused or bounded with a clear reason, with its row where it has one; nothing of it is
 * stored (records already there are untouched); and an ordinary request to the running instance is
 * answered while the import runs.
 */
import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import { V4_COLUMNS } from "../../src/importers/csv/columns.ts";
import { UnsupportedFormatError } from "../../src/importers/detect.ts";
import {
  MAX_ISSUES,
  bufferSource,
  importSource,
  type ImportOptions,
  type ImportReport,
} from "../../src/importers/import.ts";
import { startInstance, type TestInstance } from "../support/instance.ts";

let inst: TestInstance;
let existing: string;
beforeAll(async () => {
  inst = await startInstance();
  existing = inst.iris.initiative("untouchable");
  await inst.directory.upsert([{ id: existing, name: "Untouchable Co-op" }]);
});
afterAll(async () => {
  await inst.stop();
});

/** Imports `content` while another client reads a record; the read must be answered. */
async function alongside(name: string, content: string | Buffer, o: ImportOptions = {}): Promise<ImportReport> {
  const [report, ordinary] = await Promise.all([
    importSource(bufferSource(name, content), inst.directory, inst.iris, o),
    fetch(existing, { headers: { accept: "application/activity+json" } }),
  ]);
  expect(ordinary.status).toBe(200);
  expect(((await ordinary.json()) as { name: string }).name).toBe("Untouchable Co-op");
  return report;
}

async function onlyTheUntouchable(): Promise<void> {
  expect(await inst.store.countInitiatives()).toBe(1);
  expect((await inst.store.getInitiative(existing))!.initiative.name).toBe("Untouchable Co-op");
}

const feature = (properties: Record<string, unknown>) => ({ type: "Feature", geometry: null, properties });
const collection = (...features: unknown[]) => JSON.stringify({ type: "FeatureCollection", features });

describe("Hostile import files", () => {
  it("refuses a spreadsheet workbook renamed .csv, reading no further than its first bytes.", async () => {
    const zip = Buffer.concat([Buffer.from([0x50, 0x4b, 0x03, 0x04]), Buffer.alloc(4096, 7)]);
    await expect(alongside("list.csv", zip)).rejects.toThrow(UnsupportedFormatError);
    await onlyTheUntouchable();
  });

  it("stops at bytes that are not UTF-8, naming the line, and keeps nothing from the bad row.", async () => {
    const bytes = Buffer.concat([
      Buffer.from(`${V4_COLUMNS.join(",")}\nbad,`),
      Buffer.from([0xff, 0xfe, 0x41]),
      Buffer.from(",".repeat(23) + "\n"),
    ]);
    const report = await alongside("latin1.csv", bytes);
    expect(report.fatal?.message).toMatch(/not UTF-8 text \(line 2\)/);
    await onlyTheUntouchable();
  });

  it("keeps the list of refusals bounded for a file where every row is refused, and counts the rest.", async () => {
    const rows = Array.from({ length: MAX_ISSUES + 500 }, (_, k) => `n${k}` + ",".repeat(24));
    const report = await alongside("nameless.csv", [V4_COLUMNS.join(","), ...rows].join("\n"));
    expect([report.refusedRecords, report.refused.length, report.omitted.refused]).toEqual([
      MAX_ISSUES + 500,
      MAX_ISSUES,
      500,
    ]);
    await onlyTheUntouchable();
  }, 120_000);

  it("refuses a record whose name is a megabyte, naming the feature, and stores nothing of it.", async () => {
    const report = await alongside("huge-name.geojson", collection(feature({ name: "x".repeat(1 << 20) })));
    expect(report.refused).toEqual([
      expect.objectContaining({ row: 1, column: "name", message: "name is longer than 300 characters" }),
    ]);
    await onlyTheUntouchable();
  });

  it("refuses a feature larger than the bound for one item, with its position, before holding more of it.", async () => {
    const big = collection(feature({ name: "Padded", padding: "y".repeat(3 << 20) }));
    const report = await alongside("padded.geojson", big, { maxDocumentBytes: 1 << 20 });
    expect(report.fatal).toEqual(
      expect.objectContaining({ row: 1, message: expect.stringContaining("larger than 1 MB") }),
    );
    await onlyTheUntouchable();
  });

  it("refuses a Turtle file over the bound for documents read whole.", async () => {
    const ttl =
      `@prefix gr: <http://purl.org/goodrelations/v1#> ` +
      `.\n${Array.from({ length: 20_000 }, (_, k) => `<http://x.example/${k}> gr:name "Name ${k}" .`).join("\n")}`;
    const report = await alongside("big.ttl", ttl, { maxDocumentBytes: 256 * 1024 });
    expect(report.fatal?.message).toMatch(/Turtle or N-Quads file larger than 0\.25 MB cannot be read whole/);
    await onlyTheUntouchable();
  });

  it("bounds the report of unknown properties when every feature invents new ones.", async () => {
    const features = Array.from({ length: 400 }, (_, k) => feature({ [`invented_${k}`]: "v", [`other_${k}`]: "w" }));
    const report = await alongside("invented.geojson", collection(...features));
    expect(report.refusedRecords).toBe(400);
    expect(report.ignored.length).toBeLessThanOrEqual(201);
    expect(report.ignored).toContainEqual({ column: "(other properties)", rows: 600 });
    await onlyTheUntouchable();
  });

  it("walks no deeper than a position needs in a geometry nested ten thousand levels deep.", async () => {
    const deep = `${"[".repeat(10_000)}1${"]".repeat(10_000)}`;
    const feature = `{"type":"Feature","geometry":{"type":"Polygon","coordinates":${deep}},"properties":{}}`;
    const text = `{"type":"FeatureCollection","features":[${feature}]}`;
    const report = await alongside("deep.geojson", text);
    expect(report.refused).toEqual([expect.objectContaining({ row: 1, column: "name", message: "name is required" })]);
    await onlyTheUntouchable();
  });

  it("refuses JSON-LD that names a remote context, fetching nothing.", async () => {
    const doc = JSON.stringify({
      "@context": "https://evil.example/context.jsonld",
      "@type": "SSEInitiative",
      name: "Remote",
    });
    const report = await alongside("remote.jsonld", doc);
    expect(report.fatal?.message).toMatch(
      /remote JSON-LD context https:\/\/evil\.example\/context\.jsonld is not allowed/,
    );
    await onlyTheUntouchable();
  });

  it("refuses a record that claims one of this instance's own IRIs for another network's record.", async () => {
    await inst.store.putInitiatives([
      {
        initiative: {
          id: inst.iris.initiative("mirrored"),
          name: "Mirror",
          organisationalStructure: [],
          legalForm: [],
          activities: [],
          qualifiers: [],
          sameAs: [],
        },
        published: "2026-01-01T00:00:00Z",
        updated: "2026-01-01T00:00:00Z",
        version: "v1",
        provenance: { origin: "https://other.example/actors/network", via: [], receivedAt: "2026-01-01T00:00:00Z" },
      },
    ]);
    try {
      const csv = `${V4_COLUMNS.join(",")}\nmirrored,Hijacked${",".repeat(23)}\n`;
      const report = await alongside("hijack.csv", csv);
      expect(report.refused).toEqual([
        expect.objectContaining({ row: 2, message: expect.stringContaining("belongs to a mirrored record") }),
      ]);
      expect((await inst.store.getInitiative(inst.iris.initiative("mirrored")))!.initiative.name).toBe("Mirror");
    } finally {
      await inst.store.purgeInitiatives([inst.iris.initiative("mirrored")]);
    }
    await onlyTheUntouchable();
  });
});
