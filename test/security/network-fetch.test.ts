/**
 * Hostile cases for the one outbound client (issue 10 item 2), through a running instance that
 * does not allow private addresses: the key lookups its inbox makes, the fetches a follow makes,
 * and its deliveries. The remote side is a scripted site reached through an injected resolver
 * (see `remote-site.ts`). Each case asserts the refusal and its reason, that nothing was stored,
 * that the internal address an attacker aimed at was never reached, and that an ordinary request
 * made meanwhile was answered.
 */
import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import { startInstance, auth, type TestInstance } from "../support/instance.ts";
import { eventually } from "../support/process.ts";
import { alongside, startRemoteSite, type RemoteSite } from "../support/remote-site.ts";

let inst: TestInstance, site: RemoteSite;
let inbox: string;

beforeAll(async () => {
  site = await startRemoteSite();
  inst = await startInstance(
    { ESSFED_HANDLE: "strict", ESSFED_ALLOW_PRIVATE: "false" },
    {},
    {
      fetcher: { resolve: site.resolve, refuseAddress: site.refuseAddress, timeoutMs: 3000 },
      keyLookupTimeoutMs: 1000,
      delivery: { timeoutMs: 3000 },
    },
  );
  inbox = `${inst.base}/inbox`;
});
afterAll(async () => {
  await inst?.stop();
  await site?.close();
});

const follow = (actor: string) => ({
  "@context": "https://www.w3.org/ns/activitystreams",
  id: `${actor}/follows/${Math.random().toString(36).slice(2)}`,
  type: "Follow",
  actor,
  object: inst.iris.actor,
});

async function problem(res: Response, status: number): Promise<{ code: string; detail: string }> {
  expect(res.status).toBe(status);
  expect(res.headers.get("content-type")).toContain("application/problem+json");
  return res.json() as Promise<{ code: string; detail: string }>;
}

/**
 * Sends a Follow signed under `keyId` (at the hostile URL) and expects a 401 naming `reason` — or,
 * when the key server may answer later (no answer in time, no connection), a 503 with Retry-After.
 */
async function refusedKey(actor: string, reason: RegExp, stalls = false, status = 401): Promise<string> {
  const followers = (await inst.store.listFollowers()).length;
  const r = await alongside(inst, () => site.send(inbox, follow(actor)));
  expect(r.ordinary).toBe(200);
  if (stalls) expect(r.ordinaryFirst).toBe(true);
  const p = await problem(r.hostile, status);
  if (status === 503) {
    expect(p.code).toBe("signing-key-unavailable");
    expect(r.hostile.headers.get("retry-after")).toBe("60");
  }
  expect(p.detail).toMatch(reason);
  expect((await inst.store.listFollowers()).length).toBe(followers);
  expect(site.internalHits).toEqual([]);
  return p.detail;
}

