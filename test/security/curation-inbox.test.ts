/**
 * Hostile input to curation from the network: reports (Flag) from strangers, about records we do
 * not hold, or oversized; anything from a blocked network or domain; a blocked origin's record
 * relayed by a network we follow; a withdrawal (Undo of an Announce) from someone who never passed
 * the record on. Each is refused or ignored, with nothing queued, stored, removed or relayed.
 */
import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import { auth, startInstance, type TestInstance } from "../support/instance.ts";
import { eventually, initiativeBody } from "../support/process.ts";
import { createActivity, postActivity } from "../support/sender.ts";
import { startFakeMastodon, type FakeMastodon } from "../support/fake-mastodon.ts";

let receiver: TestInstance, friend: TestInstance, origin: TestInstance;
let follower: FakeMastodon, stranger: FakeMastodon;
let inbox: string, own: string, relayed: string;

async function create(inst: TestInstance, name: string): Promise<string> {
  const res = await fetch(`${inst.base}/initiatives`, {
    method: "POST",
    headers: { "content-type": "application/ld+json", ...auth },
    body: initiativeBody(name),
  });
  expect(res.status).toBe(201);
  return res.headers.get("location")!;
}
async function follow(from: TestInstance, to: TestInstance): Promise<void> {
  await fetch(`${from.base}/api/follows`, {
    method: "POST",
    headers: { ...auth, "content-type": "application/json" },
    body: JSON.stringify({ target: to.iris.actor }),
  });
  await eventually(
    async () => (await from.store.getFollowing(to.iris.actor))?.state === "accepted",
    15_000,
    "follow accepted",
  );
}
async function problem(res: Response, status: number, code: string): Promise<void> {
  expect(res.status).toBe(status);
  expect(res.headers.get("content-type")).toContain("application/problem+json");
  expect(((await res.json()) as { code: string }).code).toBe(code);
}
const flag = (from: FakeMastodon, object: unknown, content: unknown) => ({
  "@context": "https://www.w3.org/ns/activitystreams",
  id: `${from.actor}#flag-${Math.random().toString(36).slice(2)}`,
  type: "Flag",
  actor: from.actor,
  object,
  content,
});
const queued = () => receiver.store.curation.countQueue();

beforeAll(async () => {
  [receiver, friend, origin, follower, stranger] = await Promise.all([
    startInstance({ ESSFED_HANDLE: "receiver" }),
    startInstance({ ESSFED_HANDLE: "friend" }),
    startInstance({ ESSFED_HANDLE: "origin" }),
    startFakeMastodon("follower"),
    startFakeMastodon("stranger"),
  ]);
  inbox = `${receiver.base}/inbox`;
  const followed = await follower.send(inbox, {
    "@context": "https://www.w3.org/ns/activitystreams",
    id: `${follower.actor}#follow`,
    type: "Follow",
    actor: follower.actor,
    object: receiver.iris.actor,
  });
  if (followed.status !== 202) throw new Error(`the follower's Follow was answered ${followed.status}`);
  own = await create(receiver, "Own Co-op");
  await follow(friend, origin);
  await follow(receiver, friend);
  relayed = await create(origin, "Relayed Co-op");
  await eventually(async () => receiver.store.getInitiative(relayed), 15_000, "relayed record at the receiver");
  await eventually(
    async () => (await receiver.store.queue("delivery").pending()) === 0,
    15_000,
    "receiver's queue drained",
  );
}, 60_000);
afterAll(async () => {
  // The instances stop (which removes their data directories); the fake Mastodons close.
  await Promise.all([
    ...[receiver, friend, origin].map((i) => (i as TestInstance | undefined)?.stop()),
    ...[follower, stranger].map((m) => (m as FakeMastodon | undefined)?.close()),
  ]);
});

