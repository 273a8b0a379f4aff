/**
 * Rate limits on everything but the inbox (issue 10 item 8): a client flooding the API, pages,
 * SPARQL or dumps gets 429 problem+json with Retry-After while another client is answered; a
 * spoofed X-Forwarded-For is ignored unless ESSFED_TRUST_PROXY names the proxy it came through;
 * the admin's token and the health probes are not limited; a refused request changes nothing.
 */
import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import { ADMIN_TOKEN, auth, startInstance, type TestInstance } from "../support/instance.ts";
import { initiativeBody } from "../support/process.ts";
import { as, BEHIND_PROXY, raw } from "./ops-helpers.ts";

const LIMIT = 5;
const LIMITED = { ESSFED_RATE_LIMIT_API: String(LIMIT), ESSFED_RATE_LIMIT_WINDOW_SECONDS: "120" };

function expectLimited(status: number, type: string, body: string, retryAfter: string | null | undefined): void {
  expect(status).toBe(429);
  expect(type).toContain("application/problem+json");
  expect(JSON.parse(body)).toMatchObject({ status: 429, code: "rate-limited" });
  expect(Number(retryAfter)).toBeGreaterThanOrEqual(1);
  expect(Number(retryAfter)).toBeLessThanOrEqual(120);
}

describe("API rate limits behind a trusted proxy", () => {
  let inst: TestInstance;
  let record: string;
  beforeAll(async () => {
    inst = await startInstance({ ...LIMITED, ...BEHIND_PROXY });
    const res = await fetch(`${inst.base}/initiatives`, {
      method: "POST",
      headers: { "content-type": "application/ld+json", ...auth },
      body: initiativeBody("Steady Co-op"),
    });
    record = res.headers.get("location")!;
  }, 60_000);
  afterAll(async () => {
    await inst.stop();
  });

  it("gives a client flooding the API 429 with Retry-After, while another client is answered.", async () => {
    const statuses: number[] = [];
    let last: Response | undefined;
    for (let k = 0; k < LIMIT + 3; k++) {
      last = await as("203.0.113.50", `${inst.base}/api/initiatives`);
      statuses.push(last.status);
      if (last.status === 200) await last.arrayBuffer();
    }
    expect(statuses).toEqual([...Array<number>(LIMIT).fill(200), 429, 429, 429]);
    expectLimited(
      last!.status,
      last!.headers.get("content-type")!,
      await last!.text(),
      last!.headers.get("retry-after"),
    );
    const other = await as("192.0.2.51", `${inst.base}/api/initiatives`);
    expect(other.status).toBe(200);
    expect(((await other.json()) as { totalItems?: number; items?: unknown[] }).items?.length ?? 1).toBeGreaterThan(0);
  });

  it("says how much is left before the limit (RateLimit headers), and how long to wait after it.", async () => {
    const first = await as("203.0.113.52", `${inst.base}/api/facets`);
    expect(first.headers.get("ratelimit-limit")).toBe(String(LIMIT));
    expect(first.headers.get("ratelimit-remaining")).toBe(String(LIMIT - 1));
    const reset = Number(first.headers.get("ratelimit-reset"));
    for (let k = 1; k < LIMIT; k++) await (await as("203.0.113.52", `${inst.base}/api/facets`)).arrayBuffer();
    const refused = await as("203.0.113.52", `${inst.base}/api/facets`);
    expect(refused.status).toBe(429);
    expect(Number(refused.headers.get("retry-after"))).toBeLessThanOrEqual(reset);
    expect(refused.headers.get("ratelimit-remaining")).toBe("0");
  });

  it("counts pages, SPARQL, dumps and records toward the same limit per client.", async () => {
    const client = "203.0.113.53";
    const paths = [
      "/",
      "/sparql?query=ASK%7B%7D",
      "/dumps/",
      new URL(record).pathname,
      "/api/initiatives",
      "/sparql?query=ASK%7B%7D",
      "/actors/network",
    ];
    const statuses: number[] = [];
    for (const p of paths) {
      // The actor's profile page for people (as JSON, the actor document is not limited).
      const accept = p.startsWith("/actors/")
        ? "text/html"
        : "application/sparql-results+json, application/ld+json;q=0.9, text/html;q=0.8";
      const res = await as(client, `${inst.base}${p}`, { headers: { accept } });
      statuses.push(res.status);
      await res.arrayBuffer();
    }
    expect(statuses.slice(0, LIMIT).filter((s) => s >= 400)).toEqual([]);
    expect(statuses.slice(LIMIT)).toEqual([429, 429]);
  });

  it("does not limit the actor document and WebFinger as JSON, which peers need to check our signatures.", async () => {
    const client = "203.0.113.56";
    for (let k = 0; k < LIMIT; k++) await (await as(client, `${inst.base}/api/initiatives`)).arrayBuffer();
    expect((await as(client, `${inst.base}/api/initiatives`)).status).toBe(429);
    const host = new URL(inst.base).host;
    for (let k = 0; k < 3; k++) {
      expect(
        (await as(client, `${inst.base}/actors/network`, { headers: { accept: "application/activity+json" } })).status,
      ).toBe(200);
      expect(
        (
          await as(client, `${inst.base}/.well-known/webfinger?resource=acct:network@${host}`, {
            headers: { accept: "application/jrd+json" },
          })
        ).status,
      ).toBe(200);
    }
    // The profile page for people is a page like the others.
    expect((await as(client, `${inst.base}/actors/network`, { headers: { accept: "text/html" } })).status).toBe(429);
  });

  it("does not limit the admin's token or health probes, and a wrong token gets no pass.", async () => {
    const client = "203.0.113.54";
    for (let k = 0; k < LIMIT; k++) await (await as(client, `${inst.base}/api/initiatives`)).arrayBuffer();
    expect((await as(client, `${inst.base}/api/initiatives`)).status).toBe(429);
    expect(
      (
        await as(client, `${inst.base}/api/initiatives`, {
          headers: { authorization: "Bearer not-the-admin-token-at-all" },
        })
      ).status,
    ).toBe(429);
    for (let k = 0; k < 3; k++) {
      const admin = await as(client, `${inst.base}/api/follows`, {
        headers: { authorization: `Bearer ${ADMIN_TOKEN}` },
      });
      expect(admin.status).toBe(200);
      await admin.arrayBuffer();
    }
  });

  it("changes nothing with a refused write: a 429 before any handler runs.", async () => {
    const client = "203.0.113.55";
    for (let k = 0; k < LIMIT; k++) await (await as(client, `${inst.base}/api/initiatives`)).arrayBuffer();
    const before = await inst.store.countInitiatives();
    const res = await as(client, `${inst.base}/initiatives`, {
      method: "POST",
      headers: { "content-type": "application/ld+json" },
      body: initiativeBody("Never Co-op"),
    });
    expect(res.status).toBe(429);
    expect(await inst.store.countInitiatives()).toBe(before);
  });
});

