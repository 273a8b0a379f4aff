import { expect, it } from "@jest/globals";
import { emptyInitiative, type InitiativeRecord } from "../../src/domain/initiative.ts";
import { versionOf } from "../../src/domain/version.ts";
import { shapeColumns } from "../../src/store/shape-columns.ts";
import { POSTGRES_MIGRATIONS } from "../../src/store/postgres/migrations.ts";
import { PostgresStore } from "../../src/store/postgres/store.postgres.ts";
import { describePostgres } from "../support/describe-postgres.ts";
import { POSTGRES_URL, randomSchema } from "../support/postgres.ts";

const C = "https://lod.coop/essglobal/2.1/standard/countries-iso/";

function record(k: number, name: string, updated = "2026-01-01T00:00:00Z"): InitiativeRecord {
  const initiative = {
    ...emptyInitiative(`https://here.example/initiatives/m${k}`, name),
    country: `${C}${k % 3 ? "GB" : "FR"}`,
    address: { lat: 50 + (k % 10) / 10, long: (k % 7) / 10 },
    ...(k % 3 ? { primaryActivity: `https://lod.coop/essglobal/2.1/standard/activities-ica/ICA${k % 5}0` } : {}),
    ...(k % 50 === 7 ? { translations: { fr: { name: `boulangerie ${k}` } } } : {}),
  };
  return { initiative, published: "2026-01-01T00:00:00Z", updated, version: versionOf(initiative) };
}

describePostgres("PostgreSQL schema", () => {
  it("upgrades a store written by schema version 3: its records are searched, counted and clustered from the side table, which writes then keep in step.", async () => {
    const schema = randomSchema("m");
    const s = new PostgresStore(POSTGRES_URL!, { schema, max: 2 });
    try {
      // A store as essfed with three migrations left it, holding records.
      await s.pool.query(`CREATE SCHEMA ${schema}`);
      await s.pool.query(
        "CREATE TABLE essfed_schema (version integer PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now())",
      );
      for (let v = 0; v < 3; v++) await s.pool.query(POSTGRES_MIGRATIONS[v]!);
      await s.pool.query("INSERT INTO essfed_schema (version) VALUES (1), (2), (3)");
      const records = Array.from({ length: 300 }, (_, k) => record(k, `${k % 4 ? "garage" : "bakery"} ${k}`));
      // Written as that version's essfed wrote them (today's writes also fill columns it did not have).
      await s.pool.query(
        `INSERT INTO initiative (id, seq, source, version, updated, record)
         SELECT r #>> '{initiative,id}', nextval('initiative_seq'), NULL, r ->> 'version', r ->> 'updated', r
         FROM jsonb_array_elements($1::jsonb) AS r`,
        [JSON.stringify(records)],
      );

      await s.initialize();
      expect((await s.pool.query<{ v: number }>("SELECT max(version) AS v FROM essfed_schema")).rows[0]!.v).toBe(
        POSTGRES_MIGRATIONS.length,
      );
      const bakeries = records.filter((r) => r.initiative.name.startsWith("bakery"));
      expect(await s.search.count({ words: ["bakery"], facets: {} })).toBe(bakeries.length);
      // The plain columns (ADR 30) are filled from the records' JSON, as a write would fill them.
      const columns = await s.pool.query<{
        id: string;
        name: string;
        plain: boolean;
        p: string | null;
        lat: number;
        lng: number;
        keys: string[] | null;
      }>("SELECT id, name, plain, primary_activity AS p, lat, lng, lookup_keys AS keys FROM initiative ORDER BY seq");
      expect(
        columns.rows.map((r) => [r.name, r.plain ? 1 : 0, r.p, r.lat, r.lng, r.keys && JSON.stringify(r.keys.sort())]),
      ).toEqual(records.map(shapeColumns));
      const fr = await s.search.facets({ words: ["bakery"], facets: { country: [`${C}FR`] } });
      expect(fr.total).toBe(bakeries.filter((r) => r.initiative.country!.endsWith("FR")).length);
      expect(fr.counts.country).toEqual([{ value: `${C}FR`, count: fr.total }]);
      const { clusters } = await s.search.clusters(
        { words: ["bakery"], bbox: { minLat: 49, maxLat: 52, minLon: -1, maxLon: 1 }, facets: {} },
        0,
        1000,
      );
      expect(clusters.reduce((n, c) => n + c.count, 0)).toBe(bakeries.length);

      // Writes after the upgrade: an update renames one, a delete removes another.
      await s.putInitiatives([record(0, "renamed 0", "2026-02-01T00:00:00Z")]);
      await s.deleteInitiative({ id: records[4]!.initiative.id, deleted: "2026-02-01T00:00:00Z" });
      const page = await s.search.search({ words: ["bakery"], facets: {} }, 1000);
      expect(page.items.map((r) => r.initiative.name).sort()).toEqual(
        bakeries
          .slice(2)
          .map((r) => r.initiative.name)
          .sort(),
      );
      expect((await s.search.search({ words: ["renamed"], facets: {} }, 10)).items.map((r) => r.initiative.id)).toEqual(
        [records[0]!.initiative.id],
      );
      const { rows } = await s.pool.query<{ a: string; b: string }>(
        "SELECT (SELECT count(*) FROM initiative) AS a, (SELECT count(*) FROM initiative_search) AS b",
      );
      expect(rows[0]).toEqual({ a: "299", b: "299" });

      // Storing signatures (no new change number) writes neither counts nor search rows: their
      // row versions (xmin) stay as they were.
      const versions = async () =>
        (
          await s.pool.query<{ a: string; b: string }>(
            "SELECT (SELECT string_agg(xmin::text, ',' ORDER BY seq) FROM initiative_search) AS a, (SELECT " +
              "string_agg(xmin::text, ',' ORDER BY name, value, shard) FROM facet_count) AS b",
          )
        ).rows[0];
      const before = { versions: await versions(), facets: await s.search.facets({ facets: {} }) };
      const some = (await s.listInitiatives({ limit: 50 })).items;
      await s.setSigned(some.map((r) => ({ id: r.initiative.id, version: r.version, signed: "{}" })));
      expect(
        (await s.pool.query<{ n: string }>("SELECT count(*) AS n FROM initiative WHERE signed = '{}'")).rows[0]!.n,
      ).toBe("50");
      expect({ versions: await versions(), facets: await s.search.facets({ facets: {} }) }).toEqual(before);
    } finally {
      await s.drop();
      await s.close();
    }
  });

  it("runs every pooled connection in the store's schema with JIT off, keeping settings the connection string already has.", async () => {
    const schema = randomSchema("m");
    const u = new URL(POSTGRES_URL!);
    u.searchParams.set("options", "-c statement_timeout=4321");
    const s = new PostgresStore(u.href, { schema, max: 3 });
    try {
      await s.initialize();
      // Several at once, so that the pool opens several connections.
      const all = await Promise.all(
        [0, 1, 2].map(() =>
          s.pool.query(
            "SELECT current_schema() AS schema, current_setting('jit') AS jit, current_setting('statement_timeout') " +
              "AS timeout, pg_sleep(0.05)",
          ),
        ),
      );
      for (const { rows } of all)
        expect(rows[0]).toEqual(expect.objectContaining({ schema, jit: "off", timeout: "4321ms" }));
    } finally {
      await s.drop();
      await s.close();
    }
  });
});
