/**
 * Debian's Chromium driven by playwright-core, for the pages people use: a fresh context each
 * page, nothing fetched from outside (map tiles are answered here), and axe-core run in the page.
 */
import { existsSync } from "node:fs";
import { createRequire } from "node:module";
import { chromium, type BrowserContext, type Page } from "playwright-core";

/** Debian's Chromium, and what it is started with wherever the project drives it (tests and bench/map.ts). */
export const CHROMIUM = "/usr/bin/chromium";
export const CHROMIUM_ARGS = [
  "--no-sandbox",
  "--disable-gpu",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
  "--no-first-run",
];
const require = createRequire(import.meta.url);
// A 1×1 transparent PNG for every tile request.
const TILE = Buffer.from(
  "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNkYAAAAAYAAjCB0C8AAAAASUVORK5CYII=",
  "base64",
);
export const TILE_URL = "https://tiles.invalid/{z}/{x}/{y}.png";

export interface TestBrowser {
  /** A new page (its own cookies) at a viewport size and language; records requests that left 127.0.0.1. */
  page(opts?: { width?: number; height?: number; locale?: string }): Promise<Page & { outside: string[] }>;
  close(): Promise<void>;
}

/**
 * One Chromium process for the file; each page gets its own context (cookies, storage, locale,
 * viewport), as separate as a fresh profile but without starting Chromium again for every page.
 */
export async function launchBrowser(): Promise<TestBrowser> {
  if (!existsSync(CHROMIUM))
    throw new Error(`${CHROMIUM} is missing: install Debian's chromium package (.ci/run does)`);
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: CHROMIUM_ARGS,
  });
  const contexts: BrowserContext[] = [];
  return {
    async page({ width = 1280, height = 800, locale = "en-GB" } = {}) {
      const ctx = await browser.newContext({ locale, viewport: { width, height } });
      contexts.push(ctx);
      const page = await ctx.newPage();
      const outside: string[] = [];
      await ctx.route("**/*", (route) => {
        const url = route.request().url();
        if (url.startsWith("https://tiles.invalid/"))
          return route.fulfill({ status: 200, contentType: "image/png", body: TILE });
        if (!/^https?:\/\/127\.0\.0\.1[:/]/.test(url)) {
          outside.push(url);
          return route.abort();
        }
        return route.continue();
      });
      return Object.assign(page, { outside });
    },
    async close() {
      for (const c of contexts) await c.close().catch(() => {});
      await browser.close();
    },
  };
}

/** Serious and critical accessibility violations axe-core finds in the page as it is now. */
export async function axeViolations(page: Page): Promise<string[]> {
  await page.addScriptTag({ path: require.resolve("axe-core/axe.min.js") });
  const result = await page.evaluate(async () => {
    const axe = (
      window as unknown as {
        axe: {
          run(o: unknown): Promise<{ violations: { id: string; impact: string; nodes: { target: string[] }[] }[] }>;
        };
      }
    ).axe;
    return axe.run({ runOnly: { type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"] } });
  });
  return result.violations
    .filter((v) => v.impact === "serious" || v.impact === "critical")
    .map(
      (v) =>
        `${v.id} (${v.impact}): ${v.nodes
          .slice(0, 3)
          .map((n) => n.target.join(" "))
          .join(", ")}`,
    );
}
