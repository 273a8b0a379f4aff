/**
 * An import alone in its process into an almost empty SQLite store builds the record table's random-order indexes
 * (name order, lookup keys) once at its end (ADR 47): meanwhile they are absent and the deferral is marked; at the
 * end, or at the next open after a crash, they hold exactly what writing them row by row would have written, whoever
 * wrote in between. A larger store, or a bulk write that shares its process, keeps them throughout.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "@jest/globals";
import { emptyInitiative, type InitiativeRecord } from "../../src/domain/initiative.ts";
import { versionOf } from "../../src/domain/version.ts";
import { DEFER_BELOW } from "../../src/store/sqlite/deferred-indexes.sqlite.ts";
import { SqliteStore } from "../../src/store/sqlite/store.sqlite.ts";

const ACT = "https://lod.coop/essglobal/2.1/standard/activities-ica/";
/** Record n, with a postcode and a registration (two lookup keys), at a given time and postcode. */
const record = (n: number, o: { postcode?: string; updated?: string; name?: string } = {}): InitiativeRecord => {
  const initiative = {
    ...emptyInitiative(`https://here.example/initiatives/d${n}`, o.name ?? `bakery ${(n * 7919) % 1000}`),
    primaryActivity: `${ACT}ICA${(n % 5) + 1}0`,
    address: { postcode: o.postcode ?? `PC${n % 37}` },
    registrations: [{ register: "GB-COH", number: `R${n}` }],
  } as InitiativeRecord["initiative"];
  const at = o.updated ?? "2026-01-01T00:00:00Z";
  return { initiative, published: "2026-01-01T00:00:00Z", updated: at, version: versionOf(initiative) };
};
const batch = (from: number, n: number) => Array.from({ length: n }, (_, k) => record(from + k));

/** What the deferred indexes and the keys hold, as another connection reads them. */
function state(s: SqliteStore) {
  const all = (sql: string) => s.db.prepare(sql).all();
  return {
    indexes: all(
      "SELECT name FROM sqlite_master WHERE name IN ('initiative_name', 'initiative_primary_activity') ORDER BY 1",
    ),
    keys: all("SELECT key, seq FROM initiative_key ORDER BY key, seq"),
    // Read through the name-order index when it is there.
    byName: s.db.prepare("SELECT 1 FROM sqlite_master WHERE name = 'initiative_name'").get()
      ? all("SELECT seq FROM initiative INDEXED BY initiative_name ORDER BY plain, name, seq")
      : undefined,
    mark: all("SELECT value FROM meta WHERE key = 'keys_deferred_from'"),
  };
}

