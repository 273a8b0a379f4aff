/**
 * Hostile or mistaken curation requests: a forged approval (no token, a wrong one), an editor
 * changing source policies, oversized or missing reasons, sources that are neither an actor URL
 * nor a domain, this network itself as a source, queue decisions beyond bounds. Each is refused
 * with problem+json (or an error naming the role), and nothing is stored, served or audited.
 */
import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import { curatorOf } from "../../src/curation/curator.ts";
import { versionOf } from "../../src/domain/version.ts";
import { auth, startInstance, type TestInstance } from "../support/instance.ts";

let inst: TestInstance;
const REGIONAL = "https://regional.example/actors/network";
const M = "https://regional.example/initiatives/m1";

const call = (path: string, method: string, body?: unknown, headers: Record<string, string> = auth) =>
  fetch(inst.base + path, {
    method,
    headers: { ...headers, "content-type": "application/json" },
    ...(body === undefined ? {} : { body: typeof body === "string" ? body : JSON.stringify(body) }),
  });
async function problem(res: Response, status: number, code?: string): Promise<void> {
  expect(res.status).toBe(status);
  expect(res.headers.get("content-type")).toContain("application/problem+json");
  if (code) expect(((await res.json()) as { code: string }).code).toBe(code);
}
const unchanged = async () => {
  expect(await inst.store.curation.listPolicies()).toEqual([]);
  expect(await inst.store.getInitiative(M)).toBeDefined();
  expect((await inst.store.audit.list({ limit: 10 })).items).toEqual([]);
};

beforeAll(async () => {
  inst = await startInstance({ ESSFED_HANDLE: "guarded" });
  const initiative = {
    id: M,
    name: "Mirrored",
    organisationalStructure: [],
    legalForm: [],
    activities: [],
    qualifiers: [],
    sameAs: [],
  };
  await inst.store.putInitiatives([
    {
      initiative,
      published: "2026-01-01T00:00:00.000Z",
      updated: "2026-01-01T00:00:00.000Z",
      version: versionOf(initiative),
      provenance: { origin: REGIONAL, via: [], receivedAt: "2026-01-01T00:00:00.000Z" },
    },
  ]);
}, 60_000);
afterAll(async () => {
  await inst.stop();
});

describe("The curation API refuses", () => {
  it("a forged approval or policy change: no token, or a wrong one.", async () => {
    const item = await inst.store.curation.enqueue({
      kind: "change",
      target: "https://regional.example/initiatives/new",
      record: (await inst.store.getInitiative(M))!,
      received: "2026-01-01T00:00:00.000Z",
    });
    for (const headers of [
      {} as Record<string, string>,
      { Authorization: "Bearer not-the-token-0123456789" },
      { Authorization: "Basic YWRtaW46YWRtaW4=" },
    ]) {
      await problem(
        await call("/api/queue/decide", "POST", { items: [item.n], decision: "approve" }, headers),
        401,
        "unauthorized",
      );
      await problem(
        await call("/api/sources", "PUT", { source: REGIONAL, policy: "block" }, headers),
        401,
        "unauthorized",
      );
      await problem(await call("/api/records/hide", "POST", { id: M, reason: "x" }, headers), 401, "unauthorized");
      await problem(await call("/api/audit", "GET", undefined, headers), 401, "unauthorized");
    }
    expect(await inst.store.curation.getQueued(item.n)).toEqual(item);
    await inst.store.curation.dequeue([item.n]);
    await unchanged();
  });

  it("an editor changing source policies (admins only).", async () => {
    const curator = curatorOf(inst.runtime.ctx);
    const editor = { kind: "account" as const, name: "bruno", id: "2", role: "editor" as const };
    await expect(curator.setPolicy(editor, REGIONAL, "block")).rejects.toMatchObject({
      status: 403,
      code: "admin-only",
    });
    await expect(curator.removePolicy(editor, REGIONAL)).rejects.toMatchObject({ status: 403, code: "admin-only" });
    await unchanged();
  });

  it("sources that are neither an actor URL nor a domain, and this network itself.", async () => {
    for (const source of [
      "javascript:alert(1)",
      "not a domain",
      "a/b",
      "-bad-.example",
      "https://user:pw@x.example/actors/a",
      "x".repeat(2001),
      "",
    ]) {
      await problem(await call("/api/sources", "PUT", { source, policy: "block" }), 400);
    }
    await problem(await call("/api/sources", "PUT", { source: inst.iris.actor, policy: "block" }), 400, "own-source");
    await problem(await call("/api/sources", "PUT", { source: "127.0.0.1", policy: "block" }), 400, "own-source");
    await problem(await call("/api/sources", "PUT", { source: REGIONAL, policy: "silence" }), 400, "invalid-policy");
    await problem(await call("/api/sources", "PUT", "[1,2]"), 400);
    await unchanged();
  });

  it("a hide without a reason, with an oversized one, or of a record it does not hold.", async () => {
    await problem(await call("/api/records/hide", "POST", { id: M }), 400, "reason-required");
    await problem(await call("/api/records/hide", "POST", { id: M, reason: "x".repeat(4001) }), 413, "reason-too-long");
    await problem(await call("/api/records/hide", "POST", { id: M, reason: { a: 1 } }), 400, "invalid-reason");
    await problem(
      await call("/api/records/hide", "POST", { id: "https://regional.example/initiatives/none", reason: "x" }),
      404,
    );
    await problem(await call("/api/records/restore", "POST", { id: M, reason: "x" }), 404);
    await unchanged();
  });

  it("queue decisions beyond bounds, and reports that are oversized or about nothing held.", async () => {
    await problem(
      await call("/api/queue/decide", "POST", {
        items: Array.from({ length: 1001 }, (_, k) => k + 1),
        decision: "approve",
      }),
      400,
      "invalid-items",
    );
    await problem(await call("/api/queue/decide", "POST", { items: [1.5], decision: "approve" }), 400, "invalid-items");
    await problem(await call("/api/queue/decide", "POST", { items: [1], decision: "maybe" }), 400, "invalid-decision");
    expect(await (await call("/api/queue/decide", "POST", { items: [99999], decision: "approve" })).json()).toEqual({
      results: [{ n: 99999, outcome: "not-found" }],
    });
    await problem(await call("/api/reports", "POST", { id: M, text: "y".repeat(4001) }), 413, "report-too-long");
    await problem(await call("/api/reports", "POST", { id: "https://elsewhere.example/x", text: "spam" }), 404);
    await problem(await call("/api/queue?limit=100000", "GET"), 400, "invalid-limit");
    await problem(await call("/api/queue?cursor=abc", "GET"), 400, "invalid-cursor");
    expect(await inst.store.curation.countQueue()).toBe(0);
    await unchanged();
  });
});
