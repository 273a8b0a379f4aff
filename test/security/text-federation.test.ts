/**
 * Text that every store holds (issue 10 item 3), from other networks, on both stores: an inbox
 * activity holding NUL, an unpaired surrogate or another character essfed does not store — in a
 * field it reads or anywhere else, since activities are relayed and queued whole — or an id too
 * long to be a key, is refused with 422 before it is handled: nothing stored, queued or relayed,
 * and the peer's next good activity is taken. A directory page holding bad records (a peer on an
 * older essfed let them in) is back-filled without them: the rest of the page is stored, the bad
 * ones are counted as refused.
 */
import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import { emptyInitiative } from "../../src/domain/initiative.ts";
import { versionOf } from "../../src/domain/version.ts";
import { backfill } from "../../src/federation/backfill.ts";
import { auth, startInstance, type TestInstance } from "../support/instance.ts";
import { eventually } from "../support/process.ts";
import { createActivity, postActivity } from "../support/sender.ts";
import { startFakeMastodon, type FakeMastodon } from "../support/fake-mastodon.ts";
import { alongside } from "../support/remote-site.ts";
import { databaseUrl, dropSchema, randomSchema } from "../support/postgres.ts";
import { describePostgres } from "../support/describe-postgres.ts";

async function follow(from: TestInstance, to: TestInstance): Promise<void> {
  const res = await fetch(`${from.base}/api/follows`, {
    method: "POST",
    headers: { ...auth, "content-type": "application/json" },
    body: JSON.stringify({ target: to.iris.actor }),
  });
  expect(res.status).toBe(202);
  await eventually(
    async () => (await from.store.getFollowing(to.iris.actor))?.state === "accepted",
    15_000,
    `${from.config.handle} follows ${to.config.handle}`,
  );
}