describe("Key lookups made while verifying an inbox request", () => {
  it("work for a signed Follow whose key is at a public address (the positive control), and are signed.", async () => {
    const actor = site.url("/actor");
    const res = await site.send(inbox, follow(actor));
    expect(res.status).toBe(202);
    expect((await inst.store.getFollower(actor))?.state).toBe("accepted");
    expect(site.hits.filter((h) => h.path === "/actor").every((h) => h.signed)).toBe(true);
    await eventually(() => site.inbox.find((a) => a.type === "Accept"), 10_000, "Accept delivered");
  });

  it("refuse a DNS name that resolves to a private address, naming the address.", async () => {
    const detail = await refusedKey(
      site.url("/actor", "private.test"),
      /private\.test resolves to 10\.0\.0\.5, a private address/,
    );
    expect(detail).toContain("ESSFED_ALLOW_PRIVATE");
  });

  it("refuse a name when any of its addresses is private.", async () => {
    await refusedKey(site.url("/actor", "mixed.test"), /mixed\.test resolves to 192\.168\.1\.20, a private address/);
  });

  it("refuse a name that resolves to a unique-local IPv6 address.", async () => {
    await refusedKey(site.url("/actor", "v6-private.test"), /resolves to fd12:3456::1, a unique-local address/);
  });

  it("refuse a loopback IP literal without connecting.", async () => {
    await refusedKey(`http://127.0.0.1:${site.port}/actor`, /127\.0\.0\.1 is a loopback address/);
  });

  it("refuse loopback written as a decimal number or an IPv4-mapped IPv6 literal.", async () => {
    await refusedKey(`http://2130706433:${site.port}/actor`, /127\.0\.0\.1 is a loopback address/);
    await refusedKey(`http://[::ffff:127.0.0.1]:${site.port}/actor`, /is a loopback address/);
  });

  it("refuse the cloud metadata address, without suggesting ESSFED_ALLOW_PRIVATE (it would not help).", async () => {
    const detail = await refusedKey(
      "http://169.254.169.254/latest/meta-data/actor",
      /169\.254\.169\.254 is a cloud metadata address/,
    );
    expect(detail).not.toContain("ESSFED_ALLOW_PRIVATE");
    await refusedKey(site.url("/actor", "metadata.test"), /resolves to 169\.254\.169\.254, a cloud metadata address/);
  });

  it("say so when the key's host name does not resolve (503: DNS may recover), not blaming the address policy.", async () => {
    const detail = await refusedKey(
      site.url("/actor", "nowhere.test"),
      /the DNS name nowhere\.test could not be resolved \(ENOTFOUND\)/,
      false,
      503,
    );
    expect(detail).not.toContain("ESSFED_ALLOW_PRIVATE");
  });

  it("refuse key ids that are not http(s) URLs.", async () => {
    const followers = (await inst.store.listFollowers()).length;
    const actor = site.url("/actor");
    const r = await alongside(inst, () => site.send(inbox, follow(actor), "file:///etc/passwd#main-key"));
    expect(r.ordinary).toBe(200);
    await problem(r.hostile, 401);
    expect((await inst.store.listFollowers()).length).toBe(followers);
  });

  it("give up on a key server that never answers (503: try again later), and the inbox stays responsive.", async () => {
    await refusedKey(site.url("/hang"), /no complete answer within 1000 ms/, true, 503);
  });

  it("answer 503 when the key server is rate limiting or failing (the sender retries), 401 when the key is gone.", async () => {
    await refusedKey(site.url("/busy"), /could not be fetched: .*429/, false, 503);
    await refusedKey(site.url("/down"), /could not be fetched: .*502/, false, 503);
    await refusedKey(site.url("/gone"), /could not be fetched: .*410/);
  });

  it("give up on a key server that drips its answer a byte at a time (slow loris).", async () => {
    await refusedKey(site.url("/drip"), /no complete answer within 1000 ms/, true, 503);
  });

  it("refuse an oversized key document announced by its Content-Length.", async () => {
    await refusedKey(site.url("/big"), /document larger than \d+ bytes/);
  });

  it("refuse an oversized key document sent without a length, once the cap is passed.", async () => {
    await refusedKey(site.url("/big-chunked"), /document larger than \d+ bytes/);
  });

  it("refuse a redirect to a name that resolves to a private address.", async () => {
    await refusedKey(site.url("/to-private"), /private\.test resolves to 10\.0\.0\.5/);
  });

  it("refuse a redirect to a loopback literal: the internal server is never reached.", async () => {
    await refusedKey(site.url("/to-loopback"), /127\.0\.0\.1 is a loopback address/);
  });

  it("refuse a redirect to the cloud metadata address.", async () => {
    await refusedKey(site.url("/to-metadata"), /169\.254\.169\.254 is a cloud metadata address/);
  });

  it("stop following a redirect loop.", async () => {
    await refusedKey(site.url("/loop"), /more than 5 redirects/);
  });

  it("refuse a compressed answer that was not asked for.", async () => {
    await refusedKey(site.url("/gzip"), /content-encoding gzip/);
  });

  it("connect to the address they checked: a name that rebinds to loopback after its first answer never reaches loopback.", async () => {
    const actor = site.url("/actor", "rebind.test");
    const r = await alongside(inst, () => site.send(inbox, follow(actor)));
    expect(r.ordinary).toBe(200);
    expect(r.hostile.status).toBe(202);
    // The key came from the public address (the site answered under the rebinding name) ...
    expect(site.hits.some((h) => h.path === "/actor")).toBe(true);
    // ... and nothing ever reached loopback, though every later lookup answered 127.0.0.1.
    await eventually(
      async () => (await inst.store.queue("delivery").pending()) === 0,
      10_000,
      "Accept delivered or dropped",
    );
    expect(site.internalHits).toEqual([]);
  });
});