describe("SqliteStore: indexes an import defers", () => {
  let dir: string;
  const open = async (name = "a") => {
    const s = new SqliteStore(join(dir, `${name}.sqlite`));
    await s.initialize();
    return s;
  };
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), "essfed-deferred-"));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  /** The same writes into a store that never defers (a bulk write that shares its process). */
  const reference = async (writes: (s: SqliteStore) => Promise<void>) => {
    const s = await open("reference");
    const release = s.bulkWrite({ grouped: false });
    await writes(s);
    release();
    const out = state(s);
    await s.close();
    return out;
  };

  it("drops them while the import writes and builds them at its end as row-by-row writing would.", async () => {
    const writes = async (s: SqliteStore) => {
      await s.putInitiatives(batch(0, 3));
      for (let b = 1; b < 4; b++) await s.putInitiatives(batch(b * 100, 100));
      // A record held before the import changes its postcode (its old key goes), one written in it changes too.
      await s.putInitiatives([record(1, { postcode: "NEW1", updated: "2026-02-01T00:00:00Z" })]);
      await s.putInitiatives([record(150, { postcode: "NEW2", updated: "2026-02-01T00:00:00Z", name: "Zed" })]);
    };
    const s = await open();
    await s.putInitiatives(batch(0, 3)); // held before the import: indexed and keyed as usual
    const release = s.bulkWrite({ grouped: true });
    for (let b = 1; b < 4; b++) await s.putInitiatives(batch(b * 100, 100));
    await s.putInitiatives([record(1, { postcode: "NEW1", updated: "2026-02-01T00:00:00Z" })]);
    await s.putInitiatives([record(150, { postcode: "NEW2", updated: "2026-02-01T00:00:00Z", name: "Zed" })]);
    const during = s.db.prepare("SELECT name FROM sqlite_master WHERE name = 'initiative_name'").all();
    const keysDuring = s.db.prepare("SELECT count(*) AS n FROM initiative_key").get();
    const markDuring = s.db.prepare("SELECT value FROM meta WHERE key = 'keys_deferred_from'").get();
    // Lookups by name read the records meanwhile; by name order, a sort of them.
    const namedDuring = (await s.listNamed(record(100).initiative.name, { limit: 10 })).items.map((i) => i.seq);
    const byNameDuring = (await s.listByName({ limit: 5 })).items.map((i) => i.seq);
    release();
    const byNameAfter = (await s.listByName({ limit: 5 })).items.map((i) => i.seq);
    const after = state(s);
    await s.close();

    expect(during).toEqual([]);
    // Only the keys of the three records held before, less record 1's, which it replaced.
    expect(keysDuring).toEqual({ n: 4 });
    expect(markDuring).toEqual({ value: 3 });
    expect(namedDuring).toEqual([4]); // record 100, the first of the import
    expect(byNameDuring).toHaveLength(5);
    expect(byNameDuring).toEqual(byNameAfter);
    expect(after.indexes).toHaveLength(2);
    expect(after.mark).toEqual([]);
    expect(after.keys).toHaveLength(2 * 303);
    expect(after).toEqual(await reference(writes));
  });

  it("leaves the writes of another process in the meantime keyed once, and ends a deferral cut short at the next open.", async () => {
    const s = await open();
    const other = await open();
    // The other process has looked a name up through the index before the import dropped it.
    const named = (o: SqliteStore) => o.listNamed(record(7).initiative.name, { limit: 10 });
    expect((await named(other)).items).toEqual([]);
    const release = s.bulkWrite({ grouped: true });
    await s.putInitiatives(batch(0, 50));
    // The group commits (as by age or timer) and another process writes between two groups.
    s.db.close();
    expect((await named(other)).items.map((i) => i.initiative.id)).toEqual([record(7).initiative.id]);
    await other.putInitiatives([record(1000), record(1001)]);
    expect(state(other).mark).toEqual([{ value: 0 }]);
    expect(state(other).keys).toEqual([]);
    release(); // the import's process "crashed": nothing ran at its end
    await other.close();

    const reopened = await open();
    const after = state(reopened);
    await reopened.close();
    expect(after.mark).toEqual([]);
    expect(after.indexes).toHaveLength(2);
    expect(after).toEqual(
      await reference(async (r) => {
        await r.putInitiatives(batch(0, 50));
        await r.putInitiatives([record(1000), record(1001)]);
      }),
    );
  });

  it("keeps them in a store that already holds many records, and in a bulk write that shares its process.", async () => {
    const s = await open();
    const release = s.bulkWrite({ grouped: false });
    await s.putInitiatives(batch(0, 10));
    expect(state(s).indexes).toHaveLength(2);
    expect(state(s).keys).toHaveLength(20);
    release();

    for (let b = 10; b < DEFER_BELOW; b += 1000) await s.putInitiatives(batch(b, Math.min(1000, DEFER_BELOW - b)));
    const grouped = s.bulkWrite({ grouped: true });
    await s.putInitiatives(batch(DEFER_BELOW, 10));
    const during = state(s);
    grouped();
    await s.close();
    expect(during.mark).toEqual([]);
    expect(during.indexes).toHaveLength(2);
    expect(during.keys).toHaveLength(2 * (DEFER_BELOW + 10));
  });
});
