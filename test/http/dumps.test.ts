/**
 * Dumps over HTTP: N-Quads with a graph per source network, CSV, GeoJSON; a strong ETag that
 * changes with the data, 304 while it does not, and a fresh dump after a change.
 */
import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import { parse } from "csv-parse/sync";
import { Parser } from "n3";
import { versionOf } from "../../src/domain/version.ts";
import { startInstance, type TestInstance } from "../support/instance.ts";

let inst: TestInstance;
const REGIONAL = "https://regional.example/actors/network";
beforeAll(async () => {
  inst = await startInstance();
  await inst.directory.upsert([
    { id: inst.iris.initiative("d1"), name: "Dump One", address: { lat: 51.5, long: -0.1 } },
    { id: inst.iris.initiative("d2"), name: "Dump Two" },
  ]);
  const initiative = {
    id: "https://regional.example/initiatives/r1",
    name: "Regional One",
    license: "https://creativecommons.org/licenses/by-sa/4.0/",
    attribution: "© Regional <network>",
    organisationalStructure: [],
    legalForm: [],
    activities: [],
    qualifiers: [],
    sameAs: [],
    address: { lat: 48.8, long: 2.3 },
  };
  await inst.store.putInitiatives([
    {
      initiative,
      published: "2026-01-01T00:00:00.000Z",
      updated: "2026-01-01T00:00:00.000Z",
      version: versionOf(initiative),
      provenance: { origin: REGIONAL, via: [], receivedAt: "2026-01-01T00:00:00.000Z" },
    },
  ]);
});
afterAll(async () => {
  await inst.stop();
});

describe("Dumps", () => {
  it("N-Quads keep one named graph per source network.", async () => {
    const res = await fetch(`${inst.base}/dumps/initiatives.nq`);
    expect(res.headers.get("content-type")).toContain("application/n-quads");
    const quads = new Parser({ format: "N-Quads" }).parse(await res.text());
    expect(new Set(quads.map((q) => q.graph.value))).toEqual(new Set([inst.iris.actor, REGIONAL]));
    expect(quads.some((q) => q.graph.value === REGIONAL && q.object.value === "Regional One")).toBe(true);
  });

  it("CSV and GeoJSON hold every record (GeoJSON with a null geometry for those without coordinates).", async () => {
    const csv = parse<Record<string, string>>(await (await fetch(`${inst.base}/dumps/initiatives.csv`)).text(), {
      columns: true,
    });
    expect(csv.map((r) => r.Name).sort()).toEqual(["Dump One", "Dump Two", "Regional One"]);
    const geo = (await (await fetch(`${inst.base}/dumps/initiatives.geojson`)).json()) as {
      features: { geometry: unknown }[];
    };
    expect(geo.features).toHaveLength(3);
    expect(geo.features.filter((f) => f.geometry !== null)).toHaveLength(2);
  });

  it("answer 304 while nothing changed, and a new dump with a new ETag after a change.", async () => {
    const first = await fetch(`${inst.base}/dumps/initiatives.csv`);
    const etag = first.headers.get("etag")!;
    expect(etag).toMatch(/^"\d+-csv"$/);
    expect((await fetch(`${inst.base}/dumps/initiatives.csv`, { headers: { "if-none-match": etag } })).status).toBe(
      304,
    );
    await inst.directory.upsert([{ id: inst.iris.initiative("d3"), name: "Dump Three" }]);
    const after = await fetch(`${inst.base}/dumps/initiatives.csv`, { headers: { "if-none-match": etag } });
    expect(after.status).toBe(200);
    expect(after.headers.get("etag")).not.toBe(etag);
    expect(await after.text()).toContain("Dump Three");
  });

  it("are listed on an index naming each source network with the licence and credit its records carry.", async () => {
    const html = await (await fetch(`${inst.base}/dumps/`)).text();
    const sources = html.slice(html.indexOf('<ul class="sources">'));
    expect(sources).toMatch(/network \(own records\): 3 held; licence: not named; attribution: essfed network<\/li>/);
    expect(sources).toContain(
      `<a href="${REGIONAL}">${REGIONAL}</a>: 1 held; licence: ` +
        `<a rel="license" href="https://creativecommons.org/licenses/by-sa/4.0/">`,
    );
    // A credit from a peer is text, never markup.
    expect(sources).toContain("attribution: © Regional &lt;network&gt;</li>");
  });

  it("answer 404 for a dump that does not exist.", async () => {
    expect((await fetch(`${inst.base}/dumps/initiatives.xml`)).status).toBe(404);
  });
});
