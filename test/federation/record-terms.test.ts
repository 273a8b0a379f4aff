/**
 * Record terms across a chain of three essfed processes (local → national → aggregator, real HTTP,
 * real signatures): a contact field shared with its own network only, or not at all, never appears
 * at the second or third instance in any representation; the owner's licence and attribution reach
 * the third; narrowing a field at the origin removes it downstream.
 */
import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import type { Store } from "../../src/store/store.ts";
import { eventually, spawnInstance, type ProcessInstance } from "../support/process.ts";

const EMAIL = "volunteer.private@hebden.example"; // network only
const STREET = "7 Secret Terrace"; // not shared
const PHONE = "+44 1422 000000"; // public
const ERASED = "former.secretary@leeds.example"; // public, then erased at the origin
const CONTEXT = {
  ess: "https://lod.coop/essglobal/2.1/vocab/",
  gr: "http://purl.org/goodrelations/v1#",
  vcard: "http://www.w3.org/2006/vcard/ns#",
  dcterms: "http://purl.org/dc/terms/",
  essfed: "https://w3id.org/essfed/ns#",
  geo: "http://www.w3.org/2003/01/geo/wgs84_pos#",
  "dcterms:license": { "@type": "@id" },
};
const CC_BY = "https://creativecommons.org/licenses/by/4.0/";
const ODBL = "https://opendatacommons.org/licenses/odbl/1-0/";

async function put(inst: ProcessInstance, local: string, body: Record<string, unknown>): Promise<string> {
  const res = await inst.api(`/initiatives/${local}`, {
    method: "PUT",
    headers: { "content-type": "application/ld+json" },
    body: JSON.stringify({ "@context": CONTEXT, "@type": "ess:SSEInitiative", ...body }),
  });
  expect([200, 201]).toContain(res.status);
  return `${inst.base}/initiatives/${local}`;
}

async function text(inst: ProcessInstance, path: string, accept = "*/*"): Promise<string> {
  const res = await inst.api(path, { headers: { accept } });
  expect(res.status).toBe(200);
  return res.text();
}

/** Every representation of the directory an instance serves to anyone, as text. */
async function everything(inst: ProcessInstance, id: string): Promise<Record<string, string>> {
  const path = new URL(id).pathname;
  const sparql = encodeURIComponent("SELECT ?s ?p ?o WHERE { ?s ?p ?o }");
  // A record's own documents are served at its IRI, by its owner (mirrors serve its page and collections).
  const own = id.startsWith(inst.base + "/");
  return {
    ...(own
      ? {
          jsonld: await text(inst, path, "application/ld+json"),
          signed: await text(inst, path, "application/activity+json"),
          turtle: await text(inst, path, "text/turtle"),
        }
      : {}),
    page: await text(inst, `/initiative?id=${encodeURIComponent(id)}`, "text/html"),
    collection: await text(inst, "/initiatives?page=1", "application/activity+json"),
    api: await text(inst, "/api/initiatives", "application/ld+json"),
    apiCsv: await text(inst, "/api/initiatives", "text/csv"),
    apiGeo: await text(inst, "/api/initiatives", "application/geo+json"),
    nquads: await text(inst, "/dumps/initiatives.nq"),
    csv: await text(inst, "/dumps/initiatives.csv"),
    geojson: await text(inst, "/dumps/initiatives.geojson"),
    sparql: await text(inst, `/sparql?query=${sparql}`, "application/sparql-results+json"),
  };
}

