/**
 * The JSON-LD budget (ADR 18): each limit of the pre-scan refuses what is over it with its own
 * status and name, the worker's deadline, heap and quad caps refuse what the pre-scan cannot
 * foresee, and real ActivityStreams, Mastodon and ESSGLOBAL documents stay well inside.
 */
import { readFileSync } from "node:fs";
import { afterAll, describe, expect, it } from "@jest/globals";
import { validateInitiative } from "../domain/validate.ts";
import { versionOf } from "../domain/version.ts";
import { initiativeToJsonLd } from "./initiative-jsonld.ts";
import {
  DEFAULT_BUDGET,
  JsonLdBudgetError,
  JsonLdInputError,
  measure,
  prescan,
  type JsonLdBudget,
} from "./jsonld-budget.ts";
import { jsonLdToQuads } from "./jsonld-in.ts";
import { closeJsonLdPools } from "./jsonld-pool.ts";
import { loadTaxonomies } from "./vocabulary.ts";

afterAll(() => closeJsonLdPools());

const fixture = (name: string) =>
  JSON.parse(readFileSync(new URL(`../../test/fixtures/jsonld/${name}`, import.meta.url), "utf8")) as unknown;
const AS = "https://www.w3.org/ns/activitystreams";

function refusal(f: () => unknown): JsonLdBudgetError {
  try {
    f();
  } catch (e) {
    if (e instanceof JsonLdBudgetError) return e;
    throw e;
  }
  throw new Error("not refused");
}

const terms = (n: number, prefix = "t") =>
  Object.fromEntries(Array.from({ length: n }, (_, i) => [`${prefix}${i}`, `http://example.org/${i}`]));

describe("The pre-scan", () => {
  it.each<[string, () => unknown, keyof JsonLdBudget, number]>([
    ["a term-definition bomb", () => ({ "@context": terms(1001), t1: "x" }), "maxTermDefinitions", 422],
    [
      "terms spread over many small contexts",
      () => ({ "@context": [terms(600, "a"), terms(600, "b")] }),
      "maxTermDefinitions",
      422,
    ],
    [
      "a huge inline context",
      () => ({ "@context": { t: { "@id": "http://example.org/t", "@language": "x".repeat(70_000) } } }),
      "maxContextChars",
      413,
    ],
    [
      "scoped contexts nested five deep",
      () => {
        let ctx: Record<string, unknown> = { leaf: "http://example.org/leaf" };
        for (let d = 0; d < 5; d++) ctx = { p: { "@id": "http://example.org/p", "@context": ctx } };
        return { "@context": ctx };
      },
      "maxScopedContextDepth",
      422,
    ],
    [
      "a deeply nested document",
      () => {
        let doc: unknown = "x";
        for (let d = 0; d < 40; d++) doc = { "http://example.org/p": doc };
        return doc;
      },
      "maxDepth",
      422,
    ],
    [
      "a deeply nested context",
      () => {
        let v: unknown = "x";
        for (let d = 0; d < 40; d++) v = [v];
        return { "@context": { t: { "@id": "http://example.org/t", "@language": v } } };
      },
      "maxDepth",
      422,
    ],
    [
      "too many values",
      () => ({
        "@context": AS,
        "http://example.org/p": Array.from({ length: 21 }, () => Array.from({ length: 1000 }, (_, i) => i)),
      }),
      "maxValues",
      413,
    ],
    [
      "one array too long",
      () => ({ "@context": AS, "http://example.org/p": Array.from({ length: 1001 }, (_, i) => i) }),
      "maxArrayItems",
      413,
    ],
    [
      "a term mapped to a huge IRI",
      () => ({ "@context": { a: `http://example.org/${"x".repeat(3000)}` } }),
      "maxIriLength",
      422,
    ],
    [
      "a huge @vocab",
      () => ({ "@context": { "@vocab": `http://example.org/${"x".repeat(3000)}` } }),
      "maxIriLength",
      422,
    ],
  ])("refuses %s, naming the limit.", (_what, make, limit, status) => {
    const e = refusal(() => prescan(make()));
    expect(e.limit).toBe(limit);
    expect(e.status).toBe(status);
    expect(e.code).toBe(status === 413 ? "jsonld-too-large" : "jsonld-too-complex");
    expect(e.extensions).toEqual({ limit, max: DEFAULT_BUDGET[limit] });
    expect(e.message).toContain(String(DEFAULT_BUDGET[limit]));
  });

  it.each([
    ["a remote @context", { "@context": "https://evil.example/context.jsonld" }],
    ["a remote context inside an array", { "@context": [AS, "https://evil.example/c"] }],
    ["a remote @import", { "@context": { "@import": "https://evil.example/c", t: "http://example.org/t" } }],
    [
      "a remote context scoped to a term",
      { "@context": { p: { "@id": "http://example.org/p", "@context": "https://evil.example/c" } } },
    ],
    ["a remote context in a nested node", { "@context": AS, object: { "@context": "https://evil.example/c" } }],
    ["an inherited property name as context URL", { "@context": "constructor" }],
  ])("refuses %s without fetching it.", (_what, doc) => {
    expect(() => prescan(doc)).toThrow(JsonLdInputError);
    try {
      prescan(doc);
    } catch (e) {
      expect((e as JsonLdInputError).code).toBe("remote-context");
    }
  });

  it("lets shipped contexts through, with or without a trailing #.", () => {
    expect(() =>
      prescan({
        "@context": [AS, `${AS}#`, "https://w3id.org/security/v1", "https://w3id.org/security/data-integrity/v2"],
      }),
    ).not.toThrow();
  });
});

