/**
 * Federation figures (issues 3 and 4): two-hop propagation latency (create at local until stored
 * at the aggregator), live throughput per hop, and back-fill rate. Three essfed processes on
 * 127.0.0.1 with SQLite each; then, when POSTGRES_URL is set, the same with the aggregators on
 * PostgreSQL (a schema of their own, dropped afterwards).
 *
 *   node bench/federation.ts [--latency 200] [--burst 3000] [--backfill 100000] [--stores sqlite,postgres]
 *
 * Prints figures; asserts nothing.
 */
import { readFileSync } from "node:fs";
import { loadavg } from "node:os";
import { parseArgs } from "node:util";
import pg from "pg";
import { loadConfig } from "../src/config.ts";
import { compose } from "../src/compose.ts";
import type { InitiativeDraft } from "../src/domain/validate.ts";
import { createInitiative, eventually, spawnInstance, type ProcessInstance } from "../test/support/process.ts";
import { databaseUrl, dropSchema, randomSchema } from "../test/support/postgres.ts";

const { values } = parseArgs({
  options: {
    latency: { type: "string", default: "200" },
    burst: { type: "string", default: "3000" },
    backfill: { type: "string", default: "100000" },
    stores: { type: "string", default: process.env.POSTGRES_URL ? "sqlite,postgres" : "sqlite" },
  },
});
const N_LAT = Number(values.latency),
  N_BURST = Number(values.burst),
  N_BACKFILL = Number(values.backfill);

const pct = (xs: number[], p: number) =>
  [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor((p / 100) * xs.length))]!;

async function follow(from: ProcessInstance, to: ProcessInstance) {
  await from.api("/api/follows", { method: "POST", body: JSON.stringify({ target: to.actor }) });
  const s = await from.openStoreCached();
  await eventually(async () => (await s.getFollowing(to.actor))?.state === "accepted", 30_000, "accept");
}

function draft(id: string, k: number, kind: string): InitiativeDraft {
  return {
    id,
    name: `${kind} Co-op ${k}`,
    description: `A generated co-operative number ${k}.`,
    organisationalStructure: ["OS60"],
    primaryActivity: `ICA${10 * (1 + (k % 28))}`,
    country: "GB",
    address: { locality: `Town ${k % 500}`, lat: 50 + (k % 800) / 100, long: -5 + (k % 700) / 100 },
  };
}

/** CPU seconds (user + system) a process has used so far, from /proc (Linux; 0 elsewhere or when gone). */
function cpuOf(pid: number | undefined): number {
  if (!pid) return 0;
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1]!.split(" ");
    return (Number(fields[11]) + Number(fields[12])) / 100; // utime, stime in clock ticks (USER_HZ = 100)
  } catch {
    return 0;
  }
}

/** The PostgreSQL backends serving an instance (named by application_name in its DATABASE_URL). */
async function backendPids(inst: ProcessInstance): Promise<number[]> {
  const app = new URL(inst.env.DATABASE_URL ?? "postgres://x/").searchParams.get("application_name");
  if (!app || !process.env.POSTGRES_URL) return [];
  const c = new pg.Client(process.env.POSTGRES_URL);
  await c.connect();
  try {
    const { rows } = await c.query("SELECT pid FROM pg_stat_activity WHERE application_name = $1", [app]);
    return rows.map((r: { pid: number }) => r.pid);
  } finally {
    await c.end();
  }
}

/**
 * CPU spent by an instance's process and its PostgreSQL backends from now until `done()`:
 * wall-clock rates depend on what else runs on the machine, CPU per item much less.
 */
