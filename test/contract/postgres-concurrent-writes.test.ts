/**
 * Concurrent writes of one IRI on PostgreSQL, from two processes (two stores on one schema, each
 * with its own connections). A write reads what is stored, decides, then writes; two writes of a
 * record nobody holds yet both read "nothing" unless something orders them. Here a third session
 * holds the `initiative` table in SHARE mode, which lets reads through and stops inserts, so both
 * writes have read before either can insert: the race happens every time, not by luck.
 */
import { afterEach, beforeEach, expect, it } from "@jest/globals";
import pg from "pg";
import type { InitiativeRecord } from "../../src/domain/initiative.ts";
import type { PostgresStore } from "../../src/store/postgres/store.postgres.ts";
import type { PutOutcome } from "../../src/store/store.ts";
import { describePostgres } from "../support/describe-postgres.ts";
import { databaseUrl, freshPostgresStore, randomSchema } from "../support/postgres.ts";
import { eventually } from "../support/process.ts";
import { record } from "./store.contract.ts";

const IRI = "https://x.example/initiatives/raced";
const T1 = "2026-03-01T00:00:00.000Z";
const T2 = "2026-03-02T00:00:00.000Z";
const QUEUE = "race-outbox";

describePostgres("Concurrent writes of one new IRI on PostgreSQL", () => {
  let schema: string;
  let a: PostgresStore;
  let b: PostgresStore;
  let observer: PostgresStore;
  let blocker: pg.Client;
  let blockerPid: number;
  beforeEach(async () => {
    schema = randomSchema("race");
    a = await freshPostgresStore(schema);
    b = await freshPostgresStore(schema);
    observer = await freshPostgresStore(schema);
    blocker = new pg.Client({ connectionString: databaseUrl(schema) });
    await blocker.connect();
    blockerPid = (await blocker.query<{ pid: number }>("SELECT pg_backend_pid() AS pid")).rows[0]!.pid;
  });
  afterEach(async () => {
    await blocker.end();
    await a.close();
    await b.close();
    await observer.drop();
    await observer.close();
  });

  /** How many sessions wait, directly or through another waiter, on the blocker. */
  const waiting = async (): Promise<number> => {
    const { rows } = await observer.pool.query<{ n: string }>(
      `WITH RECURSIVE w(pid) AS (
         SELECT pid FROM pg_stat_activity WHERE $1 = ANY(pg_blocking_pids(pid))
         UNION SELECT a.pid FROM pg_stat_activity a JOIN w ON w.pid = ANY(pg_blocking_pids(a.pid)))
       SELECT count(*) AS n FROM w`,
      [blockerPid],
    );
    return Number(rows[0]!.n);
  };

  /** Runs both writes with inserts held back until both are under way, then lets them go. */
  async function race<A, B>(first: () => Promise<A>, second: () => Promise<B>): Promise<[A, B]> {
    await blocker.query("BEGIN");
    await blocker.query("LOCK TABLE initiative IN SHARE MODE");
    let done = 0;
    const settle = <T>(p: Promise<T>) => p.finally(() => done++);
    const both = Promise.all([settle(first()), settle(second())]);
    // Each write is either waiting or finished (a write that inserts nothing need not wait).
    await eventually(async () => (await waiting()) + done === 2, 10_000, "both writes under way");
    await blocker.query("COMMIT");
    return both;
  }

  /** Puts with an outbox that queues one message per record created. */
  const put = (s: PostgresStore, r: InitiativeRecord) =>
    s.putInitiatives([r], {
      queue: QUEUE,
      messages: (o: PutOutcome[]) => o.filter((x) => x === "created").map((x) => ({ x })),
    });

  /** Change notices the observer received since `from` (its change stamp counts them). */
  const notices = async (from: string) => Number((await observer.changeStamp()).slice(3)) - Number(from.slice(3));

  it("the same new record written twice at once: one created, the other unchanged, one message, one notice.", async () => {
    expect(observer.listening).toBe(true);
    const from = await observer.changeStamp();
    const [x, y] = await race(
      () => put(a, record(IRI, "Raced")),
      () => put(b, record(IRI, "Raced")),
    );
    expect([...x, ...y].sort()).toEqual(["created", "unchanged"]);
    expect(await a.countInitiatives()).toBe(1);
    expect(await a.queue(QUEUE).pending()).toBe(1);
    await eventually(async () => (await notices(from)) >= 1, 10_000, "the change notice");
    await new Promise((r) => setTimeout(r, 300));
    expect(await notices(from)).toBe(1);
  });

  it("two versions of a new record at once: one created, the newer version stored, whatever the order.", async () => {
    const older = record(IRI, "Raced", T1);
    const newer = record(IRI, "Raced, renamed", T2);
    const [x, y] = await race(
      () => put(a, older),
      () => put(b, newer),
    );
    const outcomes = [...x, ...y].sort();
    // The older version first: the newer updates it. The newer first: the older is stale.
    expect([
      ["created", "updated"],
      ["created", "stale"],
    ]).toContainEqual(outcomes);
    expect((await a.getInitiative(IRI))?.version).toBe(newer.version);
    expect(await b.countInitiatives()).toBe(1);
    expect(await a.queue(QUEUE).pending()).toBe(1);
  });

  it("a delete racing the first write of its record wins when it is newer, whatever the order.", async () => {
    const [, deleted] = await race(
      () => put(a, record(IRI, "Raced", T1)),
      () => b.deleteInitiative({ id: IRI, deleted: T2 }),
    );
    expect(await a.getInitiative(IRI)).toBeUndefined();
    expect((await a.getTombstone(IRI))?.deleted).toBe(T2);
    expect(await a.countInitiatives()).toBe(0);
    // Removed if the record went in first; if the delete went first the record was stale.
    expect(typeof deleted).toBe("boolean");
  });
});
