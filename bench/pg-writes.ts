/**
 * PostgreSQL mirror writes in isolation (issue 12): the store's own cost of what an aggregator does
 * for each activity from a peer (one record per transaction, several at once, as concurrent inbox
 * requests write) and for each back-fill page (1,000 records in one transaction), through the
 * writer, without HTTP, signatures or JSON-LD. Needs POSTGRES_URL; uses a schema of its own,
 * dropped afterwards.
 *
 *   node bench/pg-writes.ts [--activities 3000] [--concurrency 10] [--pages 20]
 *
 * Prints records/s of wall time and the CPU per record in this process and in its PostgreSQL
 * backends (read from /proc: the database runs on this machine), with the load average. Records
 * are written as the writer's `mirror()` writes them (a replayable write, ADR 31).
 * Asserts nothing.
 */
import { readFileSync } from "node:fs";
import { loadavg } from "node:os";
import { parseArgs } from "node:util";
import pg from "pg";
import { emptyInitiative, type InitiativeRecord } from "../src/domain/initiative.ts";
import { versionOf } from "../src/domain/version.ts";
import { PostgresStore } from "../src/store/postgres/store.postgres.ts";
import { randomSchema } from "../test/support/postgres.ts";

const { values } = parseArgs({
  options: {
    activities: { type: "string", default: "3000" },
    concurrency: { type: "string", default: "10" },
    pages: { type: "string", default: "20" },
  },
});
const N = Number(values.activities),
  C = Number(values.concurrency),
  PAGES = Number(values.pages);
const url = process.env.POSTGRES_URL;
if (!url) throw new Error("set POSTGRES_URL");

const ORIGIN = "https://national.example/actors/national";
function record(k: number, kind: string): InitiativeRecord {
  const now = new Date().toISOString();
  const initiative = {
    ...emptyInitiative(`https://national.example/initiatives/${kind}-${k}`, `${kind} Co-op ${k}`),
    description: `A generated co-operative number ${k}.`,
    organisationalStructure: ["https://dev.lod.coop/essglobal/2.1/standard/organisational-structure/OS60"],
    primaryActivity: `https://dev.lod.coop/essglobal/2.1/standard/activities-ica/ICA${10 * (1 + (k % 28))}`,
    country: "https://dev.lod.coop/essglobal/2.1/standard/countries-iso/GB",
    address: { locality: `Town ${k % 500}`, lat: 50 + (k % 800) / 100, long: -5 + (k % 700) / 100 },
  };
  return {
    initiative,
    published: now,
    updated: now,
    version: versionOf(initiative),
    provenance: { origin: ORIGIN, via: [], receivedAt: now },
  };
}

const app = `${randomSchema("pgw")}-bench`;
const cpuOf = (pid: number) => {
  try {
    const f = readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1]!.split(" ");
    return (Number(f[11]) + Number(f[12])) / 100;
  } catch {
    return 0;
  }
};
async function backends(): Promise<Map<number, number>> {
  const c = new pg.Client(url);
  await c.connect();
  const { rows } = await c.query("SELECT pid FROM pg_stat_activity WHERE application_name = $1", [app]);
  await c.end();
  return new Map(rows.map((r: { pid: number }) => [r.pid, cpuOf(r.pid)]));
}
const mine = () => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1e6;
};
async function measure(label: string, items: number, fn: () => Promise<void>) {
  const b0 = await backends();
  const c0 = mine();
  const t0 = performance.now();
  await fn();
  const secs = (performance.now() - t0) / 1000;
  const node = mine() - c0;
  let db = 0;
  for (const pid of (await backends()).keys()) db += cpuOf(pid) - (b0.get(pid) ?? 0);
  const per = (s: number) => ((s * 1000) / items).toFixed(3);
  console.log(
    `${label}: ${Math.round(items / secs).toLocaleString("en")} records/s; CPU per record ${per(node)} ms here + ` +
      `${per(db)} ms in PostgreSQL; load average ${loadavg()[0]!.toFixed(1)}`,
  );
}

const u = new URL(url);
u.searchParams.set("application_name", app);
const schema = app.replace(/-bench$/, "");
const store = new PostgresStore(u.href, { schema });
try {
  await store.initialize();
  const mirror = (records: InitiativeRecord[]) => store.putInitiatives(records, undefined, { replayable: true });
  // Warm the pool (every connection open) so that connecting is not measured.
  await Promise.all(Array.from({ length: C }, () => store.pool.query("SELECT 1")));
  let next = 0;
  await measure(`${N} activities, one record per write, ${C} at once`, N, async () => {
    await Promise.all(
      Array.from({ length: C }, async () => {
        for (let k = next++; k < N; k = next++) await mirror([record(k, "Activity")]);
      }),
    );
  });
  await measure(`${PAGES} back-fill pages of 1,000 records`, PAGES * 1000, async () => {
    for (let p = 0; p < PAGES; p++) await mirror(Array.from({ length: 1000 }, (_x, k) => record(p * 1000 + k, "Page")));
  });
} finally {
  await store.drop();
  await store.close();
}
