/**
 * What the operations layer costs each request: the same tiny Express route answered bare, behind
 * the request metrics (route label, status, latency histogram), and behind the metrics and the
 * per-address rate limit, loaded in turn with autocannon from this process, in several rounds.
 * Server and load generator share this process, so the figure compared is this process's CPU
 * time per request (steadier than requests/s on a shared machine); the difference between
 * configurations is what a layer costs. Prints medians; asserts nothing.
 *
 *   node bench/ops.ts [--seconds 4] [--connections 16] [--rounds 3]
 */
import { mkdtempSync, rmSync } from "node:fs";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import autocannon from "autocannon";
import express, { type RequestHandler } from "express";
import { loadConfig } from "../src/config.ts";
import { rateLimits } from "../src/http/middleware/rate-limit.ts";
import { Health } from "../src/ops/health.ts";
import { Metrics } from "../src/ops/metrics.ts";
import { SqliteStore } from "../src/store/sqlite/store.sqlite.ts";

const { values } = parseArgs({
  options: {
    seconds: { type: "string", default: "4" },
    connections: { type: "string", default: "16" },
    rounds: { type: "string", default: "3" },
  },
});
const dir = mkdtempSync(join(tmpdir(), "essfed-bench-ops-"));
const store = new SqliteStore(join(dir, "essfed.sqlite"));
await store.initialize();
const config = loadConfig({ ESSFED_DATA: dir, ESSFED_RATE_LIMIT_API: "10000000" });
const metrics = new Metrics({
  store,
  health: new Health(store, { indexLagBoundMs: 300_000 }),
  sparql: () => ({
    workers: 0,
    busy: 0,
    queued: 0,
    completed: 0,
    refusedBusy: 0,
    exited: 0,
    cancelled: 0,
    timeouts: 0,
    failed: 0,
  }),
  inboxPaths: ["/inbox"],
  handle: "network",
});

/** CPU µs of this process per request, and requests/s. */
async function run(layers: RequestHandler[]): Promise<{ cpu: number; rps: number }> {
  const app = express();
  for (const l of layers) app.use(l);
  app.get("/things/:id", (_req, res) => {
    res.type("application/json").send('{"ok":true}');
  });
  const server = app.listen(0, "127.0.0.1");
  await new Promise((r) => server.once("listening", r));
  const { port } = server.address() as AddressInfo;
  const before = process.cpuUsage();
  const result = await autocannon({
    url: `http://127.0.0.1:${port}/things/1`,
    connections: Number(values.connections),
    duration: Number(values.seconds),
  });
  const used = process.cpuUsage(before);
  await new Promise((r) => server.close(r));
  const total = result.requests.average * Number(values.seconds);
  return { cpu: (used.user + used.system) / Math.max(1, total), rps: result.requests.average };
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const configs: [string, RequestHandler[]][] = [
  ["bare route", []],
  ["+ request metrics", [metrics.middleware]],
  ["+ metrics + rate limit", [metrics.middleware, rateLimits(config).api]],
];
const cpu = new Map<string, number[]>(),
  rps = new Map<string, number[]>();
for (let r = 0; r < Number(values.rounds); r++) {
  for (const [name, layers] of configs) {
    const o = await run(layers);
    cpu.set(name, [...(cpu.get(name) ?? []), o.cpu]);
    rps.set(name, [...(rps.get(name) ?? []), o.rps]);
  }
}
for (const [name] of configs)
  console.log(
    `${name.padEnd(24)} ${median(cpu.get(name)!).toFixed(1).padStart(7)} µs CPU per request   ${Math.round(
      median(rps.get(name)!),
    )
      .toString()
      .padStart(6)} requests/s`,
  );
const [bare, measured, limited] = configs.map(([name]) => median(cpu.get(name)!));
console.log(
  `request metrics add ${(measured! - bare!).toFixed(1)} µs CPU per request; the rate limit ` +
    `${(limited! - measured!).toFixed(1)} µs more`,
);
const scrape = Date.now();
const text = await metrics.text();
console.log(`one scrape: ${Date.now() - scrape} ms, ${text.length} bytes`);
await store.close();
rmSync(dir, { recursive: true, force: true });
