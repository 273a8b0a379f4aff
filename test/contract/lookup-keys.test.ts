/**
 * `Store.listKeyed` on SQLite and PostgreSQL (ADR 42): the records holding a postcode, a
 * registration's identifier or a Companies House number, exactly as their triples write them, in
 * change order and in pages, kept in step with every write (new, updated, deleted, rewritten under
 * a new base); a cursor it did not write lists nothing. Stores written before the keys (SQLite 18,
 * PostgreSQL 16) have them filled by the migration.
 */
import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import type { InitiativeRecord } from "../../src/domain/initiative.ts";
import { orgId } from "../../src/domain/registrations.ts";
import { versionOf } from "../../src/domain/version.ts";
import type { LookupKind } from "../../src/store/lookup-keys.ts";
import { POSTGRES_MIGRATIONS } from "../../src/store/postgres/migrations.ts";
import { PostgresStore } from "../../src/store/postgres/store.postgres.ts";
import type { Store } from "../../src/store/store.ts";
import { withSqliteBefore } from "../support/sqlite-before.ts";
import { describePostgres } from "../support/describe-postgres.ts";
import { POSTGRES_URL, randomSchema } from "../support/postgres.ts";
import { BASE, record, SPARQL_STORES, type OpenStore } from "../support/sparql-stores.ts";

function records(base = BASE): InitiativeRecord[] {
  return Array.from({ length: 14 }, (_, k) =>
    record({
      id: `${base}/initiatives/k${k}`,
      name: `Co-op ${k}`,
      ...(k % 4 !== 3 ? { address: { locality: "Leeds", postcode: k === 13 ? "" : `LS${k % 3} 1AA` } } : {}),
      ...(k % 3 === 1
        ? {
            registrations: [
              { register: "GB-CHC", number: `10${k % 2}` },
              { register: "GB-MPR", number: "1951RS" },
              ...(k === 4 ? [{ register: "GB-MPR", number: "1951RS" }] : []),
            ],
          }
        : {}),
      ...(k % 5 === 2 ? { companiesHouseNumber: `IP0000${k % 2}R` } : {}),
      ...(k === 12 ? { translations: { fr: { name: "Coopérative" } } } : {}),
    }),
  );
}

/** The values each kind of key takes in a record. */
const VALUES: Record<LookupKind, (r: InitiativeRecord) => string[]> = {
  postcode: (r) => (r.initiative.address?.postcode !== undefined ? [r.initiative.address.postcode] : []),
  identifier: (r) => (r.initiative.registrations ?? []).map(orgId),
  company: (r) => (r.initiative.companiesHouseNumber ? [r.initiative.companiesHouseNumber] : []),
};

const LOOKUPS: [LookupKind, string][] = [
  ["postcode", "LS0 1AA"],
  ["postcode", "LS1 1AA"],
  ["postcode", ""],
  ["postcode", "ls0 1aa"],
  ["identifier", "GB-CHC-100"],
  ["identifier", "GB-CHC-101"],
  ["identifier", "GB-MPR-1951RS"],
  ["identifier", "GB-CHC"],
  ["company", "IP00000R"],
  ["company", "IP00001R"],
  ["postcode", "IP00000R"],
];

/** Every record holding the key, paging `size` at a time, checked to come in change order. */
async function keyed(store: Store, kind: LookupKind, value: string, size: number): Promise<string[]> {
  const out: { id: string; seq: number }[] = [];
  let cursor: string | undefined;
  do {
    const page = await store.listKeyed(kind, value, { limit: size, ...(cursor ? { cursor } : {}) });
    expect(page.items.length).toBeLessThanOrEqual(size);
    out.push(...page.items.map((r) => ({ id: r.initiative.id, seq: r.seq })));
    cursor = page.next;
  } while (cursor);
  for (let k = 1; k < out.length; k++) expect(out[k]!.seq).toBeGreaterThan(out[k - 1]!.seq);
  return out.map((r) => r.id).sort();
}

const holding = (rs: InitiativeRecord[], kind: LookupKind, value: string) =>
  rs
    .filter((r) => VALUES[kind](r).includes(value))
    .map((r) => r.initiative.id)
    .sort();

async function expectKeys(store: Store, rs: InitiativeRecord[]): Promise<void> {
  for (const [kind, value] of LOOKUPS)
    for (const size of [1, 2, 100])
      expect([kind, value, await keyed(store, kind, value, size)]).toEqual([kind, value, holding(rs, kind, value)]);
}

