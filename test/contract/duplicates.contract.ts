/**
 * The contract of the duplicates port, run against every store adapter through the finder:
 * candidates follow records as they arrive, change and go; decisions survive all of it.
 */
import { afterEach, beforeEach, describe, expect, it } from "@jest/globals";
import { emptyInitiative, type Initiative, type InitiativeRecord } from "../../src/domain/initiative.ts";
import { versionOf } from "../../src/domain/version.ts";
import { decidePair } from "../../src/duplicates/decisions.ts";
import { DuplicateFinder } from "../../src/duplicates/finder.ts";
import type { Store } from "../../src/store/store.ts";

const GB = "https://lod.coop/essglobal/2.1/standard/countries-iso/GB";
const LEEDS = "https://leeds.example/actors/network";
const YORK = "https://york.example/actors/network";

/** A record of `name` at a place, from a network (own when absent). */
export function listing(
  id: string,
  name: string,
  more: Partial<Initiative> = {},
  origin?: string,
  updated = "2026-05-01T00:00:00.000Z",
): InitiativeRecord {
  const initiative = {
    ...emptyInitiative(id, name),
    country: GB,
    address: { postcode: "LS6 1AA", lat: 53.81, long: -1.56 },
    ...more,
  };
  return {
    initiative,
    published: updated,
    updated,
    version: versionOf(initiative),
    ...(origin ? { provenance: { origin, via: [], receivedAt: updated } } : {}),
  };
}

const A = "https://leeds.example/initiatives/a";
const B = "https://york.example/initiatives/b";
const C = "https://york.example/initiatives/c";

