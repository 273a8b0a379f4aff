/**
 * The Store port's contract: one suite, run against every adapter. Each test gets a
 * fresh, empty store from `make` and hands it to `cleanup` afterwards.
 */
import { afterEach, beforeEach, describe, expect, it } from "@jest/globals";
import { Temporal } from "@js-temporal/polyfill";
import type { InitiativeRecord } from "../../src/domain/initiative.ts";
import { emptyInitiative } from "../../src/domain/initiative.ts";
import { versionOf } from "../../src/domain/version.ts";
import type { Store } from "../../src/store/store.ts";
import { LOCAL_SOURCE } from "../../src/store/records.ts";

const T0 = "2026-01-01T00:00:00.000Z";
const T1 = "2026-02-01T00:00:00.000Z";
const T2 = "2026-03-01T00:00:00.000Z";

export function record(id: string, name: string, updated = T1, origin?: string, via: string[] = []): InitiativeRecord {
  const initiative = { ...emptyInitiative(id, name), address: { locality: "Leeds", lat: 53.8, long: -1.5 } };
  return {
    initiative,
    published: T0,
    updated,
    version: versionOf(initiative),
    ...(origin ? { provenance: { origin, via, receivedAt: updated } } : {}),
  };
}

export function describeStoreContract(
  name: string,
  make: () => Promise<Store>,
  cleanup: (s: Store) => Promise<void>,
): void {
  describe(`A ${name}`, () => {
    let store: Store;
    beforeEach(async () => {
      store = await make();
    });
    afterEach(async () => {
      await cleanup(store);
    });

    it("returns undefined for an unknown initiative, tombstone, follower and following.", async () => {
      expect(await store.getInitiative("https://x.example/initiatives/none")).toBeUndefined();
      expect(await store.initiativeSeq("https://x.example/initiatives/none")).toBeUndefined();
      expect(await store.getTombstone("https://x.example/initiatives/none")).toBeUndefined();
      expect(await store.getFollower("https://x.example/actors/none")).toBeUndefined();
      expect(await store.getFollowing("https://x.example/actors/none")).toBeUndefined();
    });

    it("initializes idempotently.", async () => {
      await store.initialize();
      await store.initialize();
      expect(await store.countInitiatives()).toBe(0);
    });

    it("reports its health: the schema migrated to this essfed's version, and the search index caught up.", async () => {
      const h = await store.health();
      expect(h.schema.current).toBe(h.schema.expected);
      expect(h.schema.expected).toBeGreaterThan(0);
      const undo = store.deferIndexing?.();
      await store.putInitiatives([
        record("https://x.example/initiatives/h1", "H1"),
        record("https://x.example/initiatives/h2", "H2"),
      ]);
      // An adapter that indexes behind the writes says how far behind it is.
      if (undo) expect((await store.health()).indexLag).toBeGreaterThan(0);
      undo?.();
      await store.search.catchUp();
      expect((await store.health()).indexLag).toBe(0);
    });

    it("creates, keeps unchanged, updates and refuses stale records.", async () => {
      const a = record("https://x.example/initiatives/a", "A");
      expect(await store.putInitiatives([a])).toEqual(["created"]);
      expect(await store.putInitiatives([a])).toEqual(["unchanged"]);
      const a2 = record(a.initiative.id, "A renamed", T2);
      expect(await store.putInitiatives([a2])).toEqual(["updated"]);
      expect(await store.putInitiatives([record(a.initiative.id, "A old", T0)])).toEqual(["stale"]);
      const got = await store.getInitiative(a.initiative.id);
      expect(got?.initiative.name).toBe("A renamed");
      expect(got?.updated).toBe(T2);
      expect(got?.version).toBe(a2.version);
      expect(await store.initiativeSeq(a.initiative.id)).toBe(got?.seq);
      // Several at once: the ones that exist, by IRI.
      await store.putInitiatives([record("https://x.example/initiatives/b", "B")]);
      const many = await store.getInitiatives([
        a.initiative.id,
        "https://x.example/initiatives/none",
        "https://x.example/initiatives/b",
        a.initiative.id,
      ]);
      expect([...many.keys()].sort()).toEqual([a.initiative.id, "https://x.example/initiatives/b"]);
      expect(many.get(a.initiative.id)).toEqual(got);
      expect((await store.getInitiatives([])).size).toBe(0);
    });

    it("applies several records for one IRI in one batch in order.", async () => {
      const id = "https://x.example/initiatives/b";
      expect(await store.putInitiatives([record(id, "B1", T1), record(id, "B2", T2), record(id, "B0", T0)])).toEqual([
        "created",
        "updated",
        "stale",
      ]);
      expect((await store.getInitiative(id))?.initiative.name).toBe("B2");
    });

    it("keeps provenance and the signed document, and clears the signature when content changes.", async () => {
      const m = {
        ...record("https://o.example/initiatives/m", "M", T1, "https://o.example/actors/o", [
          "https://n.example/actors/n",
        ]),
        signed: '{"proof":1}',
      };
      await store.putInitiatives([m]);
      const got = await store.getInitiative(m.initiative.id);
      expect(got?.provenance).toEqual({
        origin: "https://o.example/actors/o",
        via: ["https://n.example/actors/n"],
        receivedAt: T1,
      });
      expect(got?.signed).toBe('{"proof":1}');
      await store.putInitiatives([record(m.initiative.id, "M2", T2, "https://o.example/actors/o")]);
      expect((await store.getInitiative(m.initiative.id))?.signed).toBeUndefined();
      await store.setSigned([{ id: m.initiative.id, version: "not-the-version", signed: "x" }]);
      expect((await store.getInitiative(m.initiative.id))?.signed).toBeUndefined();
      const current = (await store.getInitiative(m.initiative.id))!;
      await store.setSigned([{ id: m.initiative.id, version: current.version, signed: '{"proof":2}' }]);
      expect((await store.getInitiative(m.initiative.id))?.signed).toBe('{"proof":2}');
      const listed = async (o: { unsigned?: boolean }) =>
        (await store.listInitiatives({ limit: 100, ...o })).items.find((r) => r.initiative.id === m.initiative.id);
      expect((await listed({}))?.signed).toBe('{"proof":2}');
      const bare = await listed({ unsigned: true });
      expect(bare?.initiative.name).toBe("M2");
      expect(bare?.signed).toBeUndefined();
    });

    it("deletes with a tombstone, and a tombstone stops an older record coming back.", async () => {
      const d = record("https://x.example/initiatives/d", "D", T1);
      await store.putInitiatives([d]);
      expect(await store.deleteInitiative({ id: d.initiative.id, deleted: T2 })).toBe(true);
      expect(await store.getInitiative(d.initiative.id)).toBeUndefined();
      expect(await store.getTombstone(d.initiative.id)).toEqual({ id: d.initiative.id, deleted: T2 });
      expect(await store.deleteInitiative({ id: d.initiative.id, deleted: T2 })).toBe(false);
      expect(await store.putInitiatives([d])).toEqual(["stale"]);
      const newer = record(d.initiative.id, "D again", "2026-04-01T00:00:00.000Z");
      expect(await store.putInitiatives([newer])).toEqual(["created"]);
      expect(await store.getTombstone(d.initiative.id)).toBeUndefined();
    });

    it("decides each record of a batch as it would alone: created, unchanged, updated, stale, after tombstones.", async () => {
      const base = "https://x.example/initiatives/batch-";
      const [kept, changed, older] = [
        record(`${base}kept`, "K"),
        record(`${base}changed`, "C"),
        record(`${base}older`, "O"),
      ];
      await store.putInitiatives([kept, changed, older]);
      await store.deleteInitiative({ id: `${base}gone-old`, deleted: T2 });
      await store.deleteInitiative({ id: `${base}gone-new`, deleted: T1 });
      const batch = [
        record(`${base}new`, "N"),
        kept,
        record(changed.initiative.id, "C2", T2),
        record(older.initiative.id, "O0", T0),
        record(`${base}gone-old`, "Before its deletion", T1),
        record(`${base}gone-new`, "After its deletion", T2),
      ];
      expect(await store.putInitiatives(batch)).toEqual([
        "created",
        "unchanged",
        "updated",
        "stale",
        "stale",
        "created",
      ]);
      const names = await Promise.all(
        batch.map(async (r) => (await store.getInitiative(r.initiative.id))?.initiative.name),
      );
      expect(names).toEqual(["N", "K", "C2", "O", undefined, "After its deletion"]);
      expect(await store.getTombstone(`${base}gone-new`)).toBeUndefined();
      expect(await store.getTombstone(`${base}gone-old`)).toBeDefined();
    });

    it("keeps a tombstone for a Delete that arrives before its Create.", async () => {
      const id = "https://o.example/initiatives/early";
      expect(await store.deleteInitiative({ id, deleted: T2, origin: "https://o.example/actors/o" })).toBe(false);
      expect(await store.getTombstone(id)).toEqual({ id, deleted: T2, origin: "https://o.example/actors/o" });
      expect(await store.putInitiatives([record(id, "Late create", T1, "https://o.example/actors/o")])).toEqual([
        "stale",
      ]);
    });

    it("does not delete a record changed after the deletion time.", async () => {
      const r = record("https://x.example/initiatives/r", "R", T2);
      await store.putInitiatives([r]);
      expect(await store.deleteInitiative({ id: r.initiative.id, deleted: T1 })).toBe(false);
      expect(await store.getInitiative(r.initiative.id)).toBeDefined();
    });

    it("lists newest change first, in pages, by source.", async () => {
      const own = Array.from({ length: 5 }, (_, k) => record(`https://x.example/initiatives/o${k}`, `O${k}`));
      const mirrored = Array.from({ length: 3 }, (_, k) =>
        record(`https://m.example/initiatives/m${k}`, `M${k}`, T1, "https://m.example/actors/m", [
          "https://v.example/actors/v",
        ]),
      );
      for (const r of [...own, ...mirrored]) await store.putInitiatives([r]);
      await store.putInitiatives([record(own[0]!.initiative.id, "O0 changed", T2)]);
      const first = await store.listInitiatives({ limit: 3 });
      expect(first.items.map((i) => i.initiative.name)).toEqual(["O0 changed", "M2", "M1"]);
      const second = await store.listInitiatives({ limit: 10, cursor: first.next! });
      expect(second.items.map((i) => i.initiative.name)).toEqual(["M0", "O4", "O3", "O2", "O1"]);
      expect(second.next).toBeUndefined();
      expect((await store.listInitiatives({ limit: 10, source: LOCAL_SOURCE })).items).toHaveLength(5);
      expect((await store.listInitiatives({ limit: 10, source: "https://m.example/actors/m" })).items).toHaveLength(3);
      expect([
        await store.countInitiatives(),
        await store.countInitiatives(LOCAL_SOURCE),
        await store.countInitiatives("https://m.example/actors/m"),
      ]).toEqual([8, 5, 3]);
      expect((await store.listIdsBySource("https://m.example/actors/m")).sort()).toEqual(
        mirrored.map((r) => r.initiative.id).sort(),
      );
      expect((await store.listIdsByVia("https://v.example/actors/v")).sort()).toEqual(
        mirrored.map((r) => r.initiative.id).sort(),
      );
      expect(await store.listInitiatives({ limit: 5, cursor: "not-a-number" })).toEqual({ items: [] });
    });

    it("purges records without tombstones.", async () => {
      const r = record("https://m.example/initiatives/p", "P", T1, "https://m.example/actors/m");
      await store.putInitiatives([r]);
      expect(await store.purgeInitiatives([r.initiative.id, "https://m.example/initiatives/none"])).toBe(1);
      expect(await store.getTombstone(r.initiative.id)).toBeUndefined();
      expect(await store.putInitiatives([r])).toEqual(["created"]);
    });

    it("prunes old tombstones and old seen activities.", async () => {
      await store.deleteInitiative({ id: "https://x.example/initiatives/old", deleted: T0 });
      await store.deleteInitiative({ id: "https://x.example/initiatives/new", deleted: T2 });
      expect(await store.pruneTombstones(T1)).toBe(1);
      expect(await store.getTombstone("https://x.example/initiatives/new")).toBeDefined();
      expect(await store.markSeen("https://x.example/activities/1")).toBe(true);
      expect(await store.markSeen("https://x.example/activities/1")).toBe(false);
      expect(await store.pruneSeen(Date.now() + 1000)).toBe(1);
      expect(await store.markSeen("https://x.example/activities/1")).toBe(true);
    });

    it("changes its change stamp and change number when records change.", async () => {
      const before = await store.changeStamp();
      const n0 = await store.changeNumber();
      await store.putInitiatives([record("https://x.example/initiatives/s", "S")]);
      expect(await store.changeStamp()).not.toBe(before);
      const n1 = await store.changeNumber();
      expect(n1).toBeGreaterThan(n0);
      await store.deleteInitiative({ id: "https://x.example/initiatives/s", deleted: T2 });
      expect(await store.changeNumber()).toBeGreaterThan(n1);
    });

    it("keeps followers and followings.", async () => {
      const f = {
        actor: "https://a.example/users/alice",
        inbox: "https://a.example/users/alice/inbox",
        sharedInbox: "https://a.example/inbox",
        followId: "https://a.example/f/1",
        state: "pending" as const,
        since: T0,
      };
      await store.putFollower(f);
      expect(await store.getFollower(f.actor)).toEqual(f);
      await store.putFollower({ ...f, state: "accepted" });
      expect(await store.listFollowers("accepted")).toEqual([{ ...f, state: "accepted" }]);
      expect(await store.listFollowers("pending")).toEqual([]);
      expect(await store.removeFollower(f.actor)).toBe(true);
      expect(await store.removeFollower(f.actor)).toBe(false);
      const g = {
        actor: "https://n.example/actors/n",
        inbox: "https://n.example/actors/n/inbox",
        followId: "https://me.example/f/2",
        state: "pending" as const,
        since: T0,
        directory: "https://n.example/initiatives",
      };
      await store.putFollowing(g);
      await store.putFollowing({ ...g, state: "accepted", reconciledAt: T1 });
      expect(await store.listFollowing()).toEqual([{ ...g, state: "accepted", reconciledAt: T1 }]);
      expect(await store.removeFollowing(g.actor)).toBe(true);
      expect(await store.getFollowing(g.actor)).toBeUndefined();
    });

    it("has a key–value store with TTL, prefix listing and compare-and-set.", async () => {
      const kv = store.kv;
      await kv.set(["a", "1"], { x: 1 });
      await kv.set(["a", "2"], [1, 2]);
      await kv.set(["b"], "b");
      await kv.set(["a", "ttl"], "short", { ttl: Temporal.Duration.from({ milliseconds: 50 }) });
      expect(await kv.get(["a", "1"])).toEqual({ x: 1 });
      await new Promise((r) => setTimeout(r, 80));
      expect(await kv.get(["a", "ttl"])).toBeUndefined();
      const listed: unknown[] = [];
      for await (const e of kv.list(["a"])) listed.push(e.key);
      expect(listed).toEqual([
        ["a", "1"],
        ["a", "2"],
      ]);
      expect(await kv.cas(["c"], undefined, 1)).toBe(true);
      expect(await kv.cas(["c"], undefined, 2)).toBe(false);
      expect(await kv.cas(["c"], 1, 3)).toBe(true);
      expect(await kv.get(["c"])).toBe(3);
      await kv.delete(["c"]);
      expect(await kv.get(["c"])).toBeUndefined();
    });

    it("moves its own IRIs to another base in one go: records (re-versioned and found by search), tombstones and queued messages; mirrors stay.", async () => {
      const own = record("https://a.example/initiatives/one", "Relocating bakery");
      const mirror = record("https://m.example/initiatives/m", "Mirrored bakery", T1, "https://m.example/actors/m");
      await store.putInitiatives([own, mirror, record("https://a.example/initiatives/gone", "Gone")]);
      await store.deleteInitiative({ id: "https://a.example/initiatives/gone", deleted: T2 });
      const q = store.queue("delivery");
      await q.enqueueMany([{ body: "https://a.example/actors/a" }, { drop: true }, { untouched: 1 }]);
      const before = await store.changeNumber();
      const counts = await store.rewriteOwn("https://a.example", "https://b.example", {
        record: (r) => {
          const initiative = {
            ...r.initiative,
            id: r.initiative.id.replace("https://a.example/", "https://b.example/"),
          };
          return { ...r, initiative, version: versionOf(initiative) };
        },
        message: (_queue, p) => {
          const m = p as { body?: string; drop?: boolean };
          if (m.drop) return undefined;
          return m.body ? { body: m.body.replace("https://a.example/", "https://b.example/") } : p;
        },
      });
      expect(counts).toEqual({ records: 1, tombstones: 1, messages: 1, dropped: 1 });
      expect(await store.getInitiative(own.initiative.id)).toBeUndefined();
      const moved = await store.getInitiative("https://b.example/initiatives/one");
      expect(moved).toMatchObject({ initiative: { name: "Relocating bakery" }, updated: own.updated });
      expect(moved!.seq).toBeGreaterThan(before);
      expect(moved!.version).not.toBe(own.version);
      expect(await store.getInitiative(mirror.initiative.id)).toBeDefined();
      expect(await store.getTombstone("https://a.example/initiatives/gone")).toBeUndefined();
      expect(await store.getTombstone("https://b.example/initiatives/gone")).toMatchObject({ deleted: T2 });
      expect(await store.countInitiatives(LOCAL_SOURCE)).toBe(1);
      await store.search.catchUp();
      const found = await store.search.search({ words: ["bakery"], facets: {} }, 10);
      expect(found.items.map((r) => r.initiative.id).sort()).toEqual([
        "https://b.example/initiatives/one",
        mirror.initiative.id,
      ]);
      expect(await q.pending()).toBe(2);
      // Nothing is left under the old base: a second run finds nothing to do.
      expect(
        await store.rewriteOwn("https://a.example", "https://b.example", { record: (r) => r, message: (_q, p) => p }),
      ).toEqual({ records: 0, tombstones: 0, messages: 0, dropped: 0 });
    });
  });
}