function changed(r: InitiativeRecord, k: number): InitiativeRecord {
  const { address: _a, registrations: _r, companiesHouseNumber: _c, ...rest } = r.initiative;
  const initiative = {
    ...rest,
    ...(k % 3 === 0 ? { address: { postcode: "LS1 1AA" } } : {}),
    ...(k % 3 === 1 ? { registrations: [{ register: "GB-CHC", number: "100" }] } : {}),
    ...(k % 4 === 1 ? { companiesHouseNumber: "IP00001R" } : {}),
  };
  return { ...r, initiative, updated: "2026-01-01T00:00:00.000Z", version: versionOf(initiative) };
}

describe.each(SPARQL_STORES)("Lookup keys on %s", (_name, open) => {
  let held: OpenStore;
  beforeAll(async () => {
    held = await open();
  }, 60_000);
  afterAll(async () => {
    await held.close();
  });

  it("list the records of a postcode, an identifier or a company number in change order, in step with every write.", async () => {
    const first = records();
    await held.store.putInitiatives(first);
    // A record written again later: it comes after the others of its keys.
    await held.store.putInitiatives([changed(first[0]!, 0)]);
    const second = first.map((r, k) => (k === 0 ? changed(r, 0) : r));
    await expectKeys(held.store, second);
    expect((await held.store.listKeyed("postcode", "LS1 1AA", { limit: 100 })).items.at(-1)?.initiative.id).toBe(
      first[0]!.initiative.id,
    );

    const third = second.map((r, k) => (k % 2 ? changed(r, k) : r));
    await held.store.putInitiatives(third.filter((_, k) => k % 2));
    await held.store.deleteInitiative({ id: third[4]!.initiative.id, deleted: "2026-02-01T00:00:00.000Z" });
    const left = third.filter((_, k) => k !== 4);
    await expectKeys(held.store, left);

    const moved = (r: InitiativeRecord): InitiativeRecord => {
      const initiative = { ...r.initiative, id: r.initiative.id.replace(BASE, "https://moved.example") };
      return { ...r, initiative, version: versionOf(initiative) };
    };
    await held.store.rewriteOwn(BASE, "https://moved.example", { record: moved, message: (_q, p) => p });
    await expectKeys(held.store, left.map(moved));
    expect(await held.store.listKeyed("postcode", "LS1 1AA", { limit: 5, cursor: "not a cursor" })).toEqual({
      items: [],
    });
  });
});

it("SQLite: a store written before the keys has them filled from its records' JSON, and kept by later writes.", async () => {
  const rs = records();
  await withSqliteBefore("ADD COLUMN lookup_keys", rs, async (store) => {
    await expectKeys(store, rs);
    const next = rs.map((r, k) => (k % 2 ? changed(r, k) : r));
    await store.putInitiatives(next.filter((_, k) => k % 2));
    await expectKeys(store, next);
  });
});

describePostgres("PostgreSQL lookup keys", () => {
  it("fills the keys of a store written by schema version 16 from its records' JSON, and later writes keep them.", async () => {
    const schema = randomSchema("k");
    const s = new PostgresStore(POSTGRES_URL!, { schema, max: 2 });
    try {
      const before = POSTGRES_MIGRATIONS.findIndex((m) => m.includes("ADD COLUMN lookup_keys"));
      await s.pool.query(`CREATE SCHEMA ${schema}`);
      await s.pool.query(
        "CREATE TABLE essfed_schema (version integer PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now())",
      );
      for (let v = 0; v < before; v++) await s.pool.query(POSTGRES_MIGRATIONS[v]!);
      await s.pool.query("INSERT INTO essfed_schema (version) SELECT generate_series(1, $1::int)", [before]);
      const rs = records();
      await s.pool.query(
        `INSERT INTO initiative (id, seq, source, version, updated, record)
         SELECT r #>> '{initiative,id}', nextval('initiative_seq'), NULL, r ->> 'version', r ->> 'updated', r
         FROM jsonb_array_elements($1::jsonb) AS r`,
        [JSON.stringify(rs)],
      );
      await s.initialize();
      await expectKeys(s, rs);
      const next = rs.map((r, k) => (k % 2 ? changed(r, k) : r));
      await s.putInitiatives(next.filter((_, k) => k % 2));
      await expectKeys(s, next);
    } finally {
      await s.drop();
      await s.close();
    }
  });
});
