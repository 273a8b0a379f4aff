/**
 * The columns Co-ops UK data carries beyond the SEA standard, on the shared worker co-ops file:
 * Legal Form mapped to ESSGLOBAL legal-form concepts where one matches (kept as text otherwise),
 * Sector, SIC Code and Ownership Classification held, the Registered Number read under its
 * Registrar into registrations, every other column reported as ignored; the
 * held values in JSON-LD, Turtle, the page and the exports.
 */
import { createReadStream } from "node:fs";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import { Parser } from "n3";
import { importCsv, type ImportReport } from "../../src/importers/import.ts";
import { startInstance, type TestInstance } from "../support/instance.ts";

const FILE = fileURLToPath(new URL("../fixtures/csv/workers-coops-uk-2023-06-23-standard.csv", import.meta.url));
const LF = "https://lod.coop/essglobal/2.1/standard/legal-form/";
let inst: TestInstance;
let report: ImportReport;
beforeAll(async () => {
  inst = await startInstance();
  report = await importCsv(createReadStream(FILE), inst.directory, inst.iris);
});
afterAll(async () => {
  await inst.stop();
});

const all = async () => (await inst.store.listInitiatives({ limit: 1000 })).items.map((r) => r.initiative);

describe("Co-ops UK columns on the worker co-ops file", () => {
  it("imports every row.", () => {
    expect([report.read, report.created, report.refusedRecords]).toEqual([387, 387, 0]);
  });

  it("maps Legal Form to legal-form concepts where one matches, and keeps the register's words where they say more.", async () => {
    const tally = new Map<string, number>();
    for (const i of await all()) {
      const key = `${i.legalForm.map((c) => c.slice(LF.length)).join("+") || "-"} | ${i.legalFormText ?? "-"}`;
      tally.set(key, (tally.get(key) ?? 0) + 1);
    }
    expect(Object.fromEntries(tally)).toEqual({
      "L3 | -": 258, // Company: the concept's own label
      "L5 | Community Interest Company": 20, // the UK's social-enterprise company form
      "L1 | Unincorporated": 2,
      "- | Society": 94, // a registered society may be a co-operative or a community benefit society: no single concept
      "- | LLP": 12,
      "- | Limited Partnership": 1,
    });
  });

  it("holds Sector, SIC Code and Ownership Classification.", async () => {
    const metro = (await all()).find((i) => i.name === "Metro-Boulot-Dodo")!;
    expect(metro).toMatchObject({
      sector: expect.any(String),
      sicCodes: [expect.stringMatching(/^\d{5}$/)],
      ownership: "Workers",
    });
    expect((await all()).filter((i) => i.ownership === "Workers")).toHaveLength(387);
  });

  it("reads the Registered Number under its Registrar: Companies House's as the company number, the FCA's as GB-MPR.", async () => {
    const tally = new Map<string, number>();
    for (const i of await all()) {
      const key = [i.companiesHouseNumber ? "GB-COH" : "", ...(i.registrations ?? []).map((r) => r.register)].join(" ");
      tally.set(key, (tally.get(key) ?? 0) + 1);
    }
    expect(Object.fromEntries(tally)).toEqual({ "GB-COH": 290, " GB-MPR": 94, "": 3 });
    const society = (await all()).find((i) => i.name === "With Compliments Workers' Cooperative")!;
    expect(society.registrations).toEqual([{ register: "GB-MPR", number: "4821" }]);
    // A registrar that names no register: the number is left out with a warning naming the field.
    expect(report.warnings.filter((w) => w.column === "Registrations").map((w) => [w.message, w.value])).toEqual([
      [
        'registrations "Unknown legal form" is not a register code such as GB-COH or FR-SIREN; left out',
        "Unknown legal form:LP003034",
      ],
    ]);
  });

  it("reports the columns it does not hold, with how many rows had a value, and not the empty ones.", () => {
    const ignored = Object.fromEntries(report.ignored.map((c) => [c.column, c.rows]));
    expect(ignored).toEqual({
      "SIC Section": 384,
      "UK Nation": 387,
      "Registered Status": 387,
      "Incorporation Date": expect.any(Number),
      "Organisation Name": 387,
    });
  });

  it("publishes the held values in JSON-LD and Turtle (ESSGLOBAL legalForm, essfed terms for the rest) and on the page.", async () => {
    const cic = (await all()).find((i) => i.legalFormText === "Community Interest Company")!;
    const doc = (await (await fetch(cic.id, { headers: { accept: "application/activity+json" } })).json()) as Record<
      string,
      unknown
    >;
    expect(doc).toMatchObject({
      "essglobal:legalForm": [`${LF}L5`],
      "essfed:legalFormText": "Community Interest Company",
      "essfed:sector": cic.sector,
      "essfed:sicCode": cic.sicCodes,
      "essfed:ownership": "Workers",
    });
    const quads = new Parser().parse(await (await fetch(cic.id, { headers: { accept: "text/turtle" } })).text());
    const values = (p: string) => quads.filter((q) => q.predicate.value === p).map((q) => q.object.value);
    expect(values("https://lod.coop/essglobal/2.1/vocab/legalForm")).toEqual([`${LF}L5`]);
    expect(values("https://w3id.org/essfed/ns#legalFormText")).toEqual(["Community Interest Company"]);
    expect(values("https://w3id.org/essfed/ns#ownership")).toEqual(["Workers"]);
    const html = await (await fetch(cic.id, { headers: { accept: "text/html" } })).text();
    expect(html).toContain("Social Enterprise</a> · Community Interest Company");
    expect(html).toContain(`<dt>Sector</dt><dd>${cic.sector!.replace(/&/g, "&amp;")}</dd>`);
    expect(html).toContain("<dt>Ownership</dt><dd>Workers</dd>");
  });

  it("writes them to the CSV export's Legal Form, Sector, SIC Code and Ownership Classification columns.", async () => {
    const csv = await (await fetch(`${inst.base}/api/initiatives?format=csv&limit=1000`)).text();
    const header = csv.split("\n")[0]!;
    expect(header).toContain(",Legal Form,Sector,SIC Code,Ownership Classification,Same As");
    expect(csv).toContain(`${LF}L5;Community Interest Company,`);
  });
});
