/**
 * What a follower does with a linkset change it receives (the signed delivery itself is in
 * networks.test.ts): kept only when it adopts links, only from a network it follows, only when the
 * change is a well-formed owl:sameAs decision on the sender's own linkset; nothing stored otherwise.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import { linkActivity, onLinkChange } from "../../src/federation/linkset.ts";
import type { FederationContext } from "../../src/federation/context.ts";
import type { Json } from "../../src/federation/activities.ts";
import { makeIris } from "../../src/directory/ids.ts";
import { SqliteStore } from "../../src/store/sqlite/store.sqlite.ts";

const hub = makeIris("https://hub.example", "national");
const change = { a: "https://a.example/i/1", b: "https://b.example/i/2", score: 0.9, decidedBy: "ana" };
const add = linkActivity(hub, { kind: "Add", ...change, decidedAt: "2026-05-06T10:00:00.000Z" });
let dir: string;
let store: SqliteStore;
const ctx = (adopt: boolean) => ({ config: { sameAsAdopt: adopt }, store }) as unknown as FederationContext;
const kept = async () => (await store.duplicates.adoptedLinks(10)).items;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "essfed-linkset-"));
  store = new SqliteStore(join(dir, "essfed.sqlite"));
  await store.initialize();
});
afterAll(async () => {
  await store.close();
  rmSync(dir, { recursive: true, force: true });
});

describe("A linkset change arriving in the inbox", () => {
  it("is ignored from a network this one does not follow, or when this network does not adopt links.", async () => {
    expect(await onLinkChange(ctx(true), add, hub.actor)).toEqual({ status: "ignored" });
    await store.putFollowing({
      actor: hub.actor,
      inbox: `${hub.actor}/inbox`,
      followId: "f",
      state: "accepted",
      since: "x",
    });
    expect(await onLinkChange(ctx(false), add, hub.actor)).toEqual({ status: "ignored" });
    expect(await kept()).toEqual([]);
  });

  const object = add.object as Json;
  const broken: [string, Json][] = [
    ["a target on another host", { ...add, target: "https://elsewhere.example/linksets/sameas" }],
    ["no object", { ...add, object: "https://hub.example/x" }],
    [
      "another predicate",
      {
        ...add,
        object: { ...object, "http://www.w3.org/1999/02/22-rdf-syntax-ns#predicate": { id: "https://x.example/p" } },
      },
    ],
    [
      "a record linked to itself",
      { ...add, object: { ...object, "http://www.w3.org/1999/02/22-rdf-syntax-ns#object": { id: change.a } } },
    ],
    [
      "a subject that is no IRI",
      { ...add, object: { ...object, "http://www.w3.org/1999/02/22-rdf-syntax-ns#subject": { id: "javascript:x" } } },
    ],
    [
      "an IRI too long",
      {
        ...add,
        object: {
          ...object,
          "http://www.w3.org/1999/02/22-rdf-syntax-ns#subject": { id: `https://a.example/${"x".repeat(2100)}` },
        },
      },
    ],
    ["no decision time", { ...add, object: { ...object, "http://www.w3.org/ns/prov#generatedAtTime": "yesterday" } }],
  ];
  it.each(broken)("is refused as invalid with %s, nothing stored.", async (_n, activity) => {
    expect(await onLinkChange(ctx(true), activity, hub.actor)).toEqual({ status: "invalid" });
    expect(await kept()).toEqual([]);
  });

  it("is kept as the sender's link when adopted, and forgotten on its Remove.", async () => {
    expect(await onLinkChange(ctx(true), add, hub.actor)).toEqual({ status: "adopted" });
    expect(await kept()).toMatchObject([
      {
        publisher: hub.actor,
        linkset: "https://hub.example/linksets/sameas",
        ...change,
        decidedAt: "2026-05-06T10:00:00.000Z",
      },
    ]);
    const remove = { ...add, type: "Remove" };
    expect(await onLinkChange(ctx(true), remove, hub.actor)).toEqual({ status: "removed" });
    expect(await kept()).toEqual([]);
  });
});
