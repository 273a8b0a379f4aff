/**
 * GET-initiative throughput (issue 2): an essfed instance with N initiatives (5,000 by default)
 * answering GETs of random initiative IRIs as JSON-LD, next to a bare Express app serving the same
 * bytes from memory, loaded one after the other in the same run with the same autocannon settings.
 *
 *   node bench/get.ts [--initiatives 5000] [--seconds 10] [--connections 32] [--rounds 3] [--accept TYPE]
 *
 * essfed is asked with `--accept` (default: the ActivityStreams profile peers send, which gets the
 * signed document; plain `application/ld+json` gets the JSON-LD with the record's sameAs links, and
 * `text/turtle` the Turtle, each looking the links up on every request); the bare app always serves
 * the ActivityStreams bytes.
 *
 * Prints requests/s of each and the ratio; asserts nothing. The load generator runs in this process,
 * the servers in child processes (one at a time), so they do not share a CPU with it.
 */
import { fork, type ChildProcess } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import autocannon from "autocannon";

const { values } = parseArgs({
  options: {
    initiatives: { type: "string", default: "5000" },
    seconds: { type: "string", default: "10" },
    connections: { type: "string", default: "32" },
    rounds: { type: "string", default: "3" },
    accept: { type: "string", default: 'application/ld+json; profile="https://www.w3.org/ns/activitystreams"' },
    serve: { type: "string" },
    dir: { type: "string" },
    port: { type: "string" },
  },
});

/** Child mode: run one server and report its port and the paths to load. */
async function serve(kind: string, dir: string) {
  const { loadConfig } = await import("../src/config.ts");
  const { compose } = await import("../src/compose.ts");
  const config = loadConfig({
    ESSFED_DATA: dir,
    PORT: "0",
    ESSFED_BIND: "127.0.0.1",
    ESSFED_URL: `http://127.0.0.1:${values.port}`,
    ESSFED_LOG_LEVEL: "error",
    ESSFED_RATE_LIMIT_API: "0",
  });
  const instance = await compose(config);
  const n = Number(values.initiatives);
  if ((await instance.store.countInitiatives()) < n) {
    const drafts = Array.from({ length: n }, (_, k) => ({
      id: instance.iris.initiative(`get-${k}`),
      name: `Bench Co-op ${k}`,
      description: `A co-operative used to measure GET throughput, number ${k}.`,
      organisationalStructure: ["OS60"],
      primaryActivity: "ICA120",
      country: "FR",
      address: { locality: "Lyon", postcode: "69001", lat: 45.76 + k / 1e5, long: 4.83 },
    }));
    for (let k = 0; k < n; k += 1000) await instance.directory.upsert(drafts.slice(k, k + 1000));
  }
  const paths = Array.from({ length: 1000 }, (_, k) => `/initiatives/get-${(k * 7919) % n}`);
  if (kind === "essfed") {
    const server = instance.app.listen(Number(values.port), "127.0.0.1", () => process.send!({ paths }));
    process.on("message", () => server.close(() => process.exit(0)));
    return;
  }
  // Bare Express: the very bytes essfed sends for each path, from a Map in memory.
  const express = (await import("express")).default;
  const bodies = new Map<string, Buffer>();
  for (const p of paths) {
    const rec = await instance.store.getInitiative(`http://127.0.0.1:${values.port}${p}`);
    const { initiativeToJsonLd } = await import("../src/linkeddata/initiative-jsonld.ts");
    bodies.set(
      p,
      Buffer.from(
        rec!.signed ??
          JSON.stringify(
            initiativeToJsonLd(rec!, instance.taxonomies, { owner: instance.iris.actor, audience: "peers" }),
          ),
      ),
    );
  }
  await instance.close();
  const app = express();
  app.get("/initiatives/:id", (req, res) => {
    res.type('application/ld+json; profile="https://www.w3.org/ns/activitystreams"').send(bodies.get(req.path));
  });
  const server = app.listen(Number(values.port), "127.0.0.1", () => process.send!({ paths }));
  process.on("message", () => server.close(() => process.exit(0)));
}

async function measure(kind: "essfed" | "bare", dir: string, port: number): Promise<number> {
  const child: ChildProcess = fork(fileURLToPath(import.meta.url), [
    "--serve",
    kind,
    "--dir",
    dir,
    "--port",
    String(port),
    "--initiatives",
    values.initiatives,
  ]);
  const { paths } = await new Promise<{ paths: string[] }>((resolve) =>
    child.once("message", (m) => resolve(m as { paths: string[] })),
  );
  let n = 0;
  const result = await autocannon({
    url: `http://127.0.0.1:${port}`,
    connections: Number(values.connections),
    duration: Number(values.seconds),
    headers: { accept: values.accept },
    requests: [{ setupRequest: (req: Record<string, unknown>) => ({ ...req, path: paths[n++ % paths.length] }) }],
  });
  child.send("stop");
  await new Promise((r) => child.once("exit", r));
  if (result.non2xx) console.log(`  ${kind}: ${result.non2xx} non-2xx answers`);
  return result.requests.average;
}

if (values.serve) {
  await serve(values.serve, values.dir!);
} else {
  const dir = mkdtempSync(join(tmpdir(), "essfed-bench-get-"));
  try {
    const port = 20000 + Math.floor(Math.random() * 20000);
    // Alternating rounds, medians: one noisy neighbour during one run does not decide the ratio.
    const bare: number[] = [];
    const ess: number[] = [];
    for (let r = 0; r < Number(values.rounds); r++) {
      bare.push(await measure("bare", dir, port));
      ess.push(await measure("essfed", dir, port));
    }
    const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
    const [b, e] = [median(bare), median(ess)];
    console.log(
      `GET initiative (Accept: ${values.accept}), ${values.initiatives} initiatives, ` +
        `${values.connections} connections, ${values.seconds} s per run, ` +
        `median of ${values.rounds} alternating rounds:`,
    );
    console.log(
      `  bare Express, same bytes from memory: ${Math.round(b)} req/s (runs: ${bare.map(Math.round).join(", ")})`,
    );
    console.log(
      `  essfed (SQLite): ${Math.round(e)} req/s (runs: ${ess.map(Math.round).join(", ")}) → ` +
        `${((100 * e) / b).toFixed(0)} % of bare Express`,
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
