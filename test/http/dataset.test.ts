/**
 * The directory as a dataset: its DCAT + VoID description at /dataset and /.well-known/void, read
 * back with RDF libraries in every format served (Turtle and N-Triples with n3, JSON-LD through
 * jsonld.toRDF), with the licence, attribution, counts and endpoints right; the licence named in
 * `Link` headers of dumps, the API and SPARQL; and what is said when no licence is declared.
 */
import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import jsonld from "jsonld";
import { Parser, Store as N3Store, type Quad } from "n3";
import { namedNode } from "../../src/linkeddata/terms.ts";
import { versionOf } from "../../src/domain/version.ts";
import { startInstance, type TestInstance } from "../support/instance.ts";
import { databaseUrl, dropSchema, POSTGRES_URL, randomSchema } from "../support/postgres.ts";

const DCAT = "http://www.w3.org/ns/dcat#",
  VOID = "http://rdfs.org/ns/void#",
  DCT = "http://purl.org/dc/terms/";
const RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type";
const CC_BY = "https://creativecommons.org/licenses/by/4.0/";
const CC_BY_SA = "https://creativecommons.org/licenses/by-sa/4.0/";
const REGIONAL = "https://regional.example/actors/network";

let inst: TestInstance;

async function read(path: string, accept: string): Promise<{ quads: Quad[]; res: Response }> {
  const res = await fetch(`${inst.base}${path}`, { headers: { accept } });
  expect(res.status).toBe(200);
  expect(res.headers.get("content-type")).toContain(accept);
  const text = await res.text();
  if (accept === "application/ld+json") {
    const nquads = (await jsonld.toRDF(JSON.parse(text) as jsonld.JsonLdDocument, {
      format: "application/n-quads",
    })) as unknown as string;
    return { res, quads: new Parser({ format: "N-Quads" }).parse(nquads) };
  }
  return { res, quads: new Parser({ format: accept === "text/turtle" ? "Turtle" : "N-Triples" }).parse(text) };
}

function checkDescription(quads: Quad[]): void {
  const g = new N3Store(quads);
  const ds = namedNode(`${inst.base}/dataset`);
  const one = (p: string, s: Quad["subject"] = ds) => {
    const os = g.getObjects(s, namedNode(p), null);
    expect(os.length).toBeGreaterThan(0);
    return os[0]!.value;
  };
  const all = (p: string, s: Quad["subject"] = ds) => g.getObjects(s, namedNode(p), null).map((o) => o.value);
  expect(all(RDF_TYPE)).toEqual(expect.arrayContaining([DCAT + "Dataset", VOID + "Dataset"]));
  expect(one(DCT + "title")).toBe("Leeds SE network");
  expect(one(DCT + "description")).toContain("Leeds SE network");
  expect(one(DCT + "publisher")).toBe(inst.iris.actor);
  expect(one(DCT + "license")).toBe(CC_BY);
  expect(one("http://creativecommons.org/ns#attributionName")).toBe("© Leeds SE network and its members");
  const rights = g.getObjects(ds, namedNode(DCT + "rights"), null)[0]!;
  expect(one("http://www.w3.org/2000/01/rdf-schema#label", rights as Quad["subject"])).toContain(
    "© Leeds SE network and its members",
  );
  expect(Date.parse(one(DCT + "modified"))).not.toBeNaN();
  expect(one(DCT + "accrualPeriodicity")).toBe("http://purl.org/cld/freq/continuous");
  expect(one(VOID + "vocabulary")).toBe("https://lod.coop/essglobal/2.1/vocab/");
  expect(one(VOID + "sparqlEndpoint")).toBe(`${inst.base}/sparql`);
  expect(one(VOID + "entities")).toBe("3");
  const partition = g.getObjects(ds, namedNode(VOID + "classPartition"), null)[0] as Quad["subject"];
  expect(one(VOID + "class", partition)).toBe("https://lod.coop/essglobal/2.1/vocab/SSEInitiative");
  expect(one(VOID + "entities", partition)).toBe("3");
  const subsets = g.getObjects(ds, namedNode(VOID + "subset"), null).filter((o) => o.termType === "BlankNode");
  const own = subsets.find((o) => !g.getObjects(o, namedNode(DCT + "source"), null).length) as Quad["subject"];
  expect(one(VOID + "entities", own)).toBe("2");
  // The mirrored records keep their owner's terms: one subset for that network, with its licence and credit.
  const regional = subsets.find((o) => g.countQuads(o, namedNode(DCT + "source"), namedNode(REGIONAL), null) > 0);
  expect(regional).toBeDefined();
  expect(all(DCT + "license", regional as Quad["subject"])).toEqual([CC_BY_SA]);
  expect(all("http://creativecommons.org/ns#attributionName", regional as Quad["subject"])).toEqual([
    "© Regional network",
  ]);
  expect(one(VOID + "entities", regional as Quad["subject"])).toBe("1");
  expect(new Set(g.getObjects(null, namedNode(DCT + "license"), null).map((o) => o.value))).toEqual(
    new Set([CC_BY, CC_BY_SA]),
  );
  const dumps = all(VOID + "dataDump").sort();
  expect(dumps).toEqual(
    ["initiatives.csv", "initiatives.geojson", "initiatives.nq"].map((f) => `${inst.base}/dumps/${f}`),
  );
  const media = dumps.map((d) =>
    one(DCAT + "mediaType", namedNode(d)).replace("https://www.iana.org/assignments/media-types/", ""),
  );
  expect(media).toEqual(["text/csv", "application/geo+json", "application/n-quads"]);
  for (const d of dumps) expect(one(DCT + "license", namedNode(d))).toBe(CC_BY);
  const services = g.getSubjects(namedNode(RDF_TYPE), namedNode(DCAT + "DataService"), null);
  expect(services.map((s) => one(DCAT + "endpointURL", s)).sort()).toEqual([
    `${inst.base}/api/initiatives`,
    `${inst.base}/sparql`,
  ]);
  for (const s of services) expect(one(DCAT + "servesDataset", s)).toBe(ds.value);
  expect(all(DCAT + "distribution")).toHaveLength(5);
  const linkset = namedNode(`${inst.base}/linksets/sameas`);
  expect(all(VOID + "subset")).toContain(linkset.value);
  expect(all(RDF_TYPE, linkset)).toEqual([VOID + "Linkset"]);
  expect(one(VOID + "linkPredicate", linkset)).toBe("http://www.w3.org/2002/07/owl#sameAs");
  expect(one(VOID + "dataDump", linkset)).toBe(`${inst.base}/dumps/sameas.nq`);
}