describe("Fetches made for the admin", () => {
  const followTarget = (target: string) =>
    fetch(`${inst.base}/api/follows`, {
      method: "POST",
      headers: { ...auth, "content-type": "application/json" },
      body: JSON.stringify({ target }),
    });

  it("refuse to follow an actor whose host resolves to a private address, saying why.", async () => {
    const r = await alongside(inst, () => followTarget(site.url("/actor", "private.test")));
    expect(r.ordinary).toBe(200);
    const p = await problem(r.hostile, 400);
    expect(p.code).toBe("refused-address");
    expect(p.detail).toMatch(/private\.test resolves to 10\.0\.0\.5, a private address/);
    expect(await inst.store.listFollowing()).toEqual([]);
    expect(site.internalHits).toEqual([]);
  });

  it("refuse a WebFinger lookup at a host that resolves to a private address.", async () => {
    const r = await alongside(inst, () => followTarget("acct:someone@private.test"));
    expect(r.ordinary).toBe(200);
    const p = await problem(r.hostile, 400);
    expect(p.detail).toMatch(/private\.test resolves to 10\.0\.0\.5/);
    expect(await inst.store.listFollowing()).toEqual([]);
  });

  it("refuse to follow an actor that redirects to the cloud metadata address.", async () => {
    const r = await alongside(inst, () => followTarget(site.url("/to-metadata")));
    expect(r.ordinary).toBe(200);
    const p = await problem(r.hostile, 400);
    expect(p.detail).toMatch(/cloud metadata address/);
    expect(await inst.store.listFollowing()).toEqual([]);
  });
});

describe("Deliveries", () => {
  it("to an inbox that resolves to a private address are dropped at once (not retried) and shown in the status.", async () => {
    const actor = site.url("/actor-private-inbox");
    const r = await alongside(inst, () => site.send(inbox, follow(actor)));
    expect(r.ordinary).toBe(200);
    expect(r.hostile.status).toBe(202);
    // The Accept to the follower's inbox is refused by the address policy: the queue empties
    // without a retry waiting, and the status names the inbox and the reason.
    await eventually(async () => (await inst.store.queue("delivery").pending()) === 0, 10_000, "queue drained");
    const status = (await (await fetch(`${inst.base}/api/status`, { headers: auth })).json()) as {
      deliveries: { retrying: number; refused: { inbox: string; reason: string }[] };
    };
    expect(status.deliveries.retrying).toBe(0);
    expect(status.deliveries.refused).toEqual([
      expect.objectContaining({
        inbox: `http://private.test:${site.port}/inbox`,
        reason: expect.stringMatching(/resolves to 10\.0\.0\.5, a private address/),
      }),
    ]);
    expect(site.internalHits).toEqual([]);
  });
});

describe("With ESSFED_ALLOW_PRIVATE set", () => {
  let open: TestInstance;
  beforeAll(async () => {
    open = await startInstance({ ESSFED_HANDLE: "open" }, {}, { keyLookupTimeoutMs: 1000 });
  });
  afterAll(async () => {
    await open?.stop();
  });

  it("a key server that refuses connections is named as such (503), with no hint about ESSFED_ALLOW_PRIVATE.", async () => {
    const actor = "http://127.0.0.1:1/actor";
    const r = await alongside(open, () =>
      site.send(`${open.base}/inbox`, { ...follow(actor), object: open.iris.actor }),
    );
    expect(r.ordinary).toBe(200);
    const p = await problem(r.hostile, 503);
    expect(r.hostile.headers.get("retry-after")).toBe("60");
    expect(p.detail).toMatch(/could not be fetched: request failed: ECONNREFUSED/);
    expect(p.detail).not.toContain("ESSFED_ALLOW_PRIVATE");
    expect(await open.store.listFollowers()).toEqual([]);
  });

  it("the cloud metadata address is still refused.", async () => {
    const r = await alongside(open, () =>
      site.send(`${open.base}/inbox`, { ...follow("http://169.254.169.254/latest/actor"), object: open.iris.actor }),
    );
    expect(r.ordinary).toBe(200);
    const p = await problem(r.hostile, 401);
    expect(p.detail).toMatch(/169\.254\.169\.254 is a cloud metadata address/);
    expect(p.detail).not.toContain("ESSFED_ALLOW_PRIVATE");
    expect(await open.store.listFollowers()).toEqual([]);
  });
});
