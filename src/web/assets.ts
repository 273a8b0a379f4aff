/**
 * The page scripts and styles, bundled from npm packages (Leaflet, Supercluster, intl-messageformat)
 * with esbuild once per process, the first time a page needs them; nothing is loaded from a CDN.
 * Each file is served under a name that carries its content hash (cached for a year) and gzipped
 * once, up front, for clients that accept it.
 */
import { createHash } from "node:crypto";
import { readFile } from "node:fs/promises";
import { createRequire } from "node:module";
import { fileURLToPath } from "node:url";
import { gzipSync } from "node:zlib";
import { Router, type Request, type Response } from "express";

const require = createRequire(import.meta.url);
const here = (p: string) => fileURLToPath(new URL(p, import.meta.url));

interface Asset {
  body: Buffer;
  gzip: Buffer;
  type: string;
  hash: string;
}

/** Bundled script entries (browser code in `client/`). */
const SCRIPTS = ["map.js", "console.js"] as const;
/** Style sheets: each is the concatenation of its parts. */
const STYLES: Record<string, () => string[]> = {
  "site.css": () => [here("./client/site.css")],
  "map.css": () => [require.resolve("leaflet/dist/leaflet.css"), here("./client/map.css")],
};
/** Files served as they are. */
const FILES: Record<string, string> = { "card.png": here("./client/card.png") };

const TYPES: Record<string, string> = {
  js: "text/javascript; charset=utf-8",
  css: "text/css; charset=utf-8",
  png: "image/png",
};

function asset(name: string, body: Buffer): Asset {
  const ext = name.slice(name.lastIndexOf(".") + 1);
  return {
    body,
    gzip: gzipSync(body, { level: 9 }),
    type: TYPES[ext]!,
    hash: createHash("sha256").update(body).digest("base64url").slice(0, 10),
  };
}

async function buildAll(): Promise<Map<string, Asset>> {
  const esbuild = await import("esbuild");
  const out = new Map<string, Asset>();
  const result = await esbuild.build({
    entryPoints: SCRIPTS.map((s) => here(`./client/${s}`)),
    bundle: true,
    minify: true,
    format: "iife",
    target: "es2020",
    write: false,
    legalComments: "none",
    outdir: "out",
  });
  for (const f of result.outputFiles) {
    const name = f.path.slice(f.path.lastIndexOf("/") + 1);
    out.set(name, asset(name, Buffer.from(f.contents)));
  }
  for (const [name, parts] of Object.entries(STYLES)) {
    const texts = await Promise.all(parts().map((p) => readFile(p, "utf8")));
    out.set(name, asset(name, Buffer.from(texts.join("\n"))));
  }
  for (const [name, path] of Object.entries(FILES)) out.set(name, asset(name, await readFile(path)));
  return out;
}

/** The bundles of one process, and their routes. */
export class Assets {
  #built: Promise<Map<string, Asset>> | undefined;
  #ready: Map<string, Asset> | undefined;

  /** Builds the bundles (once); pages await this before they name asset URLs. */
  async ready(): Promise<void> {
    this.#built ??= buildAll();
    this.#ready = await this.#built;
  }

  /** The hashed file name of an asset, e.g. `map.Ab12Cd34Ef.js` (after {@link ready}). */
  readonly url = (name: string): string => {
    const a = this.#ready?.get(name);
    if (!a) return name;
    const dot = name.lastIndexOf(".");
    return `${name.slice(0, dot)}.${a.hash}${name.slice(dot)}`;
  };

  routes(): Router {
    const router = Router();
    router.get("/assets/:file", async (req: Request, res: Response, next) => {
      const file = String(req.params.file);
      // map.js or map.<hash>.js: the plain name is kept for pages cached before a change.
      const m = /^([a-z-]+)(?:\.([A-Za-z0-9_-]{10}))?\.([a-z]+)$/.exec(file);
      if (!m) return next();
      await this.ready();
      const a = this.#ready!.get(`${m[1]}.${m[3]}`);
      if (!a || (m[2] && m[2] !== a.hash)) return next();
      const etag = `"${a.hash}"`;
      res.setHeader("ETag", etag);
      res.setHeader("Vary", "Accept-Encoding");
      res.setHeader("Cache-Control", m[2] ? "public, max-age=31536000, immutable" : "public, max-age=300");
      if (req.headers["if-none-match"] === etag) return void res.status(304).end();
      const gzip = /\bgzip\b/.test(String(req.headers["accept-encoding"] ?? ""));
      if (gzip) res.setHeader("Content-Encoding", "gzip");
      res.type(a.type).send(gzip ? a.gzip : a.body);
    });
    return router;
  }
}
