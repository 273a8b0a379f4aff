/**
 * The JSON-LD budget (issue 10.1, ADR 18): what one worst-case document costs the process that
 * receives it, with the budget (pre-scan, then expansion in a worker under its limits) and without
 * it (jsonld.toRDF on the main thread, as every intake did before). Each document is read in a
 * child process of its own, which reports the wall time, the longest the main thread went without
 * running a 10 ms timer (what every other request would have waited), and the process's peak RSS
 * (the kernel's high-water mark, workers included). A run without the budget that outlives
 * --timeout seconds is killed and shown as such.
 *
 * Then the cost for ordinary documents: µs per pre-scan of the activities the inbox gets most (an
 * essfed Create, a Mastodon Create), against the walk the inbox made before (shipped contexts
 * only), and ms per document through the whole intake with and without the budget.
 *
 *   node bench/jsonld-budget.ts [--timeout 60] [--only NAME]
 *
 * Prints figures; asserts nothing.
 */
import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { monitorEventLoopDelay } from "node:perf_hooks";
import { parseArgs } from "node:util";
import jsonld from "jsonld";
import { Parser } from "n3";
import { createOrUpdate } from "../src/federation/activities.ts";
import { makeIris } from "../src/directory/ids.ts";
import { validateInitiative } from "../src/domain/validate.ts";
import { versionOf } from "../src/domain/version.ts";
import { staticDocumentLoader } from "../src/linkeddata/context.ts";
import { initiativeToJsonLd } from "../src/linkeddata/initiative-jsonld.ts";
import { prescan } from "../src/linkeddata/jsonld-budget.ts";
import { draftsFromJsonLd, isJsonLdRefusal } from "../src/linkeddata/jsonld-in.ts";
import { closeJsonLdPools } from "../src/linkeddata/jsonld-pool.ts";
import { loadTaxonomies } from "../src/linkeddata/vocabulary.ts";

const { values } = parseArgs({
  options: {
    timeout: { type: "string", default: "60" },
    only: { type: "string" },
    child: { type: "string" },
    mode: { type: "string" },
  },
});

const E = "http://example.org/";
const AS = "https://www.w3.org/ns/activitystreams";
const initiative = (extra: Record<string, unknown>, context: unknown[] = []) => ({
  "@context": [
    AS,
    { essglobal: "https://lod.coop/essglobal/2.1/vocab/", gr: "http://purl.org/goodrelations/v1#" },
    ...context,
  ],
  id: "https://bomb.example/initiatives/1",
  type: ["Page", "essglobal:SSEInitiative"],
  "gr:name": "Bomb",
  attributedTo: "https://bomb.example/actor",
  ...extra,
});
const terms = (n: number) => Object.fromEntries(Array.from({ length: n }, (_, i) => [`t${i}`, `${E}${i}`]));

/** Worst cases the 1 MB inbox took before the budget, each aimed at one weakness. */
const WORST: Record<string, () => unknown> = {
  "list-150k": () =>
    initiative({ items: Array.from({ length: 150_000 }, (_, i) => i) }, [
      { items: { "@id": `${E}items`, "@container": "@list" } },
    ]),
  "terms-30k": () => initiative({ t1: "x" }, [terms(30_000)]),
  "scoped-30x200": () => {
    let ctx: Record<string, unknown> = terms(200);
    for (let d = 0; d < 30; d++) ctx = { ...terms(200), p: { "@id": `${E}p`, "@context": ctx } };
    let doc: Record<string, unknown> = { t1: "leaf" };
    for (let d = 0; d < 30; d++) doc = { p: doc, t1: "v" };
    return initiative(doc, [ctx]);
  },
  "set-20k": () =>
    initiative({ v: Array.from({ length: 20_000 }, (_, i) => i) }, [{ v: { "@id": `${E}v`, "@container": "@set" } }]),
  // Within the pre-scan's limits: refused by the worker (quad cap, deadline), off the main thread.
  "lists-19x1000": () =>
    initiative({ items: Array.from({ length: 19 }, () => ({ "@list": Array.from({ length: 1000 }, (_, i) => i) })) }, [
      { items: `${E}items` },
    ]),
  "sets-19x1000": () =>
    initiative(
      Object.fromEntries(Array.from({ length: 19 }, (_, k) => [`v${k}`, Array.from({ length: 1000 }, (_, i) => i)])),
      [
        Object.fromEntries(
          Array.from({ length: 19 }, (_, k) => [`v${k}`, { "@id": `${E}v${k}`, "@container": "@set" }]),
        ),
      ],
    ),
  "vocab-output": () =>
    initiative(
      {
        p: Array.from({ length: 20 }, (_, n) => ({
          "@list": Array.from({ length: 600 }, (_, i) => ({ k1: i, k2: i, k3: i, k4: n })),
        })),
      },
      [{ p: { "@id": `${E}p`, "@context": { "@vocab": `${E}${"x".repeat(2000)}/` } } }],
    ),
};

