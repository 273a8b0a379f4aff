/**
 * `/metrics` after a small federation scenario between real instances on real HTTP (issue 11
 * item 6), the follower on each store: B follows A, A publishes three initiatives, and a stranger
 * and an unsigned client are refused at B's inbox. Scraped before and after, the counters moved
 * as they should: deliveries sent from A to B's host, activities accepted and refused (by reason)
 * at B, requests by route template (never a raw path), records by source, the delivery queue back
 * to empty. Metrics are not public: a token on the main port, or a listener of their own.
 */
import { afterAll, beforeAll, expect, it } from "@jest/globals";
import { auth, startInstance, type TestInstance } from "../support/instance.ts";
import { eventually, initiativeBody } from "../support/process.ts";
import { createActivity, postActivity } from "../support/sender.ts";
import { describeStores } from "../security/ops-helpers.ts";

const TOKEN = "metrics-token-0123456789";

interface Sample {
  name: string;
  labels: Record<string, string>;
  value: number;
}

/** Parses the Prometheus text format (enough of it for these metrics). */
function parse(text: string): Sample[] {
  const out: Sample[] = [];
  for (const line of text.split("\n")) {
    const m = /^([a-zA-Z_:][\w:]*)(?:\{(.*)\})?\s+(\S+)$/.exec(line);
    if (!m) continue;
    const labels: Record<string, string> = {};
    for (const l of (m[2] ?? "").matchAll(/(\w+)="((?:[^"\\]|\\.)*)"/g)) labels[l[1]!] = l[2]!;
    out.push({ name: m[1]!, labels, value: Number(m[3]) });
  }
  return out;
}

/** The sum of the samples of `name` whose labels include `labels`. */
function value(samples: Sample[], name: string, labels: Record<string, string> = {}): number {
  return samples
    .filter((s) => s.name === name && Object.entries(labels).every(([k, v]) => s.labels[k] === v))
    .reduce((n, s) => n + s.value, 0);
}

