/**
 * GeoJSON as other SSE maps publish it: OpenStreetMap-style tags (`addr:*`, `contact:*`,
 * `website`, per-language `name:xx` and `description:xx`), features without a plain name, ids of
 * OpenStreetMap elements, polygons, bad values and tags essfed does not hold.
 */
import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import { bufferSource, importSource, type ImportReport } from "../../src/importers/import.ts";
import { startInstance, type TestInstance } from "../support/instance.ts";

const feature = (properties: Record<string, unknown>, geometry: unknown = null, id?: unknown) => ({
  type: "Feature",
  ...(id !== undefined ? { id } : {}),
  geometry,
  properties,
});

/** A FeatureCollection as a TransforMap-style map of a French-Spanish border region exports it. */
const COLLECTION = {
  type: "FeatureCollection",
  features: [
    feature(
      {
        name: "La Ruche Solidaire",
        "name:es": "La Colmena Solidaria",
        "name:eu": "Erle Solidarioa",
        description: "Épicerie coopérative et café associatif.",
        "description:es": "Tienda cooperativa y café asociativo.",
        "description:en": "Co-operative grocery and community café.",
        "addr:housenumber": "4",
        "addr:street": "Rue du Port",
        "addr:postcode": "64500",
        "addr:city": "Saint-Jean-de-Luz",
        "addr:country": "FR",
        "contact:website": "https://laruche.example/",
        "contact:email": "bonjour@laruche.example",
        "contact:phone": "+33 5 59 00 00 00",
        "ref:FR:SIRET": "552 100 554 00013",
        "ref:vatin": "FR40303265045",
        amenity: "marketplace",
        opening_hours: "Tu-Sa 09:00-19:00",
      },
      { type: "Point", coordinates: [-1.6631, 43.3881] },
      "https://map.example/places/ruche",
    ),
    feature(
      {
        "name:es": "Huerta Común de Irún",
        "description:es": "Huerto comunitario gestionado por vecinas.",
        "addr:city": "Irun",
        "addr:country": "ES",
        website: "huerta.example",
        amenity: "community_garden",
      },
      { type: "Point", coordinates: [-1.7894, 43.3381] },
      "node/123456",
    ),
    feature(
      {
        name: "Taller de Bicis",
        "contact:website": "call us",
        "contact:email": "nobody-at-example",
        "addr:country": "ZZ",
        "ref:FR:SIREN": "12345",
      },
      { type: "Point", coordinates: [200, 95] },
    ),
    feature({ description: "A feature with no name in any language." }, { type: "Point", coordinates: [0, 0] }),
    feature(
      { name: "Mercado de Abastos" },
      {
        type: "Polygon",
        coordinates: [
          [
            [-1.8, 43.3],
            [-1.78, 43.3],
            [-1.78, 43.32],
            [-1.8, 43.32],
            [-1.8, 43.3],
          ],
        ],
      },
    ),
  ],
};

let inst: TestInstance;
let report: ImportReport;
beforeAll(async () => {
  inst = await startInstance();
  report = await importSource(bufferSource("map.geojson", JSON.stringify(COLLECTION)), inst.directory, inst.iris);
});
afterAll(async () => {
  await inst.stop();
});

const find = async (name: string) =>
  (await inst.store.listInitiatives({ limit: 100 })).items.find((r) => r.initiative.name === name)?.initiative;

