/**
 * Property-based fuzzing of the inbox (issue 10): arbitrary bodies, content types and signature
 * headers sent to a real instance over HTTP, and activities from a network it follows mutated at
 * random and then properly signed, so that they get past the signature to the handlers. Whatever
 * arrives, the answer is never a 5xx, every refusal is problem+json, and nothing refused is
 * stored. Runs are bounded in number and in time.
 */
import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import fc from "fast-check";
import { startInstance, type TestInstance } from "../support/instance.ts";
import { createActivity, followAccepted, postActivity } from "../support/sender.ts";

let receiver: TestInstance, sender: TestInstance;
let inbox: string;

beforeAll(async () => {
  [receiver, sender] = await Promise.all([
    startInstance({ ESSFED_HANDLE: "receiver" }),
    startInstance({ ESSFED_HANDLE: "sender" }),
  ]);
  inbox = `${receiver.base}/inbox`;
  await followAccepted(receiver, sender);
}, 90_000);
afterAll(async () => {
  await Promise.all([receiver, sender].map((i) => i?.stop()));
});

const KEYWORDS = [
  "@context",
  "@id",
  "@type",
  "@list",
  "@set",
  "@reverse",
  "@nest",
  "@graph",
  "@import",
  "@vocab",
  "id",
  "type",
  "actor",
  "object",
  "attributedTo",
  "proof",
];
const token = fc.oneof(
  fc.constantFrom(
    ...KEYWORDS,
    "Create",
    "Update",
    "Delete",
    "Announce",
    "Follow",
    "Undo",
    "essglobal:SSEInitiative",
    "https://www.w3.org/ns/activitystreams",
    "https://evil.example/c",
  ),
  fc.string({ maxLength: 10 }),
);
const fuzz = fc.letrec((tie) => ({
  value: fc.oneof(
    { depthSize: "small" },
    token,
    fc.integer(),
    fc.boolean(),
    fc.constant(null),
    fc.array(tie("value"), { maxLength: 5 }),
    fc.dictionary(token, tie("value"), { maxKeys: 5 }),
  ),
})).value;

/** One of the sender's real activities with one part replaced by fuzz (a top-level key or one of the object's). */
const mutatedActivity = fc.tuple(fc.boolean(), fc.nat(), fuzz).map(([inObject, k, v]) => {
  const id = `${sender.base}/initiatives/fuzz-${Math.random().toString(36).slice(2)}`;
  const a = createActivity(sender.iris.actor, id);
  const target = inObject ? (a.object as Record<string, unknown>) : a;
  const keys = Object.keys(target);
  target[keys[k % keys.length]!] = v;
  return { activity: a, id };
});

const TYPES = [
  "application/activity+json",
  "application/ld+json",
  "application/json",
  "text/plain",
  "",
  "application/activity+json; charset=utf-16",
];
const body = fc.oneof(
  fc.string({ maxLength: 200 }),
  fc.jsonValue({ maxDepth: 5 }).map((v) => JSON.stringify(v)),
  fuzz.map((v) => JSON.stringify(v)),
  mutatedActivity.map((m) => JSON.stringify(m.activity)),
  fc.uint8Array({ maxLength: 200 }).map((b) => Buffer.from(b).toString("latin1")),
);
const signature = fc.option(
  fc.oneof(
    fc.string({ maxLength: 80 }),
    fc
      .constantFrom("http://127.0.0.1:9/actor#main-key", "not a url", "")
      .map(
        (keyId) =>
          `keyId="${keyId}",algorithm="rsa-sha256",headers="(request-target) host date digest",signature="AAAA"`,
      ),
  ),
  { nil: undefined },
);

async function noServerError(res: Response): Promise<number> {
  const text = await res.text();
  expect(res.status).toBeLessThan(500);
  if (res.status >= 400) expect(res.headers.get("content-type")).toContain("application/problem+json");
  return text.length;
}

const RUN = { numRuns: 150, interruptAfterTimeLimit: 15_000 };

describe("The inbox under fuzzing", () => {
  it("answers arbitrary bodies, content types and signature headers without a 5xx, and stores nothing.", async () => {
    const before = await receiver.store.countInitiatives();
    await fc.assert(
      fc.asyncProperty(body, fc.constantFrom(...TYPES), signature, async (b, type, sig) => {
        const headers: Record<string, string> = {
          ...(type ? { "content-type": type } : {}),
          ...(sig !== undefined ? { signature: sig, date: new Date().toUTCString() } : {}),
        };
        await noServerError(await fetch(inbox, { method: "POST", headers, body: b }));
      }),
      RUN,
    );
    expect(await receiver.store.countInitiatives()).toBe(before);
  }, 90_000);

  it("answers mutated activities signed by a network it follows without a 5xx; what it refuses is not stored.", async () => {
    await fc.assert(
      fc.asyncProperty(mutatedActivity, async ({ activity, id }) => {
        const res = await postActivity(sender, inbox, activity);
        await noServerError(res);
        if (res.status >= 400) expect(await receiver.store.getInitiative(id)).toBeUndefined();
      }),
      RUN,
    );
  }, 90_000);
});