async function cpuMeter(inst: ProcessInstance) {
  const node0 = cpuOf(inst.pid());
  const pg0 = new Map((await backendPids(inst)).map((pid) => [pid, cpuOf(pid)]));
  return async (items: number) => {
    const node = cpuOf(inst.pid()) - node0;
    let db = 0;
    for (const pid of await backendPids(inst)) db += cpuOf(pid) - (pg0.get(pid) ?? 0);
    const per = (s: number) => ((s * 1000) / items).toFixed(2);
    return (
      `CPU per item: ${per(node)} ms in ${inst.handle}` +
      (inst.env.DATABASE_URL ? ` + ${per(db)} ms in its PostgreSQL backends` : "") +
      `; load average ${loadavg()[0]!.toFixed(1)}`
    );
  };
}

/** Opens an instance's own database in this process (beside its server) and writes through its directory. */
async function withDirectory(
  inst: ProcessInstance,
  fn: (
    d: Awaited<ReturnType<typeof compose>>["directory"],
    iris: Awaited<ReturnType<typeof compose>>["iris"],
  ) => Promise<void>,
) {
  const i = await compose(loadConfig({ ...inst.env, ESSFED_LOG_LEVEL: "error" }));
  try {
    await fn(i.directory, i.iris);
  } finally {
    await i.close();
  }
}

/** Fills an instance's SQLite file with `n` own initiatives (it has no followers yet). */
async function seed(inst: ProcessInstance, n: number) {
  await withDirectory(inst, async (directory, iris) => {
    const batch: InitiativeDraft[] = [];
    for (let k = 0; k < n; k++) {
      batch.push(draft(iris.initiative(`seed-${k}`), k, "Seed"));
      if (batch.length === 1000 || k === n - 1) await directory.upsert(batch.splice(0));
    }
  });
}

