/**
 * The three-instance demo: a local network, a national network that follows it, and an aggregator
 * that follows the national one, each its own essfed process with its own SQLite file on
 * 127.0.0.1. The local network imports the sample spreadsheet; watch the records reach the
 * aggregator, then create or delete initiatives at the local network and watch them travel.
 *
 *   npm run demo            (or: node examples/demo.ts [--dir ./demo-data] [--base-port 8081])
 *
 * Ctrl-C stops all three.
 */
import { spawn, execFileSync, type ChildProcess } from "node:child_process";
import { mkdirSync } from "node:fs";
import { join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";

const { values } = parseArgs({
  options: { dir: { type: "string", default: "demo-data" }, "base-port": { type: "string", default: "8081" } },
});
const BIN = fileURLToPath(new URL("../bin/essfed.js", import.meta.url));
const SAMPLE = fileURLToPath(new URL("./data/sample-standard-v4-25rows.csv", import.meta.url));
const TOKEN = "demo-admin-token-change-me";
const base = Number(values["base-port"]);

const networks = [
  { handle: "local", name: "Leicester Co-ops (local)", port: base },
  { handle: "national", name: "UK Co-ops (national)", port: base + 1 },
  { handle: "aggregator", name: "RIPESS Europe (aggregator)", port: base + 2 },
].map((n) => {
  const data = resolve(values.dir, n.handle);
  mkdirSync(data, { recursive: true });
  const env = {
    ...process.env,
    PORT: String(n.port),
    ESSFED_BIND: "127.0.0.1",
    ESSFED_URL: `http://127.0.0.1:${n.port}`,
    ESSFED_DATA: data,
    ESSFED_HANDLE: n.handle,
    ESSFED_NAME: n.name,
    ESSFED_ADMIN_TOKEN: TOKEN,
    ESSFED_ALLOW_PRIVATE: "true",
    ESSFED_LOG_LEVEL: "warning",
  };
  return { ...n, env, url: env.ESSFED_URL, actor: `${env.ESSFED_URL}/actors/${n.handle}` };
});

const children: ChildProcess[] = [];
const stop = () => {
  for (const c of children) c.kill("SIGTERM");
};
process.on("SIGINT", stop);
process.on("SIGTERM", stop);

async function started(url: string) {
  for (let k = 0; k < 100; k++) {
    try {
      if ((await fetch(`${url}/nodeinfo/2.1`)).ok) return;
    } catch {
      /* not yet */
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`${url} did not start`);
}

const essfed = (n: (typeof networks)[number], ...args: string[]) =>
  execFileSync(process.execPath, [BIN, ...args], { env: n.env, encoding: "utf8" });

const [local, national, aggregator] = networks;
console.log(`Importing ${SAMPLE} into the local network…`);
console.log(essfed(local!, "import", SAMPLE, "--quiet").trim());
for (const n of networks) {
  const child = spawn(process.execPath, [BIN, "serve"], { env: n.env, stdio: ["ignore", "ignore", "inherit"] });
  children.push(child);
  await started(n.url);
  console.log(`${n.name.padEnd(28)} ${n.url}   (${n.actor})`);
}
console.log(essfed(national!, "follow", local!.actor).trim());
console.log(essfed(aggregator!, "follow", national!.actor).trim());

const count = async (n: (typeof networks)[number]) =>
  (
    (await (await fetch(`${n.url}/initiatives`, { headers: { accept: "application/activity+json" } })).json()) as {
      totalItems: number;
    }
  ).totalItems;
for (let k = 0; k < 100; k++) {
  const counts = await Promise.all(networks.map(count));
  process.stdout.write(`\rrecords — local ${counts[0]}, national ${counts[1]}, aggregator ${counts[2]}   `);
  if (counts[2] === counts[0]) break;
  await new Promise((r) => setTimeout(r, 200));
}
const aggregatorData = join(values.dir, "aggregator");
console.log(`

The aggregator holds everything the local network publishes, each record with its origin verified.
Try, in another shell:

  curl -X POST ${local!.url}/initiatives -H 'Authorization: Bearer ${TOKEN}' -H 'Content-Type: application/ld+json' \\
    -d '{"@context": {"ess": "https://lod.coop/essglobal/2.1/vocab/", "gr": "http://purl.org/goodrelations/v1#"},
         "@type": "ess:SSEInitiative", "gr:name": "Demo Co-op"}'
  curl '${aggregator!.url}/initiatives?page=true' -H 'Accept: application/activity+json'
  ESSFED_DATA=${aggregatorData} ESSFED_URL=${aggregator!.url} ESSFED_HANDLE=aggregator node bin/essfed.js status

Ctrl-C stops the three instances (their data stays in ${values.dir}).`);
await Promise.all(children.map((c) => new Promise((r) => c.once("exit", r))));
