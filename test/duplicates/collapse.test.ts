/**
 * Collapsed results over HTTP on a real instance: once an admin confirms that two listings are
 * one organisation, `?collapse=sameAs` gives it once — in search (JSON-LD, CSV, GeoJSON), facet
 * counts and the map's clusters (collapsed unless `collapse=none`) — listing every listing and
 * network that carries it.
 */
import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import { auth, startInstance, type TestInstance } from "../support/instance.ts";
import { listing } from "../contract/duplicates.contract.ts";

const YORK = "https://york.example/actors/network";
const B = "https://york.example/initiatives/gbp";
let inst: TestInstance;
let A: string;

beforeAll(async () => {
  inst = await startInstance({ ESSFED_NAME: "Aggregator" });
  A = `${inst.base}/initiatives/green-bay`;
  await inst.store.putInitiatives([
    listing(A, "Green Bay Projects"),
    listing(B, "Green Bay Projects Limited", { homepage: "https://greenbay.example/" }, YORK),
    listing(
      "https://york.example/initiatives/bakery",
      "Green Lane Bakery",
      { address: { lat: 53.96, long: -1.08 } },
      YORK,
    ),
  ]);
  for (let i = 0; i < 100; i++) {
    if ((await inst.store.duplicates.getPair(...([A, B].sort() as [string, string]))) !== undefined) break;
    await new Promise((r) => setTimeout(r, 200));
  }
  const res = await fetch(`${inst.base}/api/duplicates/confirm`, {
    method: "POST",
    headers: { ...auth, "content-type": "application/json" },
    body: JSON.stringify({ a: A, b: B }),
  });
  if (res.status !== 200) throw new Error(`confirming failed: ${res.status}`);
});
afterAll(async () => {
  await inst.stop();
});

const get = async (path: string, accept = "application/json") => {
  const res = await fetch(`${inst.base}${path}`, { headers: { accept } });
  expect(res.status).toBe(200);
  return res;
};
type Item = { id: string; "essfed:listings"?: { id: string; "essfed:network": { id: string } }[] };

describe("Collapsing confirmed duplicates", () => {
  it("gives the organisation once in search, listing every listing and its network; without the flag, each listing.", async () => {
    const collapsed = (await (await get("/api/initiatives?q=green&collapse=sameAs")).json()) as {
      orderedItems: Item[];
    };
    expect(collapsed.orderedItems.map((i) => i.id).sort()).toEqual(
      [A, "https://york.example/initiatives/bakery"].sort(),
    );
    const org = collapsed.orderedItems.find((i) => i.id === A)!;
    expect(org["essfed:listings"]).toEqual([
      { id: A, "essfed:network": { id: inst.iris.actor } },
      { id: B, "essfed:network": { id: YORK } },
    ]);
    expect(collapsed.orderedItems.find((i) => i.id !== A)!["essfed:listings"]).toBeUndefined();
    const each = (await (await get("/api/initiatives?q=green")).json()) as { orderedItems: Item[] };
    expect(each.orderedItems).toHaveLength(3);
    expect(each.orderedItems.every((i) => i["essfed:listings"] === undefined)).toBe(true);
  });

  it("counts organisations in facet counts and on the map (collapsed there unless asked not to).", async () => {
    const facets = async (q: string) => ((await (await get(`/api/facets?${q}`)).json()) as { total: number }).total;
    expect(await facets("collapse=sameAs")).toBe(2);
    expect(await facets("q=green&collapse=sameAs")).toBe(2);
    expect(await facets("")).toBe(3);
    const points = async (q: string) =>
      ((await (await get(`/api/clusters?${q}`)).json()) as { clusters: { count: number }[] }).clusters.reduce(
        (n, c) => n + c.count,
        0,
      );
    expect(await points("zoom=2")).toBe(2);
    expect(await points("zoom=16&q=green")).toBe(2);
    expect(await points("zoom=2&collapse=none")).toBe(3);
  });

  it("adds the listings to CSV and GeoJSON exports.", async () => {
    const csv = (await (await get("/api/initiatives?q=green+bay&collapse=sameAs&format=csv")).text())
      .trim()
      .split("\n");
    expect(csv).toHaveLength(2);
    expect(csv[0]!.endsWith(",Listings")).toBe(true);
    expect(csv[1]!.endsWith(`,${A} ${inst.iris.actor};${B} ${YORK}`)).toBe(true);
    const geo = (await (await get("/api/initiatives?q=green+bay&collapse=sameAs", "application/geo+json")).json()) as {
      features: { properties: { listings?: unknown } }[];
    };
    expect(geo.features).toHaveLength(1);
    expect(geo.features[0]!.properties.listings).toEqual([
      { id: A, network: inst.iris.actor },
      { id: B, network: YORK },
    ]);
  });

  it("refuses an unknown collapse value with a problem naming the parameter.", async () => {
    const res = await fetch(`${inst.base}/api/initiatives?collapse=everything`);
    expect(res.status).toBe(400);
    expect(res.headers.get("content-type")).toMatch(/^application\/problem\+json/);
    const body = (await res.json()) as { errors: { param: string }[] };
    expect(body.errors.map((e) => e.param)).toEqual(["collapse"]);
  });
});