export function describeDuplicatesContract(
  name: string,
  make: () => Promise<Store>,
  cleanup: (s: Store) => Promise<void>,
): void {
  describe(`Duplicates on a ${name}`, () => {
    let store: Store;
    beforeEach(async () => {
      store = await make();
    });
    afterEach(async () => {
      await cleanup(store);
    });

    const pairs = async () =>
      (await store.duplicates.listPairs({ limit: 100 })).items.map(
        (p) => `${p.a.slice(-1)}${p.b.slice(-1)}:${p.state}`,
      );

    it("finds a candidate as records arrive, with its score and reasons, and not among different organisations.", async () => {
      const finder = new DuplicateFinder(store);
      await store.putInitiatives([
        listing(A, "Green Bay Projects", {}, LEEDS),
        listing(C, "Leeds Bike Kitchen", {}, YORK),
      ]);
      expect((await finder.catchUp()).records).toBe(2);
      expect(await pairs()).toEqual([]);
      await store.putInitiatives([
        listing(
          B,
          "Green Bay Projects Limited",
          { address: { postcode: "ls61aa", lat: 53.8101, long: -1.5601 } },
          YORK,
        ),
      ]);
      expect(await store.duplicates.pendingCount()).toBe(1);
      const round = await finder.catchUp();
      expect(round).toMatchObject({ records: 1, pairs: 1 });
      const [pair] = (await store.duplicates.listPairs({ limit: 10 })).items;
      expect(pair).toMatchObject({ a: A, b: B, state: "candidate" });
      expect(pair!.score).toBeGreaterThan(0.75);
      expect(pair!.reasons.map((r) => r.kind)).toEqual(["name", "postcode", "near"]);
      expect(await store.duplicates.pendingCount()).toBe(0);
      expect((await finder.catchUp()).records).toBe(0);
    });

    it("pairs two listings of one SIREN (one giving a SIRET of its premises) with different names, far apart.", async () => {
      await store.putInitiatives([
        listing(A, "Ardelaine", { registrations: [{ register: "FR-SIREN", number: "552100554" }] }, LEEDS),
        listing(
          B,
          "Laines du Vivarais",
          {
            address: { locality: "Saint-Pierreville", lat: 44.81, long: 4.49 },
            registrations: [{ register: "FR-SIRET", number: "55210055400013" }],
          },
          YORK,
        ),
        // Another organisation of the same name in another SIREN: ruled out despite the name.
        listing(C, "Ardelaine", { registrations: [{ register: "FR-SIREN", number: "732829320" }] }, YORK),
      ]);
      await new DuplicateFinder(store).catchUp();
      const found = (await store.duplicates.listPairs({ limit: 10 })).items;
      expect(found.map((p) => [p.a, p.b, p.state])).toEqual([[A, B, "candidate"]]);
      expect(found[0]!.reasons).toEqual([{ kind: "registration", detail: "FR-SIREN:552100554", weight: 0.95 }]);
    });

    it("finds records of one round among themselves, and across rounds of one record.", async () => {
      await store.putInitiatives([
        listing(A, "Suma Wholefoods", {}, LEEDS),
        listing(B, "SUMA WHOLEFOODS LTD", {}, YORK),
      ]);
      await new DuplicateFinder(store).catchUp();
      expect(await pairs()).toEqual(["ab:candidate"]);
      await store.putInitiatives([listing(C, "Suma Wholefoods Co-operative", {}, YORK)]);
      await new DuplicateFinder(store, { batch: 1 }).catchUp();
      expect(await pairs()).toEqual(["ab:candidate", "ac:candidate", "bc:candidate"]);
    });

    it("drops a candidate when a record changes away or goes, and finds it again when it comes back.", async () => {
      const finder = new DuplicateFinder(store);
      await store.putInitiatives([
        listing(A, "Green Bay Projects", {}, LEEDS),
        listing(B, "Green Bay Projects", {}, YORK),
      ]);
      await finder.catchUp();
      expect(await pairs()).toEqual(["ab:candidate"]);
      await store.putInitiatives([listing(B, "Kirkstall Bakery", {}, YORK, "2026-05-02T00:00:00.000Z")]);
      await finder.catchUp();
      expect(await pairs()).toEqual([]);
      await store.putInitiatives([listing(B, "Green Bay Projects", {}, YORK, "2026-05-03T00:00:00.000Z")]);
      await finder.catchUp();
      expect(await pairs()).toEqual(["ab:candidate"]);
      await store.deleteInitiative({ id: B, deleted: "2026-05-04T00:00:00.000Z", origin: YORK });
      await finder.catchUp();
      expect(await pairs()).toEqual([]);
      await store.putInitiatives([listing(B, "Green Bay Projects", {}, YORK, "2026-05-05T00:00:00.000Z")]);
      await finder.catchUp();
      expect(await pairs()).toEqual(["ab:candidate"]);
      await store.purgeInitiatives([A]);
      await finder.catchUp();
      expect(await pairs()).toEqual([]);
    });

    it("keeps decisions through re-imports, deletes and back-fills, and decides only pairs that exist.", async () => {
      const finder = new DuplicateFinder(store);
      await store.putInitiatives([
        listing(A, "Green Bay Projects", {}, LEEDS),
        listing(B, "Green Bay Projects", {}, YORK),
        listing(C, "Green Bay Projects CIC", {}, YORK),
      ]);
      await finder.catchUp();
      const at = "2026-05-06T10:00:00.000Z";
      expect(await store.duplicates.decide(A, B, "confirmed", "ana", at)).toMatchObject({
        state: "confirmed",
        decidedBy: "ana",
        decidedAt: at,
      });
      expect(await store.duplicates.decide(A, C, "rejected", "ana", at)).toMatchObject({ state: "rejected" });
      expect(await store.duplicates.decide(A, "https://nowhere.example/x", "confirmed", "ana", at)).toBeUndefined();
      // Re-imported with changes, deleted and back-filled: the decisions stay.
      await store.putInitiatives([listing(B, "Green Bay Projects Ltd", {}, YORK, "2026-05-07T00:00:00.000Z")]);
      await store.deleteInitiative({ id: C, deleted: "2026-05-07T00:00:00.000Z", origin: YORK });
      await store.purgeInitiatives([A]);
      await finder.catchUp();
      expect(await pairs()).toEqual(["ab:confirmed", "ac:rejected"]);
      await store.putInitiatives([
        listing(A, "Green Bay Projects", {}, LEEDS, "2026-05-08T00:00:00.000Z"),
        listing(C, "Green Bay Projects CIC", {}, YORK, "2026-05-08T00:00:00.000Z"),
      ]);
      await finder.catchUp();
      expect(await pairs()).toEqual(["ab:confirmed", "ac:rejected", "bc:candidate"]);
      expect((await store.duplicates.getPair(A, B))!.decidedBy).toBe("ana");
      expect((await store.duplicates.listPairs({ limit: 10, state: "rejected" })).items.map((p) => p.b)).toEqual([C]);
      expect((await store.duplicates.listPairs({ limit: 10, id: C })).items).toHaveLength(2);
      // Back to candidate.
      expect(await store.duplicates.decide(A, C, "candidate", "ana", at)).toMatchObject({ state: "candidate" });
      expect((await store.duplicates.getPair(A, C))!.decidedBy).toBeUndefined();
    });

    it("confirms automatically above the configured score, in the audit log.", async () => {
      const finder = new DuplicateFinder(store, { auto: 0.9 });
      const same = { homepage: "https://greenbay.example/", email: "hello@greenbay.example" };
      await store.putInitiatives([
        listing(A, "Green Bay Projects", same, LEEDS),
        listing(B, "Green Bay Projects", same, YORK),
        listing(C, "Green Bay Projects", {}, YORK),
      ]);
      const round = await finder.catchUp();
      expect(round.autoConfirmed.map((p) => [p.a, p.b, p.decidedBy])).toEqual([[A, B, "auto"]]);
      expect(await pairs()).toEqual(["ab:confirmed", "ac:candidate", "bc:candidate"]);
      const audit = (await store.audit.list({ limit: 10, actionPrefix: "duplicate." })).items;
      expect(audit).toMatchObject([{ action: "duplicate.confirm", target: `${A} ${B}`, actor: { kind: "system" } }]);
    });

    it("groups confirmed listings as decisions join and split them, shown by the own record or the first held.", async () => {
      const finder = new DuplicateFinder(store);
      const OWN = "https://leeds.example/initiatives/0own";
      await store.putInitiatives([
        listing(A, "Green Bay Projects", {}, LEEDS),
        listing(B, "Green Bay Projects", {}, YORK),
        listing(C, "Green Bay Projects CIC", {}, YORK),
        listing(OWN, "Green Bay Projects Ltd"),
      ]);
      await finder.catchUp();
      const ana = { kind: "cli", name: "ana" } as const;
      const shown = async () => {
        const out = (await store.search.search({ words: ["green"], facets: {}, collapse: true }, 10)).items;
        // Counts answered from kept counts (and whatever they keep between queries) agree.
        expect(await store.search.count({ facets: {}, collapse: true })).toBe(out.length);
        expect((await store.search.facets({ facets: {}, collapse: true })).total).toBe(out.length);
        expect((await store.search.facets({ words: ["green"], facets: {}, collapse: true })).total).toBe(out.length);
        return out.map((r) => r.initiative.id.slice(-1)).sort();
      };
      expect(await shown()).toEqual(["a", "b", "c", "n"]);
      await decidePair(store, B, A, "confirm", ana);
      expect(await shown()).toEqual(["a", "c", "n"]);
      // B = C joins C to A's group through B; the own record then stands for all four.
      await decidePair(store, B, C, "confirm", ana);
      await decidePair(store, OWN, C, "confirm", ana);
      expect((await store.duplicates.groupsOf([A])).get(A)).toEqual([OWN, A, B, C].sort());
      expect(await shown()).toEqual(["n"]);
      // Undoing B = C splits the group: A with B, OWN with C.
      await decidePair(store, B, C, "undo", ana);
      expect(await shown()).toEqual(["a", "n"]);
      // The record standing for a group goes (an unfollow): the next held one stands in after the finder's round.
      await store.purgeInitiatives([A]);
      await finder.catchUp();
      expect(await shown()).toEqual(["b", "n"]);
    });

    it("forgets the links and candidates of a record its network deleted, keeping rejections; an unfollow forgets nothing.", async () => {
      const finder = new DuplicateFinder(store);
      await store.putInitiatives([
        listing(A, "Green Bay Projects", {}, LEEDS),
        listing(B, "Green Bay Projects", {}, YORK),
        listing(C, "Green Bay Projects CIC", {}, YORK),
      ]);
      await finder.catchUp();
      const ana = { kind: "cli", name: "ana" } as const;
      await decidePair(store, A, B, "confirm", ana);
      await decidePair(store, B, C, "reject", ana);
      await store.purgeInitiatives([A]);
      await finder.catchUp();
      expect(await pairs()).toEqual(["ab:confirmed", "bc:rejected"]);
      await store.putInitiatives([listing(A, "Green Bay Projects", {}, LEEDS, "2026-05-08T00:00:00.000Z")]);
      await finder.catchUp();
      expect(await pairs()).toEqual(["ab:confirmed", "ac:candidate", "bc:rejected"]);
      await store.deleteInitiative({ id: B, deleted: "2026-05-09T00:00:00.000Z", origin: YORK });
      await finder.catchUp();
      expect(await pairs()).toEqual(["ac:candidate", "bc:rejected"]);
      expect((await store.duplicates.groupsOf([A, B])).size).toBe(0);
      const audit = (await store.audit.list({ limit: 1, actionPrefix: "duplicate." })).items;
      expect(audit).toMatchObject([{ action: "duplicate.undo", target: `${A} ${B}`, actor: { kind: "system" } }]);
      // Re-created under the same IRI, it is not proposed again with the listing it was rejected for.
      await store.putInitiatives([listing(B, "Green Bay Projects", {}, YORK, "2026-05-10T00:00:00.000Z")]);
      await finder.catchUp();
      expect(await pairs()).toEqual(["ab:candidate", "ac:candidate", "bc:rejected"]);
    });

    it("keeps links adopted from other networks by network and pair, replaces and forgets them.", async () => {
      const link = (publisher: string, a: string, b: string) => ({
        publisher,
        linkset: `${publisher.replace(/\/actors\/.*/, "")}/linksets/sameas`,
        a,
        b,
        score: 0.9,
        decidedBy: "ana",
        decidedAt: "2026-05-06T10:00:00.000Z",
        receivedAt: "2026-05-06T10:00:01.000Z",
      });
      await store.duplicates.adopt(link(YORK, A, B));
      await store.duplicates.adopt(link(LEEDS, A, C));
      await store.duplicates.adopt(link(LEEDS, A, B));
      await store.duplicates.adopt({ ...link(LEEDS, A, B), decidedBy: "bo" });
      const seen: string[] = [];
      let cursor: string | undefined;
      do {
        const page = await store.duplicates.adoptedLinks(2, cursor);
        seen.push(...page.items.map((l) => `${l.publisher} ${l.b.slice(-1)} ${l.decidedBy}`));
        cursor = page.next;
      } while (cursor);
      expect(seen).toEqual([`${LEEDS} b bo`, `${LEEDS} c ana`, `${YORK} b ana`]);
      // A record's own documents read the links with it on either side (indexed: migration 15/14).
      const of = async (id: string, limit = 10) =>
        (await store.duplicates.adoptedLinksOf(id, limit)).map(
          (l) => `${l.publisher} ${l.a.slice(-1)}${l.b.slice(-1)}`,
        );
      expect(await of(A)).toEqual([`${LEEDS} ab`, `${LEEDS} ac`, `${YORK} ab`]);
      expect(await of(B)).toEqual([`${LEEDS} ab`, `${YORK} ab`]);
      expect(await of(C)).toEqual([`${LEEDS} ac`]);
      expect(await of(A, 1)).toEqual([`${LEEDS} ab`]);
      expect(await of("https://nowhere.example/x")).toEqual([]);
      expect(await store.duplicates.unadopt(LEEDS, A, B)).toBe(true);
      expect(await store.duplicates.unadopt(LEEDS, A, B)).toBe(false);
      expect((await store.duplicates.adoptedLinks(10)).items).toHaveLength(2);
    });

    it("pages confirmed pairs in a stable order.", async () => {
      const ids = Array.from({ length: 5 }, (_, i) => `https://x.example/initiatives/${i}`);
      await store.putInitiatives(ids.map((id) => listing(id, "Green Bay Projects", {}, LEEDS)));
      await new DuplicateFinder(store).catchUp();
      const all = (await store.duplicates.listPairs({ limit: 100 })).items;
      expect(all).toHaveLength(10);
      for (const p of all.slice(0, 7))
        await store.duplicates.decide(p.a, p.b, "confirmed", "ana", "2026-05-06T10:00:00.000Z");
      const seen: string[] = [];
      let cursor: string | undefined;
      do {
        const page = await store.duplicates.confirmedPairs(3, cursor);
        seen.push(...page.items.map((p) => `${p.a} ${p.b}`));
        cursor = page.next;
      } while (cursor);
      expect(seen).toHaveLength(7);
      expect([...seen].sort()).toEqual(seen);
      const first = await store.duplicates.listPairs({ limit: 4 });
      const second = await store.duplicates.listPairs({ limit: 100, cursor: first.next! });
      expect(first.items.length + second.items.length).toBe(10);
    });

    it("does not compare on a key shared by too many records (bounded fan-out).", async () => {
      const many = Array.from({ length: 60 }, (_, i) =>
        listing(
          `https://x.example/initiatives/${i}`,
          `Member ${i} of a big network`,
          { homepage: "https://bignetwork.example/", address: { postcode: `LS${i} 1AA`, lat: 50 + i, long: 0 } },
          LEEDS,
        ),
      );
      await store.putInitiatives(many);
      const round = await new DuplicateFinder(store, { maxBlock: 50 }).catchUp();
      expect(round.crowdedKeys).toBeGreaterThan(0);
      expect(round.compared).toBe(0);
      expect(await pairs()).toEqual([]);
    });
  });
}
