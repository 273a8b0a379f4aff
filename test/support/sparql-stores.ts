/**
 * The two stores a SPARQL test runs over, each fresh (a temporary SQLite file; a random
 * PostgreSQL schema when POSTGRES_URL is set), with records put straight into them.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { makeIris } from "../../src/directory/ids.ts";
import type { InitiativeRecord } from "../../src/domain/initiative.ts";
import { versionOf } from "../../src/domain/version.ts";
import { loadTaxonomies } from "../../src/linkeddata/vocabulary.ts";
import { SparqlService } from "../../src/query/sparql.ts";
import { SqliteStore } from "../../src/store/sqlite/store.sqlite.ts";
import type { Store } from "../../src/store/store.ts";
import { dropSchema, freshPostgresStore, POSTGRES_URL, randomSchema } from "./postgres.ts";

export interface OpenStore {
  store: Store;
  close(): Promise<void>;
}

export const SPARQL_STORES: [string, () => Promise<OpenStore>][] = [
  [
    "SQLite",
    async () => {
      const dir = mkdtempSync(join(tmpdir(), "essfed-sparql-"));
      const store = new SqliteStore(join(dir, "essfed.sqlite"));
      await store.initialize();
      return {
        store,
        close: async () => {
          await store.close();
          rmSync(dir, { recursive: true, force: true });
        },
      };
    },
  ],
];
if (POSTGRES_URL) {
  SPARQL_STORES.push([
    "PostgreSQL",
    async () => {
      const schema = randomSchema("sparql");
      const store = await freshPostgresStore(schema);
      return {
        store,
        close: async () => {
          await store.close();
          await dropSchema(schema);
        },
      };
    },
  ]);
}

/** A record as a store holds it, from the initiative's fields (lists default to empty). */
export function record(
  initiative: Partial<InitiativeRecord["initiative"]> & { id: string; name: string },
): InitiativeRecord {
  const i = {
    organisationalStructure: [],
    legalForm: [],
    activities: [],
    qualifiers: [],
    sameAs: [],
    ...initiative,
  };
  return {
    initiative: i,
    published: "2025-01-01T00:00:00.000Z",
    updated: "2025-01-01T00:00:00.000Z",
    version: versionOf(i),
  };
}

export const BASE = "https://sparql.example";

export function sparqlService(
  store: Store,
  limits: ConstructorParameters<typeof SparqlService>[3] = {},
): SparqlService {
  return new SparqlService(store, loadTaxonomies(), makeIris(BASE, "network"), limits);
}

/** Runs a SELECT and returns its rows as { variable: value } (JSON results), or throws the refusal. */
export async function select(service: SparqlService, query: string): Promise<Record<string, string>[]> {
  const out = await service.execute(query, "application/sparql-results+json", "text/turtle");
  if (!out.ok) throw new Error(`${out.code}: ${out.message}`);
  let body = "";
  for await (const c of out.chunks) body += c;
  const json = JSON.parse(body) as { results: { bindings: Record<string, { value: string }>[] } };
  return json.results.bindings.map((b) => Object.fromEntries(Object.entries(b).map(([k, v]) => [k, v.value])));
}
