/**
 * An admin decides duplicates in the console, in a real browser: the candidate pairs with both
 * listings side by side, the score and its reasons; confirming and rejecting from the page, each in
 * the audit log under the admin's name; the confirmed pair on its own tab, undone from there.
 * axe-core checks each screen; ESSFED_SCREENSHOTS=<dir> keeps phone and desktop screenshots.
 */
import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import { axeViolations, launchBrowser, TILE_URL, type TestBrowser } from "../support/browser.ts";
import { startInstance, type TestInstance } from "../support/instance.ts";
import { eventually } from "../support/process.ts";
import { listing } from "../contract/duplicates.contract.ts";

const YORK = "https://york.example/actors/network";
const LEEDS = "https://leeds.example/actors/network";
const NATIONAL = "https://national.example/actors/network";
const B = "https://york.example/initiatives/gbp";
const C = "https://leeds.example/initiatives/gbp-ltd";
let inst: TestInstance;
let browser: TestBrowser;
let A: string;

beforeAll(async () => {
  inst = await startInstance({ ESSFED_NAME: "Aggregator", ESSFED_TILE_URL: TILE_URL });
  browser = await launchBrowser();
  A = `${inst.base}/initiatives/green-bay`;
  await inst.store.putInitiatives([
    listing(A, "Green Bay Projects", { homepage: "https://greenbay.example/" }),
    listing(B, "Green Bay Projects Limited", { homepage: "https://greenbay.example/" }, YORK),
    listing(C, "GREEN BAY PROJECTS LTD", {}, LEEDS),
  ]);
  await eventually(
    async () => (await inst.store.duplicates.listPairs({ limit: 10 })).items.length === 3,
    60_000,
    "the finder's candidates",
  );
}, 90_000);
afterAll(async () => {
  await browser?.close();
  await inst?.stop();
});

const shot = async (page: { screenshot(o: { path: string; fullPage: boolean }): Promise<unknown> }, name: string) => {
  if (process.env.ESSFED_SCREENSHOTS)
    await page.screenshot({ path: `${process.env.ESSFED_SCREENSHOTS}/${name}.png`, fullPage: true });
};

