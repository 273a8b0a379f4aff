/**
 * Collapsed answers from kept counts on PostgreSQL keep what the hidden listings contribute
 * between queries; a group worked out again or a record written by another process (here a second
 * store on the same schema, with its own connections and LISTEN session) reaches them through the
 * change notification, so no process keeps answering from a stale contribution.
 */
import { afterAll, beforeAll, expect, it } from "@jest/globals";
import type { PostgresStore } from "../../src/store/postgres/store.postgres.ts";
import type { SearchFilter } from "../../src/store/search.ts";
import { describePostgres } from "../support/describe-postgres.ts";
import { freshPostgresStore, randomSchema } from "../support/postgres.ts";
import { eventually } from "../support/process.ts";
import { fixture } from "./search.contract.ts";

const ALL: SearchFilter = { facets: {}, collapse: true };
const id = (k: number) => fixture()[k]!.initiative.id;

describePostgres("Collapsed results across PostgreSQL processes", () => {
  let reader: PostgresStore;
  let writer: PostgresStore;
  beforeAll(async () => {
    const schema = randomSchema("collapse");
    reader = await freshPostgresStore(schema);
    writer = await freshPostgresStore(schema);
    await writer.putInitiatives(fixture().slice(0, 20));
  });
  afterAll(async () => {
    await writer.close();
    await reader.drop();
    await reader.close();
  });

  const answers = async (s: PostgresStore) => ({
    count: await s.search.count(ALL),
    total: (await s.search.facets(ALL)).total,
    located: (await s.search.clusters(ALL, 45, 100)).clusters.reduce((n, c) => n + c.count, 0),
  });

  it("a group changed in another process changes this one's collapsed counts, facet totals and world map.", async () => {
    expect(reader.listening).toBe(true);
    const before = await answers(reader);
    expect(before.count).toBe(20);
    // Records 1 and 2 are located (every tenth from 9 is not).
    await writer.duplicates.setGroup([id(1), id(2)], id(1));
    const one = { count: 19, total: 19, located: before.located - 1 };
    await eventually(async () => JSON.stringify(await answers(reader)) === JSON.stringify(one), 10_000, "the group");
    expect(await answers(reader)).toEqual(one);

    // The hidden listing goes (deleted by its network): it is no longer taken away from counts it is not in.
    expect(await writer.deleteInitiative({ id: id(2), deleted: new Date().toISOString() })).toBe(true);
    const gone = { count: 19, total: 19, located: before.located - 1 };
    await eventually(async () => JSON.stringify(await answers(reader)) === JSON.stringify(gone), 10_000, "the delete");
    expect(await answers(reader)).toEqual(gone);
  });
});
