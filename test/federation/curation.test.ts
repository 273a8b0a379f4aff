/**
 * Issue 13's end-to-end check, over real HTTP with real signatures between five instances:
 * local and other → regional → national → watcher. National puts regional in review before
 * following it, approves some records, hides one, blocks the third origin (other); national's
 * followers see exactly the approved, unhidden, unblocked records, by live activities and by a
 * fresh back-fill.
 */
import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import { auth, startInstance, type TestInstance } from "../support/instance.ts";
import { eventually, initiativeBody } from "../support/process.ts";
import { databaseUrl, dropSchema, randomSchema } from "../support/postgres.ts";
import { describePostgres } from "../support/describe-postgres.ts";

/** The whole scenario, with national's environment given (SQLite by default, or PostgreSQL). */
function describeCuration(
  title: string,
  nationalEnv: () => Record<string, string>,
  after: () => Promise<void> = async () => {},
): void {
  let local: TestInstance, other: TestInstance, regional: TestInstance, national: TestInstance, watcher: TestInstance;
  const started: TestInstance[] = [];
  const L: string[] = [];
  const X: string[] = [];

  async function create(inst: TestInstance, name: string): Promise<string> {
    const res = await fetch(`${inst.base}/initiatives`, {
      method: "POST",
      headers: { "content-type": "application/ld+json", ...auth },
      body: initiativeBody(name),
    });
    expect(res.status).toBe(201);
    return res.headers.get("location")!;
  }
  async function api(
    inst: TestInstance,
    path: string,
    method = "GET",
    body?: unknown,
  ): Promise<{ status: number; body: Record<string, unknown> }> {
    const res = await fetch(inst.base + path, {
      method,
      headers: { ...auth, ...(body ? { "content-type": "application/json" } : {}) },
      ...(body ? { body: JSON.stringify(body) } : {}),
    });
    return { status: res.status, body: (await res.json()) as Record<string, unknown> };
  }
  async function follow(from: TestInstance, to: TestInstance): Promise<void> {
    expect((await api(from, "/api/follows", "POST", { target: to.iris.actor })).status).toBe(202);
    await eventually(
      async () => (await from.store.getFollowing(to.iris.actor))?.state === "accepted",
      20_000,
      `${from.iris.actor} follows ${to.iris.actor}`,
    );
  }
  const held = async (inst: TestInstance) =>
    (await inst.store.listInitiatives({ limit: 1000 })).items.map((r) => r.initiative.id).sort();
  type Item = {
    n: number;
    target: string;
    kind: string;
    approved: string;
    origin: string;
    via: string[];
    changes: { field: string; before?: unknown; after?: unknown }[];
  };
  const queue = async (inst: TestInstance) => (await api(inst, "/api/queue?limit=500")).body.items as Item[];
  const settled = async (...insts: TestInstance[]) =>
    eventually(
      async () => (await Promise.all(insts.map((i) => i.store.queue("delivery").pending()))).every((n) => n === 0),
      20_000,
      "deliveries sent",
    );

  beforeAll(async () => {
    for (const h of ["local", "other", "regional", "national", "watcher"])
      started.push(await startInstance({ ESSFED_HANDLE: h, ...(h === "national" ? nationalEnv() : {}) }));
    [local, other, regional, national, watcher] = started as [
      TestInstance,
      TestInstance,
      TestInstance,
      TestInstance,
      TestInstance,
    ];
    for (const n of ["Leeds Bakery", "Leeds Garage", "Leeds Housing"]) L.push(await create(local, n));
    for (const n of ["Spam One", "Spam Two"]) X.push(await create(other, n));
    await follow(regional, local);
    await follow(regional, other);
    await eventually(async () => (await regional.store.countInitiatives()) === 5, 20_000, "regional back-fill");
  }, 120_000);
  afterAll(async () => {
    await Promise.all(started.splice(0).map((i) => i.stop()));
    await after();
  });

  // eslint-disable-next-line jest/valid-title -- the title is the caller's
  describe(title, () => {
    it("holds what a source in review sends: nothing is served or passed on before approval.", async () => {
      expect(
        (
          await api(national, "/api/sources", "PUT", {
            source: regional.iris.actor,
            policy: "review",
            reason: "new regional member",
          })
        ).status,
      ).toBe(200);
      await follow(watcher, national);
      await follow(national, regional);
      await eventually(async () => (await queue(national)).length === 5, 20_000, "five records in national's queue");
      expect(await held(national)).toEqual([]);
      const items = await queue(national);
      const leeds = items.find((i) => i.target === L[0])!;
      expect(leeds).toMatchObject({
        kind: "change",
        approved: "none",
        origin: local.iris.actor,
        via: [regional.iris.actor],
      });
      expect(leeds.changes).toContainEqual({ field: "name", after: "Leeds Bakery" });
      await settled(national);
      expect(await held(watcher)).toEqual([]);
    }, 60_000);

    it("blocks a third origin: its records are refused even when relayed by an accepted network, and cannot be approved.", async () => {
      const r = await api(national, "/api/sources", "PUT", {
        source: other.iris.actor,
        policy: "block",
        reason: "spam",
      });
      expect(r.status).toBe(200);
      const spamItems = (await queue(national)).filter((i) => X.includes(i.target)).map((i) => i.n);
      const decided = await api(national, "/api/queue/decide", "POST", { items: spamItems, decision: "approve" });
      expect((decided.body.results as { outcome: string }[]).map((x) => x.outcome)).toEqual([
        "source-blocked",
        "source-blocked",
      ]);
      // A new record at the blocked origin, relayed by regional (accepted to follow), is refused at national's inbox.
      const x3 = await create(other, "Spam Three");
      await eventually(async () => regional.store.getInitiative(x3), 10_000, "regional has it");
      await settled(other, regional);
      expect((await queue(national)).some((i) => i.target === x3)).toBe(false);
      expect(await national.store.getInitiative(x3)).toBeUndefined();
    }, 60_000);

    it("serves and passes on approved records, in bulk, with the decisions in the audit log.", async () => {
      const items = (await queue(national)).filter((i) => L.includes(i.target)).map((i) => i.n);
      const decided = await api(national, "/api/queue/decide", "POST", {
        items,
        decision: "approve",
        reason: "checked",
      });
      expect((decided.body.results as { outcome: string }[]).map((x) => x.outcome)).toEqual([
        "created",
        "created",
        "created",
      ]);
      expect(await held(national)).toEqual([...L].sort());
      await eventually(async () => (await held(watcher)).length === 3, 20_000, "watcher gets the approved records");
      expect(await held(watcher)).toEqual([...L].sort());
      const audit = await api(national, "/api/audit?action=queue.");
      expect(
        (audit.body.items as { action: string; reason?: string }[]).filter(
          (e) => e.action === "queue.approve" && e.reason === "checked",
        ),
      ).toHaveLength(3);
    }, 60_000);

    it("withdraws a hidden record from followers, and keeps it hidden, back in the queue, when its origin changes it.", async () => {
      expect((await api(national, "/api/records/hide", "POST", { id: L[1], reason: "wrong address" })).status).toBe(
        200,
      );
      await eventually(
        async () => !(await watcher.store.getInitiative(L[1]!)),
        20_000,
        "watcher drops the hidden record",
      );
      expect(await held(watcher)).toEqual([L[0]!, L[2]!].sort());
      // The origin changes it: national keeps it hidden and queues the change with its diff.
      const put = await fetch(L[1]!, {
        method: "PUT",
        headers: { "content-type": "application/ld+json", ...auth },
        body: initiativeBody("Leeds Garage Co-op"),
      });
      expect(put.status).toBe(200);
      const item = await eventually(
        async () => (await queue(national)).find((i) => i.target === L[1]),
        20_000,
        "the change is queued",
      );
      expect(item).toMatchObject({
        approved: "hidden",
        changes: [{ field: "name", before: "Leeds Garage", after: "Leeds Garage Co-op" }],
      });
      expect(await national.store.getInitiative(L[1]!)).toBeUndefined();
      // Reconciliation does not bring it back either.
      const report = await national.runtime.backfill(regional.iris.actor, true);
      expect(report).toMatchObject({ refused: 3, created: 0 }); // the blocked origin's three
      expect(await national.store.getInitiative(L[1]!)).toBeUndefined();
      await settled(national);
      expect(await held(watcher)).toEqual([L[0]!, L[2]!].sort());
    }, 60_000);

    it("gives a fresh follower exactly the approved, unhidden, unblocked records by back-fill.", async () => {
      const fresh = await startInstance({ ESSFED_HANDLE: "fresh" });
      started.push(fresh);
      await follow(fresh, national);
      await eventually(async () => (await fresh.store.countInitiatives()) === 2, 20_000, "fresh back-fill");
      expect(await held(fresh)).toEqual([L[0]!, L[2]!].sort());
      expect(await held(national)).toEqual([L[0]!, L[2]!].sort());
    }, 60_000);

    it("takes a newly blocked origin's served records out everywhere, and serves them again when it is unblocked.", async () => {
      const blocked = await api(national, "/api/sources", "PUT", {
        source: new URL(local.base).hostname,
        policy: "block",
        reason: "whole domain",
      });
      // Every test instance is on 127.0.0.1: a domain block names them all, the blocking network excepted.
      expect(blocked.status).toBe(400);
      expect(blocked.body).toMatchObject({ code: "own-source" });
      expect(
        (await api(national, "/api/sources", "PUT", { source: local.iris.actor, policy: "block" })).body,
      ).toMatchObject({ withheld: 2 });
      expect(await held(national)).toEqual([]);
      await eventually(
        async () => (await held(watcher)).length === 0,
        20_000,
        "watcher drops the blocked origin's records",
      );
      const unblocked = await api(national, `/api/sources?source=${encodeURIComponent(local.iris.actor)}`, "DELETE");
      expect(unblocked.body).toMatchObject({ released: 2 });
      expect(await held(national)).toEqual([L[0]!, L[2]!].sort());
      await eventually(async () => (await held(watcher)).length === 2, 20_000, "watcher gets them again");
      // The one hidden by hand stays hidden.
      expect(await national.store.getInitiative(L[1]!)).toBeUndefined();
    }, 60_000);
  });
}

describe("On SQLite", () => {
  describeCuration("Curation across a chain of networks", () => ({}));
});

describePostgres("With national on PostgreSQL", () => {
  const schema = randomSchema("cur");
  describeCuration(
    "curation across a chain of networks",
    () => ({ DATABASE_URL: databaseUrl(schema) }),
    () => dropSchema(schema),
  );
});
