/**
 * What a peer learns, and what the team sees, when records from a followed network are dropped as
 * invalid. At the inbox the check is synchronous: the sender is answered 422 problem+json naming
 * the field (a 4xx is final for Mastodon and essfed: no retries), counted in /metrics by reason,
 * and nothing is stored; a valid record is still 202. During a back-fill nobody waits for an answer:
 * each dropped record is counted per peer and reason, shown by `essfed status`, the console's
 * network page (in a real browser, phone and desktop) and /metrics. ESSFED_SCREENSHOTS=<dir> keeps
 * the screenshots.
 */
import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import { emptyInitiative } from "../../src/domain/initiative.ts";
import { versionOf } from "../../src/domain/version.ts";
import { main } from "../../src/cli/main.ts";
import { axeViolations, launchBrowser, type TestBrowser } from "../support/browser.ts";
import { auth, startInstance, type TestInstance } from "../support/instance.ts";
import { eventually } from "../support/process.ts";
import { createActivity, postActivity } from "../support/sender.ts";

const METRICS_TOKEN = "metrics-token-0123456789";
let receiver: TestInstance, friend: TestInstance;
let browser: TestBrowser;
let bad: string;

beforeAll(async () => {
  [receiver, friend] = await Promise.all([
    startInstance({ ESSFED_HANDLE: "receiver", ESSFED_METRICS_TOKEN: METRICS_TOKEN }),
    startInstance({ ESSFED_HANDLE: "friend" }),
  ]);
  browser = await launchBrowser();
  // The friend's directory holds a record written past its validation (as an older essfed might).
  const now = new Date().toISOString();
  const put = async (local: string, name: string) => {
    const i = emptyInitiative(friend.iris.initiative(local), name);
    await friend.store.putInitiatives([{ initiative: i, published: now, updated: now, version: versionOf(i) }]);
    return i.id;
  };
  await put("good", "Good Bakery");
  bad = await put("bad", "Bad\u0000Bakery");
  const res = await fetch(`${receiver.base}/api/follows`, {
    method: "POST",
    headers: { ...auth, "content-type": "application/json" },
    body: JSON.stringify({ target: friend.iris.actor }),
  });
  if (res.status !== 202) throw new Error(`follow: ${res.status} ${await res.text()}`);
  await eventually(
    async () => (await receiver.store.getFollowing(friend.iris.actor))?.reconciledAt !== undefined,
    30_000,
    "the back-fill of the friend's directory",
  );
}, 90_000);
afterAll(async () => {
  await browser?.close();
  await Promise.all([receiver, friend].map((i) => i?.stop()));
});

const metrics = async () =>
  (await fetch(`${receiver.base}/metrics`, { headers: { authorization: `Bearer ${METRICS_TOKEN}` } })).text();

describe("Records dropped as invalid", () => {
  it("are refused at the inbox with 422 naming the field, counted by reason; a valid one is still 202.", async () => {
    const id = friend.iris.initiative(`nameless-${Math.random().toString(36).slice(2)}`);
    const res = await postActivity(
      friend,
      `${receiver.base}/inbox`,
      createActivity(friend.iris.actor, id, undefined, " "),
    );
    expect(res.status).toBe(422);
    expect(res.headers.get("content-type")).toContain("application/problem+json");
    const p = (await res.json()) as { code: string; detail: string; errors: { field: string; message: string }[] };
    expect(p.code).toBe("invalid-initiative");
    expect(p.detail).toContain(id);
    expect(p.errors.map((e) => e.field)).toContain("name");
    expect(await receiver.store.getInitiative(id)).toBeUndefined();
    expect(await metrics()).toMatch(
      /essfed_inbox_activities_total\{outcome="refused",reason="invalid-initiative",type="Create"\} 1\b/,
    );
    const good = friend.iris.initiative(`named-${Math.random().toString(36).slice(2)}`);
    expect((await postActivity(friend, `${receiver.base}/inbox`, createActivity(friend.iris.actor, good))).status).toBe(
      202,
    );
    expect(await receiver.store.getInitiative(good)).toBeDefined();
  });

  it("are counted per peer and reason during a back-fill, and shown by essfed status and /metrics.", async () => {
    expect(await receiver.store.getInitiative(friend.iris.initiative("good"))).toBeDefined();
    expect(await receiver.store.getInitiative(bad)).toBeUndefined();
    const out: string[] = [];
    const code = await main(["status", "--json"], {
      out: (l) => out.push(l),
      err: (l) => out.push(l),
      env: { ESSFED_DATA: receiver.dir, ESSFED_LOG_LEVEL: "error" },
    });
    expect(code).toBe(0);
    const status = JSON.parse(out.join("\n")) as { dropped: unknown[] };
    expect(status.dropped).toEqual([
      {
        peer: friend.iris.actor,
        counts: { "invalid-initiative": 1 },
        last: {
          id: bad,
          reason: "invalid-initiative",
          message: expect.stringContaining("U+0000"),
          at: expect.any(String),
        },
      },
    ]);
    const text: string[] = [];
    await main(["status"], { out: (l) => text.push(l), err: (l) => text.push(l), env: { ESSFED_DATA: receiver.dir } });
    expect(text.join("\n")).toContain("1 records dropped (1 invalid-initiative)");
    expect(text.join("\n")).toContain(`: ${bad}: `);
    const host = new URL(friend.base).host;
    expect(await metrics()).toContain(`essfed_records_dropped{peer="${host}",reason="invalid-initiative"} 1`);
  });

  it("are shown on the console's network page, at phone and desktop width.", async () => {
    const { link } = await receiver.accounts.add("amara", "admin", { kind: "cli", name: "test" });
    for (const [width, height] of [
      [390, 844],
      [1280, 800],
    ] as const) {
      const page = await browser.page({ width, height });
      if (width === 390) {
        await page.goto(link);
        await page.fill("#password", "a long enough pass phrase");
        await page.click("button[type=submit]");
        await page.waitForURL(`${receiver.base}/console**`);
      } else {
        await page.goto(`${receiver.base}/console/sign-in`);
        await page.fill("#name", "amara");
        await page.fill("#password", "a long enough pass phrase");
        await page.click("button[type=submit]");
        await page.waitForURL(`${receiver.base}/console**`);
      }
      await page.goto(`${receiver.base}/console/federation`);
      const cell = page.locator("#following td.dropped");
      expect(await cell.textContent()).toContain("1 record dropped");
      expect(await cell.textContent()).toContain("not valid 1");
      expect(await cell.textContent()).toContain(bad);
      expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBe(width);
      expect(await axeViolations(page)).toEqual([]);
      if (process.env.ESSFED_SCREENSHOTS)
        await page.screenshot({ path: `${process.env.ESSFED_SCREENSHOTS}/dropped-${width}.png`, fullPage: true });
    }
  }, 90_000);
});