describe("A multilingual FeatureCollection with OpenStreetMap-style tags", () => {
  it("imports every feature with a name, and refuses the one with none.", () => {
    expect([report.format, report.read, report.created, report.refusedRecords]).toEqual(["geojson", 5, 4, 1]);
    expect(report.refused).toEqual([expect.objectContaining({ row: 4, column: "name", message: "name is required" })]);
  });

  it("reads the address, contact tags, position and every language.", async () => {
    const i = await find("La Ruche Solidaire");
    expect(i).toMatchObject({
      description: "Épicerie coopérative et café associatif.",
      homepage: "https://laruche.example/",
      email: "bonjour@laruche.example",
      phone: "+33 5 59 00 00 00",
      country: "https://lod.coop/essglobal/2.1/standard/countries-iso/FR",
      address: {
        streetAddress: "4 Rue du Port",
        postcode: "64500",
        locality: "Saint-Jean-de-Luz",
        lat: 43.3881,
        long: -1.6631,
      },
      translations: {
        es: { name: "La Colmena Solidaria", description: "Tienda cooperativa y café asociativo." },
        eu: { name: "Erle Solidarioa" },
        en: { description: "Co-operative grocery and community café." },
      },
      sameAs: ["https://map.example/places/ruche"],
    });
  });

  it("takes the name in another language when there is no plain one, and names OpenStreetMap elements by their page.", async () => {
    const i = await find("Huerta Común de Irún");
    expect(i).toMatchObject({
      description: "Huerto comunitario gestionado por vecinas.",
      homepage: "http://huerta.example",
      sameAs: ["https://www.openstreetmap.org/node/123456"],
      address: { locality: "Irun" },
    });
    expect(i!.translations).toBeUndefined();
  });

  it("keeps a feature with bad optional values, leaving each out with a warning naming the feature and the property.", async () => {
    const i = await find("Taller de Bicis");
    expect(i).toBeDefined();
    expect([i!.homepage, i!.email, i!.country, i!.address]).toEqual([undefined, undefined, undefined, undefined]);
    const warned = report.warnings.filter((w) => w.row === 3).map((w) => [w.record, w.column, w.message.split(" ")[0]]);
    expect(warned).toEqual(
      expect.arrayContaining([
        ["Taller de Bicis", "contact:website", "homepage"],
        ["Taller de Bicis", "contact:email", "email"],
        ["Taller de Bicis", "addr:country", "country"],
        ["Taller de Bicis", "ref:FR:SIREN", "registrations"],
        ["Taller de Bicis", "geometry", "address.lat"],
      ]),
    );
  });

  it("reads registrations from OpenStreetMap's ref:FR:SIRET and ref:vatin (by the number's country prefix).", async () => {
    expect((await find("La Ruche Solidaire"))!.registrations).toEqual([
      { register: "FR-SIRET", number: "55210055400013" },
      { register: "FR-VAT", number: "40303265045" },
    ]);
    expect((await find("Taller de Bicis"))!.registrations).toBeUndefined();
  });

  it("places a polygon at the centre of its bounding box, saying so.", async () => {
    const i = await find("Mercado de Abastos");
    expect([i!.address!.lat, i!.address!.long]).toEqual([43.31, -1.79]);
    expect(report.warnings).toContainEqual(
      expect.objectContaining({ row: 5, message: expect.stringContaining("geometry is a Polygon") }),
    );
  });

  it("reports the tags it does not hold, with how many features had them.", () => {
    expect(report.ignored).toEqual(
      expect.arrayContaining([
        { column: "amenity", rows: 2 },
        { column: "opening_hours", rows: 1 },
      ]),
    );
    expect(report.ignored).toHaveLength(2);
  });

  it("changes nothing when the same file is imported again.", async () => {
    const again = await importSource(
      bufferSource("map.geojson", JSON.stringify(COLLECTION)),
      inst.directory,
      inst.iris,
    );
    expect([again.created, again.updated, again.unchanged, again.refusedRecords]).toEqual([0, 0, 4, 1]);
  });

  it("shows the translations on the initiative's page, marked with their language.", async () => {
    const i = await find("La Ruche Solidaire");
    const html = await (await fetch(i!.id, { headers: { accept: "text/html" } })).text();
    expect(html).toContain('<div lang="es"><h3>La Colmena Solidaria');
    expect(html).toContain("Tienda cooperativa y café asociativo.");
  });
});
