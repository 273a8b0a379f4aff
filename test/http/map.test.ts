/**
 * The map page in a real browser (Debian's Chromium, driven by playwright-core): it opens fitted to
 * what is held, shows counted clusters and points, lists what is in view (and what has no place),
 * opens popups that say who published what, keeps the view in the URL, speaks the visitor's
 * language, works at phone width, and axe-core finds no serious accessibility violation.
 */
import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import { startInstance, type TestInstance } from "../support/instance.ts";
import { TILE_URL, axeViolations, launchBrowser, type TestBrowser } from "../support/browser.ts";

let inst: TestInstance;
let browser: TestBrowser;
const OS60 = "https://lod.coop/essglobal/2.1/standard/organisational-structure/OS60";

beforeAll(async () => {
  inst = await startInstance({ ESSFED_TILE_URL: TILE_URL, ESSFED_NAME: "Map Test Network" });
  const drafts = Array.from({ length: 60 }, (_, k) => ({
    id: inst.iris.initiative(`m${k}`),
    name: `Map Co-op ${k}`,
    description: `Co-op number ${k} of Lyon. It makes things.`,
    organisationalStructure: [k % 3 === 0 ? "OS60" : "OS70"],
    country: "FR",
    address: { locality: "Lyon", lat: 45.7 + (k % 10) / 10, long: 4.8 + Math.floor(k / 10) / 5 },
  }));
  drafts.push({
    id: inst.iris.initiative("far"),
    name: "Far Away Co-op",
    description: "",
    organisationalStructure: ["OS70"],
    country: "FR",
    address: { locality: "Nouméa", lat: -22.27, long: 166.44 },
  });
  await inst.directory.upsert([
    ...drafts,
    {
      id: inst.iris.initiative("placeless"),
      name: "Placeless Co-op",
      organisationalStructure: ["OS60"],
      country: "FR",
    },
  ]);
  browser = await launchBrowser();
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await inst?.stop();
});

const points = (page: { getAttribute(s: string, a: string): Promise<string | null> }) =>
  page.getAttribute("#status", "data-points").then(Number);

describe("The map page", () => {
  it("opens on what is held, lists it, filters it, and keeps the view in its address.", async () => {
    const page = await browser.page();
    await page.goto(inst.base + "/");
    expect(await page.title()).toBe("Map Test Network");
    await page.waitForFunction(() => Number(document.getElementById("status")?.dataset.points) > 0, undefined, {
      timeout: 20_000,
    });
    // Fitted to Lyon, not to the one record on the other side of the world.
    expect(await points(page)).toBe(60);
    expect(await page.locator(".essfed-cluster").count()).toBeGreaterThan(0);
    for (const c of await page.locator(".essfed-cluster span").allTextContents()) expect(c).toMatch(/^\d+$/);
    await page.waitForFunction(() => Number(document.getElementById("list")?.dataset.count) > 0);
    expect(await page.locator("#list li").count()).toBe(20);
    expect(await page.locator("#unlocated").textContent()).toContain("1 more initiative matches but has no location");
    await page.click("#next");
    await page.waitForFunction(() => !document.getElementById("prev")!.hidden);
    // Choose a filter: the map and the list follow, and the address says so.
    await page.click("details.more summary");
    await page.selectOption("select[name=structure]", OS60);
    await page.waitForFunction(() => Number(document.getElementById("status")?.dataset.points) === 20, undefined, {
      timeout: 20_000,
    });
    const url = new URL(page.url());
    expect(url.searchParams.get("structure")).toBe(OS60);
    expect(url.searchParams.get("at")).toMatch(/^[\d.-]+,[\d.-]+,\d+$/);
    // The records without a place are listed apart.
    await page.click("#show-unlocated");
    await page.waitForFunction(() => document.getElementById("list")!.textContent.includes("Placeless Co-op"));
    expect(await page.locator("#list li").count()).toBe(1);
    // The same address in a new browser shows the same view.
    const again = await browser.page();
    await again.goto(page.url().replace("&show=unlocated", ""));
    await again.waitForFunction(() => Number(document.getElementById("status")?.dataset.points) > 0, undefined, {
      timeout: 20_000,
    });
    expect(await points(again)).toBe(20);
    expect(await again.inputValue("select[name=structure]")).toBe(OS60);
    expect(page.outside).toEqual([]);
  }, 90_000);

  it("opens a popup with name, kind, place, a line of description and who published it.", async () => {
    const page = await browser.page();
    await page.goto(`${inst.base}/?at=45.7,4.8,16`);
    await page.waitForSelector(".essfed-point", { timeout: 20_000 });
    await page.locator(".essfed-point").first().click();
    const card = page.locator(".leaflet-popup-content .card");
    await card.waitFor();
    expect(await card.locator(".name").textContent()).toBe("Map Co-op 0");
    expect(await card.locator(".kind").textContent()).toBe("Workers cooperative");
    expect(await card.locator(".place").textContent()).toBe("Lyon, France");
    expect(await card.locator(".line").textContent()).toBe("Co-op number 0 of Lyon.");
    expect(await card.locator(".prov").textContent()).toBe("Published by Map Test Network");
    // Points and clusters are reached with the keyboard.
    expect(await page.locator(".essfed-point").first().getAttribute("tabindex")).toBe("0");
  }, 60_000);

  it("speaks Spanish to a Spanish visitor, fits a phone, and has no serious accessibility violation.", async () => {
    const page = await browser.page({ width: 390, height: 844, locale: "es-ES" });
    await page.goto(inst.base + "/");
    await page.waitForFunction(() => Number(document.getElementById("list")?.dataset.count) > 0, undefined, {
      timeout: 20_000,
    });
    expect(await page.getAttribute("html", "lang")).toBe("es");
    expect(await page.textContent("#status")).toBe("60 iniciativas a la vista");
    await page.click("details.more summary");
    const options = await page.locator("select[name=structure] option").allTextContents();
    expect(options).toContain("Cooperativas de trabajo (21)");
    // Nothing wider than the phone's screen.
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    expect(await axeViolations(page)).toEqual([]);
  }, 60_000);
});
