/**
 * Property-based fuzzing of what a stranger puts in a URL: query strings for every public GET route (the search API,
 * the map's list and cards, pages, SPARQL, the linksets) and path segments where a route takes one, with names the
 * routes know, names every object inherits (ADR 52) and any others, values of any text, repeated or not. Whatever
 * comes, the answer is never a 5xx, and the API's refusals are problem+json. Runs are bounded in number and in time.
 */
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import fc from "fast-check";
import { importFile } from "../../src/importers/import.ts";
import { auth, startInstance, type TestInstance } from "../support/instance.ts";

let inst: TestInstance;
beforeAll(async () => {
  inst = await startInstance({ ESSFED_HANDLE: "fuzzed" });
  const csv = fileURLToPath(new URL("../fixtures/csv/workers-coops-uk-2023-06-23-standard.csv", import.meta.url));
  await importFile(csv, inst.directory, inst.iris);
}, 90_000);
afterAll(async () => {
  await inst?.stop();
});

const ROUTES = [
  "/api/initiatives",
  "/api/facets",
  "/api/clusters",
  "/map/list",
  "/map/card",
  "/initiatives",
  "/dataset",
  "/dumps/",
  "/sparql",
  "/linksets/sameas",
  "/suggest",
  "/",
];
const INHERITED = ["__proto__", "constructor", "toString", "hasOwnProperty", "valueOf"];
const NAMES = [
  ...["words", "q", "bbox", "near", "radius", "updatedSince", "located", "limit", "cursor", "format", "lang"],
  ...["zoom", "collapse", "country", "organisationalStructure", "primaryActivity", "activities", "qualifiers"],
  ...["source", "id", "query", "page", "kind", "about", "next", "done"],
  ...INHERITED,
];
const text = fc.oneof(
  fc.constantFrom(...INHERITED, "", "0", "-1", "1e309", "NaN", "0,0,0,0", "90,180", "en", "ttl", "json", "csv"),
  fc.string({ maxLength: 40 }),
  fc.integer().map(String),
  fc.double().map(String),
);
const params = fc.array(fc.tuple(fc.oneof(fc.constantFrom(...NAMES), fc.string({ maxLength: 12 })), text), {
  maxLength: 6,
});
const segment = fc.oneof(fc.constantFrom(...INHERITED, "..", "%2e%2e", "%00", ""), fc.string({ maxLength: 30 }));
const PARAMETRISED = ["/initiatives/", "/assets/", "/vocab/", "/problems/", "/dumps/", "/actors/"];

async function answered(url: string, headers: Record<string, string> = {}): Promise<void> {
  const res = await fetch(url, { headers, redirect: "manual" });
  await res.arrayBuffer();
  expect({ url, status: res.status < 500 }).toEqual({ url, status: true });
  if (res.status >= 400 && new URL(url).pathname.startsWith("/api/"))
    expect(res.headers.get("content-type")).toContain("application/problem+json");
}

const RUN = { numRuns: 200, interruptAfterTimeLimit: 20_000 };

describe("URLs under fuzzing", () => {
  it("answers any query string on the public routes without a 5xx.", async () => {
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...ROUTES), params, fc.boolean(), async (route, ps, json) => {
        const q = new URLSearchParams(ps).toString();
        await answered(`${inst.base}${route}${q ? `?${q}` : ""}`, json ? { accept: "application/json" } : {});
      }),
      RUN,
    );
  }, 60_000);

  it("answers any path segment where a route takes one without a 5xx.", async () => {
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...PARAMETRISED), segment, async (route, s) => {
        await answered(`${inst.base}${route}${encodeURIComponent(s)}`);
      }),
      RUN,
    );
  }, 60_000);

  it("answers any query string on the admin API without a 5xx.", async () => {
    const admin = ["/api/audit", "/api/duplicates", "/api/queue", "/api/records/history", "/api/records/withheld"];
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...admin, "/api/sources", "/api/people"), params, async (route, ps) => {
        const q = new URLSearchParams(ps).toString();
        await answered(`${inst.base}${route}${q ? `?${q}` : ""}`, auth);
      }),
      RUN,
    );
  }, 60_000);
});