/** The check the inbox made before the budget: every @context string must be shipped, depth ≤ 32. */
async function shippedContextsOnly(doc: unknown, depth = 0): Promise<void> {
  if (depth > 32) throw new Error("too deep");
  if (Array.isArray(doc)) {
    for (const x of doc) await shippedContextsOnly(x, depth + 1);
    return;
  }
  if (typeof doc !== "object" || doc === null) return;
  for (const [k, v] of Object.entries(doc)) {
    if (k === "@context")
      for (const c of Array.isArray(v) ? v : [v]) {
        if (typeof c === "string") await staticDocumentLoader(c);
      }
    else await shippedContextsOnly(v, depth + 1);
  }
}

/** The intake as it was: jsonld.toRDF on this thread, then N-Quads parsed. */
async function withoutBudget(doc: unknown): Promise<number> {
  // jsonld reads `safe`, which its published types do not list; with format N-Quads it answers text.
  const options = {
    format: "application/n-quads",
    documentLoader: staticDocumentLoader as never,
    safe: false,
  } as const;
  const nquads = (await jsonld.toRDF(doc as jsonld.JsonLdDocument, options)) as string;
  return new Parser({ format: "N-Quads" }).parse(nquads).length;
}

async function child(name: string, mode: string): Promise<void> {
  const doc = WORST[name]!();
  const bytes = JSON.stringify(doc).length;
  const delay = monitorEventLoopDelay({ resolution: 10 });
  let last = performance.now(),
    stall = 0;
  const ticker = setInterval(() => {
    const now = performance.now();
    stall = Math.max(stall, now - last);
    last = now;
  }, 10);
  // Workers start before the clock: a running server has its pool started long before.
  if (mode === "on") await draftsFromJsonLd({ "@context": AS, id: "https://warm.example/x", type: "Note" });
  delay.enable();
  last = performance.now();
  const t0 = performance.now();
  let outcome: string;
  try {
    outcome =
      mode === "on" ? `read ${(await draftsFromJsonLd(doc)).length} drafts` : `${await withoutBudget(doc)} quads`;
  } catch (e) {
    outcome = isJsonLdRefusal(e)
      ? `refused: ${"status" in e ? e.status : 400} ${(e as { limit?: string }).limit ?? e.code}`
      : `failed: ${(e as Error).message.slice(0, 60)}`;
  }
  const ms = performance.now() - t0;
  stall = Math.max(stall, performance.now() - last);
  clearInterval(ticker);
  delay.disable();
  await closeJsonLdPools();
  console.log(JSON.stringify({ bytes, ms, stall, rss: process.resourceUsage().maxRSS / 1024, outcome }));
}