describe("Real documents", () => {
  const taxonomies = loadTaxonomies();
  const own = () => {
    const v = validateInitiative(
      {
        id: "https://regional.example/initiatives/R1",
        name: "Brixton Energy",
        description: "Community energy co-op",
        homepage: "https://brixtonenergy.example",
        organisationalStructure: ["OS60"],
        legalForm: ["L2"],
        primaryActivity: "aci:ICA230",
        address: {
          streetAddress: "1 Electric Ave",
          locality: "London",
          postcode: "SW9 8JX",
          lat: "51.4613",
          long: "-0.1156",
        },
        translations: { fr: { name: "Énergie Brixton", description: "Coopérative d'énergie" } },
      },
      taxonomies,
    );
    if (!v.ok) throw new Error("invalid");
    return initiativeToJsonLd(
      {
        initiative: v.initiative,
        published: "2026-01-01T00:00:00.000Z",
        updated: "2026-01-01T00:00:00.000Z",
        version: versionOf(v.initiative),
      },
      taxonomies,
      { owner: "https://regional.example/actors/network", audience: "peers" },
    );
  };
  it.each<[string, () => unknown]>([
    ["a Mastodon actor", () => fixture("mastodon-actor.json")],
    ["a Mastodon Create of a Note", () => fixture("mastodon-create-note.json")],
    ["an ActivityStreams collection page", () => fixture("activitystreams-collection.json")],
    ["an ESSGLOBAL @graph from another directory", () => fixture("essglobal-graph.jsonld")],
    ["an initiative as essfed writes it", own],
  ])(
    "%s takes at most a quarter of each limit.",
    async (_what, make) => {
      const doc = make();
      const u = measure(doc);
      expect(u.depth).toBeLessThanOrEqual(DEFAULT_BUDGET.maxDepth / 4);
      expect(u.values).toBeLessThanOrEqual(DEFAULT_BUDGET.maxValues / 20);
      expect(u.arrayItems).toBeLessThanOrEqual(DEFAULT_BUDGET.maxArrayItems / 20);
      expect(u.contextChars).toBeLessThanOrEqual(DEFAULT_BUDGET.maxContextChars / 20);
      expect(u.termDefinitions).toBeLessThanOrEqual(DEFAULT_BUDGET.maxTermDefinitions / 20);
      expect(u.scopedContextDepth).toBeLessThanOrEqual(1);
      expect(u.iriLength).toBeLessThanOrEqual(DEFAULT_BUDGET.maxIriLength / 20);
      expect((await jsonLdToQuads(doc)).length).toBeLessThanOrEqual(DEFAULT_BUDGET.maxQuads / 20);
    },
    30_000,
  );
});

