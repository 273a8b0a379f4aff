/**
 * Hostile paths: percent-encoding that does not decode (bad hex, a lone %, truncated or overlong
 * UTF-8, an encoded surrogate) is the client's mistake, answered 400 malformed-path problem+json on
 * every route family (ours, Fedify's, the inbox), never a 500, and never touches stored data.
 * Another client's ordinary request is answered meanwhile.
 */
import { afterAll, beforeAll, expect, it } from "@jest/globals";
import { auth, type TestInstance } from "../support/instance.ts";
import { initiativeBody } from "../support/process.ts";
import { as, BEHIND_PROXY, describeStores, raw } from "./ops-helpers.ts";

describeStores("Malformed percent-encoding", (kind) => {
  let inst: TestInstance;
  let existing: string;
  let localId: string;
  beforeAll(async () => {
    inst = await kind.start(BEHIND_PROXY);
    const res = await fetch(`${inst.base}/initiatives`, {
      method: "POST",
      headers: { "content-type": "application/ld+json", ...auth },
      body: initiativeBody("Untouchable Co-op"),
    });
    existing = res.headers.get("location")!;
    localId = inst.iris.localId(existing)!;
  });
  afterAll(async () => {
    await inst.stop();
  });

  /** The refusal, and an ordinary read by another client answered alongside it. */
  async function refusedAlongside(
    method: string,
    path: string,
    o: { headers?: Record<string, string>; body?: string } = {},
  ) {
    const [hostile, ordinary] = await Promise.all([
      raw(inst.base, method, path, { ...o, headers: { "x-forwarded-for": "198.51.100.66", ...o.headers } }),
      as("192.0.2.10", existing, { headers: { accept: "application/activity+json" } }),
    ]);
    expect(ordinary.status).toBe(200);
    expect(((await ordinary.json()) as { name?: string }).name).toBe("Untouchable Co-op");
    expect(hostile.status).toBe(400);
    expect(hostile.type).toContain("application/problem+json");
    const problem = JSON.parse(hostile.body) as { code: string; status: number; type: string };
    expect(problem).toMatchObject({
      code: "malformed-path",
      status: 400,
      type: `${inst.base}/problems/malformed-path`,
    });
    return problem;
  }

  async function nothingChanged() {
    expect(await inst.store.countInitiatives()).toBe(1);
    expect((await inst.store.getInitiative(existing))?.initiative.name).toBe("Untouchable Co-op");
    expect(await inst.store.listFollowers()).toEqual([]);
  }

  it("refuses a truncated UTF-8 sequence in a record path with 400, not 500.", async () => {
    await refusedAlongside("GET", "/initiatives/%E0%A4%A");
    await nothingChanged();
  });

  it("refuses a PUT whose record id has bad hex, and stores nothing.", async () => {
    await refusedAlongside("PUT", "/initiatives/%ZZ", {
      headers: { ...auth, "content-type": "application/ld+json" },
      body: initiativeBody("Smuggled Co-op"),
    });
    await nothingChanged();
  });

  it("refuses a DELETE naming an existing record plus an overlong UTF-8 byte pair, and deletes nothing.", async () => {
    await refusedAlongside("DELETE", `/initiatives/${localId}%C0%80`, { headers: auth });
    await nothingChanged();
    expect(await inst.store.getTombstone(existing)).toBeUndefined();
  });

  it("refuses an inbox POST whose path ends in a lone %, before any signature work.", async () => {
    await refusedAlongside("POST", `/actors/${inst.config.handle}/inbox%`, {
      headers: { "content-type": "application/activity+json" },
      body: JSON.stringify({
        id: "https://evil.example/f/1",
        type: "Follow",
        actor: "https://evil.example/actor",
        object: inst.iris.actor,
      }),
    });
    await nothingChanged();
  });

  it("refuses malformed escapes on Fedify's paths (actor, WebFinger family) with 400 instead of 404.", async () => {
    await refusedAlongside("GET", "/actors/%FF", { headers: { accept: "application/activity+json" } });
    await refusedAlongside("GET", "/.well-known/%", {});
    await nothingChanged();
  });

  it("refuses a UTF-8-encoded lone surrogate (%ED%A0%80) in the dumps and vocabulary paths.", async () => {
    await refusedAlongside("GET", "/dumps/%ED%A0%80");
    await refusedAlongside("GET", "/vocab/%ED%A0%80.ttl");
    await nothingChanged();
  });
});
