/**
 * The cost of announcing a licence change (src/federation/terms-change.ts): an instance on SQLite
 * (or PostgreSQL with --store postgres and POSTGRES_URL) holding N own records and F followers on
 * distinct inboxes re-signs every record and queues an Update per record and inbox. The delivery
 * worker is not started, so this measures the pass alone (signing, storing the signed documents,
 * queueing), not the sending; keep records × followers under the pass's queue bound (QUEUE_HIGH,
 * 20,000), beyond which the pass waits for deliveries to be sent.
 *
 *   node bench/terms-change.ts [--records 10000] [--followers 1] [--store sqlite|postgres]
 *
 * Prints wall clock and CPU time (process.cpuUsage) in all and per record, and the load average.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { loadConfig } from "../src/config.ts";
import { compose } from "../src/compose.ts";
import { emptyInitiative } from "../src/domain/initiative.ts";
import { versionOf } from "../src/domain/version.ts";
import { announceTermsChange, TERMS_KEY } from "../src/federation/terms-change.ts";
import { databaseUrl, dropSchema, randomSchema } from "../test/support/postgres.ts";

const { values } = parseArgs({
  options: {
    records: { type: "string", default: "10000" },
    followers: { type: "string", default: "1" },
    store: { type: "string", default: "sqlite" },
  },
});
const N = Number(values.records),
  F = Number(values.followers);
const dir = mkdtempSync(join(tmpdir(), "essfed-bench-terms-"));
const schema = randomSchema("bterms");
const env: Record<string, string> = {
  ESSFED_DATA: dir,
  ESSFED_URL: "https://origin.example",
  ESSFED_LOG_LEVEL: "error",
  ESSFED_LICENSE: "ODbL-1.0",
  ...(values.store === "postgres" ? { DATABASE_URL: databaseUrl(schema) } : {}),
};
const inst = await compose(loadConfig(env));
try {
  const now = new Date().toISOString();
  for (let k = 0; k < N; k += 1000) {
    const batch = [];
    for (let j = k; j < Math.min(N, k + 1000); j++) {
      const i = { ...emptyInitiative(inst.iris.initiative(`bench-${j}`), `Bench Co-op ${j}`), country: "GB" };
      batch.push({ initiative: i, published: now, updated: now, version: versionOf(i) });
    }
    await inst.store.putInitiatives(batch);
  }
  for (let f = 0; f < F; f++)
    await inst.store.putFollower({
      actor: `https://peer${f}.example/actors/network`,
      inbox: `https://peer${f}.example/inbox`,
      followId: `https://peer${f}.example/follows/${f}`,
      state: "accepted",
      since: now,
    });
  await inst.store.kv.set(TERMS_KEY, { license: "https://creativecommons.org/licenses/by/4.0/", attribution: "x" });
  const load = loadavg().map((x) => x.toFixed(2));
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  const sent = await announceTermsChange(inst.runtime.ctx);
  const wall = performance.now() - t0;
  const cpu = process.cpuUsage(cpu0);
  const cpuMs = (cpu.user + cpu.system) / 1000;
  const queued = await inst.store.queue("delivery").pending();
  console.log(
    `${values.store}: ${sent} records re-signed, ${queued} Updates queued for ${F} followers: ` +
      `wall ${(wall / 1000).toFixed(1)} s (${((wall / N) * 1000).toFixed(0)} µs/record), ` +
      `CPU ${(cpuMs / 1000).toFixed(1)} s (${((cpuMs / N) * 1000).toFixed(0)} µs/record); load ${load.join(" ")}`,
  );
} finally {
  await inst.close();
  rmSync(dir, { recursive: true, force: true });
  if (values.store === "postgres") await dropSchema(schema);
}