describe("Deciding duplicates in the console", () => {
  it("shows the candidates side by side with score and reasons, and confirms, rejects and undoes from the page.", async () => {
    const { link } = await inst.accounts.add("amara", "admin", { kind: "cli", name: "test" });
    const page = await browser.page({ width: 390, height: 844 });
    await page.goto(link);
    await page.fill("#password", "a long enough pass phrase");
    await page.click("button[type=submit]");
    await page.waitForURL(`${inst.base}/console**`);
    await page.goto(`${inst.base}/console`);
    await page.click("a[href='/console/duplicates']");
    await page.waitForSelector("#pairs");
    expect(await page.textContent("h1")).toBe("Duplicates");
    const pairs = page.locator("#pairs > li");
    expect(await pairs.count()).toBe(3);
    const top = await pairs.first().textContent();
    // Highest score first: A and B share a website, a name and a place.
    expect(top).toContain("Green Bay Projects Limited");
    expect(top).toContain("Listed by network@york.example");
    expect(top).toContain("Listed by Aggregator");
    expect(top).toContain("same website (greenbay.example)");
    expect(top).toMatch(/Score \d+ %/);
    expect(await axeViolations(page)).toEqual([]);
    await shot(page, "console-duplicates-phone");
    const desktop = await browser.page({ width: 1280, height: 800 });
    await desktop.context().addCookies(await page.context().cookies());
    await desktop.goto(`${inst.base}/console/duplicates`);
    await shot(desktop, "console-duplicates-desktop");

    await pairs.first().locator("input[name=reason]").fill("same website and address");
    await pairs.first().locator("button[value=confirm]").click();
    await page.waitForSelector("#duplicates-done");
    expect(await page.textContent("#duplicates-done")).toContain("Confirmed");
    expect(await page.locator("#pairs > li").count()).toBe(2);
    const [a, b] = [A, B].sort() as [string, string];
    expect(await inst.store.duplicates.getPair(a, b)).toMatchObject({ state: "confirmed", decidedBy: "amara" });
    // The page of either listing now names the other network that lists the organisation.
    const listingPage = await browser.page({ width: 390, height: 844 });
    await listingPage.goto(`${inst.base}/initiative?id=${encodeURIComponent(B)}`);
    expect(await listingPage.textContent(".also-listed")).toContain("Also listed by Aggregator (Green Bay Projects)");
    expect(await axeViolations(listingPage)).toEqual([]);
    await shot(listingPage, "initiative-also-listed-phone");
    await listingPage.setViewportSize({ width: 1280, height: 800 });
    await shot(listingPage, "initiative-also-listed-desktop");
    // A link adopted from a followed network shows too, with the network that decided it.
    await inst.store.duplicates.adopt({
      publisher: NATIONAL,
      linkset: "https://national.example/linksets/sameas",
      a: B,
      b: C,
      score: 0.9,
      decidedBy: "ana",
      decidedAt: "2026-05-06T10:00:00.000Z",
      receivedAt: "2026-05-06T10:00:01.000Z",
    });
    await listingPage.setViewportSize({ width: 390, height: 844 });
    await listingPage.goto(`${inst.base}/initiative?id=${encodeURIComponent(B)}`);
    expect(await listingPage.textContent(".linked-by")).toBe(
      "Also listed by network@leeds.example (GREEN BAY PROJECTS LTD), according to network@national.example.",
    );
    expect(await axeViolations(listingPage)).toEqual([]);
    await shot(listingPage, "initiative-linked-by-phone");
    await listingPage.setViewportSize({ width: 1280, height: 800 });
    await shot(listingPage, "initiative-linked-by-desktop");
    await page.locator("#pairs > li").first().locator("button[value=reject]").click();
    await page.waitForSelector("#duplicates-done");
    expect(await page.locator("#pairs > li").count()).toBe(1);
    const audit = (await inst.store.audit.list({ limit: 5, actionPrefix: "duplicate." })).items;
    expect(audit.map((e) => [e.action, e.actor.kind, e.actor.name])).toEqual([
      ["duplicate.reject", "account", "amara"],
      ["duplicate.confirm", "account", "amara"],
    ]);
    expect(audit[1]!.reason).toBe("same website and address");

    await page.click("a[href='/console/duplicates?state=confirmed']");
    await page.waitForSelector("#pairs");
    expect(await page.textContent("#pairs")).toContain("Decided by amara");
    expect(await axeViolations(page)).toEqual([]);
    await page.locator("#pairs > li").first().locator("button[value=undo]").click();
    await page.waitForSelector("#no-pairs");
    expect((await inst.store.duplicates.getPair(a, b))!.state).toBe("candidate");
  }, 90_000);

  it("is for admins only, and refuses a decision on a pair the finder never found.", async () => {
    const { link } = await inst.accounts.add("ed", "editor", { kind: "cli", name: "test" });
    const page = await browser.page();
    await page.goto(link);
    await page.fill("#password", "a long enough pass phrase");
    await page.click("button[type=submit]");
    await page.waitForURL(`${inst.base}/console**`);
    expect((await page.goto(`${inst.base}/console/duplicates`))!.status()).toBe(403);
    const admin = await browser.page();
    const { link: adminLink } = await inst.accounts.add("ama", "admin", { kind: "cli", name: "test" });
    await admin.goto(adminLink);
    await admin.fill("#password", "a long enough pass phrase");
    await admin.click("button[type=submit]");
    await admin.waitForURL(`${inst.base}/console**`);
    await admin.goto(`${inst.base}/console/duplicates`);
    const csrf = await admin.getAttribute("input[name=_csrf]", "value");
    const res = await admin.request.post(`${inst.base}/console/duplicates/decide`, {
      form: { _csrf: csrf!, a: A, b: "https://nowhere.example/x", decision: "confirm" },
    });
    expect(res.status()).toBe(404);
  });
});
