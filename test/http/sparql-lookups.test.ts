/**
 * Lookups read an index, not every record (ADR 36): a name in the pattern or fixed by a FILTER
 * reads the records of that name from the name index, an initiative's IRI fixed by a FILTER reads
 * that record, through the record-by-record answers and the general engine alike; a postcode, a
 * registration's identifier or a company (`KEY_CASES`, ADR 42) reads the records holding it. The answers
 * themselves are held to an independent engine's by the conformance cases (`LOOKUP_CASES` are
 * among them); here, which of the store's reads each query makes, on SQLite and PostgreSQL.
 */
import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import { DataFactory } from "n3";
import { AS, ESSGLOBAL_BASE, GR, ORG, ROV, VCARD } from "../../src/linkeddata/namespaces.ts";
import { canonicalizeAlgebra } from "../../src/query/sparql-alias.ts";
import { describedIris } from "../../src/query/sparql-describe.ts";
import { parseQuery } from "../../src/query/sparql-guard.ts";
import { recogniseShape } from "../../src/query/sparql-shape.ts";
import { InitiativeSource } from "../../src/query/sparql-source.ts";
import type { SparqlService } from "../../src/query/sparql.ts";
import type { Store, StoredInitiative } from "../../src/store/store.ts";
import { LOOKUP_CASES, P } from "../support/sparql-cases.ts";
import { KEY_CASES } from "../support/sparql-key-cases.ts";
import { PREFIX_CASES } from "../support/sparql-prefix-cases.ts";
import { awkwardDirectory } from "../support/sparql-directory.ts";
import { BASE, record, select, SPARQL_STORES, sparqlService, type OpenStore } from "../support/sparql-stores.ts";

it("sees no name, postcode or registration in the vocabularies: their subjects are records', so untyped lookups are ones.", () => {
  const vocab = InitiativeSource.vocabulary();
  expect(vocab.countQuads(null, DataFactory.namedNode(GR.name), null, null)).toBe(0);
  expect(vocab.countQuads(null, DataFactory.namedNode(AS.name), null, null)).toBe(0);
  // Nor a postcode, a registration's identifier or a company (ADR 42).
  for (const p of [VCARD["postal-code"], ORG.identifier, ROV.hasRegisteredOrganization])
    expect(vocab.countQuads(null, DataFactory.namedNode(p), null, null)).toBe(0);
  const shaped = (q: string) => {
    const parsed = parseQuery(P + q);
    if (!parsed.ok) throw new Error(parsed.message);
    canonicalizeAlgebra(parsed.algebra);
    return recogniseShape(parsed.algebra);
  };
  expect(shaped(`SELECT ?i WHERE { ?i gr:name "Same Name" }`)?.root).toBe("i");
  expect(shaped(`SELECT ?i WHERE { ?i as:name ?n FILTER(?n = "Same Name") }`)?.root).toBe("i");
  expect(shaped(`SELECT ?i WHERE { ?i gr:name ?n }`)).toBeUndefined();
  expect(shaped(`SELECT ?i WHERE { ?i gr:name "Coopérative"@fr }`)).toBeUndefined();
  expect(shaped(`SELECT ?i WHERE { ?i rov:hasRegisteredOrganization ?c }`)).toBeUndefined();
  expect(shaped(`SELECT ?i WHERE { ?i essglobal:hasAddress ?a . ?a vcard:postal-code "P1" }`)?.root).toBe("i");
  expect(shaped(`SELECT ?a WHERE { ?a vcard:postal-code "P1" }`)).toBeUndefined();
});

/** A graph answer's triples as sorted N-Triples lines. */
async function triples(service: SparqlService, query: string): Promise<string[]> {
  const out = await service.execute(query, "application/sparql-results+json", "application/n-triples");
  if (!out.ok) throw new Error(`${out.code}: ${out.message}`);
  let body = "";
  for await (const c of out.chunks) body += c;
  return body
    .split("\n")
    .filter((l) => l.trim())
    .sort();
}

/** Reads that go through every record (or every record of a search). */
const WHOLE = ["listInitiatives", "listShapes", "listByName", "search.search"];

/**
 * The store, noting the name of each of its reads (and its search index's) as they are called, and
 * the name of each record listed in name order.
 */
function watched(store: Store, calls: string[], listed: string[] = []): Store {
  const wrap = <T extends object>(target: T, prefix: string): T =>
    new Proxy(target, {
      get(t, key) {
        const v: unknown = Reflect.get(t, key, t);
        if (key === "search" && prefix === "") return wrap(v as object, "search.");
        if (typeof v !== "function") return v;
        return (...args: unknown[]) => {
          calls.push(`${prefix}${String(key)}`);
          const out = (v as (...a: unknown[]) => unknown).apply(t, args);
          if (key === "listByName")
            void (out as Promise<{ items: StoredInitiative[] }>).then((p) =>
              listed.push(...p.items.map((r) => r.initiative.name)),
            );
          return out;
        };
      },
    });
  return wrap(store, "");
}