function perDocument(): void {
  const taxonomies = loadTaxonomies();
  const iris = makeIris("https://regional.example", "network");
  const v = validateInitiative(
    {
      id: iris.initiative("R1"),
      name: "Brixton Energy",
      description: "Community energy",
      homepage: "https://brixtonenergy.example",
      organisationalStructure: ["OS60"],
      legalForm: ["L2"],
      address: { locality: "London", lat: "51.46", long: "-0.11" },
    },
    taxonomies,
  );
  if (!v.ok) throw new Error("invalid");
  const object = initiativeToJsonLd(
    {
      initiative: v.initiative,
      published: "2026-01-01T00:00:00.000Z",
      updated: "2026-01-01T00:00:00.000Z",
      version: versionOf(v.initiative),
    },
    taxonomies,
    { owner: iris.actor, audience: "peers" },
  );
  const docs: Record<string, unknown> = {
    "essfed Create": createOrUpdate(iris, "Create", object, "v1"),
    "Mastodon Create": JSON.parse(
      readFileSync(new URL("../test/fixtures/jsonld/mastodon-create-note.json", import.meta.url), "utf8"),
    ) as unknown,
  };
  return void Object.entries(docs)
    .map(([name, doc]) => [name, doc] as const)
    .reduce(async (prev, [name, doc]) => {
      await prev;
      const time = async (f: () => unknown, n: number) => {
        const t = performance.now();
        for (let i = 0; i < n; i++) await f();
        return (performance.now() - t) / n;
      };
      await time(() => prescan(doc), 2000);
      const after = (await time(() => prescan(doc), 20_000)) * 1000;
      const before = (await time(() => shippedContextsOnly(doc), 20_000)) * 1000;
      console.log(
        `| ${name} (${JSON.stringify(doc).length} bytes) | ${before.toFixed(1)} µs | ${after.toFixed(1)} µs |`,
      );
    }, Promise.resolve());
}

async function intakePerDocument(): Promise<void> {
  const docs = { "Mastodon actor": "mastodon-actor.json", "ESSGLOBAL @graph": "essglobal-graph.jsonld" };
  console.log(
    "\n| document, through the whole intake | without the budget | with it (pre-scan + worker) |\n| --- | --- | --- |",
  );
  for (const [name, file] of Object.entries(docs)) {
    const doc = JSON.parse(
      readFileSync(new URL(`../test/fixtures/jsonld/${file}`, import.meta.url), "utf8"),
    ) as unknown;
    const time = async (f: () => Promise<unknown>, n: number) => {
      const t = performance.now();
      for (let i = 0; i < n; i++) await f();
      return (performance.now() - t) / n;
    };
    await time(() => withoutBudget(doc), 20);
    await time(() => draftsFromJsonLd(doc), 20);
    const off = await time(() => withoutBudget(doc), 200),
      on = await time(() => draftsFromJsonLd(doc), 200);
    console.log(`| ${name} | ${off.toFixed(2)} ms | ${on.toFixed(2)} ms |`);
  }
  await closeJsonLdPools();
}

if (values.child) {
  await child(values.child, values.mode ?? "on");
} else {
  console.log(
    "| worst case (bytes) | budget | outcome | wall | longest main-thread stall | peak RSS |\n| --- | --- | --- | " +
      "--- | --- | --- |",
  );
  for (const name of Object.keys(WORST).filter((n) => !values.only || n === values.only)) {
    for (const mode of ["off", "on"]) {
      const r = spawnSync(process.execPath, [new URL(import.meta.url).pathname, "--child", name, "--mode", mode], {
        encoding: "utf8",
        timeout: Number(values.timeout) * 1000,
        maxBuffer: 1 << 20,
      });
      if (r.status !== 0) {
        const why = r.signal
          ? `killed after ${values.timeout} s`
          : `exited ${r.status}: ${r.stderr.split("\n").find((l) => /Error|heap/.test(l)) ?? ""}`;
        console.log(`| ${name} | ${mode} | ${why} | | | |`);
        continue;
      }
      const m = JSON.parse(r.stdout.trim().split("\n").pop()!) as {
        bytes: number;
        ms: number;
        stall: number;
        rss: number;
        outcome: string;
      };
      console.log(
        `| ${name} (${m.bytes}) | ${mode} | ${m.outcome} | ${(m.ms / 1000).toFixed(2)} s | ` +
          `${(m.stall / 1000).toFixed(2)} s | ${m.rss.toFixed(0)} MB |`,
      );
    }
  }
  console.log(
    "\n| ordinary activity | pre-scan before the budget (shipped contexts only) | pre-scan with the budget |\n| --- " +
      "| --- | --- |",
  );
  perDocument();
  await new Promise((r) => setTimeout(r, 100));
  await intakePerDocument();
}
