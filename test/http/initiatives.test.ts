import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import { Parser } from "n3";
import { auth, startInstance, type TestInstance } from "../support/instance.ts";

let inst: TestInstance;
beforeAll(async () => {
  inst = await startInstance();
});
afterAll(async () => {
  await inst.stop();
});

const BODY = {
  "@context": {
    ess: "https://lod.coop/essglobal/V2a/vocab/",
    gr: "http://purl.org/goodrelations/v1#",
    geo: "http://www.w3.org/2003/01/geo/wgs84_pos#",
  },
  "@type": "ess:SSEInitiative",
  "gr:name": "Leicester Bike Co-op",
  "ess:organisationalStructure": { "@id": "https://lod.coop/essglobal/V2a/standard/organisational-structure/OS60" },
  "ess:hasAddress": { "@type": "ess:Address", "geo:lat": 52.63, "geo:long": -1.13 },
};

async function post(body: unknown, headers: Record<string, string> = auth) {
  return fetch(`${inst.base}/initiatives`, {
    method: "POST",
    headers: { "content-type": "application/ld+json", ...headers },
    body: JSON.stringify(body),
  });
}

describe("The directory over HTTP", () => {
  it("creates an initiative from JSON-LD with an inline context and answers 201 with its IRI.", async () => {
    const res = await post(BODY);
    expect(res.status).toBe(201);
    const location = res.headers.get("location")!;
    expect(location.startsWith(`${inst.base}/initiatives/leicester-bike-co-op-`)).toBe(true);
    const ttl = await (await fetch(location, { headers: { accept: "text/turtle" } })).text();
    const quads = new Parser().parse(ttl);
    expect(
      quads.some(
        (q) =>
          q.predicate.value === "http://purl.org/goodrelations/v1#name" && q.object.value === "Leicester Bike Co-op",
      ),
    ).toBe(true);
    expect(
      quads.some(
        (q) => q.predicate.value === "http://www.w3.org/2003/01/geo/wgs84_pos#lat" && q.object.value === "52.63",
      ),
    ).toBe(true);
  });

  it("refuses to create without the admin token.", async () => {
    const res = await post(BODY, {});
    expect(res.status).toBe(401);
    expect(res.headers.get("content-type")).toContain("application/problem+json");
  });

  it("refuses an initiative without a name and stores nothing.", async () => {
    const before = await inst.store.countInitiatives();
    const { "gr:name": _n, ...nameless } = BODY;
    const res = await post(nameless);
    expect(res.status).toBe(422);
    const problem = (await res.json()) as { errors: { field: string; property: string }[] };
    expect(problem.errors).toContainEqual(expect.objectContaining({ field: "name", property: "gr:name" }));
    expect(await inst.store.countInitiatives()).toBe(before);
  });

  it("takes registrations as org:identifier, refusing a bad number with 422 naming the field, and shows them.", async () => {
    const org = "http://www.w3.org/ns/org#identifier";
    const before = await inst.store.countInitiatives();
    const bad = await post({ ...BODY, [org]: ["FR-SIREN-552100554", "FR-SIRET-12345"] });
    expect(bad.status).toBe(422);
    const problem = (await bad.json()) as { errors: { field: string; property: string; value: string }[] };
    expect(problem.errors).toEqual([
      expect.objectContaining({ field: "registrations", property: "org:identifier", value: "FR-SIRET:12345" }),
    ]);
    expect(await inst.store.countInitiatives()).toBe(before);

    const res = await post({ ...BODY, [org]: ["fr-siren-552 100 554", "GB-CHC-1123456"] });
    expect(res.status).toBe(201);
    const location = res.headers.get("location")!;
    const doc = (await (await fetch(location, { headers: { accept: "application/activity+json" } })).json()) as Record<
      string,
      unknown
    >;
    expect(doc["org:identifier"]).toEqual(["FR-SIREN-552100554", "GB-CHC-1123456"]);
    const quads = new Parser().parse(await (await fetch(location, { headers: { accept: "text/turtle" } })).text());
    expect(quads.filter((q) => q.predicate.value === org).map((q) => q.object.value)).toEqual([
      "FR-SIREN-552100554",
      "GB-CHC-1123456",
    ]);
    const html = await (await fetch(location, { headers: { accept: "text/html" } })).text();
    expect(html).toContain("https://annuaire-entreprises.data.gouv.fr/entreprise/552100554");
    expect(html).toContain("SIREN (INSEE) 552100554");
  });

  it("replaces with PUT and deletes with DELETE, leaving a 410 Tombstone.", async () => {
    const location = (await post(BODY)).headers.get("location")!;
    const put = await fetch(location, {
      method: "PUT",
      headers: { "content-type": "application/ld+json", ...auth },
      body: JSON.stringify({ ...BODY, "gr:name": "Renamed Co-op" }),
    });
    expect(put.status).toBe(200);
    const doc = (await (await fetch(location, { headers: { accept: "application/activity+json" } })).json()) as Record<
      string,
      unknown
    >;
    expect(doc["gr:name"]).toBe("Renamed Co-op");
    expect((await fetch(location, { method: "DELETE", headers: auth })).status).toBe(204);
    const gone = await fetch(location, { headers: { accept: "application/activity+json" } });
    expect(gone.status).toBe(410);
    expect(((await gone.json()) as { type: string }).type).toBe("Tombstone");
  });
});
