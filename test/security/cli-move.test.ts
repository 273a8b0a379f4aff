/**
 * Hostile Moves: a stranger (or a followed network) claims that a network moved. A Move is followed
 * only when it is signed by the actor that moves itself, this instance follows that actor, and the
 * target names it in `alsoKnownAs`; otherwise it is ignored or refused (403) and nothing changes —
 * the follow, the mirrored records and the delivery queue stay as they were — while an ordinary
 * request is answered meanwhile.
 */
import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import { startInstance, type TestInstance } from "../support/instance.ts";
import { postActivity } from "../support/sender.ts";

let follower: TestInstance, origin: TestInstance, stranger: TestInstance;
const mirrored = "https://unused.example/initiatives/x";

beforeAll(async () => {
  [follower, origin, stranger] = await Promise.all([
    startInstance(),
    startInstance({ ESSFED_HANDLE: "origin" }),
    startInstance({ ESSFED_HANDLE: "stranger" }),
  ]);
  // The follower follows `origin` and holds a record mirrored from it.
  await follower.store.putFollowing({
    actor: origin.iris.actor,
    inbox: `${origin.base}/inbox`,
    followId: `${follower.base}/activities/f1`,
    state: "accepted",
    since: new Date().toISOString(),
  });
  const id = mirrored.replace("https://unused.example", origin.base);
  await follower.store.putInitiatives([
    {
      initiative: {
        id,
        name: "Mirrored Co-op",
        organisationalStructure: [],
        legalForm: [],
        activities: [],
        qualifiers: [],
        sameAs: [],
      },
      published: "2026-01-01T00:00:00.000Z",
      updated: "2026-01-01T00:00:00.000Z",
      version: "v1",
      provenance: { origin: origin.iris.actor, via: [], receivedAt: "2026-01-01T00:00:00.000Z" },
    },
  ]);
}, 60_000);
afterAll(async () => {
  await Promise.all([follower?.stop(), origin?.stop(), stranger?.stop()]);
});

const move = (actor: string, object: string, target: string) => ({
  "@context": "https://www.w3.org/ns/activitystreams",
  id: `${actor}#move-${Math.random().toString(36).slice(2)}`,
  type: "Move",
  actor,
  object,
  target,
});

/** Posts the Move, with an ordinary read by someone else alongside; returns the Move's answer. */
async function sendAlongside(
  sender: TestInstance,
  activity: Record<string, unknown>,
): Promise<{ status: number; body: Record<string, unknown> }> {
  const [res, ordinary] = await Promise.all([
    postActivity(sender, `${follower.base}/inbox`, activity),
    fetch(`${follower.base}/api/initiatives?limit=1`, { headers: { accept: "application/ld+json" } }),
  ]);
  expect(ordinary.status).toBe(200);
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

async function nothingChanged(): Promise<void> {
  expect((await follower.store.listFollowing()).map((f) => [f.actor, f.state])).toEqual([
    [origin.iris.actor, "accepted"],
  ]);
  expect(await follower.store.countInitiatives(origin.iris.actor)).toBe(1);
  expect(await follower.store.queue("delivery").pending()).toBe(0);
}

describe("A Move", () => {
  it("to a target that does not name the mover in alsoKnownAs is refused with 403.", async () => {
    const r = await sendAlongside(origin, move(origin.iris.actor, origin.iris.actor, stranger.iris.actor));
    expect(r.status).toBe(403);
    expect(String(r.body.detail)).toContain(`does not name ${origin.iris.actor} among the actors it was`);
    await nothingChanged();
  });

  it("of another actor than its sender is ignored.", async () => {
    const r = await sendAlongside(stranger, move(stranger.iris.actor, origin.iris.actor, stranger.iris.actor));
    expect([r.status, r.body.status]).toEqual([202, "ignored"]);
    await nothingChanged();
  });

  it("by an actor this instance does not follow is ignored.", async () => {
    const r = await sendAlongside(stranger, move(stranger.iris.actor, stranger.iris.actor, origin.iris.actor));
    expect([r.status, r.body.status]).toEqual([202, "ignored"]);
    await nothingChanged();
  });

  it("to a target that cannot be fetched is ignored.", async () => {
    const r = await sendAlongside(origin, move(origin.iris.actor, origin.iris.actor, `${origin.base}/actors/nobody`));
    expect([r.status, r.body.status]).toEqual([202, "ignored"]);
    await nothingChanged();
  });

  it("in the name of a followed network but signed by someone else is refused with 401.", async () => {
    const forged = move(origin.iris.actor, origin.iris.actor, stranger.iris.actor);
    const r = await sendAlongside(stranger, forged);
    expect(r.status).toBe(401);
    await nothingChanged();
  });
});
