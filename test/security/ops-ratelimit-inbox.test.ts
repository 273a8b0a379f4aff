/**
 * Inbox rate limits (issue 10 item 8), on both stores: a peer is counted by its host once its
 * signature verifies, so one peer flooding the inbox gets 429 with Retry-After while another peer
 * (at the same address) is still accepted, and what was refused is not stored. Requests whose
 * signer is not known (unsigned, forged) are counted by client address, so junk from one
 * address is cut off without costing a peer anything, and a forgery naming a peer's key does not
 * use up that peer's limit.
 */
import { afterAll, beforeAll, expect, it } from "@jest/globals";
import { signRequest } from "@fedify/fedify/sig";
import { auth, startInstance, type TestInstance } from "../support/instance.ts";
import { eventually } from "../support/process.ts";
import { createActivity, postActivity } from "../support/sender.ts";
import { describeStores, raw } from "./ops-helpers.ts";

const LIMIT = 6;

/** An activity signed by `sender`'s key id (with `privateKey`), sent from the local address `from`. */
async function signedRaw(sender: TestInstance, inbox: string, activity: unknown, from: string, privateKey: CryptoKey) {
  const body = JSON.stringify(activity);
  const req = await signRequest(
    new Request(inbox, { method: "POST", headers: { "content-type": "application/activity+json" }, body }),
    privateKey,
    new URL(`${sender.iris.actor}#main-key`),
    { spec: "draft-cavage-http-signatures-12" },
  );
  const headers: Record<string, string> = {};
  req.headers.forEach((v, k) => {
    headers[k] = v;
  });
  return raw(new URL(inbox).origin, "POST", new URL(inbox).pathname, { from, headers, body });
}

async function followAndWait(from: TestInstance, to: TestInstance): Promise<void> {
  const res = await fetch(`${from.base}/api/follows`, {
    method: "POST",
    headers: { ...auth, "content-type": "application/json" },
    body: JSON.stringify({ target: to.iris.actor }),
  });
  expect(res.status).toBe(202);
  await eventually(
    async () => (await from.store.getFollowing(to.iris.actor))?.state === "accepted",
    20_000,
    `${from.config.handle} follows ${to.config.handle}`,
  );
}

describeStores("Inbox rate limits", (kind) => {
  let receiver: TestInstance, flooder: TestInstance, peer: TestInstance, forger: TestInstance;
  let inbox: string;
  beforeAll(async () => {
    [receiver, flooder, peer, forger] = await Promise.all([
      kind.start({
        ESSFED_HANDLE: "receiver",
        ESSFED_RATE_LIMIT_INBOX: String(LIMIT),
        ESSFED_RATE_LIMIT_WINDOW_SECONDS: "300",
      }),
      startInstance({ ESSFED_HANDLE: "flooder" }),
      startInstance({ ESSFED_HANDLE: "peer" }),
      startInstance({ ESSFED_HANDLE: "forger" }),
    ]);
    inbox = `${receiver.base}/inbox`;
    // The peers' Accepts are their first activities at the receiver (one each, within the limit).
    await followAndWait(receiver, flooder);
    await followAndWait(receiver, peer);
  }, 90_000);
  afterAll(async () => {
    await Promise.all([receiver, flooder, peer, forger].map((i) => i?.stop()));
  });

  const record = (who: TestInstance, n: number) => `${who.base}/initiatives/flood-${n}`;

  it("gives a peer flooding the inbox 429 with Retry-After, stores none of what it refused, and still accepts another peer.", async () => {
    const statuses: number[] = [];
    let refused: Response | undefined;
    for (let n = 0; n < LIMIT + 3; n++) {
      const res = await postActivity(
        flooder,
        inbox,
        createActivity(flooder.iris.actor, record(flooder, n), flooder.iris.actor, `Flood ${n}`),
      );
      statuses.push(res.status);
      if (res.status === 429) refused = res;
      else await res.arrayBuffer();
    }
    // The Accept of the follow took one of the flooder's requests.
    expect(statuses).toEqual([...Array<number>(LIMIT - 1).fill(202), 429, 429, 429, 429]);
    expect(refused!.headers.get("content-type")).toContain("application/problem+json");
    expect(await refused!.json()).toMatchObject({ status: 429, code: "rate-limited" });
    expect(Number(refused!.headers.get("retry-after"))).toBeGreaterThanOrEqual(1);
    expect(Number(refused!.headers.get("retry-after"))).toBeLessThanOrEqual(300);
    for (let n = LIMIT - 1; n < LIMIT + 3; n++)
      expect(await receiver.store.getInitiative(record(flooder, n))).toBeUndefined();
    expect(await receiver.store.getInitiative(record(flooder, 0))).toBeDefined();

    const other = await postActivity(
      peer,
      inbox,
      createActivity(peer.iris.actor, record(peer, 1), peer.iris.actor, "Patient Co-op"),
    );
    expect(other.status).toBe(202);
    expect((await receiver.store.getInitiative(record(peer, 1)))?.initiative.name).toBe("Patient Co-op");
  }, 60_000);

  it("counts unsigned junk by client address: one address is cut off, a signed peer at another is accepted.", async () => {
    const junk = JSON.stringify({
      "@context": "https://www.w3.org/ns/activitystreams",
      id: "https://x.example/1",
      type: "Follow",
      actor: "https://x.example/a",
      object: receiver.iris.actor,
    });
    const statuses: number[] = [];
    for (let n = 0; n < LIMIT + 2; n++) {
      statuses.push(
        (
          await raw(receiver.base, "POST", "/inbox", {
            from: "127.0.0.31",
            headers: { "content-type": "application/activity+json" },
            body: junk,
          })
        ).status,
      );
    }
    expect(statuses).toEqual([...Array<number>(LIMIT).fill(401), 429, 429]);
    const ok = await postActivity(
      peer,
      inbox,
      createActivity(peer.iris.actor, record(peer, 2), peer.iris.actor, "Unbothered Co-op"),
    );
    expect(ok.status).toBe(202);
    expect(await receiver.store.listFollowers()).toEqual([]);
  }, 60_000);

  it("does not charge a peer for forgeries that name its key: they count against the forger's address.", async () => {
    const statuses: number[] = [];
    for (let n = 0; n < LIMIT + 1; n++) {
      // Signed with the forger's key under the peer's key id: does not verify.
      const activity = createActivity(peer.iris.actor, record(peer, 100 + n), peer.iris.actor, "Forged Co-op");
      statuses.push((await signedRaw(peer, inbox, activity, "127.0.0.33", forger.keys.rsa.privateKey)).status);
    }
    expect(statuses).toEqual([...Array<number>(LIMIT).fill(401), 429]);
    for (let n = 0; n < LIMIT + 1; n++)
      expect(await receiver.store.getInitiative(record(peer, 100 + n))).toBeUndefined();
    // Had the forgeries counted against the peer's host, it would be over its limit by now.
    const genuine = await postActivity(
      peer,
      inbox,
      createActivity(peer.iris.actor, record(peer, 3), peer.iris.actor, "Genuine Co-op"),
    );
    expect(genuine.status).toBe(202);
    expect(await receiver.store.getInitiative(record(peer, 3))).toBeDefined();
  }, 60_000);
});
