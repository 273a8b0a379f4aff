/**
 * The plain columns beside each record's JSON (ADR 30) on SQLite and PostgreSQL, read back through
 * `Store.listShapes`: every write path fills them from the record it writes (a new record, an
 * update that changes or removes each field, a rewrite of own records under a new base), records
 * with translations come whole, and pages resume where the last ended, newest first. SQLite stores written
 * before the columns have them filled by the migration.
 */
import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import type { InitiativeRecord } from "../../src/domain/initiative.ts";
import { versionOf } from "../../src/domain/version.ts";
import type { ShapeRow, Store } from "../../src/store/store.ts";
import { withSqliteBefore } from "../support/sqlite-before.ts";
import { BASE, record, SPARQL_STORES, type OpenStore } from "../support/sparql-stores.ts";

const ICA = "https://lod.coop/essglobal/2.1/standard/activities-ica/";

function records(): InitiativeRecord[] {
  return Array.from({ length: 25 }, (_, k) =>
    record({
      id: `${BASE}/initiatives/c${k}`,
      name: `Co-op ${k}`,
      ...(k % 3 ? { primaryActivity: `${ICA}ICA${(k % 4) + 1}0` } : {}),
      ...(k % 5 === 0 ? { translations: { fr: { name: `Coopérative ${k}` } } } : {}),
      ...(k % 4 === 3
        ? { address: { locality: "Leeds" } }
        : k % 4
          ? { address: { lat: 51 + k / 7, long: k % 2 ? -k / 3 : 12 } }
          : {}),
    }),
  );
}

/** What the columns should say of a record, as listShapes gives it. */
function expected(r: InitiativeRecord): Omit<ShapeRow, "seq"> {
  const i = r.initiative;
  return {
    id: i.id,
    name: i.name,
    ...(i.primaryActivity !== undefined ? { primaryActivity: i.primaryActivity } : {}),
    ...(i.address?.lat !== undefined ? { lat: i.address.lat } : {}),
    ...(i.address?.long !== undefined ? { long: i.address.long } : {}),
    ...(i.translations ? { translated: expect.objectContaining({ initiative: i }) as never } : {}),
  };
}

async function shapes(store: Store, limit: number): Promise<Omit<ShapeRow, "seq">[]> {
  const out: ShapeRow[] = [];
  let cursor: string | undefined;
  do {
    const page = await store.listShapes({ limit, ...(cursor ? { cursor } : {}) });
    expect(page.items.length).toBeLessThanOrEqual(limit);
    out.push(...page.items);
    cursor = page.next;
  } while (cursor);
  for (let k = 1; k < out.length; k++) expect(out[k]!.seq).toBeLessThan(out[k - 1]!.seq);
  return out.map(({ seq: _s, ...r }) => r).sort((a, b) => a.id.localeCompare(b.id));
}

const byId = (rs: InitiativeRecord[]) => rs.map(expected).sort((a, b) => a.id.localeCompare(b.id));

function changed(r: InitiativeRecord, k: number): InitiativeRecord {
  const { primaryActivity: _p, translations: _t, address: _a, ...rest } = r.initiative;
  const initiative = {
    ...rest,
    name: `${rest.name} renamed`,
    ...(k % 2 ? { primaryActivity: `${ICA}ICA990` } : {}),
    ...(k % 3 === 0 ? { translations: { es: { name: `Cooperativa ${k}` } } } : {}),
    ...(k % 4 === 1 ? { address: { lat: -33.5, long: 151 } } : {}),
  };
  return { ...r, initiative, updated: "2026-01-01T00:00:00.000Z", version: versionOf(initiative) };
}

describe.each(SPARQL_STORES)("Plain columns on %s", (_name, open) => {
  let held: OpenStore;
  beforeAll(async () => {
    held = await open();
  }, 60_000);
  afterAll(async () => {
    await held.close();
  });

  it("fill from each record written, new, updated or rewritten under a new base, and list in pages.", async () => {
    const twins = ["t1", "t2", "t3"].map((t) => record({ id: `${BASE}/initiatives/${t}`, name: "Twin" }));
    const first = [...records(), ...twins];
    await held.store.putInitiatives(first);
    expect(await shapes(held.store, 4)).toEqual(byId(first));

    const second = first.map((r, k) => (k % 2 ? changed(r, k) : r));
    await held.store.putInitiatives(second.filter((_, k) => k % 2));
    expect(await shapes(held.store, 7)).toEqual(byId(second));

    const moved = (r: InitiativeRecord): InitiativeRecord => {
      const initiative = { ...r.initiative, id: r.initiative.id.replace(BASE, "https://moved.example") };
      return { ...r, initiative, version: versionOf(initiative) };
    };
    await held.store.rewriteOwn(BASE, "https://moved.example", { record: moved, message: (_q, p) => p });
    expect(await shapes(held.store, 100)).toEqual(byId(second.map(moved)));
    expect(await held.store.listShapes({ limit: 5, cursor: "not a cursor" })).toEqual({ items: [] });
  });
});

it("SQLite: a store written before the plain columns has them filled from its records' JSON.", async () => {
  const rs = records();
  await withSqliteBefore("ADD COLUMN primary_activity", rs, async (store) => {
    expect(await shapes(store, 10)).toEqual(byId(rs));
    expect(await store.countPrimaryActivities()).toEqual(
      expect.arrayContaining([
        { value: `${ICA}ICA20`, count: rs.filter((r) => r.initiative.primaryActivity === `${ICA}ICA20`).length },
      ]),
    );
    const names = (await store.listByName({ limit: 100 })).items.map((r) => r.initiative.name);
    expect(names.slice(0, 5)).toEqual(["Co-op 0", "Co-op 10", "Co-op 15", "Co-op 20", "Co-op 5"]);
  });
});