describe("Curation refuses hostile input from the network", () => {
  it("takes a follower's report about one of our records or a mirror into the queue, with its text.", async () => {
    expect(
      (await follower.send(inbox, flag(follower, [follower.actor, own, relayed], "Closed since 2024"))).status,
    ).toBe(202);
    const items = (await receiver.store.curation.listQueue({ limit: 10, kind: "report" })).items;
    expect(items.map((i) => [i.target, i.text, i.from])).toEqual([
      [own, "Closed since 2024", follower.actor],
      [relayed, "Closed since 2024", follower.actor],
    ]);
    await receiver.store.curation.dequeue(items.map((i) => i.n));
  });

  it("refuses a report from someone who does not follow us.", async () => {
    await problem(await stranger.send(inbox, flag(stranger, own, "spam")), 403, "not-a-follower");
    expect(await queued()).toBe(0);
  });

  it("refuses a report about nothing we hold.", async () => {
    await problem(
      await follower.send(
        inbox,
        flag(follower, [`${receiver.base}/initiatives/none`, "https://elsewhere.example/x"], "gone"),
      ),
      403,
      "unknown-record",
    );
    expect(await queued()).toBe(0);
  });

  it("refuses an oversized report, and a report whose text is not text.", async () => {
    await problem(await follower.send(inbox, flag(follower, own, "x".repeat(4001))), 413, "report-too-long");
    await problem(await follower.send(inbox, flag(follower, own, { html: "<b>x</b>" })), 400, "invalid-report");
    expect(await queued()).toBe(0);
  });

  it("refuses a blocked origin's record relayed by a network we follow, and its deletion; nothing is stored or relayed.", async () => {
    const r = await fetch(`${receiver.base}/api/sources`, {
      method: "PUT",
      headers: { ...auth, "content-type": "application/json" },
      body: JSON.stringify({ source: origin.iris.actor, policy: "block" }),
    });
    expect(await r.json()).toMatchObject({ withheld: 1 });
    expect(await receiver.store.getInitiative(relayed)).toBeUndefined();
    const before = follower.inbox.length;
    const fresh = await create(origin, "Another Relayed Co-op");
    await eventually(async () => friend.store.getInitiative(fresh), 15_000, "friend has it");
    await eventually(
      async () => (await friend.store.queue("delivery").pending()) === 0,
      15_000,
      "friend's deliveries sent",
    );
    expect(await receiver.store.getInitiative(fresh)).toBeUndefined();
    expect(await receiver.store.curation.getWithheld(fresh)).toBeUndefined();
    // A deletion on the blocked origin's behalf is neither applied to the kept copy nor passed on.
    expect((await fetch(relayed, { method: "DELETE", headers: auth })).status).toBe(204);
    await eventually(
      async () => (await friend.store.queue("delivery").pending()) === 0,
      15_000,
      "friend's deliveries sent",
    );
    expect((await receiver.store.curation.getWithheld(relayed))?.state).toBe("blocked");
    expect(await receiver.store.getTombstone(relayed)).toBeUndefined();
    await eventually(
      async () => (await receiver.store.queue("delivery").pending()) === 0,
      15_000,
      "receiver's queue drained",
    );
    // The follower was told the blocked record is withdrawn, and nothing else about that origin.
    const got = follower.inbox.slice(before).map((m) => m.body);
    expect(got.map((a) => a.type)).toEqual(["Undo"]);
    expect((got[0]!.object as { object: string }).object).toBe(relayed);
  }, 60_000);

  it("refuses everything signed by a blocked network, even a Follow.", async () => {
    await fetch(`${receiver.base}/api/sources`, {
      method: "PUT",
      headers: { ...auth, "content-type": "application/json" },
      body: JSON.stringify({ source: friend.iris.actor, policy: "block" }),
    });
    await problem(
      await postActivity(friend, inbox, createActivity(friend.iris.actor, `${friend.base}/initiatives/direct`)),
      403,
      "blocked",
    );
    await problem(
      await postActivity(friend, inbox, {
        "@context": "https://www.w3.org/ns/activitystreams",
        id: `${friend.iris.actor}#f2`,
        type: "Follow",
        actor: friend.iris.actor,
        object: receiver.iris.actor,
      }),
      403,
      "blocked",
    );
    expect(await receiver.store.getFollower(friend.iris.actor)).toBeUndefined();
    await fetch(`${receiver.base}/api/sources?source=${encodeURIComponent(friend.iris.actor)}`, {
      method: "DELETE",
      headers: auth,
    });
  }, 30_000);

  it("ignores a withdrawal from a network that never passed the record on, and one of our own records.", async () => {
    const undo = (actor: string, object: string) => ({
      "@context": "https://www.w3.org/ns/activitystreams",
      id: `${actor}#undo-${Math.random()}`,
      type: "Undo",
      actor,
      object: { type: "Announce", actor, object },
    });
    const mirrored = await create(friend, "Friend's Own Co-op");
    await eventually(async () => receiver.store.getInitiative(mirrored), 15_000, "friend's record at the receiver");
    expect(await (await stranger.send(inbox, undo(stranger.actor, mirrored))).json()).toEqual({ status: "ignored" });
    expect(await (await postActivity(friend, inbox, undo(friend.iris.actor, own))).json()).toEqual({
      status: "ignored",
    });
    await problem(await postActivity(origin, inbox, undo(origin.iris.actor, mirrored)), 403, "blocked");
    expect(await receiver.store.getInitiative(mirrored)).toBeDefined();
    expect(await receiver.store.getInitiative(own)).toBeDefined();
    // The network that did pass it on may withdraw it.
    expect(await (await postActivity(friend, inbox, undo(friend.iris.actor, mirrored))).json()).toEqual({
      status: "withdrawn",
    });
    expect(await receiver.store.getInitiative(mirrored)).toBeUndefined();
  }, 30_000);
});
