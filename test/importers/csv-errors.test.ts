/**
 * Bad spreadsheets: every refused row is reported with its row, line, column and reason; the good
 * rows are imported; a broken file stops with the line where it broke and leaves the rest alone.
 */
import { Readable } from "node:stream";
import { afterEach, beforeEach, describe, expect, it } from "@jest/globals";
import { V4_COLUMNS } from "../../src/importers/csv/columns.ts";
import { importCsv } from "../../src/importers/import.ts";
import { startInstance, type TestInstance } from "../support/instance.ts";

let inst: TestInstance;
beforeEach(async () => {
  inst = await startInstance();
});
afterEach(async () => {
  await inst.stop();
});

const HEADER = V4_COLUMNS.join(",");
function row(cells: Partial<Record<(typeof V4_COLUMNS)[number], string>>): string {
  return V4_COLUMNS.map((c) => {
    const v = cells[c] ?? "";
    return /[",\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v;
  }).join(",");
}
const csv = (...lines: string[]) => Readable.from([lines.join("\n") + "\n"]);

describe("A CSV import with bad rows", () => {
  it("refuses rows with no usable identifier or name, keeps rows with bad optional values without them, and says where and why.", async () => {
    const report = await importCsv(
      csv(
        HEADER,
        row({ Identifier: "ok1", Name: "Good One", "Organisational Structure": "OS60" }),
        row({ Identifier: "bad-structure", Name: "Bad Structure", "Organisational Structure": "OS9999" }),
        row({ Identifier: "multi", Name: "Multi-line", Description: "first line\nsecond line\nthird" }),
        row({ Identifier: "bad-lat", Name: "Bad Latitude", Latitude: "95.5", Longitude: "1" }),
        row({ Identifier: "", Name: "No Identifier" }),
        row({ Identifier: "no-name" }),
        row({ Identifier: "ok1", Name: "Duplicate" }),
        row({ Identifier: "bad id!", Name: "Bad Identifier" }),
        row({ Identifier: "bad-country", Name: "Bad Country", "Country ID": "XX" }),
      ),
      inst.directory,
      inst.iris,
    );
    expect([report.created, report.refusedRecords]).toEqual([5, 4]);
    const refused = report.refused.map((r) => ({ row: r.row, line: r.line, column: r.column }));
    expect(refused).toEqual([
      { row: 6, line: 8, column: "Identifier" },
      { row: 7, line: 9, column: "Name" },
      { row: 8, line: 10, column: "Identifier" },
      { row: 9, line: 11, column: "Identifier" },
    ]);
    expect(report.refused[2]!.message).toContain("appears again (first at row 2)");
    // Bad optional values are left out with a warning naming the row, the record and the column.
    expect(report.warnings.map((w) => [w.row, w.record, w.column, w.message])).toEqual([
      [
        3,
        "bad-structure",
        "Organisational Structure",
        expect.stringContaining('"OS9999" is not a concept of organisational-structure; left out'),
      ],
      [5, "bad-lat", "Latitude", expect.stringContaining("must be between -90 and 90; left out")],
      [10, "bad-country", "Country ID", expect.stringContaining('"XX" is not a concept of countries-iso; left out')],
    ]);
    expect(await inst.store.countInitiatives()).toBe(5);
    const badLat = await inst.store.getInitiative(inst.iris.initiative("bad-lat"));
    expect([badLat!.initiative.name, badLat!.initiative.address]).toEqual(["Bad Latitude", undefined]);
    expect(
      (await inst.store.getInitiative(inst.iris.initiative("bad-structure")))!.initiative.organisationalStructure,
    ).toEqual([]);
    expect((await inst.store.getInitiative(inst.iris.initiative("multi")))!.initiative.description).toBe(
      "first line\nsecond line\nthird",
    );
  });

  it("stops at an unclosed quote with its line, keeping the rows before it.", async () => {
    const report = await importCsv(
      csv(
        HEADER,
        row({ Identifier: "before", Name: "Before" }),
        `broken,"Unclosed quote,,,,`,
        row({ Identifier: "after", Name: "After" }),
      ),
      inst.directory,
      inst.iris,
    );
    expect(report.fatal).toEqual(expect.objectContaining({ message: expect.stringContaining("CSV syntax error") }));
    expect(report.fatal!.line).toBeGreaterThanOrEqual(3);
    expect(await inst.store.getInitiative(inst.iris.initiative("before"))).toBeDefined();
    expect(await inst.store.getInitiative(inst.iris.initiative("after"))).toBeUndefined();
  });

  it("refuses a file that is not a standard CSV, naming the missing columns, and stores nothing.", async () => {
    const report = await importCsv(csv("id,title,lat", "1,Something,3"), inst.directory, inst.iris);
    expect(report.fatal!.message).toMatch(/missing columns Identifier, Name, Description/);
    expect(await inst.store.countInitiatives()).toBe(0);
  });

  it("refuses an empty file.", async () => {
    const report = await importCsv(csv(""), inst.directory, inst.iris);
    expect(report.fatal!.message).toBe("the file is empty");
  });

  it("uses the geo container's coordinates when a row has no exact location.", async () => {
    await importCsv(
      csv(
        HEADER,
        row({
          Identifier: "gc",
          Name: "Container",
          "Geo Container": "http://data.ordnancesurvey.co.uk/id/postcodeunit/LE15EW",
          "Geo Container Latitude": "52.63",
          "Geo Container Longitude": "-1.13",
        }),
      ),
      inst.directory,
      inst.iris,
    );
    const a = (await inst.store.getInitiative(inst.iris.initiative("gc")))!.initiative.address!;
    expect([a.lat, a.long, a.geoContainerLat]).toEqual([52.63, -1.13, 52.63]);
  });

  it("sanitises HTML descriptions.", async () => {
    await importCsv(
      csv(
        HEADER,
        row({
          Identifier: "html",
          Name: "HTML",
          Description: '<p onclick="x()">Hi <script>alert(1)</script><a href="javascript:evil()">there</a></p>',
        }),
      ),
      inst.directory,
      inst.iris,
    );
    const d = (await inst.store.getInitiative(inst.iris.initiative("html")))!.initiative.description;
    expect(d).toBe("<p>Hi <a>there</a></p>");
  });
});