describe("Record terms across three instances", () => {
  let local: ProcessInstance, national: ProcessInstance, aggregator: ProcessInstance;
  let natStore: Store, aggStore: Store;
  let hebden: string, leeds: string;

  async function follow(from: ProcessInstance, to: ProcessInstance): Promise<void> {
    const res = await from.api("/api/follows", { method: "POST", body: JSON.stringify({ target: to.actor }) });
    expect(res.status).toBe(202);
    await eventually(
      async () => (await (await from.openStoreCached()).getFollowing(to.actor))?.state === "accepted",
      20_000,
      `${from.handle} → ${to.handle} accepted`,
    );
  }

  beforeAll(async () => {
    [local, national, aggregator] = await Promise.all([
      spawnInstance("local", { ESSFED_LICENSE: "ODbL-1.0", ESSFED_ATTRIBUTION: "Calder Valley Co-ops" }),
      spawnInstance("national"),
      spawnInstance("aggregator"),
    ]);
    [natStore, aggStore] = await Promise.all([national.openStoreCached(), aggregator.openStoreCached()]);
    hebden = await put(local, "hebden", {
      "gr:name": "Hebden Housing Co-op",
      "vcard:hasEmail": { "vcard:value": EMAIL },
      "vcard:hasTelephone": { "vcard:value": PHONE },
      "ess:hasAddress": {
        "vcard:street-address": STREET,
        "vcard:locality": "Hebden Bridge",
        "geo:lat": 53.74,
        "geo:long": -2.01,
      },
      "dcterms:license": CC_BY,
      "essfed:emailSharing": "network",
      "essfed:streetAddressSharing": "none",
    });
    leeds = await put(local, "leeds", { "gr:name": "Leeds Bread Co-op", "vcard:hasEmail": { "vcard:value": ERASED } });
    await follow(national, local);
    await follow(aggregator, national);
    await eventually(async () => (await aggStore.countInitiatives()) === 2, 30_000, "aggregator back-fill");
  }, 90_000);

  afterAll(async () => {
    await Promise.all([local, national, aggregator].map((p) => p?.destroy()));
  });

  it("shows a network-only field on the owner's own outputs, and a field not shared on none of them.", async () => {
    const own = await everything(local, hebden);
    for (const k of ["page", "api", "apiCsv", "apiGeo", "nquads", "csv", "geojson", "sparql"]) {
      expect([k, own[k]!.includes(EMAIL)]).toEqual([k, true]);
    }
    for (const [k, body] of Object.entries(own)) expect([k, body.includes(STREET)]).toEqual([k, false]);
    // What other instances fetch (the record's linked data, back-fill pages) is the view for peers.
    for (const k of ["jsonld", "signed", "turtle", "collection"])
      expect([k, own[k]!.includes(EMAIL)]).toEqual([k, false]);
  }, 60_000);

  it("never lets a network-only or unshared field reach the second or third instance, in any representation.", async () => {
    for (const [inst, store] of [
      [national, natStore],
      [aggregator, aggStore],
    ] as const) {
      const rec = (await store.getInitiative(hebden))!;
      expect(rec.initiative.email).toBeUndefined();
      expect(rec.initiative.address?.streetAddress).toBeUndefined();
      expect(rec.initiative.phone).toBe(PHONE);
      expect(rec.initiative.address?.locality).toBe("Hebden Bridge");
      // The signed document relayed onwards (what activities carry) holds neither.
      expect(rec.signed).not.toContain(EMAIL);
      expect(rec.signed).not.toContain(STREET);
      const all = await everything(inst, hebden);
      for (const [k, body] of Object.entries(all)) {
        expect([inst.handle, k, body.includes(EMAIL), body.includes(STREET)]).toEqual([inst.handle, k, false, false]);
        expect([inst.handle, k, body.includes(PHONE)]).toEqual([inst.handle, k, true]);
      }
    }
  }, 60_000);

  it("carries the owner's licence and attribution to the third instance and shows them there.", async () => {
    const h = (await aggStore.getInitiative(hebden))!.initiative;
    expect(h.license).toBe(CC_BY);
    expect(h.attribution).toBe("Calder Valley Co-ops");
    // A record with no licence of its own travels under its network's dataset licence.
    expect((await aggStore.getInitiative(leeds))!.initiative.license).toBe(ODBL);
    const all = await everything(aggregator, hebden);
    expect(all.page).toContain(`rel="license" href="${CC_BY}"`);
    expect(all.page).toContain("Calder Valley Co-ops");
    expect(all.api).toContain(CC_BY);
    expect(all.nquads).toContain(`<${hebden}> <http://purl.org/dc/terms/license> <${CC_BY}> <${local.actor}> .`);
    expect(all.nquads).toContain(`<${leeds}> <http://purl.org/dc/terms/license> <${ODBL}> <${local.actor}> .`);
    expect(all.csv).toContain("Calder Valley Co-ops");
    // The map's popup of the mirrored record names them too.
    const card: unknown = await (await aggregator.api(`/map/card?id=${encodeURIComponent(hebden)}`)).json();
    expect(card).toEqual(
      expect.objectContaining({ licence: { href: CC_BY, label: "CC-BY-4.0" }, credit: "Calder Valley Co-ops" }),
    );
  }, 60_000);

  it("removes a field downstream when its owner narrows it: the Update carries the record without it.", async () => {
    await put(local, "hebden", {
      "gr:name": "Hebden Housing Co-op",
      "vcard:hasEmail": { "vcard:value": EMAIL },
      "vcard:hasTelephone": { "vcard:value": PHONE },
      "ess:hasAddress": {
        "vcard:street-address": STREET,
        "vcard:locality": "Hebden Bridge",
        "geo:lat": 53.74,
        "geo:long": -2.01,
      },
      "dcterms:license": CC_BY,
      "essfed:emailSharing": "network",
      "essfed:streetAddressSharing": "none",
      "essfed:phoneSharing": "network",
    });
    await eventually(
      async () => (await aggStore.getInitiative(hebden))?.initiative.phone === undefined,
      20_000,
      "phone gone at the aggregator",
    );
    expect((await natStore.getInitiative(hebden))!.initiative.phone).toBeUndefined();
    const all = await everything(aggregator, hebden);
    for (const [k, body] of Object.entries(all)) expect([k, body.includes(PHONE)]).toEqual([k, false]);
  }, 60_000);

  it("erases an email at the origin and the Update removes it at every hop; each instance's export finds it until then.", async () => {
    const find = async (inst: ProcessInstance) =>
      (await (await inst.api(`/api/people?email=${encodeURIComponent(ERASED)}`)).json()) as {
        records: { id: string; origin?: string }[];
      };
    expect((await find(aggregator)).records).toEqual([expect.objectContaining({ id: leeds, origin: local.actor })]);
    const res = await local.api("/api/people/erase", { method: "POST", body: JSON.stringify({ email: ERASED }) });
    expect(res.status).toBe(200);
    expect(((await res.json()) as { erased: string[] }).erased).toEqual([leeds]);
    await eventually(
      async () => (await aggStore.getInitiative(leeds))?.initiative.email === undefined,
      20_000,
      "email erased at the aggregator",
    );
    expect((await natStore.getInitiative(leeds))!.initiative.email).toBeUndefined();
    for (const inst of [local, national, aggregator]) {
      expect((await find(inst)).records).toEqual([]);
      const all = await everything(inst, leeds);
      for (const [k, body] of Object.entries(all))
        expect([inst.handle, k, body.includes(ERASED)]).toEqual([inst.handle, k, false]);
    }
  }, 60_000);
});
