/**
 * SELECT answers stream, every row: more than 10,000 rows (the cap there used to be) come back
 * whole in each result format, on SQLite and on PostgreSQL, through the real endpoint (worker
 * pool, HTTP).
 */
import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import { versionOf } from "../../src/domain/version.ts";
import { databaseUrl, dropSchema, POSTGRES_URL, randomSchema } from "../support/postgres.ts";
import { startInstance, type TestInstance } from "../support/instance.ts";

const N = 10_050;
const P = "PREFIX essglobal: <https://lod.coop/essglobal/2.1/vocab/> PREFIX gr: <http://purl.org/goodrelations/v1#>";
const QUERY = `${P} SELECT ?i ?name WHERE { ?i a essglobal:SSEInitiative ; gr:name ?name }`;

async function fill(inst: TestInstance): Promise<void> {
  for (let k = 0; k < N; k += 2500) {
    await inst.store.putInitiatives(
      Array.from({ length: Math.min(2500, N - k) }, (_, j) => {
        const initiative = {
          id: `${inst.base}/initiatives/s${k + j}`,
          name: `Stream "co-op", number ${k + j}\ttabbed`,
          organisationalStructure: [],
          legalForm: [],
          activities: [],
          qualifiers: [],
          sameAs: [],
        };
        return {
          initiative,
          published: "2025-01-01T00:00:00.000Z",
          updated: "2025-01-01T00:00:00.000Z",
          version: versionOf(initiative),
        };
      }),
    );
  }
}

const stores: [string, () => Promise<{ env: Record<string, string>; done: () => Promise<void> }>][] = [
  ["SQLite", () => Promise.resolve({ env: {}, done: () => Promise.resolve() })],
];
if (POSTGRES_URL) {
  stores.push([
    "PostgreSQL",
    () => {
      const schema = randomSchema("stream");
      return Promise.resolve({ env: { DATABASE_URL: databaseUrl(schema) }, done: () => dropSchema(schema) });
    },
  ]);
}

describe.each(stores)("SPARQL SELECT over more than 10,000 rows on %s", (_name, setup) => {
  let inst: TestInstance;
  let done: () => Promise<void>;
  beforeAll(async () => {
    const s = await setup();
    done = s.done;
    inst = await startInstance(s.env);
    await fill(inst);
    await inst.sparql.ready();
  }, 180_000);
  afterAll(async () => {
    await inst.stop();
    await done();
  }, 60_000);

  const ask = async (accept: string) => {
    const res = await fetch(`${inst.base}/sparql`, {
      method: "POST",
      headers: { "content-type": "application/sparql-query", accept },
      body: QUERY,
    });
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toContain(accept);
    return res.text();
  };

  it.each([
    [
      "application/sparql-results+json",
      (t: string) =>
        (JSON.parse(t) as { results: { bindings: { name: { value: string } }[] } }).results.bindings.map(
          (b) => b.name.value,
        ),
    ],
    [
      "application/sparql-results+xml",
      (t: string) =>
        [...t.matchAll(/<binding name="name"><literal>([^<]*)<\/literal>/g)].map((m) => m[1]!.replace(/&quot;/g, '"')),
    ],
    [
      "text/csv",
      (t: string) =>
        t
          .trimEnd()
          .split("\r\n")
          .slice(1)
          .map(
            (l) =>
              JSON.parse(
                l
                  .slice(l.indexOf(",") + 1)
                  .replace(/""/g, '\\"')
                  .replace(/\t/g, "\\t"),
              ) as string,
          ),
    ],
    [
      "text/tab-separated-values",
      (t: string) =>
        t
          .trimEnd()
          .split("\n")
          .slice(1)
          .map((l) => JSON.parse(l.split("\t")[1]!) as string),
    ],
  ])(
    "answers every row as %s.",
    async (type, names) => {
      const got = names(await ask(type));
      expect(got).toHaveLength(N);
      expect(new Set(got).size).toBe(N);
      expect(got).toContain(`Stream "co-op", number ${N - 1}\ttabbed`);
    },
    180_000,
  );
});