describe("The expansion in a worker", () => {
  const list = (n: number) => ({
    "@context": { l: "http://example.org/l" },
    "@id": "http://example.org/x",
    l: Array.from({ length: Math.ceil(n / 1000) }, (_, k) => ({
      "@list": Array.from({ length: Math.min(1000, n - k * 1000) }, (_, i) => i),
    })),
  });
  const budget = (o: Partial<JsonLdBudget>): JsonLdBudget => ({ ...DEFAULT_BUDGET, ...o });

  async function refused(p: Promise<unknown>): Promise<JsonLdBudgetError> {
    const e = await p.then(
      () => undefined,
      (x: unknown) => x,
    );
    expect(e).toBeInstanceOf(JsonLdBudgetError);
    return e as JsonLdBudgetError;
  }

  it("refuses a small document that expands to more quads than allowed (413).", async () => {
    const e = await refused(jsonLdToQuads(list(6000)));
    expect([e.limit, e.status]).toEqual(["maxQuads", 413]);
  }, 30_000);

  it("refuses an expansion whose terms add up to too many characters (413).", async () => {
    const long = `http://example.org/${"x".repeat(2000)}`;
    const graph = () => ({ "@graph": Array.from({ length: 1000 }, () => ({ a: "b" })) });
    const doc = {
      "@context": { a: { "@id": long, "@type": "@vocab" }, b: long },
      "@graph": [graph(), graph(), graph()],
    };
    const e = await refused(jsonLdToQuads(doc));
    expect([e.limit, e.status]).toEqual(["maxOutputChars", 413]);
  }, 30_000);

  it("stops an expansion past its deadline, and the main thread keeps running meanwhile.", async () => {
    let ticks = 0;
    const timer = setInterval(() => ticks++, 10);
    // Seconds of work against a 50 ms deadline, and no other limit within reach: on a loaded
    // machine the deadline's timer can fire late, and a smaller document (19,000 values: ~0.2 s)
    // was once expanded whole before it did.
    const e = await refused(
      jsonLdToQuads(
        list(300_000),
        budget({ timeoutMs: 50, maxQuads: 1e9, maxValues: 1e6, maxOutputChars: 1e9, memoryMb: 512 }),
      ),
    );
    clearInterval(timer);
    expect([e.limit, e.status]).toEqual(["timeoutMs", 422]);
    expect(ticks).toBeGreaterThan(0);
  }, 30_000);

  it("stops an expansion that outgrows its heap.", async () => {
    const doc = { ...list(0), l: { "@list": Array.from({ length: 100_000 }, (_, i) => `value number ${i}`) } };
    const e = await refused(
      jsonLdToQuads(
        doc,
        budget({
          memoryMb: 24,
          maxValues: 1e6,
          maxArrayItems: 1e6,
          maxQuads: 1e9,
          maxOutputChars: 1e12,
          timeoutMs: 60_000,
        }),
      ),
    );
    expect([e.limit, e.status]).toEqual(["memory", 413]);
  }, 60_000);

  it("reads a relative IRI where an IRI is expected (jsonld yields no term for it; found by fuzzing).", async () => {
    const doc = {
      "@context": [AS, { "@language": "en" }],
      id: "https://example.org/c",
      type: "OrderedCollectionPage",
      orderedItems: ["https://example.org/a", '"8(z"8G'],
    };
    expect(await jsonLdToQuads(doc)).toHaveLength(5); // a type, and a list of two whose second item is left out
  }, 30_000);

  it("refuses documents beyond the 64 that may wait for a worker (503, retry after), and reads the rest.", async () => {
    // A pool of its own (its own heap size), so that no worker is ready yet and all wait.
    const fresh = budget({ memoryMb: 100 });
    const outcomes = await Promise.all(
      Array.from({ length: 70 }, () =>
        jsonLdToQuads(list(2), fresh, true).then(
          () => "read",
          (e: unknown) => e,
        ),
      ),
    );
    const busy = outcomes.filter((o): o is JsonLdBudgetError => o instanceof JsonLdBudgetError);
    expect(busy).toHaveLength(6);
    expect(busy.map((e) => [e.status, e.code, e.extensions.retryAfter])).toEqual(
      Array(6).fill([503, "jsonld-busy", 5]),
    );
    expect(outcomes.filter((o) => o === "read")).toHaveLength(64);
  }, 60_000);

  it("reads the next document normally after a worker was stopped.", async () => {
    expect(await jsonLdToQuads(list(3))).toHaveLength(7);
  }, 30_000);
});