describe.each(SPARQL_STORES)("SPARQL lookups on %s", (_name, open) => {
  let held: OpenStore;
  let service: SparqlService;
  const calls: string[] = [];
  const listed: string[] = [];
  const directory = awkwardDirectory();
  beforeAll(async () => {
    held = await open();
    await held.store.putInitiatives(directory);
    await held.store.search.catchUp();
    service = sparqlService(watched(held.store, calls, listed), { timeoutMs: 60_000 });
  }, 60_000);
  afterAll(async () => {
    await held.close();
  });

  it.each(LOOKUP_CASES)("%s: %s reads %#", async (_category, _what, query, reads) => {
    calls.length = 0;
    await select(service, P + query);
    const whole = calls.filter((c) => WHOLE.includes(c));
    if (reads === "scan") expect(whole).not.toEqual([]);
    else {
      expect(whole).toEqual([]);
      expect(calls).not.toContain(reads === "name" ? "getInitiative" : "listNamed");
    }
  });

  it.each(KEY_CASES)("%s: %s reads %#", async (_category, _what, query, reads) => {
    calls.length = 0;
    await select(service, P + query);
    const whole = calls.filter((c) => WHOLE.includes(c));
    if (reads === "scan") return expect(whole).not.toEqual([]);
    expect(whole).toEqual([]);
    // Only the records holding the key (none when no record's key can be such a constant).
    if (reads === "key") expect(calls).toContain("listKeyed");
    else expect(calls).not.toContain("listKeyed");
  });

  it.each([
    ["a record with translations", [`${BASE}/initiatives/w3`]],
    ["a record with a registration, and one not held", [`${BASE}/initiatives/w2`, `${BASE}/initiatives/none`]],
    ["a record's address node", [`${BASE}/initiatives/w5#Address`]],
    ["a concept of the vocabularies", [`${ESSGLOBAL_BASE}standard/organisational-structure/OS60`]],
    ["the network's linkset", [`${BASE}/linksets/sameas`]],
  ])("answers DESCRIBE of %s from the source directly, as the general engine does.", async (_what, iris) => {
    const query = `DESCRIBE ${iris.map((i) => `<${i}>`).join(" ")}`;
    const parsed = parseQuery(query);
    expect(parsed.ok && describedIris(parsed.algebra)?.map((t) => t.value)).toEqual(iris);
    calls.length = 0;
    const direct = await triples(service, query);
    expect(calls.filter((c) => WHOLE.includes(c))).toEqual([]);
    const engine = await triples(sparqlService(held.store, { timeoutMs: 60_000, shapes: false }), query);
    expect(direct).toEqual(engine);
    expect(direct.length).toBeGreaterThan(iris[0]!.includes("linksets") ? 0 : 2);
  });

  describe("beside 300 more records of names after the others", () => {
    beforeAll(async () => {
      await held.store.putInitiatives(
        Array.from({ length: 300 }, (_, k) => record({ id: `${BASE}/initiatives/zz${k}`, name: `Zz ${k}` })),
      );
    }, 60_000);

    it.each(PREFIX_CASES)("%s: %s reads %#", async (_category, _what, query, reads) => {
      calls.length = 0;
      listed.length = 0;
      await select(service, P + query);
      const whole = calls.filter((c) => WHOLE.includes(c) && c !== "listByName");
      if (reads === "scan") {
        // Every record, from the plain columns rather than their JSON (the patterns ask for names and types).
        expect(calls).toContain("listShapes");
        expect(calls).not.toContain("listInitiatives");
        return;
      }
      expect(whole).toEqual([]);
      // The records with translations and those of names under the prefix, and at most a first page
      // (20) of other names past the end of each part (the engine reads them once per pattern).
      const due = new Set(
        directory
          .filter((r) => r.initiative.translations !== undefined || r.initiative.name.startsWith(reads.prefix))
          .map((r) => r.initiative.name),
      );
      const names = new Set(listed);
      for (const name of due) expect(names).toContain(name);
      expect([...names].filter((n) => !due.has(n)).length).toBeLessThanOrEqual(40);
    });
  });

  it("finds every record of a name, also past a page of them.", async () => {
    const many = Array.from({ length: PAGE_OF_SHAPED + 100 }, (_, k) =>
      record({ id: `${BASE}/initiatives/many${k}`, name: "Many" }),
    );
    await held.store.putInitiatives(many);
    calls.length = 0;
    const rows = await select(service, `${P} SELECT ?i WHERE { ?i a essglobal:SSEInitiative ; gr:name "Many" }`);
    expect(new Set(rows.map((r) => r["i"])).size).toBe(many.length);
    expect(calls.filter((c) => c === "listNamed").length).toBeGreaterThan(1);
    expect(calls.filter((c) => WHOLE.includes(c))).toEqual([]);
  }, 60_000);
});

/** Records a page of the record-by-record answers' reads (sparql-fast.ts), exceeded above. */
const PAGE_OF_SHAPED = 1000;
