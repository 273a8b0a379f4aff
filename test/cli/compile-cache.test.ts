/**
 * bin/compile-cache.js, which bin/essfed.js runs first: Node's module compile cache is on for the process and for the
 * worker threads it starts (an import's reading thread, the SPARQL and JSON-LD workers), which do not inherit the
 * main thread's setting; and it stays out of the way when NODE_COMPILE_CACHE already names a folder.
 */
import { execFile } from "node:child_process";
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { afterAll, describe, expect, it } from "@jest/globals";

const run = promisify(execFile);
const CACHE = fileURLToPath(new URL("../../bin/compile-cache.js", import.meta.url));
const dir = mkdtempSync(join(tmpdir(), "essfed-compile-cache-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** A worker thread that says which folder it caches compiled code in. */
const WORKER = join(dir, "worker.mjs");
writeFileSync(
  WORKER,
  `import module from "node:module";
  import { parentPort } from "node:worker_threads";
  parentPort.postMessage(module.getCompileCacheDir() ?? null);`,
);

/** Turns the cache on in a fresh process, then prints the folder the main thread and a worker thread cache in. */
const MAIN = join(dir, "main.mjs");
writeFileSync(
  MAIN,
  `
  import module from "node:module";
  import { Worker } from "node:worker_threads";
  const { enableCompileCache } = await import(${JSON.stringify(CACHE)});
  enableCompileCache();
  const worker = new Worker(${JSON.stringify(WORKER)});
  const inWorker = await new Promise((resolve) => worker.once("message", resolve));
  await worker.terminate();
  console.log(JSON.stringify({ main: module.getCompileCacheDir() ?? null, worker: inWorker }));`,
);

async function folders(env: NodeJS.ProcessEnv): Promise<{ main: string | null; worker: string | null }> {
  const { stdout } = await run(process.execPath, [MAIN], { env });
  return JSON.parse(stdout) as { main: string | null; worker: string | null };
}

describe("Node's compile cache", () => {
  it("is on for the process and its worker threads, in one folder.", async () => {
    const { NODE_COMPILE_CACHE: _, ...env } = process.env;
    const got = await folders({ ...env, TMPDIR: dir });
    expect(got.main).toEqual(expect.stringContaining(dir));
    expect(got.worker).toBe(got.main);
  });

  it("keeps a folder that NODE_COMPILE_CACHE names, and the code compiled is cached there.", async () => {
    const own = join(dir, "own");
    const got = await folders({ ...process.env, NODE_COMPILE_CACHE: own });
    expect(got.main).toEqual(expect.stringContaining(own));
    expect(got.worker).toBe(got.main);
    expect(readdirSync(own).length).toBeGreaterThan(0);
  });
});
