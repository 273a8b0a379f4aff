/**
 * Inbox throughput (issue 10): how many signed Create activities one receiving essfed process
 * takes per second. A receiver follows a sender (both real processes on 127.0.0.1); this process
 * builds N Creates of the sender's initiatives exactly as the sender publishes them (signed
 * documents, Ed25519 proofs), signs each POST with the sender's RSA key (draft-cavage, as Mastodon
 * and essfed do for hosts without Ed25519), all before the clock starts, then posts them to the
 * receiver's shared inbox with C requests in flight. The same rounds are repeated with the
 * receiver on PostgreSQL when POSTGRES_URL is set. A last round sends the same number of Creates
 * from an instance the receiver does not follow (refused since issue 10; stored before it).
 *
 * On a machine shared with other work, activities/s swings by a factor of two from round to round;
 * the receiving process's CPU time per activity (user + system, read from /proc on Linux) is the
 * steadier figure, and what a dedicated core's throughput is the inverse of. PostgreSQL's own CPU
 * is not in it.
 *
 *   node bench/inbox.ts [--n 3000] [--concurrency 16] [--rounds 3] [--stores sqlite,postgres]
 *
 * Prints figures; asserts nothing.
 */
import { readdirSync, readFileSync } from "node:fs";
import { parseArgs } from "node:util";
import { signRequest } from "@fedify/fedify/sig";
import { loadConfig } from "../src/config.ts";
import { compose, type Instance } from "../src/compose.ts";
import { createOrUpdate } from "../src/federation/activities.ts";
import { validateInitiative } from "../src/domain/validate.ts";
import { versionOf } from "../src/domain/version.ts";
import { initiativeToJsonLd } from "../src/linkeddata/initiative-jsonld.ts";
import { eventually, spawnInstance, type ProcessInstance } from "../test/support/process.ts";
import { databaseUrl, dropSchema, randomSchema } from "../test/support/postgres.ts";

const { values } = parseArgs({
  options: {
    n: { type: "string", default: "3000" },
    concurrency: { type: "string", default: "16" },
    rounds: { type: "string", default: "3" },
    stores: { type: "string", default: process.env.POSTGRES_URL ? "sqlite,postgres" : "sqlite" },
  },
});
const N = Number(values.n),
  C = Number(values.concurrency),
  ROUNDS = Number(values.rounds);
const pct = (xs: number[], p: number) =>
  [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor((p / 100) * xs.length))]!;

/** The pid of the process serving from data directory `dir` (Linux), to read its CPU time. */
function pidOf(dir: string): number | undefined {
  for (const p of readdirSync("/proc").filter((d) => /^\d+$/.test(d))) {
    try {
      if (readFileSync(`/proc/${p}/environ`, "utf8").split("\0").includes(`ESSFED_DATA=${dir}`)) return Number(p);
    } catch {
      /* gone or not ours */
    }
  }
  return undefined;
}

/** User + system CPU milliseconds a process has used. */
function cpuMs(pid: number | undefined): number {
  if (!pid) return NaN;
  const fields = readFileSync(`/proc/${pid}/stat`, "utf8")
    .replace(/^.*\) /, "")
    .split(" ");
  return ((Number(fields[11]) + Number(fields[12])) * 1000) / 100; // utime, stime in clock ticks (USER_HZ = 100)
}

/** Signed POSTs of `n` Creates by `from` (composed in this process on its own database). */
async function prepare(
  from: Instance,
  inbox: string,
  n: number,
  tag: string,
): Promise<{ url: string; headers: Headers; body: string }[]> {
  const out = [];
  for (let k = 0; k < n; k++) {
    const checked = validateInitiative(
      {
        id: from.iris.initiative(`${tag}-${k}`),
        name: `Inbox Bench Co-op ${tag} ${k}`,
        description: `A generated co-operative number ${k}.`,
        organisationalStructure: ["OS60"],
        primaryActivity: `ICA${10 * (1 + (k % 28))}`,
        country: "GB",
        address: { locality: `Town ${k % 500}`, lat: 50 + (k % 800) / 100, long: -5 + (k % 700) / 100 },
      },
      from.taxonomies,
    );
    if (!checked.ok) throw new Error(JSON.stringify(checked.issues));
    const now = new Date().toISOString();
    const record = {
      initiative: checked.initiative,
      published: now,
      updated: now,
      version: versionOf(checked.initiative),
    };
    const object = await from.runtime.ctx.outbox.sign(
      initiativeToJsonLd(record, from.taxonomies, { owner: from.iris.actor, audience: "peers" }),
    );
    const body = JSON.stringify(createOrUpdate(from.iris, "Create", object, record.version));
    const req = await signRequest(
      new Request(inbox, { method: "POST", headers: { "content-type": "application/activity+json" }, body }),
      from.keys.rsa.privateKey,
      new URL(`${from.iris.actor}#main-key`),
      { spec: "draft-cavage-http-signatures-12" },
    );
    out.push({ url: inbox, headers: req.headers, body });
  }
  return out;
}

