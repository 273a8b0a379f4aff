/**
 * Property-based fuzzing of the JSON-LD intake (issue 10): arbitrary JSON, JSON built from
 * JSON-LD keywords, and mutations of real documents never crash or hang it. Every input is either
 * read (a list of drafts) or refused with one of the intake's own errors, which the HTTP layer
 * turns into a problem (400, 413 or 422) — never anything else, which would be a 500. Runs are
 * bounded in number and in time, so this finishes in seconds in CI.
 */
import { readFileSync } from "node:fs";
import { afterAll, describe, expect, it } from "@jest/globals";
import fc from "fast-check";
import { DEFAULT_BUDGET, JsonLdBudgetError, JsonLdInputError, prescan } from "./jsonld-budget.ts";
import { draftsFromJsonLd } from "./jsonld-in.ts";
import { closeJsonLdPools } from "./jsonld-pool.ts";

afterAll(() => closeJsonLdPools());

const fixture = (name: string) =>
  JSON.parse(readFileSync(new URL(`../../test/fixtures/jsonld/${name}`, import.meta.url), "utf8")) as unknown;
const REAL = [
  "mastodon-actor.json",
  "mastodon-create-note.json",
  "activitystreams-collection.json",
  "essglobal-graph.jsonld",
].map(fixture);

/** Budget so small the fuzzer reaches its limits often; the deadline is the default. */
const TIGHT = {
  ...DEFAULT_BUDGET,
  maxDepth: 12,
  maxValues: 400,
  maxArrayItems: 40,
  maxContextChars: 2_000,
  maxTermDefinitions: 30,
  maxScopedContextDepth: 2,
  maxQuads: 300,
};

const KEYWORDS = [
  "@context",
  "@id",
  "@type",
  "@value",
  "@language",
  "@list",
  "@set",
  "@reverse",
  "@nest",
  "@graph",
  "@included",
  "@import",
  "@vocab",
  "@base",
  "@container",
  "@protected",
  "@propagate",
  "@version",
  "@json",
  "@none",
  "@index",
  "@direction",
  "@prefix",
];
const IRIS = [
  "https://www.w3.org/ns/activitystreams",
  "https://w3id.org/security/v1",
  "https://evil.example/c",
  "http://example.org/",
  "_:b0",
  "essglobal:SSEInitiative",
  "as:Note",
  "name",
  "",
  "#",
  "x:y",
  "constructor",
  "__proto__",
];

/** Strings that mean something to JSON-LD, and some that do not. */
const token = fc.oneof(fc.constantFrom(...KEYWORDS, ...IRIS), fc.string({ maxLength: 12 }));
/** JSON made mostly of JSON-LD keywords and IRIs, so that expansion has something to chew on. */
const jsonLdish = fc.letrec((tie) => ({
  value: fc.oneof(
    { depthSize: "small", withCrossShrink: true },
    token,
    fc.integer(),
    fc.boolean(),
    fc.constant(null),
    fc.double({ noNaN: true }),
    fc.array(tie("value"), { maxLength: 6 }),
    fc.dictionary(token, tie("value"), { maxKeys: 6 }),
  ),
})).value;

/** A real document with one subtree replaced by fuzz. */
const mutated = fc
  .tuple(fc.constantFrom(...REAL), fc.array(fc.nat(), { minLength: 1, maxLength: 6 }), jsonLdish)
  .map(([doc, path, fuzz]) => {
    const copy = structuredClone<unknown>(doc);
    let cur = copy as Record<string, unknown> | unknown[];
    for (const [k, step] of path.entries()) {
      const keys = Object.keys(cur);
      if (!keys.length) break;
      const key = keys[step % keys.length]!;
      const next = (cur as Record<string, unknown>)[key];
      if (k === path.length - 1 || typeof next !== "object" || next === null) {
        (cur as Record<string, unknown>)[key] = fuzz;
        break;
      }
      cur = next as Record<string, unknown>;
    }
    return copy;
  });

/** Read, or refused with the intake's own error; anything else fails the property. */
async function readOrRefused(doc: unknown, budget = DEFAULT_BUDGET): Promise<void> {
  try {
    const drafts = await draftsFromJsonLd(doc, budget);
    expect(Array.isArray(drafts)).toBe(true);
  } catch (e) {
    if (e instanceof JsonLdInputError) return void expect(["remote-context", "invalid-jsonld"]).toContain(e.code);
    if (e instanceof JsonLdBudgetError) return void expect([413, 422]).toContain(e.status);
    throw e;
  }
}

const RUN = { numRuns: 300, interruptAfterTimeLimit: 12_000 };

describe("The JSON-LD intake under fuzzing", () => {
  it("pre-scans any JSON value without throwing anything but its own refusals.", () => {
    const seen = { passed: 0, refused: 0 };
    fc.assert(
      fc.property(fc.jsonValue({ maxDepth: 30 }), (doc) => {
        try {
          prescan(doc, TIGHT);
          seen.passed++;
        } catch (e) {
          if (!(e instanceof JsonLdBudgetError || e instanceof JsonLdInputError)) throw e;
          seen.refused++;
        }
      }),
      { numRuns: 2000, interruptAfterTimeLimit: 5_000 },
    );
    expect(seen.passed + seen.refused).toBeGreaterThan(0);
  });

  it("reads or refuses arbitrary JSON.", async () => {
    await fc.assert(
      fc.asyncProperty(fc.jsonValue({ maxDepth: 6 }), (doc) => readOrRefused(doc)),
      RUN,
    );
  }, 60_000);

  it("reads or refuses JSON made of JSON-LD keywords, under a budget small enough to be reached.", async () => {
    await fc.assert(
      fc.asyncProperty(fc.dictionary(token, jsonLdish, { minKeys: 1, maxKeys: 8 }), (doc) => readOrRefused(doc, TIGHT)),
      RUN,
    );
  }, 60_000);

  it("reads or refuses mutations of real Mastodon, ActivityStreams and ESSGLOBAL documents.", async () => {
    await fc.assert(
      fc.asyncProperty(mutated, (doc) => readOrRefused(doc)),
      RUN,
    );
  }, 60_000);
});
