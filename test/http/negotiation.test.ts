/**
 * Content negotiation and the vocabularies over real HTTP, and what the admin API refuses.
 */
import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import { Parser } from "n3";
import { auth, startInstance, type TestInstance } from "../support/instance.ts";
import { initiativeBody } from "../support/process.ts";

let inst: TestInstance;
let id: string;
beforeAll(async () => {
  inst = await startInstance();
  const res = await fetch(`${inst.base}/initiatives`, {
    method: "POST",
    headers: { "content-type": "application/ld+json", ...auth },
    body: initiativeBody("Negotiated Co-op", { "geo:lat": 1 }),
  });
  id = res.headers.get("location")!;
});
afterAll(async () => {
  await inst.stop();
});

const get = (url: string, accept?: string) => fetch(url, { headers: accept ? { accept } : {} });

describe("An initiative IRI", () => {
  it.each([
    ['application/ld+json; profile="https://www.w3.org/ns/activitystreams"', "application/ld+json"],
    ["application/activity+json", "application/activity+json"],
    ["application/json", "application/json"],
    ["*/*", "application/ld+json"],
  ])("answers %s with JSON-LD (%s).", async (accept, type) => {
    const res = await get(id, accept);
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toContain(type);
    expect(res.headers.get("vary")).toContain("Accept");
    expect(((await res.json()) as { id: string }).id).toBe(id);
  });

  it("answers plain application/ld+json with the record's statements in JSON-LD, not the ActivityStreams form.", async () => {
    for (const url of [id, `${id}?format=jsonld-links`]) {
      const res = await get(url, "application/ld+json");
      expect(res.headers.get("content-type")).toBe("application/ld+json; charset=utf-8");
      const doc = (await res.json()) as { "@graph"?: { "@id": string }[]; "@id"?: string };
      expect([doc["@id"], ...(doc["@graph"] ?? []).map((n) => n["@id"])]).toContain(id);
      expect(JSON.stringify(doc)).toContain("Negotiated Co-op");
    }
  });

  it.each([
    ["text/turtle", "text/turtle"],
    ["application/n-triples", "N-Triples"],
  ])("answers %s with RDF that parses.", async (accept, format) => {
    const res = await get(id, accept);
    expect(res.headers.get("content-type")).toContain(accept);
    const quads = new Parser({ format }).parse(await res.text());
    expect(quads.some((q) => q.subject.value === id && q.object.value === "Negotiated Co-op")).toBe(true);
  });

  it("answers a browser with an HTML page that links the alternates.", async () => {
    const res = await get(id, "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8");
    expect(res.headers.get("content-type")).toContain("text/html");
    const html = await res.text();
    expect(html).toContain("<h1>Negotiated Co-op</h1>");
    expect(html).toContain('rel="alternate" type="text/turtle"');
  });

  it("honours ?format= and q-values.", async () => {
    expect((await get(`${id}?format=ttl`)).headers.get("content-type")).toContain("text/turtle");
    expect((await get(id, "text/turtle;q=0.5, application/n-triples")).headers.get("content-type")).toContain(
      "application/n-triples",
    );
  });

  it("answers 406 with problem details when nothing acceptable exists.", async () => {
    const res = await get(id, "image/png");
    expect(res.status).toBe(406);
    expect(res.headers.get("content-type")).toContain("application/problem+json");
    expect(((await res.json()) as { available: string[] }).available).toContain("text/turtle");
  });

  it("answers 304 to a matching If-None-Match.", async () => {
    const etag = (await get(id, "text/turtle")).headers.get("etag")!;
    expect((await fetch(id, { headers: { accept: "text/turtle", "if-none-match": etag } })).status).toBe(304);
  });

  it("answers 404 with problem details for an unknown IRI.", async () => {
    const res = await get(`${inst.base}/initiatives/nothing-here`);
    expect(res.status).toBe(404);
    expect(((await res.json()) as { type: string; instance: string }).instance).toBe("/initiatives/nothing-here");
  });
});

