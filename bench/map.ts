/**
 * The map page with many records held (issue 14): what a visitor's browser downloads to see it
 * (transfer size, gzip as sent, map tiles left aside) and how long until the first markers show,
 * on a fresh server (bundles built on the first request) and again warm.
 *
 *   node bench/map.ts [--records 1000000] [--runs 3]
 *
 * Generates the records into a SQLite file (the embedded store), starts an instance on it through
 * the same compose() as production, and drives Debian's Chromium with playwright-core. Tiles are
 * answered locally with an empty image. Prints figures; asserts nothing.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { chromium, type Page, type Response as PageResponse } from "playwright-core";
import { loadConfig } from "../src/config.ts";
import { compose } from "../src/compose.ts";
import type { InitiativeRecord } from "../src/domain/initiative.ts";
import { versionOf } from "../src/domain/version.ts";
import { SqliteStore } from "../src/store/sqlite/store.sqlite.ts";
import { generateRow, rng } from "./generate.ts";
import { CHROMIUM, CHROMIUM_ARGS } from "../test/support/browser.ts";

const { values } = parseArgs({
  options: { records: { type: "string", default: "1000000" }, runs: { type: "string", default: "3" } },
});
const N = Number(values.records);
const S = "https://lod.coop/essglobal/2.1/standard/";
const TILE = Buffer.from(
  "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNkYAAAAAYAAjCB0C8AAAAASUVORK5CYII=",
  "base64",
);

function record(k: number, r: () => number, base: string): InitiativeRecord {
  const g = generateRow(k, r);
  const initiative = {
    id: `${base}/initiatives/${g.id}`,
    name: g.name,
    description: g.description,
    organisationalStructure: [`${S}organisational-structure/${g.structure}`],
    legalForm: [],
    primaryActivity: `${S}activities-ica/${g.primary}`,
    activities: [],
    qualifiers: g.qualifiers.map((q) => `${S}qualifiers/${q}`),
    country: `${S}countries-iso/${g.country}`,
    address: { locality: g.locality, postcode: g.postcode, lat: g.lat, long: g.long },
    sameAs: [],
  };
  const updated = new Date(Date.UTC(2025, 0, 1) + k * 1000).toISOString();
  return {
    initiative,
    published: updated,
    updated,
    version: versionOf(initiative),
    ...(k % 5 === 0
      ? { provenance: { origin: `https://n${k % 3}.example/actors/network`, via: [], receivedAt: updated } }
      : {}),
  };
}

/** Loads the map page; returns bytes transferred (excluding tiles) and ms until the first marker. */
async function visit(
  page: Page,
  url: string,
): Promise<{ bytes: number; requests: number; firstMarkerMs: number; listMs: number }> {
  const sizes: Promise<number>[] = [];
  const onResponse = (res: PageResponse) => {
    if (res.url().startsWith("https://tiles.invalid/")) return;
    sizes.push(
      res
        .request()
        .sizes()
        .then((s) => s.responseHeadersSize + s.responseBodySize),
    );
  };
  page.on("response", onResponse);
  await page.goto(url);
  await page.waitForSelector(".essfed-cluster, .essfed-point", { timeout: 120_000 });
  const firstMarkerMs = await page.evaluate(() => performance.now());
  await page.waitForFunction(() => Number(document.getElementById("list")?.dataset.count) > 0, undefined, {
    timeout: 120_000,
  });
  const listMs = await page.evaluate(() => performance.now());
  await page.waitForLoadState("networkidle");
  page.off("response", onResponse);
  const all = await Promise.all(sizes);
  return { bytes: all.reduce((a, b) => a + b, 0), requests: all.length, firstMarkerMs, listMs };
}

const dir = mkdtempSync(join(tmpdir(), "essfed-bench-map-"));
const base = "http://127.0.0.1:18931";
try {
  console.log(`Map page with ${N.toLocaleString("en")} records (SQLite)`);
  const store = new SqliteStore(join(dir, "essfed.sqlite"));
  await store.initialize();
  const r = rng(1);
  const t0 = performance.now();
  for (let k = 0; k < N; k += 5000)
    await store.putInitiatives(Array.from({ length: Math.min(5000, N - k) }, (_, j) => record(k + j, r, base)));
  await store.search.catchUp();
  console.log(`  generated and indexed in ${((performance.now() - t0) / 1000).toFixed(0)} s`);
  await store.close();

  const config = loadConfig({
    PORT: "18931",
    ESSFED_BIND: "127.0.0.1",
    ESSFED_URL: base,
    ESSFED_DATA: dir,
    ESSFED_LOG_LEVEL: "error",
    ESSFED_RATE_LIMIT_API: "0",
    ESSFED_TILE_URL: "https://tiles.invalid/{z}/{x}/{y}.png",
  });
  const instance = await compose(config);
  await instance.listen();
  // Headless by playwright's default, as the browser tests run it.
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
  try {
    for (let run = 0; run < Number(values.runs); run++) {
      // A new context each time: nothing cached in the browser (the server may have built its bundles already).
      const ctx = await browser.newContext({ viewport: { width: 1280, height: 800 } });
      await ctx.route("https://tiles.invalid/**", (route) =>
        route.fulfill({ status: 200, contentType: "image/png", body: TILE }),
      );
      const page = await ctx.newPage();
      const v = await visit(page, `${base}/`);
      console.log(
        `  ${run === 0 ? "fresh server" : "warm server "}: ${(v.bytes / 1024).toFixed(1)} KiB in ${v.requests} ` +
          `requests (gzip as sent, tiles aside); first markers at ${v.firstMarkerMs.toFixed(0)} ms, list at ` +
          `${v.listMs.toFixed(0)} ms`,
      );
      await ctx.close();
    }
  } finally {
    await browser.close();
    await instance.close();
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}
