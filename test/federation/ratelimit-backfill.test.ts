/**
 * A followed network that rate-limits its readers hard (one request per 5 s per address) is still
 * followed and back-filled in full: its actor document stays reachable for key lookups, and the
 * 429s of its collection and pages are waited out (tried again after 2 s, 4 s …), not taken as
 * the end of the back-fill.
 */
import { afterAll, beforeAll, expect, it } from "@jest/globals";
import { auth, startInstance, type TestInstance } from "../support/instance.ts";
import { eventually, initiativeBody } from "../support/process.ts";

const TOKEN = "metrics-token-0123456789";

let origin: TestInstance, follower: TestInstance;
beforeAll(async () => {
  [origin, follower] = await Promise.all([
    startInstance({
      ESSFED_HANDLE: "strict",
      ESSFED_RATE_LIMIT_API: "1",
      ESSFED_RATE_LIMIT_WINDOW_SECONDS: "5",
      ESSFED_METRICS_TOKEN: TOKEN,
    }),
    startInstance({ ESSFED_HANDLE: "reader" }),
  ]);
}, 60_000);
afterAll(async () => {
  await Promise.all([origin, follower].map((i) => i?.stop()));
});

it("back-fills a network that answers 429 to most of its requests, waiting the limits out.", async () => {
  const ids: string[] = [];
  for (const name of ["Strict Bakery", "Strict Dairy", "Strict Forge"]) {
    const res = await fetch(`${origin.base}/initiatives`, {
      method: "POST",
      headers: { ...auth, "content-type": "application/ld+json" },
      body: initiativeBody(name),
    });
    expect(res.status).toBe(201);
    ids.push(res.headers.get("location")!);
  }
  const follow = await fetch(`${follower.base}/api/follows`, {
    method: "POST",
    headers: { ...auth, "content-type": "application/json" },
    body: JSON.stringify({ target: origin.iris.actor }),
  });
  expect(follow.status).toBe(202);
  await eventually(
    async () => (await Promise.all(ids.map((id) => follower.store.getInitiative(id)))).every(Boolean),
    90_000,
    "every record back-filled",
  );
  const metrics = await (
    await fetch(`${origin.base}/metrics`, { headers: { authorization: `Bearer ${TOKEN}` } })
  ).text();
  const throttled = [...metrics.matchAll(/^essfed_http_requests_total\{[^}]*status="429"[^}]*\} (\d+)$/gm)].reduce(
    (n, m) => n + Number(m[1]),
    0,
  );
  expect(throttled).toBeGreaterThan(0);
}, 120_000);
