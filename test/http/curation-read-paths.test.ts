/**
 * Every read path honours curation: a hidden record (own or mirrored) is absent from search,
 * facet counts, map clusters and list, dumps (N-Quads, CSV, GeoJSON), SPARQL, directory pages and
 * its HTML page, and every path counts the same; restored, it is back everywhere.
 */
import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import { parse } from "csv-parse/sync";
import { Parser } from "n3";
import { versionOf } from "../../src/domain/version.ts";
import { auth, startInstance, type TestInstance } from "../support/instance.ts";

let inst: TestInstance;
const REGIONAL = "https://regional.example/actors/network";
const M1 = "https://regional.example/initiatives/m1";
let O1: string;

const json = async (path: string, init: RequestInit = {}) => {
  const res = await fetch(inst.base + path, init);
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
};
const post = (path: string, body: unknown) =>
  json(path, { method: "POST", headers: { ...auth, "content-type": "application/json" }, body: JSON.stringify(body) });

/** What each read path shows: the names it lists and the count it gives. */
async function everyPath() {
  const search = parse<unknown>(
    await (await fetch(`${inst.base}/api/initiatives?q=bakery&limit=100&format=csv`)).text(),
    {
      columns: true,
    },
  );
  const names = search.length;
  const facets = await json("/api/facets?q=bakery");
  const clusters = await json("/api/clusters?zoom=2&q=bakery");
  const list = await json("/map/list?q=bakery");
  const nq = new Parser({ format: "N-Quads" }).parse(await (await fetch(`${inst.base}/dumps/initiatives.nq`)).text());
  const csv = parse<Record<string, string>>(await (await fetch(`${inst.base}/dumps/initiatives.csv`)).text(), {
    columns: true,
  });
  const geo = (await (await fetch(`${inst.base}/dumps/initiatives.geojson`)).json()) as { features: unknown[] };
  const sparql = (await (
    await fetch(`${inst.base}/sparql`, {
      method: "POST",
      headers: { "content-type": "application/sparql-query", accept: "application/sparql-results+json" },
      body:
        "PREFIX essglobal: <https://lod.coop/essglobal/2.1/vocab/> SELECT (COUNT(DISTINCT ?i) AS ?n) WHERE { ?i " +
        "a essglobal:SSEInitiative }",
    })
  ).json()) as { results: { bindings: { n: { value: string } }[] } };
  const page = await json("/initiatives?page=true&limit=1000", { headers: { accept: "application/activity+json" } });
  const collection = await json("/initiatives", { headers: { accept: "application/activity+json" } });
  return {
    search: names,
    facets: facets.body.total,
    clusters: (clusters.body.clusters as { count: number }[]).reduce((n, c) => n + c.count, 0),
    list: list.body.total ?? (list.body.items as unknown[] | undefined)?.length,
    nquadsSubjects: new Set(
      nq
        .filter((q) => q.predicate.value.endsWith("#type") && q.object.value.endsWith("SSEInitiative"))
        .map((q) => q.subject.value),
    ).size,
    csv: csv.length,
    geojson: geo.features.length,
    sparql: Number(sparql.results.bindings[0]!.n.value),
    directoryPage: (page.body.orderedItems as unknown[]).length,
    directoryTotal: collection.body.totalItems,
    mentionsHidden: [...csv.map((r) => r.Name), ...nq.map((q) => q.object.value)].some(
      (v) => v === "bakery hidden one" || v === "bakery hidden mirror",
    ),
  };
}

beforeAll(async () => {
  inst = await startInstance({ ESSFED_HANDLE: "curated" });
  O1 = inst.iris.initiative("o1");
  await inst.directory.upsert([
    { id: O1, name: "bakery hidden one", address: { lat: 51.5, long: -0.1 } },
    { id: inst.iris.initiative("o2"), name: "bakery two", address: { lat: 52.5, long: -1.1 } },
    { id: inst.iris.initiative("o3"), name: "bakery three" },
  ]);
  const mirror = (id: string, name: string, lat: number) => {
    const initiative = {
      id,
      name,
      organisationalStructure: [],
      legalForm: [],
      activities: [],
      qualifiers: [],
      sameAs: [],
      address: { lat, long: 2.3 },
    };
    return {
      initiative,
      published: "2026-01-01T00:00:00.000Z",
      updated: "2026-01-01T00:00:00.000Z",
      version: versionOf(initiative),
      provenance: { origin: REGIONAL, via: [], receivedAt: "2026-01-01T00:00:00.000Z" },
    };
  };
  await inst.store.putInitiatives([
    mirror(M1, "bakery hidden mirror", 48.8),
    mirror("https://regional.example/initiatives/m2", "bakery mirror two", 45.7),
  ]);
}, 60_000);
afterAll(async () => {
  await inst.stop();
});