async function main(aggEnv: Record<string, string>, freshAggEnv: Record<string, string> = aggEnv) {
  // BENCH_PROFILE=national (or local, aggregator) writes a CPU profile of that process to ./bench/out.
  const prof = (h: string): Record<string, string> =>
    process.env.BENCH_PROFILE === h ? { NODE_OPTIONS: "--cpu-prof --cpu-prof-dir=bench/out" } : {};
  const [local, national, aggregator] = await Promise.all([
    spawnInstance("local", prof("local")),
    spawnInstance("national", prof("national")),
    spawnInstance("aggregator", { ...aggEnv, ...prof("aggregator") }),
  ]);
  try {
    const [natStore, aggStore] = await Promise.all([national.openStoreCached(), aggregator.openStoreCached()]);
    await follow(national, local);
    await follow(aggregator, national);

    // 1. Two-hop latency, one create at a time.
    const lat: number[] = [];
    for (let k = 0; k < N_LAT; k++) {
      const t0 = performance.now();
      const id = await createInitiative(local, `Latency Co-op ${k}`);
      while (!(await aggStore.getInitiative(id))) await new Promise((r) => setTimeout(r, 1));
      lat.push(performance.now() - t0);
    }
    console.log(
      `two-hop latency (create at local → stored at aggregator), n=${N_LAT}: p50 ${pct(lat, 50).toFixed(1)} ms, p99 ` +
        `${pct(lat, 99).toFixed(1)} ms`,
    );

    // 2. Live throughput per hop: a burst of N changes published at once at local (written through
    // the directory into local's database by this process, as `essfed import` does; local's server
    // delivers them), timed by the arrivals at each hop.
    const before = [await natStore.countInitiatives(), await aggStore.countInitiatives()];
    const aggCpu = await cpuMeter(aggregator);
    const t0 = performance.now();
    await withDirectory(local, async (directory, iris) => {
      const drafts: InitiativeDraft[] = [];
      for (let k = 0; k < N_BURST; k++) drafts.push(draft(iris.initiative(`burst-${k}`), k, "Burst"));
      for (let k = 0; k < drafts.length; k += 500) await directory.upsert(drafts.slice(k, k + 500));
    });
    const queued = performance.now();
    const arrivals = async (store: typeof natStore, base: number) => {
      let first = 0;
      await eventually(
        async () => {
          const n = (await store.countInitiatives()) - base;
          if (n > 0 && !first) first = performance.now();
          return n >= N_BURST;
        },
        600_000,
        "burst arrivals",
      );
      return { first, last: performance.now() };
    };
    const [hop1, hop2] = await Promise.all([arrivals(natStore, before[0]!), arrivals(aggStore, before[1]!)]);
    const hop2Cpu = await aggCpu(N_BURST);
    const rate = (h: { first: number; last: number }) => (N_BURST / ((h.last - h.first) / 1000)).toFixed(0);
    console.log(
      `burst of ${N_BURST} creates published at local in ${((queued - t0) / 1000).toFixed(2)} s (signed and queued)`,
    );
    console.log(
      `  hop 1 (local → national): ${rate(hop1)} activities/s (first to last arrival), all in ` +
        `${((hop1.last - t0) / 1000).toFixed(2)} s`,
    );
    console.log(
      `  hop 2 (national → aggregator): ${rate(hop2)} activities/s (first to last arrival), all in ` +
        `${((hop2.last - t0) / 1000).toFixed(2)} s`,
    );
    console.log(`  hop 2 ${hop2Cpu}`);

    // 3. Back-fill: a fresh aggregator follows a national network that already holds N records.
    if (N_BACKFILL > 0) {
      const big = await spawnInstance("bignational", prof("bignational"));
      const fresh = await spawnInstance("freshaggregator", { ...freshAggEnv, ...prof("freshaggregator") });
      try {
        const s0 = performance.now();
        await seed(big, N_BACKFILL);
        console.log(`seeded ${N_BACKFILL} initiatives in ${((performance.now() - s0) / 1000).toFixed(1)} s`);
        const freshStore = await fresh.openStoreCached();
        const freshCpu = await cpuMeter(fresh);
        const b0 = performance.now();
        // Right after a bulk seed the national may be too busy to answer the actor fetch in time:
        // ask again a few times, and stop (rather than wait an hour for nothing) if it never follows.
        let followed: Response | undefined;
        for (let i = 0; i < 5 && followed?.status !== 202; i++) {
          if (i) await new Promise((r) => setTimeout(r, 5000));
          followed = await fresh.api("/api/follows", { method: "POST", body: JSON.stringify({ target: big.actor }) });
        }
        if (followed!.status !== 202) throw new Error(`follow failed: ${followed!.status} ${await followed!.text()}`);
        await eventually(async () => (await freshStore.countInitiatives()) >= N_BACKFILL, 3_600_000, "back-fill");
        const secs = (performance.now() - b0) / 1000;
        console.log(
          `back-fill of ${N_BACKFILL} initiatives: ${secs.toFixed(1)} s → ${(N_BACKFILL / secs).toFixed(0)} ` +
            `initiatives/s`,
        );
        console.log(`  back-fill ${await freshCpu(N_BACKFILL)}`);
      } finally {
        await Promise.all([big.destroy(), fresh.destroy()]);
      }
    }
  } finally {
    await Promise.all([local.destroy(), national.destroy(), aggregator.destroy()]);
  }
}

for (const store of values.stores.split(",")) {
  console.log(`\n== aggregators on ${store === "postgres" ? "PostgreSQL" : "SQLite"} (local and national on SQLite)`);
  if (store !== "postgres") {
    await main({});
    continue;
  }
  const schemas = [randomSchema("bench"), randomSchema("bench")];
  // Named, so that the CPU of their PostgreSQL backends can be read.
  const url = (schema: string, app: string) => {
    const u = new URL(databaseUrl(schema));
    u.searchParams.set("application_name", app);
    return u.href;
  };
  try {
    await main(
      { DATABASE_URL: url(schemas[0]!, `${schemas[0]!}-aggregator`) },
      { DATABASE_URL: url(schemas[1]!, `${schemas[1]!}-fresh`) },
    );
  } finally {
    for (const s of schemas) await dropSchema(s).catch(() => {});
  }
}
