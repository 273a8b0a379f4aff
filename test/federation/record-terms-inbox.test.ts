/**
 * The choke point where records arrive from peers (issue 17, item 3): an instance sends only public
 * contact fields, so a document naming a field kept to its owner's network (or not shared) is
 * refused whole — neither stored nor relayed — and the peer's next good document is taken. The inbox
 * answers 422 naming the field, as for any record that fails validation, so the peer learns of it.
 */
import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import { auth, startInstance, type TestInstance } from "../support/instance.ts";
import { eventually } from "../support/process.ts";
import { createActivity, postActivity } from "../support/sender.ts";

let receiver: TestInstance, friend: TestInstance;
beforeAll(async () => {
  [receiver, friend] = await Promise.all([
    startInstance({ ESSFED_HANDLE: "receiver" }),
    startInstance({ ESSFED_HANDLE: "friend" }),
  ]);
  const res = await fetch(`${receiver.base}/api/follows`, {
    method: "POST",
    headers: { ...auth, "content-type": "application/json" },
    body: JSON.stringify({ target: friend.iris.actor }),
  });
  if (res.status !== 202) throw new Error(`follow: ${res.status}`);
  await eventually(
    async () => (await receiver.store.getFollowing(friend.iris.actor))?.state === "accepted",
    15_000,
    "receiver follows friend",
  );
}, 60_000);
afterAll(async () => {
  await Promise.all([receiver?.stop(), friend?.stop()]);
});

function withContact(id: string, level: string): Record<string, unknown> {
  const a = createActivity(friend.iris.actor, id);
  (a["@context"] as unknown[]).push({
    vcard: "http://www.w3.org/2006/vcard/ns#",
    essfed: "https://w3id.org/essfed/ns#",
  });
  Object.assign(a.object as Record<string, unknown>, {
    "vcard:hasEmail": { "vcard:value": "kept.private@friend.example" },
    "essfed:emailSharing": level,
  });
  return a;
}

describe("A peer's document naming a field its owner does not share", () => {
  it.each(["network", "none"])(
    "is refused when the email is marked %s: nothing stored, the next one taken.",
    async (level) => {
      const id = friend.iris.initiative(`withheld-${level}`);
      const refused = await postActivity(friend, `${receiver.base}/inbox`, withContact(id, level));
      expect(refused.status).toBe(422);
      const p = (await refused.json()) as { code: string; errors: { field: string }[] };
      expect(p).toMatchObject({ code: "invalid-initiative", errors: [{ field: "sharing.email" }] });
      const next = friend.iris.initiative(`after-${level}`);
      expect(
        (await postActivity(friend, `${receiver.base}/inbox`, createActivity(friend.iris.actor, next))).status,
      ).toBe(202);
      await eventually(async () => receiver.store.getInitiative(next), 10_000, "the next document stored");
      expect(await receiver.store.getInitiative(id)).toBeUndefined();
      expect(await receiver.store.getTombstone(id)).toBeUndefined();
    },
  );

  it("is taken when the email is marked public, and stored without a level (everything received is public).", async () => {
    const id = friend.iris.initiative("public-email");
    const res = await postActivity(friend, `${receiver.base}/inbox`, withContact(id, "public"));
    expect(res.status).toBe(202);
    const rec = await eventually(async () => receiver.store.getInitiative(id), 10_000, "stored");
    expect(rec.initiative.email).toBe("kept.private@friend.example");
    expect(rec.initiative.sharing).toBeUndefined();
  });
});
