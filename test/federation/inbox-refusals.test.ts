/**
 * Every refusal at the inbox (issue 3 item 8), each against a real instance over HTTP, and each
 * leaving stored data untouched. A correctly signed activity from the same sender is accepted, so
 * the refusals are not an inbox that refuses everything. The receiver follows the sender: it takes
 * initiatives only from networks it follows (those refusals are in test/security).
 */
import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import { generateCryptoKeyPair } from "@fedify/fedify/sig";
import { createActivity, followAccepted, postActivity } from "../support/sender.ts";
import { startInstance, type TestInstance } from "../support/instance.ts";

let receiver: TestInstance, sender: TestInstance, third: TestInstance, strict: TestInstance;
let inbox: string;

beforeAll(async () => {
  [receiver, sender, third, strict] = await Promise.all([
    startInstance({ ESSFED_HANDLE: "receiver" }),
    startInstance({ ESSFED_HANDLE: "sender" }),
    startInstance({ ESSFED_HANDLE: "third" }),
    startInstance({ ESSFED_HANDLE: "strict", ESSFED_ALLOW_PRIVATE: "false" }),
  ]);
  inbox = `${receiver.base}/inbox`;
  await followAccepted(receiver, sender, 15_000);
});
afterAll(async () => {
  await Promise.all([receiver, sender, third, strict].map((i) => i?.stop()));
});

const objectOf = (sender: TestInstance) => `${sender.base}/initiatives/test-${Math.random().toString(36).slice(2)}`;

async function expectNothingStored(target: TestInstance, objectId: string): Promise<void> {
  expect(await target.store.getInitiative(objectId)).toBeUndefined();
  expect(await target.store.countInitiatives()).toBe(1); // only the positive control's record
  expect(await target.store.listFollowers()).toEqual([]);
}

async function problem(res: Response, status: number): Promise<{ code: string; detail: string }> {
  expect(res.status).toBe(status);
  expect(res.headers.get("content-type")).toContain("application/problem+json");
  return res.json() as Promise<{ code: string; detail: string }>;
}

