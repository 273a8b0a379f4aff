/**
 * A withheld record's page, on both stores: a signed-in member of the team sees a hidden record
 * (own or mirrored) with a banner saying it is hidden, why, since when, and a link to the console
 * where it is restored; a stranger gets the same 404 as for a record never held, in HTML and in
 * every RDF format, and the console link shows that one record. In a real browser at phone and
 * desktop width (axe-core checked); ESSFED_SCREENSHOTS=<dir> keeps the screenshots.
 */
import { afterAll, beforeAll, expect, it } from "@jest/globals";
import { axeViolations, launchBrowser, type TestBrowser } from "../support/browser.ts";
import { auth, type TestInstance } from "../support/instance.ts";
import { initiativeBody } from "../support/process.ts";
import { personOf, type Person } from "../support/console.ts";
import { listing } from "../contract/duplicates.contract.ts";
import { describeStores } from "../security/ops-helpers.ts";

const YORK = "https://york.example/actors/network";
const MIRRORED = "https://york.example/initiatives/closed-cafe";
let browser: TestBrowser;
beforeAll(async () => {
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
});

describeStores("A withheld record's page", (kind) => {
  let inst: TestInstance;
  let own: string;
  let admin: Person;
  const pageOf = (id: string) => (id === MIRRORED ? `${inst.base}/initiative?id=${encodeURIComponent(id)}` : id);

  beforeAll(async () => {
    inst = await kind.start({ ESSFED_NAME: "Leeds Co-ops" });
    const res = await fetch(`${inst.base}/initiatives`, {
      method: "POST",
      headers: { ...auth, "content-type": "application/ld+json" },
      body: initiativeBody("Hidden Bakery"),
    });
    if (res.status !== 201) throw new Error(`create: ${res.status} ${await res.text()}`);
    own = res.headers.get("location")!;
    await inst.store.putInitiatives([listing(MIRRORED, "Closed Cafe", {}, YORK)]);
    for (const [id, reason] of [
      [own, "Closed since <2024>"],
      [MIRRORED, "Reported as spam"],
    ]) {
      const hidden = await fetch(`${inst.base}/api/records/hide`, {
        method: "POST",
        headers: { ...auth, "content-type": "application/json" },
        body: JSON.stringify({ id, reason }),
      });
      if (hidden.status !== 200) throw new Error(`hide: ${hidden.status} ${await hidden.text()}`);
    }
    admin = await personOf(inst, "amara", "editor");
  }, 60_000);
  afterAll(async () => {
    await inst?.stop();
  });

  it("is the same 404 as a record never held for strangers, in HTML and every RDF format.", async () => {
    const never = `${inst.base}/initiatives/never-held`;
    for (const accept of ["text/html", "application/ld+json", "text/turtle", "application/n-triples"]) {
      const a = await fetch(own, { headers: { accept } });
      const b = await fetch(never, { headers: { accept } });
      expect([accept, a.status, a.headers.get("content-type")]).toEqual([accept, 404, b.headers.get("content-type")]);
      const text = await a.text();
      expect(text).not.toContain("Hidden Bakery");
      expect(text.replaceAll(new URL(own).pathname, new URL(never).pathname)).toBe(await b.text());
    }
    const mirrored = await fetch(pageOf(MIRRORED), { headers: { accept: "text/html" } });
    expect(mirrored.status).toBe(404);
    expect(await mirrored.text()).not.toContain("Closed Cafe");
    // A session cookie that is not a session is a stranger's.
    const forged = await fetch(own, { headers: { accept: "text/html", cookie: "essfed_session=forged" } });
    expect(forged.status).toBe(404);
  });

  it("is shown to a signed-in member of the team with a banner, privately, and not indexed.", async () => {
    for (const [id, name, reason] of [
      [own, "Hidden Bakery", "Closed since &lt;2024&gt;"],
      [MIRRORED, "Closed Cafe", "Reported as spam"],
    ]) {
      const res = await fetch(pageOf(id!), { headers: { accept: "text/html", cookie: admin.cookie } });
      expect(res.status).toBe(200);
      expect(res.headers.get("cache-control")).toBe("private, no-store");
      expect(res.headers.get("x-robots-tag")).toBe("noindex");
      const html = await res.text();
      expect(html).toContain(`<h1>${name}</h1>`);
      expect(html).toContain("This record is hidden: only Leeds Co-ops&#39;s team sees this page.");
      expect(html).toContain(reason);
      expect(html).toContain(`href="/console/withheld?id=${encodeURIComponent(id!)}"`);
      expect(html).not.toContain('id="hide-record"');
    }
    // The data formats stay 404 for the team as well: they are what other machines read.
    const data = await fetch(own, { headers: { accept: "application/ld+json", cookie: admin.cookie } });
    expect(data.status).toBe(404);
  });

  it("links to the console where that one record is restored (browser, phone and desktop).", async () => {
    for (const [width, height] of [
      [390, 844],
      [1280, 800],
    ] as const) {
      const page = await browser.page({ width, height });
      await page.goto(`${inst.base}/console/sign-in`);
      await page.fill("#name", admin.name);
      await page.fill("#password", admin.password);
      await page.click("button[type=submit]");
      await page.waitForURL(`${inst.base}/console**`);
      await page.goto(own);
      const banner = page.locator("#withheld-banner");
      expect(await banner.textContent()).toContain("Closed since <2024>");
      expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBe(width);
      expect(await axeViolations(page)).toEqual([]);
      if (process.env.ESSFED_SCREENSHOTS)
        await page.screenshot({
          path: `${process.env.ESSFED_SCREENSHOTS}/withheld-${kind.name}-${width}.png`,
          fullPage: true,
        });
      await banner.locator("a").click();
      await page.waitForURL(`${inst.base}/console/withheld?id=**`);
      const rows = page.locator("#withheld tbody tr");
      expect(await rows.count()).toBe(1);
      expect(await rows.first().textContent()).toContain("Hidden Bakery");
    }
    // Restored from there, the page is public again.
    const page = await browser.page({ width: 1280, height: 800 });
    await page.goto(`${inst.base}/console/sign-in`);
    await page.fill("#name", admin.name);
    await page.fill("#password", admin.password);
    await page.click("button[type=submit]");
    await page.waitForURL(`${inst.base}/console**`);
    await page.goto(`${inst.base}/console/withheld?id=${encodeURIComponent(own)}`);
    await page.fill("#withheld tbody input[name=reason]", "Open again");
    await page.click("#withheld tbody button[type=submit]");
    await page.waitForURL(`${inst.base}/console/withheld?done=restored`);
    expect((await fetch(own, { headers: { accept: "text/html" } })).status).toBe(200);
  }, 120_000);
});