describe("API rate limits without a trusted proxy", () => {
  let inst: TestInstance, other: TestInstance;
  beforeAll(async () => {
    [inst, other] = await Promise.all([
      startInstance(LIMITED),
      startInstance({ ...LIMITED, ESSFED_TRUST_PROXY: "10.0.0.1" }),
    ]);
  }, 60_000);
  afterAll(async () => {
    await Promise.all([inst.stop(), other.stop()]);
  });

  it("ignores a spoofed X-Forwarded-For: every made-up address counts against the real peer, and another peer is answered.", async () => {
    const statuses: number[] = [];
    for (let k = 0; k < LIMIT + 2; k++) {
      const r = await raw(inst.base, "GET", "/api/initiatives", {
        from: "127.0.0.21",
        headers: { "x-forwarded-for": `198.51.100.${k + 1}` },
      });
      statuses.push(r.status);
      if (r.status === 429) expectLimited(r.status, r.type, r.body, r.headers["retry-after"] as string);
    }
    expect(statuses).toEqual([...Array<number>(LIMIT).fill(200), 429, 429]);
    expect((await raw(inst.base, "GET", "/api/initiatives", { from: "127.0.0.22" })).status).toBe(200);
  });

  it("ignores X-Forwarded-For from a peer that is not the proxy ESSFED_TRUST_PROXY names.", async () => {
    const statuses: number[] = [];
    for (let k = 0; k < LIMIT + 1; k++) {
      statuses.push(
        (
          await raw(other.base, "GET", "/api/facets", {
            from: "127.0.0.23",
            headers: { "x-forwarded-for": `198.51.100.${k + 1}` },
          })
        ).status,
      );
    }
    expect(statuses).toEqual([...Array<number>(LIMIT).fill(200), 429]);
  });
});
