/**
 * Log floods and honest logs, on real `essfed serve` processes: a stranger who sets off the same
 * log record hundreds of times (from one address, or from many) gets a bounded number of lines and
 * one "suppressed" line; refusals and an unreachable peer are never logged as errors. Nothing is
 * stored, and another client is answered meanwhile.
 */
import { afterEach, describe, expect, it } from "@jest/globals";
import { LOG_THROTTLE } from "../../src/logging.ts";
import { spawnInstance, type ProcessInstance } from "../support/process.ts";
import { as, BEHIND_PROXY, raw } from "./ops-helpers.ts";

interface Line {
  level: string;
  message: string;
  logger: string;
  properties: Record<string, unknown>;
}

const running: ProcessInstance[] = [];
afterEach(async () => {
  await Promise.all(running.splice(0).map((p) => p.destroy()));
});

async function start(env: Record<string, string> = {}): Promise<ProcessInstance> {
  const p = await spawnInstance("logged", { ...BEHIND_PROXY, ...env });
  running.push(p);
  return p;
}

/** The JSON log lines a process wrote (after it stopped, so that shutdown summaries are in). */
function lines(p: ProcessInstance): Line[] {
  return p
    .log()
    .split("\n")
    .filter((l) => l.startsWith("{"))
    .map((l) => JSON.parse(l) as Line);
}

/** Sends `n` requests, `parallel` at a time. */
async function flood(n: number, parallel: number, send: (k: number) => Promise<unknown>): Promise<void> {
  for (let k = 0; k < n; k += parallel)
    await Promise.all(Array.from({ length: Math.min(parallel, n - k) }, (_, j) => send(k + j)));
}

const junk = { method: "POST", headers: { "content-type": "application/activity+json" }, body: "{not json" };

async function nothingStored(p: ProcessInstance) {
  const store = await p.openStoreCached();
  expect(await store.countInitiatives()).toBe(0);
  expect(await store.listFollowers()).toEqual([]);
}

describe("Log flooding", () => {
  it("writes at most a few lines for hundreds of refused inbox posts from one address, then says how many it suppressed.", async () => {
    const p = await start({ ESSFED_LOG_LEVEL: "debug" });
    const [, ordinary] = await Promise.all([
      flood(300, 25, () => as("203.0.113.7", `${p.base}/inbox`, junk).then((r) => r.status)),
      as("192.0.2.20", `${p.base}/api/initiatives`),
    ]);
    expect(ordinary.status).toBe(200);
    expect((await as("203.0.113.7", `${p.base}/inbox`, junk)).status).toBe(400);
    await nothingStored(p);
    await p.stop();
    const all = lines(p);
    const refusedInbox = all.filter((l) => l.message.startsWith("Inbox refused"));
    const refusedHttp = all.filter((l) => l.message.startsWith("Refused "));
    expect(refusedInbox.length).toBe(LOG_THROTTLE.perHost);
    expect(refusedHttp.length).toBe(LOG_THROTTLE.perHost);
    const summaries = all.filter((l) => l.logger === "essfed.log");
    expect(summaries.map((l) => l.properties.remote)).toEqual(["203.0.113.7", "203.0.113.7"]);
    expect(summaries.map((l) => l.properties.suppressed)).toEqual([
      301 - LOG_THROTTLE.perHost,
      301 - LOG_THROTTLE.perHost,
    ]);
    expect(all.filter((l) => l.level === "ERROR")).toEqual([]);
  }, 60_000);

  it("caps a record set off from many addresses at the per-template bound.", async () => {
    const p = await start({ ESSFED_LOG_LEVEL: "debug" });
    const [, ordinary] = await Promise.all([
      flood(400, 25, (k) => as(`198.18.${k >> 8}.${k & 255}`, `${p.base}/inbox`, junk)),
      as("192.0.2.21", `${p.base}/api/initiatives`),
    ]);
    expect(ordinary.status).toBe(200);
    await nothingStored(p);
    await p.stop();
    const all = lines(p);
    expect(all.filter((l) => l.message.startsWith("Inbox refused")).length).toBe(LOG_THROTTLE.perTemplate);
    const summary = all.find(
      (l) => l.logger === "essfed.log" && String(l.message).includes("Inbox refused") && l.properties.remote === "",
    );
    expect(summary?.properties.suppressed).toBe(400 - LOG_THROTTLE.perTemplate);
  }, 60_000);

  it("logs no error for malformed paths, refusals and an unreachable peer; those are expected outcomes.", async () => {
    const p = await start({ ESSFED_LOG_LEVEL: "info" });
    const answers = await Promise.all([
      raw(p.base, "GET", "/initiatives/%E0%A4%A"),
      raw(p.base, "GET", "/dumps/%ZZ"),
      raw(p.base, "GET", "/vocab/%"),
      raw(p.base, "GET", "/problems/%C0%80"),
      raw(p.base, "GET", "/actors/%FF"),
      as("192.0.2.22", `${p.base}/api/initiatives`).then((r) => ({ status: r.status })),
    ]);
    expect(answers.map((a) => a.status)).toEqual([400, 400, 400, 400, 400, 200]);
    // A peer that does not answer at all (nothing listens on port 9 of this machine).
    const follow = await p.api("/api/follows", {
      method: "POST",
      body: JSON.stringify({ target: "http://127.0.0.1:9/actors/nobody" }),
    });
    expect(follow.status).toBe(502);
    expect(((await follow.json()) as { code: string }).code).toBe("remote-unavailable");
    const store = await p.openStoreCached();
    expect(await store.listFollowing()).toEqual([]);
    await p.stop();
    const all = lines(p);
    expect(all.filter((l) => l.level === "ERROR" || /Unhandled error/.test(l.message))).toEqual([]);
    expect(all.some((l) => l.level === "INFO" && /502 "?remote-unavailable/.test(l.message))).toBe(true);
  }, 60_000);
});
