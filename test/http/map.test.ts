/**
 * The map page in a real browser (Debian's Chromium, driven by playwright-core): it loads, markers
 * appear for the initiatives in view, and choosing a filter changes them. Map tiles are answered
 * locally; nothing leaves the machine. (Playwright gives the browser a fresh, empty profile.)
 */
import { existsSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import { chromium, type Browser } from "playwright-core";
import { startInstance, type TestInstance } from "../support/instance.ts";

const CHROMIUM = "/usr/bin/chromium";
// A 1×1 transparent PNG for every tile request.
const TILE = Buffer.from("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNkYAAAAAYAAjCB0C8AAAAASUVORK5CYII=", "base64");

let inst: TestInstance;
let browser: Browser;

beforeAll(async () => {
  if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is missing: install Debian's chromium package (.ci/run does)`);
  inst = await startInstance({ ESSFED_TILE_URL: "https://tiles.invalid/{z}/{x}/{y}.png", ESSFED_NAME: "Map Test Network" });
  const drafts = Array.from({ length: 60 }, (_, k) => ({
    id: inst.iris.initiative(`m${k}`), name: `Map Co-op ${k}`,
    organisationalStructure: [k % 3 === 0 ? "OS60" : "OS70"],
    address: { locality: "Lyon", lat: 45.7 + (k % 10) / 10, long: 4.8 + Math.floor(k / 10) / 5 },
  }));
  await inst.directory.upsert(drafts);
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
      "--disable-component-update", "--disable-sync"],
  });
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await inst?.stop();
});

describe("The map page", () => {
  it("loads, shows markers, and a filter changes them.", async () => {
    const page = await browser.newPage();
    const outside: string[] = [];
    await page.route("**/*", (route) => {
      const url = route.request().url();
      if (url.startsWith("https://tiles.invalid/")) return route.fulfill({ status: 200, contentType: "image/png", body: TILE });
      if (!url.startsWith(inst.base)) {
        outside.push(url);
        return route.abort();
      }
      return route.continue();
    });
    await page.goto(inst.base + "/");
    expect(await page.title()).toBe("Map Test Network");
    await page.waitForFunction(() => Number(document.getElementById("status")?.dataset.points) > 0, undefined, { timeout: 20_000 });
    const all = Number(await page.getAttribute("#status", "data-points"));
    expect(all).toBe(60);
    expect(await page.locator(".essfed-cluster, path.essfed-point").count()).toBeGreaterThan(0);
    // The facet list came from /api/facets, with labels.
    await page.waitForFunction(() => (document.querySelector("select[name=structure]") as HTMLSelectElement).options.length > 1);
    await page.selectOption("select[name=structure]", "https://lod.coop/essglobal/2.1/standard/organisational-structure/OS60");
    await page.waitForFunction((n) => Number(document.getElementById("status")?.dataset.points) !== n, all, { timeout: 20_000 });
    expect(Number(await page.getAttribute("#status", "data-points"))).toBe(20);
    expect(outside).toEqual([]);
    await page.close();
  }, 60_000);
});