describeStores("Metrics after a federation scenario", (kind) => {
  let a: TestInstance, b: TestInstance, stranger: TestInstance;
  let bMetrics: string;
  const scrapeA = async () =>
    parse(await (await fetch(`${a.base}/metrics`, { headers: { authorization: `Bearer ${TOKEN}` } })).text());
  const scrapeB = async () => parse(await (await fetch(bMetrics)).text());

  beforeAll(async () => {
    [a, b, stranger] = await Promise.all([
      startInstance({ ESSFED_HANDLE: "origin", ESSFED_METRICS_TOKEN: TOKEN }),
      kind.start({ ESSFED_HANDLE: "follower", ESSFED_METRICS_BIND: "127.0.0.1:0" }),
      startInstance({ ESSFED_HANDLE: "stranger" }),
    ]);
    bMetrics = `http://127.0.0.1:${await b.metricsAddress()}/metrics`;
  }, 90_000);
  afterAll(async () => {
    await Promise.all([a, b, stranger].map((i) => i?.stop()));
  });

  it("keeps /metrics private: 404 on the main port without a token, 401 without the right one, 200 with it or on its own listener.", async () => {
    expect((await fetch(`${b.base}/metrics`)).status).toBe(404);
    expect((await fetch(`${stranger.base}/metrics`)).status).toBe(404);
    const anonymous = await fetch(`${a.base}/metrics`);
    expect(anonymous.status).toBe(401);
    expect(anonymous.headers.get("content-type")).toContain("application/problem+json");
    expect(
      (await fetch(`${a.base}/metrics`, { headers: { authorization: "Bearer metrics-token-wrong-000000" } })).status,
    ).toBe(401);
    const ok = await fetch(`${a.base}/metrics`, { headers: { authorization: `Bearer ${TOKEN}` } });
    expect(ok.status).toBe(200);
    expect(ok.headers.get("content-type")).toContain("text/plain");
    expect(await ok.text()).toContain("# TYPE essfed_http_requests_total counter");
    const own = await fetch(bMetrics);
    expect(own.status).toBe(200);
    expect((await fetch(bMetrics.replace("/metrics", "/api/initiatives"))).status).toBe(404);
  });

  it("counts what the scenario did: deliveries, inbox outcomes by reason, requests by route, records by source, an empty queue.", async () => {
    const [a0, b0] = await Promise.all([scrapeA(), scrapeB()]);
    const bHost = new URL(b.base).host;

    const follow = await fetch(`${b.base}/api/follows`, {
      method: "POST",
      headers: { ...auth, "content-type": "application/json" },
      body: JSON.stringify({ target: a.iris.actor }),
    });
    expect(follow.status).toBe(202);
    await eventually(
      async () => (await b.store.getFollowing(a.iris.actor))?.state === "accepted",
      20_000,
      "B follows A",
    );
    const ids: string[] = [];
    for (const name of ["Metric Bakery", "Metric Dairy", "Metric Forge"]) {
      const res = await fetch(`${a.base}/initiatives`, {
        method: "POST",
        headers: { ...auth, "content-type": "application/ld+json" },
        body: initiativeBody(name),
      });
      expect(res.status).toBe(201);
      ids.push(res.headers.get("location")!);
    }
    await eventually(
      async () => (await Promise.all(ids.map((id) => b.store.getInitiative(id)))).every(Boolean),
      20_000,
      "B holds A's records",
    );
    await eventually(async () => (await a.store.queue("delivery").pending()) === 0, 20_000, "A's queue drained");
    // Refused at B: a Create from a network B does not follow, and an unsigned post.
    expect(
      (
        await postActivity(
          stranger,
          `${b.base}/inbox`,
          createActivity(stranger.iris.actor, `${stranger.base}/initiatives/x`),
        )
      ).status,
    ).toBe(403);
    expect(
      (
        await postActivity(
          stranger,
          `${b.base}/inbox`,
          createActivity(stranger.iris.actor, `${stranger.base}/initiatives/y`),
          { unsigned: true },
        )
      ).status,
    ).toBe(401);
    // A reads one of its records (a route with a parameter).
    expect((await fetch(ids[0]!, { headers: { accept: "application/ld+json" } })).status).toBe(200);

    const [a1, b1] = await Promise.all([scrapeA(), scrapeB()]);
    const moved = (after: Sample[], before: Sample[], name: string, labels: Record<string, string> = {}) =>
      value(after, name, labels) - value(before, name, labels);

    // A sent the Accept and three Creates to B's host, none failed; its queue is empty again.
    expect(moved(a1, a0, "essfed_deliveries_total", { peer: bHost, outcome: "sent" })).toBe(4);
    expect(moved(a1, a0, "essfed_deliveries_total", { outcome: "failed" })).toBe(0);
    expect(value(a1, "essfed_queue_depth", { queue: "delivery" })).toBe(0);
    expect(value(a1, "essfed_queue_oldest_ready_seconds", { queue: "delivery" })).toBe(0);
    expect(value(a1, "essfed_deliveries_queued")).toBe(0);
    // B accepted the Accept and the three Creates, and refused two, by reason.
    expect(moved(b1, b0, "essfed_inbox_activities_total", { outcome: "accepted", type: "Create" })).toBe(3);
    expect(moved(b1, b0, "essfed_inbox_activities_total", { outcome: "accepted", type: "Accept" })).toBe(1);
    expect(
      moved(b1, b0, "essfed_inbox_activities_total", { outcome: "refused", reason: "not-followed", type: "Create" }),
    ).toBe(1);
    expect(moved(b1, b0, "essfed_inbox_activities_total", { outcome: "refused", reason: "unauthorized" })).toBe(1);
    // Records by source, on both sides.
    expect(value(a1, "essfed_records", { source: "local" })).toBe(3);
    expect(value(b1, "essfed_records", { source: a.iris.actor })).toBe(3);
    expect(value(b1, "essfed_search_index_lag_seconds")).toBe(0);
    // Requests by route template and status, with their latency; never a raw path.
    expect(moved(a1, a0, "essfed_http_requests_total", { method: "POST", route: "/initiatives", status: "201" })).toBe(
      3,
    );
    expect(moved(a1, a0, "essfed_http_request_duration_seconds_count", { method: "POST", route: "/initiatives" })).toBe(
      3,
    );
    const inboxRoutes = ["/inbox", "/actors/follower/inbox"];
    expect(
      inboxRoutes.reduce(
        (n, route) => n + moved(b1, b0, "essfed_http_requests_total", { method: "POST", route, status: "202" }),
        0,
      ),
    ).toBe(4);
    expect(moved(b1, b0, "essfed_http_requests_total", { method: "POST", route: "/api/follows", status: "202" })).toBe(
      1,
    );
    const routes = new Set([...a1, ...b1].map((s) => s.labels.route).filter(Boolean));
    for (const id of ids)
      expect([...routes].some((r) => r!.includes(new URL(id).pathname.split("/").pop()!))).toBe(false);
    // No query was asked: the SPARQL figures are there, at rest.
    for (const name of ["essfed_sparql_workers", "essfed_sparql_queue_length", "essfed_sparql_running"])
      expect(a1.some((s) => s.name === name)).toBe(true);
    expect(value(a1, "essfed_sparql_queue_length")).toBe(0);
    expect(value(a1, "essfed_sparql_queries_total", { outcome: "timeout" })).toBe(0);
  }, 90_000);
});