/** Posts everything with C in flight; returns the rate, latency percentiles and status counts. */
async function blast(requests: { url: string; headers: Headers; body: string }[]) {
  const latencies: number[] = [];
  const statuses = new Map<number, number>();
  let next = 0;
  const t0 = performance.now();
  await Promise.all(
    Array.from({ length: C }, async () => {
      while (next < requests.length) {
        const r = requests[next++]!;
        const s = performance.now();
        const res = await fetch(r.url, { method: "POST", headers: r.headers, body: r.body });
        await res.arrayBuffer();
        latencies.push(performance.now() - s);
        statuses.set(res.status, (statuses.get(res.status) ?? 0) + 1);
      }
    }),
  );
  const secs = (performance.now() - t0) / 1000;
  return {
    rate: requests.length / secs,
    p50: pct(latencies, 50),
    p99: pct(latencies, 99),
    statuses: Object.fromEntries(statuses),
  };
}

async function run(store: string, receiverEnv: Record<string, string>) {
  const [receiver, sender, stranger] = await Promise.all([
    spawnInstance("receiver", receiverEnv),
    spawnInstance("sender"),
    spawnInstance("stranger"),
  ]);
  const composed: Instance[] = [];
  try {
    await receiver.api("/api/follows", { method: "POST", body: JSON.stringify({ target: sender.actor }) });
    const rs = await receiver.openStoreCached();
    await eventually(async () => (await rs.getFollowing(sender.actor))?.state === "accepted", 30_000, "accept");
    const [s, x] = await Promise.all(
      [sender, stranger].map((p: ProcessInstance) => compose(loadConfig({ ...p.env, ESSFED_LOG_LEVEL: "error" }))),
    );
    composed.push(s!, x!);
    const pid = pidOf(receiver.dir);
    const rates: number[] = [];
    const cpus: number[] = [];
    for (let round = 0; round < ROUNDS; round++) {
      const requests = await prepare(s!, `${receiver.base}/inbox`, N, `r${round}`);
      const c0 = cpuMs(pid);
      const r = await blast(requests);
      const cpu = ((cpuMs(pid) - c0) * 1000) / N;
      rates.push(r.rate);
      cpus.push(cpu);
      console.log(
        `  ${store} round ${round + 1}: ${r.rate.toFixed(0)} activities/s, p50 ${r.p50.toFixed(1)} ms, p99 ` +
          `${r.p99.toFixed(1)} ms, receiver CPU ${cpu.toFixed(0)} µs/activity, statuses ` +
          `${JSON.stringify(r.statuses)}`,
      );
    }
    console.log(
      `${store}: median of ${ROUNDS} rounds ${pct(rates, 50).toFixed(0)} activities/s, receiver CPU ` +
        `${pct(cpus, 50).toFixed(0)} µs/activity (N=${N}, ${C} in flight); ${await rs.countInitiatives()} stored`,
    );
    const before = await rs.countInitiatives();
    const unsolicited = await prepare(x!, `${receiver.base}/inbox`, N, "unsolicited");
    const c0 = cpuMs(pid);
    const u = await blast(unsolicited);
    console.log(
      `${store}: ${N} Creates from an instance not followed: ${u.rate.toFixed(0)} /s, p50 ${u.p50.toFixed(1)} ms, ` +
        `receiver CPU ${(((cpuMs(pid) - c0) * 1000) / N).toFixed(0)} µs/activity, statuses ` +
        `${JSON.stringify(u.statuses)}, ${(await rs.countInitiatives()) - before} stored`,
    );
  } finally {
    for (const c of composed) await c.close();
    await Promise.all([receiver.destroy(), sender.destroy(), stranger.destroy()]);
  }
}

for (const store of values.stores.split(",")) {
  if (store !== "postgres") {
    await run("SQLite", {});
    continue;
  }
  const schema = randomSchema("inbox");
  try {
    await run("PostgreSQL", { DATABASE_URL: databaseUrl(schema) });
  } finally {
    await dropSchema(schema).catch(() => {});
  }
}