describe("The directory collection", () => {
  it("is an OrderedCollection listed in the actor's streams, paged newest first.", async () => {
    const actor = (await (await get(inst.iris.actor, "application/activity+json")).json()) as { streams: string };
    expect(actor.streams).toBe(inst.iris.directory);
    const c = (await (await get(inst.iris.directory, "application/activity+json")).json()) as {
      type: string;
      totalItems: number;
      first: string;
    };
    expect(c.type).toBe("OrderedCollection");
    expect(c.totalItems).toBe(1);
    const page = (await (await get(c.first, "application/activity+json")).json()) as { orderedItems: { id: string }[] };
    expect(page.orderedItems.map((i) => i.id)).toEqual([id]);
  });
});

describe("The vocabularies", () => {
  it("serves the JSON-LD context and every SKOS scheme as Turtle.", async () => {
    const ctx = (await (await get(`${inst.base}/vocab/essglobal-context.jsonld`)).json()) as {
      "@context": Record<string, unknown>;
    };
    expect(ctx["@context"].essglobal).toBe("https://lod.coop/essglobal/2.1/vocab/");
    for (const scheme of [
      "organisational-structure",
      "activities-ica",
      "countries-iso",
      "qualifiers",
      "essglobal-vocab",
    ]) {
      const res = await get(`${inst.base}/vocab/${scheme}`, "text/turtle");
      expect(res.status).toBe(200);
      const quads = new Parser({ format: "text/turtle" }).parse(await res.text());
      expect(quads.length).toBeGreaterThan(10);
      expect(quads.some((q) => q.subject.value.startsWith("https://lod.coop/essglobal/2.1/"))).toBe(true);
    }
  });
});

describe("The admin API refuses", () => {
  const post = (body: string, type = "application/ld+json", headers: Record<string, string> = auth) =>
    fetch(`${inst.base}/initiatives`, { method: "POST", headers: { "content-type": type, ...headers }, body });

  it("a wrong token.", async () => {
    expect(
      (await post(initiativeBody("X"), "application/ld+json", { authorization: "Bearer wrong-token-wrong-token" }))
        .status,
    ).toBe(401);
  });

  it("remote JSON-LD contexts, without fetching them.", async () => {
    const res = await post(
      JSON.stringify({ "@context": "https://evil.example/ctx.jsonld", "@type": "SSEInitiative", name: "X" }),
    );
    expect(res.status).toBe(400);
    expect(((await res.json()) as { code: string }).code).toBe("remote-context");
  });

  it("bodies over 1 MB.", async () => {
    expect((await post(JSON.stringify({ pad: "x".repeat(1_100_000) }))).status).toBe(413);
  });

  it("malformed JSON and unsupported media types.", async () => {
    expect((await post("{oops")).status).toBe(400);
    expect((await post("name=x", "application/x-www-form-urlencoded")).status).toBe(415);
  });

  it("a body with two initiatives, or none.", async () => {
    const two = JSON.stringify({
      "@context": { ess: "https://lod.coop/essglobal/2.1/vocab/", gr: "http://purl.org/goodrelations/v1#" },
      "@graph": [
        { "@id": "_:a", "@type": "ess:SSEInitiative", "gr:name": "A" },
        { "@id": "_:b", "@type": "ess:SSEInitiative", "gr:name": "B" },
      ],
    });
    expect((await post(two)).status).toBe(422);
    expect((await post(JSON.stringify({ "@context": { x: "https://x.example/" }, "x:y": 1 }))).status).toBe(422);
  });

  it("each leaving the directory as it was.", async () => {
    expect(await inst.store.countInitiatives()).toBe(1);
  });

  it("accepts Turtle bodies too.", async () => {
    const ttl = `@prefix ess: <http://purl.org/essglobal/vocab/> . @prefix gr: <http://purl.org/goodrelations/v1#> .
      [] a ess:SSEInitiative ; gr:name "Turtle Co-op" .`;
    const res = await post(ttl, "text/turtle");
    expect(res.status).toBe(201);
    await fetch(res.headers.get("location")!, { method: "DELETE", headers: auth });
  });
});
