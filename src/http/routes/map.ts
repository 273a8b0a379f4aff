/**
 * The map page at the instance root, and its script and styles bundled from npm packages (Leaflet)
 * with esbuild the first time they are asked for; nothing is loaded from a CDN. Tiles come from
 * ESSFED_TILE_URL.
 */
import { createHash } from "node:crypto";
import { readFile } from "node:fs/promises";
import { createRequire } from "node:module";
import { fileURLToPath } from "node:url";
import { Router, type Response } from "express";
import type { HttpDeps } from "../deps.ts";
import { esc } from "../html.ts";

const require = createRequire(import.meta.url);
interface Asset { body: Buffer; type: string; etag: string }

async function build(): Promise<{ js: Asset; css: Asset }> {
  const esbuild = await import("esbuild");
  const result = await esbuild.build({
    entryPoints: [fileURLToPath(new URL("../map/map.client.js", import.meta.url))],
    bundle: true, minify: true, format: "iife", target: "es2020", write: false, legalComments: "none",
  });
  const css = [await readFile(require.resolve("leaflet/dist/leaflet.css"), "utf8"), await readFile(fileURLToPath(new URL("../map/map.css", import.meta.url)), "utf8")].join("\n");
  const asset = (text: string, type: string): Asset => {
    const body = Buffer.from(text);
    return { body, type, etag: `"${createHash("sha256").update(body).digest("base64url").slice(0, 16)}"` };
  };
  return { js: asset(result.outputFiles[0]!.text, "text/javascript; charset=utf-8"), css: asset(css, "text/css; charset=utf-8") };
}

export function mapRoutes(deps: HttpDeps): Router {
  const { config, store, iris } = deps;
  const router = Router();
  let assets: Promise<{ js: Asset; css: Asset }> | undefined;
  const serve = async (res: Response, which: "js" | "css", ifNoneMatch?: string) => {
    assets ??= build();
    const a = (await assets)[which];
    res.setHeader("ETag", a.etag);
    res.setHeader("Cache-Control", "public, max-age=300");
    if (ifNoneMatch === a.etag) return void res.status(304).end();
    res.type(a.type).send(a.body);
  };
  router.get("/assets/map.js", (req, res) => serve(res, "js", req.headers["if-none-match"]));
  router.get("/assets/map.css", (req, res) => serve(res, "css", req.headers["if-none-match"]));

  router.get("/", async (_req, res) => {
    const [own, all, followers] = await Promise.all([store.countInitiatives(null), store.countInitiatives(), store.listFollowers("accepted")]);
    const host = new URL(config.url).host;
    const select = (name: string, label: string) => `<label>${label} <select name="${name}"><option value="">any</option></select></label>`;
    const page = `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${esc(config.name)}</title><link rel="stylesheet" href="/assets/map.css">
<link rel="alternate" type="application/activity+json" href="${esc(iris.actor)}"></head><body>
<header><h1>${esc(config.name)}</h1><span class="muted">${esc(config.summary)}</span>
<span class="muted">${own} initiatives published here, ${all} in all · ${followers.length} followers · follow <code>@${esc(config.handle)}@${esc(host)}</code></span>
<span class="muted"><a href="${esc(iris.directory)}?page=true&amp;format=html">Directory</a> · <a href="/api/initiatives">API</a> · <a href="/sparql">SPARQL</a> · <a href="/vocab/">Vocabularies</a></span></header>
<form id="filters"><input name="q" type="search" placeholder="Search names and descriptions" aria-label="Search">
${select("structure", "Structure")}${select("activity", "Activity")}${select("country", "Country")}${select("membership", "Membership")}${select("qualifier", "Qualifier")}${select("source", "Network")}
<button type="submit">Search</button></form>
<div id="map"></div><div id="status" data-points="" aria-live="polite">Loading…</div>
<script type="application/json" id="essfed-config">${JSON.stringify({ tileUrl: config.tileUrl, attribution: "&copy; OpenStreetMap contributors" }).replace(/</g, "\\u003c")}</script>
<script src="/assets/map.js"></script></body></html>`;
    res.type("text/html").send(page);
  });
  return router;
}
