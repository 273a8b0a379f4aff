/**
 * A peer that behaves like Mastodon in secure mode (AUTHORIZED_FETCH): it answers unsigned GETs of
 * its actor with 401 and checks the signature of every GET and POST it gets. Such a server's users
 * can follow a network, and be followed by it, only if every fetch the network makes is signed —
 * including the lookup of the follower's key made while verifying its Follow.
 */
import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import { auth, startInstance, type TestInstance } from "../support/instance.ts";
import { eventually } from "../support/process.ts";
import { startFakeMastodon, type FakeMastodon } from "../support/fake-mastodon.ts";

let inst: TestInstance, alice: FakeMastodon, bob: FakeMastodon;
beforeAll(async () => {
  [inst, alice, bob] = await Promise.all([
    startInstance({ ESSFED_HANDLE: "coops" }),
    startFakeMastodon("alice", { secure: true }),
    startFakeMastodon("bob", { secure: true }),
  ]);
});
afterAll(async () => {
  await Promise.all([alice?.close(), bob?.close(), inst?.stop()]);
});

const ourKey = () => `${inst.iris.actor}#main-key`;

describe("A Mastodon server in secure mode", () => {
  it("refuses unsigned fetches of its actors (the peer really is in secure mode).", async () => {
    const res = await fetch(alice.actor, { headers: { accept: "application/activity+json" } });
    expect(res.status).toBe(401);
    expect(alice.gets.at(-1)).toEqual({ path: "/users/alice", status: 401 });
  });

  it("can follow us: the key lookup for its Follow is signed with our key, and our Accept verifies there.", async () => {
    const follow = {
      "@context": "https://www.w3.org/ns/activitystreams",
      id: `${alice.base}/follows/1`,
      type: "Follow",
      actor: alice.actor,
      object: inst.iris.actor,
    };
    const res = await alice.send(`${inst.iris.actor}/inbox`, follow);
    expect(res.status).toBe(202);
    expect((await inst.store.getFollower(alice.actor))?.state).toBe("accepted");
    // Every fetch of alice's actor was signed by our network actor, and answered.
    const ours = alice.gets.filter((g) => g.path === "/users/alice" && g.keyId);
    expect(ours.length).toBeGreaterThan(0);
    expect(ours.every((g) => g.keyId === ourKey() && g.status === 200)).toBe(true);
    const accept = await eventually(() => alice.inbox.find((r) => r.body.type === "Accept"), 10_000, "Accept");
    expect(accept.verified).toBe(true);
  });

  it("can be followed by us (acct: lookup, signed actor fetch, Follow, its Accept), and then gets our posts.", async () => {
    const host = new URL(bob.base).host;
    const res = await fetch(`${inst.base}/api/follows`, {
      method: "POST",
      headers: { ...auth, "content-type": "application/json" },
      body: JSON.stringify({ target: `acct:bob@${host}` }),
    });
    expect(res.status).toBe(202);
    await eventually(
      async () => (await inst.store.getFollowing(bob.actor))?.state === "accepted",
      10_000,
      "bob accepted our follow",
    );
    const follow = bob.inbox.find((r) => r.body.type === "Follow");
    expect(follow?.verified).toBe(true);
    expect(bob.gets.filter((g) => g.path === "/users/bob").every((g) => g.keyId === ourKey() && g.status === 200)).toBe(
      true,
    );
    // bob's Accept came in signed; verifying it needed bob's key, fetched signed, which bob answered.
    expect(bob.gets.filter((g) => g.status === 401)).toEqual([]);
  });
});
