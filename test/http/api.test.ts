/**
 * The query API over HTTP: formats, paging, facet labels in the asked language, clusters, and a
 * 400 naming the parameter for each kind of bad input (the filter semantics themselves are held
 * by the search contract on both stores).
 */
import { createReadStream } from "node:fs";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import { parse } from "csv-parse/sync";
import { importCsv } from "../../src/importers/import.ts";
import { startInstance, type TestInstance } from "../support/instance.ts";

let inst: TestInstance;
beforeAll(async () => {
  inst = await startInstance();
  await importCsv(
    createReadStream(fileURLToPath(new URL("../fixtures/csv/ica-youth-coops-standard-v1.csv", import.meta.url))),
    inst.directory,
    inst.iris,
  );
});
afterAll(async () => {
  await inst.stop();
});

const get = (path: string, accept = "application/json") => fetch(inst.base + path, { headers: { accept } });

describe("GET /api/initiatives", () => {
  it("pages through every match with next links, as JSON-LD.", async () => {
    const seen: string[] = [];
    let url: string | undefined = `${inst.base}/api/initiatives?structure=OS115&limit=7`;
    while (url) {
      const res = await fetch(url, { headers: { accept: "application/ld+json" } });
      expect(res.status).toBe(200);
      const page = (await res.json()) as {
        type: string;
        orderedItems: { id: string; "essglobal:organisationalStructure": string[] }[];
        next?: string;
      };
      expect(page.type).toBe("OrderedCollectionPage");
      for (const i of page.orderedItems)
        expect(i["essglobal:organisationalStructure"]).toContain(
          "https://lod.coop/essglobal/2.1/standard/organisational-structure/OS115",
        );
      seen.push(...page.orderedItems.map((i) => i.id));
      url = page.next;
    }
    expect(seen).toHaveLength(30);
    expect(new Set(seen).size).toBe(30);
  });

  it("answers GeoJSON and CSV by content negotiation or format=.", async () => {
    const geo = (await (await get("/api/initiatives?country=AR", "application/geo+json")).json()) as {
      type: string;
      features: { geometry: { coordinates: number[] }; properties: { name: string } }[];
    };
    expect(geo.type).toBe("FeatureCollection");
    expect(geo.features).toHaveLength(6);
    const csv = await (await get("/api/initiatives?country=ar&format=csv")).text();
    const rows = parse<Record<string, string>>(csv, { columns: true });
    expect(rows).toHaveLength(6);
    expect(rows.every((r) => r["Country ID"] === "AR")).toBe(true);
  });

  it("combines words, place and facets.", async () => {
    const page = (await (await get("/api/initiatives?q=coop&bbox=-80,-60,-30,0&structure=Co-operative")).json()) as {
      orderedItems: { "essglobal:hasAddress": { "geo:long": string } }[];
    };
    expect(page.orderedItems.length).toBeGreaterThan(0);
    for (const i of page.orderedItems) expect(Number(i["essglobal:hasAddress"]["geo:long"])).toBeLessThan(-30);
  });

  it.each([
    ["bbox=1,2,3", "bbox"],
    ["bbox=10,0,0,10", "bbox"],
    ["near=91,0", "near"],
    ["near=10,10&radius=-5", "radius"],
    ["near=10,10&radius=50000", "radius"],
    ["structure=OS9999", "structure"],
    ["country=Atlantis", "country"],
    ["source=nobody", "source"],
    [`q=${"x".repeat(201)}`, "q"],
    ["q=%21%21%21", "q"],
    ["limit=5000", "limit"],
    ["limit=abc", "limit"],
    ["cursor=abc", "cursor"],
    ["updatedSince=yesterday", "updatedSince"],
    [`structure=${Array.from({ length: 21 }, () => "OS60").join(",")}`, "structure"],
    ["colour=red", "colour"],
  ])("refuses %s, naming the parameter.", async (query, param) => {
    const res = await get(`/api/initiatives?${query}`);
    expect(res.status).toBe(400);
    expect(res.headers.get("content-type")).toContain("application/problem+json");
    const body = (await res.json()) as { errors: { param: string }[] };
    expect(body.errors.map((e) => e.param)).toContain(param);
  });
});

describe("GET /api/facets", () => {
  it("counts values for the same filters, with labels in the asked language.", async () => {
    const en = (await (await get("/api/facets?q=coop")).json()) as {
      total: number;
      facets: Record<string, { value: string; label: string; count: number }[]>;
    };
    const fr = (await (await get("/api/facets?q=coop&lang=fr")).json()) as typeof en;
    const ar = en.facets.country!.find((c) => c.value.endsWith("/AR"))!;
    expect(ar.label).toBe("Argentina");
    expect(fr.facets.country!.find((c) => c.value.endsWith("/AR"))!.label).toBe("Argentine");
    expect(en.facets.structure!.reduce((n, c) => n + c.count, 0)).toBeGreaterThanOrEqual(en.total);
    const es = (await (
      await fetch(`${inst.base}/api/facets`, { headers: { "accept-language": "es-ES,es;q=0.9" } })
    ).json()) as typeof en;
    expect(es.facets.country!.find((c) => c.value.endsWith("/ES"))!.label).toBe("España");
  });

  it("refuses a bad lang.", async () => {
    expect((await get("/api/facets?lang=not_a_language")).status).toBe(400);
  });
});

describe("GET /api/clusters", () => {
  it("clusters at low zoom and gives single points at street level.", async () => {
    const world = (await (await get("/api/clusters?zoom=1")).json()) as { clusters: { count: number }[] };
    expect(world.clusters.reduce((n, c) => n + c.count, 0)).toBe(97);
    const street = (await (await get("/api/clusters?zoom=16&bbox=-61,-33.5,-60,-32.5")).json()) as {
      clusters: { count: number; id: string; name: string }[];
    };
    expect(street.clusters.length).toBeGreaterThan(0);
    for (const c of street.clusters)
      expect(c).toEqual(expect.objectContaining({ count: 1, id: expect.stringContaining("/initiatives/") }));
  });

  it("refuses a bad zoom.", async () => {
    expect((await get("/api/clusters?zoom=99")).status).toBe(400);
  });
});
