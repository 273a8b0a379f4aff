/**
 * Every export format imports back to the same data: each record essfed holds comes back field
 * for field (translations, legal form text, sector, SIC codes, ownership and registrations included), and a
 * record mirrored from another network comes back keeping its IRI as owl:sameAs.
 */
import { createReadStream } from "node:fs";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import { EXPORT_FORMATS, exportAll, type ExportFormat } from "../../src/exporters/export.ts";
import { bufferSource, importCsv, importSource } from "../../src/importers/import.ts";
import type { InitiativeDraft } from "../../src/domain/validate.ts";
import { emptyInitiative } from "../../src/domain/initiative.ts";
import { startInstance, type TestInstance } from "../support/instance.ts";
import { LOCAL_SOURCE } from "../../src/store/records.ts";

const fixture = fileURLToPath(new URL("../fixtures/csv/sample-standard-v4-25rows.csv", import.meta.url));
const MIRROR = "https://regional.example/initiatives/m1";
let source: TestInstance;

/** A record with every field the model holds. */
const FULL: Omit<InitiativeDraft, "id"> = {
  name: "Coopérative du Pain",
  description: "<p>Bread &amp; <em>pastries</em> since 1982.</p>",
  homepage: "https://pain.example/",
  organisationalStructure: ["OS60"],
  legalFormText: "Community Interest Company; Société coopérative",
  sector: "Food and Drink",
  sicCodes: ["10710", "47240"],
  ownership: "Workers",
  primaryActivity: "ICA240",
  activities: ["AM60"],
  qualifiers: ["Organic"],
  baseMembershipType: "BMT30",
  country: "FR",
  territory: "I-EU-WE",
  address: {
    streetAddress: "12 rue des Boulangers",
    locality: "Lyon",
    region: "Auvergne-Rhône-Alpes",
    postcode: "69001",
    lat: 45.767,
    long: 4.834,
    geoContainer: "https://geo.example/cell/69001",
    geoContainerLat: 45.77,
    geoContainerLong: 4.83,
  },
  phone: "+33 4 00 00 00 00",
  email: "contact@pain.example",
  twitter: "painlyon",
  facebook: "painlyon",
  companiesHouseNumber: "12345",
  registrations: [
    { register: "FR-SIRET", number: "552 100 554 00013" },
    { register: "DE-CR", number: "Amtsgericht Hamburg GnR 1234" },
    { register: "FR-VAT", number: "FR40303265045" },
  ],
  sameAs: ["https://elsewhere.example/pain"],
  translations: {
    en: { name: "Bread Co-operative", description: "Bread and pastries." },
    es: { name: "Cooperativa del Pan" },
  },
};

async function text(inst: TestInstance, format: ExportFormat): Promise<string> {
  let out = "";
  for await (const chunk of exportAll(inst, format)) out += chunk;
  return out;
}

beforeAll(async () => {
  source = await startInstance();
  await importCsv(createReadStream(fixture), source.directory, source.iris);
  const [written] = await source.directory.upsert([{ ...FULL, id: source.iris.initiative("pain") }]);
  if (!written?.ok || written.warnings.length)
    throw new Error(`the full record does not validate: ${JSON.stringify(written)}`);
  const [own] = (await source.store.listInitiatives({ limit: 1 })).items;
  await source.store.putInitiatives([
    {
      ...own!,
      initiative: {
        ...emptyInitiative(MIRROR, "Mirrored Co-op"),
        address: { locality: "Leeds", lat: 53.8, long: -1.55 },
      },
      provenance: { origin: "https://regional.example/actors/network", via: [], receivedAt: new Date().toISOString() },
    },
  ]);
}, 60_000);
afterAll(async () => {
  await source.stop();
});

describe("An export in any format imports back to the same data", () => {
  it.each(EXPORT_FORMATS)(
    "%s",
    async (format) => {
      // An instance with the same public URL: the data directory restored from an export.
      const target = await startInstance({ ESSFED_URL: source.base });
      try {
        const file = await text(source, format);
        const report = await importSource(bufferSource(`all.${format}`, file), target.directory, target.iris);
        expect({
          format: report.format,
          refused: report.refused,
          warnings: report.warnings,
          ignored: report.ignored,
          fatal: report.fatal,
        }).toEqual({
          format: format === "nquads" ? "nquads" : format,
          refused: [],
          warnings: [],
          ignored: [],
          fatal: undefined,
        });
        const own = (await source.store.listInitiatives({ limit: 100, source: LOCAL_SOURCE })).items;
        expect(report.created).toBe(own.length + 1);
        for (const rec of own) {
          const copy = await target.store.getInitiative(
            target.iris.initiative(source.iris.localId(rec.initiative.id)!),
          );
          expect({ ...copy!.initiative, id: rec.initiative.id }).toEqual(rec.initiative);
        }
        const full = await target.store.getInitiative(target.iris.initiative("pain"));
        expect(full!.initiative.translations).toEqual({
          en: { name: "Bread Co-operative", description: "Bread and pastries." },
          es: { name: "Cooperativa del Pan" },
        });
        expect(full!.initiative.registrations).toEqual([
          { register: "DE-CR", number: "Hamburg GnR 1234" },
          { register: "FR-SIRET", number: "55210055400013" },
          { register: "FR-VAT", number: "40303265045" },
        ]);
        expect(full!.initiative.legalForm).toEqual(["https://lod.coop/essglobal/2.1/standard/legal-form/L5"]);
        const mirrored = await target.store.getInitiative(target.iris.initiative("m1"));
        expect(mirrored!.initiative.sameAs).toEqual([MIRROR]);
        // A second import of the same file changes nothing.
        const again = await importSource(bufferSource(`all.${format}`, file), target.directory, target.iris);
        expect([again.created, again.updated, again.unchanged]).toEqual([0, 0, own.length + 1]);
      } finally {
        await target.stop();
      }
    },
    60_000,
  );
});