describe("The inbox", () => {
  it("accepts a Create signed by the object's owner (the positive control).", async () => {
    const id = objectOf(sender);
    const res = await postActivity(sender, inbox, createActivity(sender.iris.actor, id));
    expect(res.status).toBe(202);
    expect((await receiver.store.getInitiative(id))?.provenance?.origin).toBe(sender.iris.actor);
  });

  it("accepts RFC 9421 HTTP Message Signatures as well as draft-cavage.", async () => {
    const res = await postActivity(
      sender,
      inbox,
      { ...createActivity(sender.iris.actor, objectOf(sender)), type: "Like", object: "urn:x" },
      { spec: "rfc9421" },
    );
    expect(res.status).toBe(202);
  });

  it("refuses every method but POST, itself, with problem+json (Fedify does not answer the inbox paths).", async () => {
    for (const [method, url] of [
      ["GET", inbox],
      ["PUT", inbox],
      ["GET", `${receiver.base}/actors/receiver/inbox`],
    ] as const) {
      const res = await fetch(url, { method, headers: { accept: "application/activity+json" } });
      expect(res.headers.get("allow")).toBe("POST");
      expect((await problem(res, 405)).code).toBe("method-not-allowed");
    }
    const actor = (await (
      await fetch(receiver.iris.actor, { headers: { accept: "application/activity+json" } })
    ).json()) as { inbox: string; endpoints: { sharedInbox: string } };
    expect([actor.inbox, actor.endpoints.sharedInbox]).toEqual([`${receiver.base}/actors/receiver/inbox`, inbox]);
  });

  it("refuses an unsigned activity.", async () => {
    const id = objectOf(sender);
    await problem(await postActivity(sender, inbox, createActivity(sender.iris.actor, id), { unsigned: true }), 401);
    await expectNothingStored(receiver, id);
  });

  it("refuses a signature made with a key that is not the actor's.", async () => {
    const id = objectOf(sender);
    const { privateKey } = await generateCryptoKeyPair("RSASSA-PKCS1-v1_5");
    await problem(await postActivity(sender, inbox, createActivity(sender.iris.actor, id), { privateKey }), 401);
    await expectNothingStored(receiver, id);
  });

  it("refuses a body that does not match its digest.", async () => {
    const id = objectOf(sender);
    const signed = createActivity(sender.iris.actor, objectOf(sender));
    const sent = JSON.stringify(createActivity(sender.iris.actor, id));
    await problem(await postActivity(sender, inbox, signed, { sendBody: sent }), 401);
    await expectNothingStored(receiver, id);
  });

  it("refuses a stale Date.", async () => {
    const id = objectOf(sender);
    await problem(
      await postActivity(sender, inbox, createActivity(sender.iris.actor, id), {
        signedAt: new Date(Date.now() - 3 * 3600_000),
      }),
      401,
    );
    await expectNothingStored(receiver, id);
  });

  it("refuses an activity whose actor is not the key's owner.", async () => {
    const id = objectOf(third);
    const p = await problem(await postActivity(sender, inbox, createActivity(third.iris.actor, id)), 401);
    expect(p.detail).toContain("not by the activity's actor");
    await expectNothingStored(receiver, id);
  });

  it("refuses an object on another host than its sender when its origin cannot be verified.", async () => {
    const id = objectOf(third); // third never created it: a fetch from the owner answers 404
    const p = await problem(
      await postActivity(sender, inbox, createActivity(sender.iris.actor, id, third.iris.actor)),
      403,
    );
    expect(p.code).toBe("unverifiable-origin");
    await expectNothingStored(receiver, id);
  });

  it("refuses an object whose integrity proof was tampered with.", async () => {
    const id = objectOf(third);
    const signed = await third.runtime.ctx.outbox.sign({
      "@context": [
        "https://www.w3.org/ns/activitystreams",
        "https://w3id.org/security/data-integrity/v2",
        { essglobal: "https://lod.coop/essglobal/2.1/vocab/", gr: "http://purl.org/goodrelations/v1#" },
      ],
      id,
      type: ["Page", "essglobal:SSEInitiative"],
      name: "Real",
      "gr:name": "Real",
      attributedTo: third.iris.actor,
    });
    const activity = {
      ...createActivity(sender.iris.actor, id, third.iris.actor),
      type: "Announce",
      object: { ...signed, "gr:name": "Forged" },
    };
    await problem(await postActivity(sender, inbox, activity), 403);
    await expectNothingStored(receiver, id);
  });

  it("refuses an oversized body.", async () => {
    const id = objectOf(sender);
    const big = createActivity(sender.iris.actor, id);
    (big.object as Record<string, unknown>)["dcterms:description"] = "x".repeat(1024 * 1024 + 10);
    const res = await postActivity(sender, inbox, big);
    await problem(res, 413);
    await expectNothingStored(receiver, id);
  });

  it("refuses remote JSON-LD contexts.", async () => {
    const id = objectOf(sender);
    const activity = {
      ...createActivity(sender.iris.actor, id),
      "@context": ["https://www.w3.org/ns/activitystreams", "https://evil.example/context.jsonld"],
    };
    const p = await problem(await postActivity(sender, inbox, activity), 400);
    expect(p.code).toBe("remote-context");
    await expectNothingStored(receiver, id);
  });

  it("refuses keys at private addresses unless ESSFED_ALLOW_PRIVATE is set.", async () => {
    const id = objectOf(sender);
    const p = await problem(
      await postActivity(sender, `${strict.base}/inbox`, createActivity(sender.iris.actor, id)),
      401,
    );
    expect(p.detail).toContain("ESSFED_ALLOW_PRIVATE");
    expect(await strict.store.countInitiatives()).toBe(0);
  });

  it("refuses bodies that are not JSON or not ActivityStreams.", async () => {
    await problem(await postActivity(sender, inbox, "{not json", {}), 400);
    await problem(
      await postActivity(sender, inbox, createActivity(sender.iris.actor, objectOf(sender)), {
        contentType: "text/plain",
      }),
      415,
    );
    expect(await receiver.store.countInitiatives()).toBe(1);
  });
});
