/**
 * Follow relations between two in-process instances over real HTTP: approval held for the admin,
 * unfollow with the mirrors removed or kept, and reconciliation repairing what was missed.
 */
import { afterEach, describe, expect, it } from "@jest/globals";
import { auth, startInstance, type TestInstance } from "../support/instance.ts";
import { eventually, initiativeBody } from "../support/process.ts";

const started: TestInstance[] = [];
async function start(env: Record<string, string>): Promise<TestInstance> {
  const i = await startInstance(env);
  started.push(i);
  return i;
}
afterEach(async () => {
  await Promise.all(started.splice(0).map((i) => i.stop()));
});

async function create(inst: TestInstance, name: string): Promise<string> {
  const res = await fetch(`${inst.base}/initiatives`, {
    method: "POST",
    headers: { "content-type": "application/ld+json", ...auth },
    body: initiativeBody(name),
  });
  expect(res.status).toBe(201);
  return res.headers.get("location")!;
}
async function api(inst: TestInstance, path: string, method = "GET", body?: unknown): Promise<Response> {
  return fetch(inst.base + path, {
    method,
    headers: { ...auth, ...(body ? { "content-type": "application/json" } : {}) },
    ...(body ? { body: JSON.stringify(body) } : {}),
  });
}

describe("Following", () => {
  it("holds a follow request for the admin when approval is manual, and back-fills once approved.", async () => {
    const source = await start({ ESSFED_HANDLE: "source", ESSFED_FOLLOW_APPROVAL: "manual" });
    const follower = await start({ ESSFED_HANDLE: "follower" });
    const id = await create(source, "Held Co-op");
    expect((await api(follower, "/api/follows", "POST", { target: source.iris.actor })).status).toBe(202);
    const pending = await eventually(
      async () => (await source.store.getFollower(follower.iris.actor))?.state === "pending",
      10_000,
      "pending follower",
    );
    expect(pending).toBe(true);
    expect((await follower.store.getFollowing(source.iris.actor))?.state).toBe("pending");
    expect(await follower.store.getInitiative(id)).toBeUndefined();

    expect((await api(source, "/api/followers/accept", "POST", { actor: follower.iris.actor })).status).toBe(200);
    await eventually(async () => follower.store.getInitiative(id), 10_000, "back-fill after approval");
    expect((await follower.store.getFollowing(source.iris.actor))?.state).toBe("accepted");
  });

  it("on unfollow sends Undo and removes the mirrored records without tombstones.", async () => {
    const source = await start({ ESSFED_HANDLE: "source" });
    const follower = await start({ ESSFED_HANDLE: "follower" });
    const id = await create(source, "Soon Unfollowed Co-op");
    await api(follower, "/api/follows", "POST", { target: source.iris.actor });
    await eventually(async () => follower.store.getInitiative(id), 10_000, "back-fill");
    const res = await api(follower, `/api/follows?actor=${encodeURIComponent(source.iris.actor)}`, "DELETE");
    expect(await res.json()).toEqual({ unfollowed: source.iris.actor, removed: 1 });
    expect(await follower.store.getInitiative(id)).toBeUndefined();
    expect(await follower.store.getTombstone(id)).toBeUndefined();
    await eventually(
      async () => (await source.store.getFollower(follower.iris.actor)) === undefined,
      10_000,
      "Undo processed",
    );
    // Following again brings the records back.
    await api(follower, "/api/follows", "POST", { target: source.iris.actor });
    await eventually(async () => follower.store.getInitiative(id), 10_000, "back-fill after re-follow");
  });

  it("keeps mirrored records on unfollow when configured to.", async () => {
    const source = await start({ ESSFED_HANDLE: "source" });
    const follower = await start({ ESSFED_HANDLE: "follower", ESSFED_UNFOLLOW_MIRRORS: "keep" });
    const id = await create(source, "Kept Co-op");
    await api(follower, "/api/follows", "POST", { target: source.iris.actor });
    await eventually(async () => follower.store.getInitiative(id), 10_000, "back-fill");
    const res = await api(follower, `/api/follows?actor=${encodeURIComponent(source.iris.actor)}`, "DELETE");
    expect(((await res.json()) as { removed: number }).removed).toBe(0);
    expect(await follower.store.getInitiative(id)).toBeDefined();
  });

  it("reconciles: records missed while not delivered arrive, and records gone at the origin are deleted.", async () => {
    const source = await start({ ESSFED_HANDLE: "source" });
    const follower = await start({ ESSFED_HANDLE: "follower" });
    const gone = await create(source, "Will Vanish Co-op");
    await api(follower, "/api/follows", "POST", { target: source.iris.actor });
    await eventually(async () => follower.store.getInitiative(gone), 10_000, "back-fill");
    // Deliveries stop reaching the follower (as if lost), then the source changes.
    await source.store.removeFollower(follower.iris.actor);
    const missed = await create(source, "Missed Co-op");
    expect((await fetch(gone, { method: "DELETE", headers: auth })).status).toBe(204);
    expect(await follower.store.getInitiative(missed)).toBeUndefined();
    const report = await follower.runtime.backfill(source.iris.actor, true);
    expect(report).toEqual(expect.objectContaining({ created: 1, deleted: 1 }));
    expect(await follower.store.getInitiative(missed)).toBeDefined();
    expect(await follower.store.getInitiative(gone)).toBeUndefined();
    expect(await follower.store.getTombstone(gone)).toBeDefined();
  });

  it("refuses to follow without the admin token, or an unreachable target, with problem details.", async () => {
    const follower = await start({ ESSFED_HANDLE: "follower" });
    const unauth = await fetch(`${follower.base}/api/follows`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ target: "x" }),
    });
    expect(unauth.status).toBe(401);
    const bad = await api(follower, "/api/follows", "POST", { nothing: true });
    expect(bad.status).toBe(400);
    const unreachable = await api(follower, "/api/follows", "POST", { target: "http://127.0.0.1:1/actors/nobody" });
    expect(unreachable.status).toBe(502);
    expect(await follower.store.listFollowing()).toEqual([]);
  });
});