const STORES: [string, () => Record<string, string>, () => Promise<void>][] = [["SQLite", () => ({}), async () => {}]];
if (POSTGRES_URL) {
  const schema = randomSchema("dataset");
  STORES.push(["PostgreSQL", () => ({ DATABASE_URL: databaseUrl(schema) }), () => dropSchema(schema)]);
}

describe.each(STORES)("On %s", (_name, env, cleanUp) => {
  beforeAll(async () => {
    inst = await startInstance({
      ESSFED_NAME: "Leeds SE network",
      ESSFED_LICENSE: "CC-BY-4.0",
      ESSFED_ATTRIBUTION: "© Leeds SE network and its members",
      ...env(),
    });
    await inst.directory.upsert([
      { id: inst.iris.initiative("a"), name: "Alpha Co-op" },
      { id: inst.iris.initiative("b"), name: "Beta Co-op" },
    ]);
    const initiative = {
      id: "https://regional.example/initiatives/r1",
      name: "Regional One",
      license: CC_BY_SA,
      attribution: "© Regional network",
      organisationalStructure: [],
      legalForm: [],
      activities: [],
      qualifiers: [],
      sameAs: [],
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
  }, 60_000);
  afterAll(async () => {
    await inst.stop();
    await cleanUp();
  });

  describe("Dataset description", () => {
    it.each(["text/turtle", "application/n-triples", "application/ld+json"])(
      "is served as %s with every DCAT and VoID property required.",
      async (accept) => {
        const { quads, res } = await read("/dataset", accept);
        expect(res.headers.get("link")).toContain(`<${CC_BY}>; rel="license"`);
        checkDescription(quads);
      },
    );

    it("is at /.well-known/void too, and its counts follow the data (ETag changes, 304 meanwhile).", async () => {
      const first = await fetch(`${inst.base}/.well-known/void`, { headers: { accept: "text/turtle" } });
      const etag = first.headers.get("etag")!;
      expect(
        (await fetch(`${inst.base}/.well-known/void`, { headers: { accept: "text/turtle", "if-none-match": etag } }))
          .status,
      ).toBe(304);
      await inst.directory.upsert([{ id: inst.iris.initiative("c"), name: "Gamma Co-op" }]);
      const { quads, res } = await read("/.well-known/void", "text/turtle");
      expect(res.headers.get("etag")).not.toBe(etag);
      const g = new N3Store(quads);
      expect(g.getObjects(namedNode(`${inst.base}/dataset`), namedNode(VOID + "entities"), null)[0]!.value).toBe("4");
      await inst.directory.delete(inst.iris.initiative("c"));
    });

    it("is a page for browsers showing the licence and attribution, and refuses formats it has none of (406 problem+json).", async () => {
      const page = await fetch(`${inst.base}/dataset`, { headers: { accept: "text/html" } });
      const html = await page.text();
      expect(html).toContain(`href="${CC_BY}"`);
      expect(html).toContain("© Leeds SE network and its members");
      const refused = await fetch(`${inst.base}/dataset`, { headers: { accept: "image/png" } });
      expect(refused.status).toBe(406);
      expect(refused.headers.get("content-type")).toContain("application/problem+json");
    });

    it("is named with the licence in Link headers of the dumps, the query API and SPARQL answers.", async () => {
      for (const path of [
        "/dumps/initiatives.csv",
        "/dumps/initiatives.nq",
        "/api/initiatives",
        "/api/facets",
        "/sparql?query=ASK%7B%7D",
        "/linksets/sameas",
      ]) {
        const res = await fetch(`${inst.base}${path}`);
        expect([path, res.status]).toEqual([path, 200]);
        const link = res.headers.get("link") ?? "";
        expect([path, link]).toEqual([path, expect.stringContaining(`<${CC_BY}>; rel="license"`)]);
        expect(link).toContain(`<${inst.base}/dataset>; rel="describedby"`);
        await res.arrayBuffer();
      }
      const index = await (await fetch(`${inst.base}/dumps/`)).text();
      expect(index).toContain(`href="${CC_BY}"`);
      expect(index).toContain('href="/dataset"');
    });
  });

  describe("Links to the dataset terms", () => {
    it("the actor lists the description and the licence as profile fields.", async () => {
      const actor = (await (
        await fetch(inst.iris.actor, { headers: { accept: "application/activity+json" } })
      ).json()) as { attachment: Record<string, string>[] };
      expect(actor.attachment).toEqual([
        expect.objectContaining({
          type: "PropertyValue",
          name: "Dataset",
          value: expect.stringContaining(`href="${inst.base}/dataset"`),
        }),
        expect.objectContaining({
          type: "PropertyValue",
          name: "Data licence",
          value: `<a href="${CC_BY}" rel="license">CC-BY-4.0</a>`,
        }),
      ]);
    });

    it("the network page and every page's footer show the licence and attribution (in the reader's language), and the map's attribution has them.", async () => {
      const network = await (
        await fetch(inst.iris.actor, { headers: { accept: "text/html", "accept-language": "fr" } })
      ).text();
      expect(network).toContain(`Licence des données: <a rel="license" href="${CC_BY}">CC-BY-4.0</a>`);
      expect(network).toContain("© Leeds SE network and its members");
      expect(network.match(/href="\/dataset"/g)?.length).toBe(2);
      const map = await (await fetch(`${inst.base}/`, { headers: { accept: "text/html" } })).text();
      const config = JSON.parse(
        /<script type="application\/json" id="essfed-config">(.*?)<\/script>/s.exec(map)![1]!,
      ) as { attribution: string };
      expect(config.attribution).toContain(`<a rel="license" href="${CC_BY}">CC-BY-4.0</a>`);
      expect(config.attribution).toContain("Credit: © Leeds SE network and its members");
    });
  });
});

describe("Dataset description without a declared licence", () => {
  let bare: TestInstance;
  beforeAll(async () => {
    bare = await startInstance({ ESSFED_NAME: "Quiet network" });
  }, 60_000);
  afterAll(async () => {
    await bare.stop();
  });

  it("says no licence is declared and invents none; the attribution is the network's name.", async () => {
    const res = await fetch(`${bare.base}/dataset`, { headers: { accept: "text/turtle" } });
    const g = new N3Store(new Parser({ format: "Turtle" }).parse(await res.text()));
    const ds = namedNode(`${bare.base}/dataset`);
    expect(g.getObjects(null, namedNode(DCT + "license"), null)).toHaveLength(0);
    const rights = g.getObjects(ds, namedNode(DCT + "rights"), null)[0] as Quad["subject"];
    expect(g.getObjects(rights, namedNode("http://www.w3.org/2000/01/rdf-schema#label"), null)[0]!.value).toMatch(
      /^No licence declared/,
    );
    expect(g.getObjects(ds, namedNode("http://creativecommons.org/ns#attributionName"), null)[0]!.value).toBe(
      "Quiet network",
    );
    expect(g.getObjects(ds, namedNode(VOID + "entities"), null)[0]!.value).toBe("0");
    expect(g.getObjects(ds, namedNode(DCT + "modified"), null)).toHaveLength(0);
    const dump = await fetch(`${bare.base}/dumps/initiatives.csv`);
    expect(dump.headers.get("link")).not.toContain('rel="license"');
    await dump.arrayBuffer();
  });
});