describe("Curation on every read path", () => {
  it("counts everything alike before anything is hidden.", async () => {
    const all = await everyPath();
    expect(all).toEqual({
      search: 5,
      facets: 5,
      clusters: 4,
      list: 5,
      nquadsSubjects: 5,
      csv: 5,
      geojson: 5,
      sparql: 5,
      directoryPage: 5,
      directoryTotal: 5,
      mentionsHidden: true,
    });
  });

  it("leaves a hidden own and a hidden mirrored record out of every path, with the counts agreeing.", async () => {
    expect((await post("/api/records/hide", { id: O1, reason: "closed down" })).status).toBe(200);
    expect((await post("/api/records/hide", { id: M1, reason: "duplicate" })).status).toBe(200);
    expect(await everyPath()).toEqual({
      search: 3,
      facets: 3,
      clusters: 2,
      list: 3,
      nquadsSubjects: 3,
      csv: 3,
      geojson: 3,
      sparql: 3,
      directoryPage: 3,
      directoryTotal: 3,
      mentionsHidden: false,
    });
    // The HTML page (and the record in any representation) is not found by the public.
    expect((await fetch(O1, { headers: { accept: "text/html" } })).status).toBe(404);
    expect((await fetch(O1, { headers: { accept: "application/ld+json" } })).status).toBe(404);
    expect((await fetch(`${inst.base}/initiative?id=${encodeURIComponent(M1)}`)).status).toBe(404);
    // Admins still see it, with why.
    const history = await json(`/api/records/history?id=${encodeURIComponent(O1)}`, { headers: auth });
    expect(history.body).toMatchObject({ id: O1, state: "hidden", reason: "closed down" });
    expect((history.body.decisions as { items: { action: string; actor: { name: string } }[] }).items[0]).toMatchObject(
      { action: "record.hide", actor: { kind: "token", name: "admin token" }, reason: "closed down" },
    );
    const withheld = await json("/api/records/withheld?state=hidden", { headers: auth });
    expect((withheld.body.items as { id: string }[]).map((w) => w.id).sort()).toEqual([O1, M1].sort());
  }, 60_000);

  it("keeps an edited hidden own record hidden.", async () => {
    const [r] = await inst.directory.upsert([
      { id: O1, name: "bakery hidden one", description: "now with bread", address: { lat: 51.5, long: -0.1 } },
    ]);
    expect(r).toMatchObject({ ok: true, outcome: "updated" });
    expect(await inst.store.getInitiative(O1)).toBeUndefined();
    expect((await inst.store.curation.getWithheld(O1))?.record.initiative.description).toBe("now with bread");
  });

  it("brings restored records back on every path.", async () => {
    expect((await post("/api/records/restore", { id: O1, reason: "reopened" })).status).toBe(200);
    expect((await post("/api/records/restore", { id: M1, reason: "not a duplicate" })).status).toBe(200);
    expect(await everyPath()).toEqual({
      search: 5,
      facets: 5,
      clusters: 4,
      list: 5,
      nquadsSubjects: 5,
      csv: 5,
      geojson: 5,
      sparql: 5,
      directoryPage: 5,
      directoryTotal: 5,
      mentionsHidden: true,
    });
    expect((await fetch(O1, { headers: { accept: "text/html" } })).status).toBe(200);
    const audit = await json("/api/audit?action=record.", { headers: auth });
    expect((audit.body.items as { action: string }[]).map((e) => e.action)).toEqual([
      "record.restore",
      "record.restore",
      "record.hide",
      "record.hide",
    ]);
  }, 60_000);
});