function describeFederatedText(
  title: string,
  receiverEnv: () => Record<string, string>,
  after: () => Promise<void> = async () => {},
): void {
  // receiver: under test; friend: a network it follows (SQLite, so it can hold what PostgreSQL
  // cannot, as an older essfed might have); watcher: a Mastodon-style follower of the receiver.
  let receiver: TestInstance, friend: TestInstance, watcher: FakeMastodon;
  let inbox: string;
  const good: string[] = [];
  const bad: string[] = [];

  beforeAll(async () => {
    [receiver, friend, watcher] = await Promise.all([
      startInstance({ ESSFED_HANDLE: "receiver", ...receiverEnv() }),
      startInstance({ ESSFED_HANDLE: "friend" }),
      startFakeMastodon("watcher"),
    ]);
    inbox = `${receiver.base}/inbox`;
    expect(
      (
        await watcher.send(inbox, {
          "@context": "https://www.w3.org/ns/activitystreams",
          id: `${watcher.actor}#follow`,
          type: "Follow",
          actor: watcher.actor,
          object: receiver.iris.actor,
        })
      ).status,
    ).toBe(202);
    // The friend's directory: good records around bad ones written past its validation.
    const now = new Date().toISOString();
    const put = async (local: string, name: string, description?: string) => {
      const i = { ...emptyInitiative(friend.iris.initiative(local), name), ...(description ? { description } : {}) };
      await friend.store.putInitiatives([{ initiative: i, published: now, updated: now, version: versionOf(i) }]);
      return i.id;
    };
    good.push(await put("good-1", "Good One"));
    bad.push(await put("bad-nul", "Bad\u0000Name"));
    good.push(await put("good-2", "Good Two"));
    bad.push(await put("bad-surrogate", "Bad Surrogate", "caf\uD800"));
    good.push(await put("good-3", "Good Three"));
    await follow(receiver, friend);
    await eventually(
      async () => (await receiver.store.countInitiatives(friend.iris.actor)) >= good.length,
      15_000,
      "back-fill of the good records",
    );
    await eventually(
      () => good.every((id) => watcher.inbox.some((r) => JSON.stringify(r.body).includes(id))),
      20_000,
      "relays of the back-fill sent",
    );
  }, 90_000);

  afterAll(async () => {
    await Promise.all([receiver, friend].map((i) => i?.stop()));
    await watcher?.close();
    await after();
  });

  /** Nothing about `id` stored at the receiver, queued for its followers, or relayed to them. */
  async function nothingTaken(id: string): Promise<void> {
    expect(await receiver.store.getInitiative(id)).toBeUndefined();
    expect(await receiver.store.getTombstone(id)).toBeUndefined();
    // Whatever was queued is sent by now; none of it was about `id`.
    await eventually(
      async () => (await receiver.store.queue("delivery").pending()) === 0,
      20_000,
      "the receiver's queue drained",
    );
    expect(watcher.inbox.filter((r) => JSON.stringify(r.body).includes(id))).toEqual([]);
  }

  async function refused(activity: Record<string, unknown>, code: string): Promise<{ detail: string }> {
    const r = await alongside(receiver, () => postActivity(friend, inbox, activity));
    expect(r.ordinary).toBe(200);
    expect(r.hostile.status).toBe(422);
    expect(r.hostile.headers.get("content-type")).toContain("application/problem+json");
    const p = (await r.hostile.json()) as { code: string; detail: string };
    expect(p.code).toBe(code);
    return p;
  }

  const objectId = () => friend.iris.initiative(`sent-${Math.random().toString(36).slice(2)}`);

  // eslint-disable-next-line jest/valid-title -- the title is the caller's
  describe(title, () => {
    it("back-fills a directory page without its bad records: the rest is stored, the bad ones counted as refused.", async () => {
      for (const id of good) expect((await receiver.store.getInitiative(id))?.initiative.name).toMatch(/^Good /);
      for (const id of bad) await nothingTaken(id);
      const following = (await receiver.store.getFollowing(friend.iris.actor))!;
      const report = await backfill(receiver.runtime.ctx, following, true);
      expect(report).toMatchObject({ items: 5, refused: 2, unchanged: 3, created: 0 });
      for (const id of good) expect(await receiver.store.getInitiative(id)).toBeDefined();
    }, 60_000);

    it("refuses a Create with NUL in the name it would store, and takes the peer's next good one.", async () => {
      const id = objectId();
      const a = createActivity(friend.iris.actor, id, friend.iris.actor, "Bakery\u0000");
      const p = await refused(a, "unstorable-text");
      expect(p.detail).toContain('activity.object["gr:name"]');
      expect(p.detail).toContain("U+0000");
      await nothingTaken(id);
      const next = objectId();
      expect((await postActivity(friend, inbox, createActivity(friend.iris.actor, next))).status).toBe(202);
      expect(await receiver.store.getInitiative(next)).toBeDefined();
      await eventually(async () => (await receiver.store.queue("delivery").pending()) === 0, 15_000, "relay sent");
    });

    it("refuses a Create with an unpaired surrogate in a property essfed does not read (it would be relayed whole).", async () => {
      const id = objectId();
      const a = createActivity(friend.iris.actor, id);
      (a.object as Record<string, unknown>).summary = "\uDBFF";
      expect((await refused(a, "unstorable-text")).detail).toContain("activity.object.summary");
      await nothingTaken(id);
    });

    it("refuses U+FFFE in a key of the activity.", async () => {
      const id = objectId();
      await refused({ ...createActivity(friend.iris.actor, id), "x\uFFFE": "y" }, "unstorable-text");
      await nothingTaken(id);
    });

    it("refuses a Follow whose id holds a control character, and keeps no follower for it.", async () => {
      const follow = {
        "@context": "https://www.w3.org/ns/activitystreams",
        id: `${friend.base}/follows/\u0001`,
        type: "Follow",
        actor: friend.iris.actor,
        object: receiver.iris.actor,
      };
      await refused(follow, "unstorable-text");
      expect(await receiver.store.getFollower(friend.iris.actor)).toBeUndefined();
    });

    it("refuses an activity whose id is too long to be a key of the seen-activities table.", async () => {
      const id = objectId();
      await refused(
        { ...createActivity(friend.iris.actor, id), id: `${friend.base}/activities/${"中".repeat(700)}` },
        "iri-too-long",
      );
      await nothingTaken(id);
    });

    it("refuses a Delete of an object whose id is too long to be a tombstone's key.", async () => {
      const id = `${friend.base}/initiatives/${"é".repeat(1200)}`;
      await refused(
        { ...createActivity(friend.iris.actor, id), type: "Delete", object: { id, type: "Tombstone" } },
        "iri-too-long",
      );
      await nothingTaken(id);
    });
  });
}

describeFederatedText("A receiver on SQLite", () => ({}));

describePostgres("A receiver on PostgreSQL", () => {
  const schema = randomSchema("txtfed");
  describeFederatedText(
    "holds only text every store holds",
    () => ({ DATABASE_URL: databaseUrl(schema) }),
    () => dropSchema(schema),
  );
});
