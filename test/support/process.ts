/**
 * Runs essfed instances as separate processes (`bin/essfed.js serve`), each with its own data
 * directory and port on 127.0.0.1, for tests that need real processes: restarts, kills, roles.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { SqliteStore } from "../../src/store/sqlite/store.sqlite.ts";
import type { Store } from "../../src/store/store.ts";
import { PostgresStore } from "../../src/store/postgres/store.postgres.ts";
import { ADMIN_TOKEN } from "./instance.ts";

const BIN = fileURLToPath(new URL("../../bin/essfed.js", import.meta.url));

export async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = createServer();
    s.listen(0, "127.0.0.1", () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });
}

export interface ProcessInstance {
  handle: string;
  base: string;
  actor: string;
  dir: string;
  env: Record<string, string>;
  /** The running process's id (benchmarks read its CPU time), undefined while stopped. */
  pid(): number | undefined;
  /** Everything the process printed (for failure messages). */
  log(): string;
  /** Starts (again) on the same port and data directory. */
  start(): Promise<void>;
  /** Stops the process (SIGTERM waits for a clean shutdown; SIGKILL does not). */
  stop(signal?: NodeJS.Signals): Promise<void>;
  /** Opens the instance's database (its SQLite file, or its PostgreSQL schema) beside the process. */
  openStore(): Promise<Store>;
  /** One shared handle from {@link openStore}, closed by {@link destroy}. */
  openStoreCached(): Promise<Store>;
  /** Stops and removes the data directory. */
  destroy(): Promise<void>;
  api(path: string, init?: RequestInit): Promise<Response>;
}

export async function spawnInstance(
  handle: string,
  env: Record<string, string> = {},
  attempt = 1,
): Promise<ProcessInstance> {
  const dir = mkdtempSync(join(tmpdir(), `essfed-${handle}-`));
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  const fullEnv: Record<string, string> = {
    PATH: process.env.PATH ?? "",
    HOME: process.env.HOME ?? dir,
    PORT: String(port),
    ESSFED_BIND: "127.0.0.1",
    ESSFED_URL: base,
    ESSFED_DATA: dir,
    ESSFED_HANDLE: handle,
    ESSFED_NAME: `${handle} network`,
    ESSFED_ADMIN_TOKEN: ADMIN_TOKEN,
    ESSFED_ALLOW_PRIVATE: "true",
    ESSFED_LOG_LEVEL: "warning",
    ESSFED_RATE_LIMIT_API: "1000000",
    ESSFED_RATE_LIMIT_INBOX: "1000000",
    ...env,
  };
  let child: ChildProcess | undefined;
  let output = "";
  let cached: Store | undefined;
  const inst: ProcessInstance = {
    handle,
    base,
    actor: `${base}/actors/${handle}`,
    dir,
    env: fullEnv,
    pid: () => (child && child.exitCode === null ? child.pid : undefined),
    log: () => output,
    start: () =>
      new Promise((resolve, reject) => {
        child = spawn(process.execPath, [BIN, "serve"], { env: fullEnv, stdio: ["ignore", "pipe", "pipe"] });
        // A process that is slow to start is not left running behind the failed test.
        const timer = setTimeout(() => {
          child?.kill("SIGKILL");
          reject(new Error(`${handle} did not start:\n${output}`));
        }, 60_000);
        const onData = (d: Buffer) => {
          output += d.toString();
          if (/ on http:\/\/|worker started/.test(output.slice(-2000))) {
            clearTimeout(timer);
            resolve();
          }
        };
        child.stdout!.on("data", onData);
        child.stderr!.on("data", (d: Buffer) => {
          output += d.toString();
        });
        child.once("exit", (code) => {
          clearTimeout(timer);
          if (code) reject(new Error(`${handle} exited with ${code}:\n${output}`));
        });
      }),
    stop: (signal = "SIGTERM") =>
      new Promise((resolve) => {
        if (!child || child.exitCode !== null || child.signalCode) return resolve();
        child.once("exit", () => resolve());
        child.kill(signal);
      }),
    openStore: async () => {
      const url = fullEnv.DATABASE_URL;
      const s = url ? new PostgresStore(url, { max: 2 }) : new SqliteStore(join(dir, "essfed.sqlite"));
      await s.initialize();
      return s;
    },
    openStoreCached: async () => (cached ??= await inst.openStore()),
    destroy: async () => {
      await cached?.close();
      await inst.stop();
      rmSync(dir, { recursive: true, force: true });
    },
    api: (path, init = {}) =>
      fetch(base + path, {
        ...init,
        headers: {
          authorization: `Bearer ${ADMIN_TOKEN}`,
          ...(init.body ? { "content-type": "application/json" } : {}),
          ...(init.headers ?? {}),
        },
      }),
  };
  try {
    await inst.start();
  } catch (e) {
    rmSync(dir, { recursive: true, force: true });
    // Another process (a second jest worker, a connection's local port) took the port between
    // freePort() and the first start: start afresh on another one.
    if (/already in use/.test(output) && env.PORT === undefined && attempt < 5)
      return spawnInstance(handle, env, attempt + 1);
    throw e;
  }
  return inst;
}

type Maybe<T> = T | undefined | false;

/** Polls `check` (synchronous or not) until it returns a truthy value or `ms` pass. */
export async function eventually<T>(
  check: () => Maybe<T> | PromiseLike<Maybe<T>>,
  ms = 20_000,
  what = "condition",
): Promise<T> {
  const until = Date.now() + ms;
  let last: unknown;
  while (Date.now() < until) {
    try {
      const v = await check();
      if (v) return v;
    } catch (e) {
      last = e;
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(
    `timed out waiting for ${what}${last ? `: ${last instanceof Error ? String(last) : JSON.stringify(last)}` : ""}`,
  );
}

/** A minimal ESSGLOBAL initiative body with an inline context. */
export function initiativeBody(name: string, extra: Record<string, unknown> = {}): string {
  return JSON.stringify({
    "@context": {
      ess: "https://lod.coop/essglobal/2.1/vocab/",
      gr: "http://purl.org/goodrelations/v1#",
      geo: "http://www.w3.org/2003/01/geo/wgs84_pos#",
    },
    "@type": "ess:SSEInitiative",
    "gr:name": name,
    "ess:organisationalStructure": { "@id": "https://lod.coop/essglobal/2.1/standard/organisational-structure/OS60" },
    ...extra,
  });
}

/** Creates an initiative through the admin API; returns its IRI. */
export async function createInitiative(
  inst: ProcessInstance,
  name: string,
  extra: Record<string, unknown> = {},
): Promise<string> {
  const res = await inst.api("/initiatives", {
    method: "POST",
    body: initiativeBody(name, extra),
    headers: { "content-type": "application/ld+json" },
  });
  if (res.status !== 201) throw new Error(`create failed: ${res.status} ${await res.text()}`);
  return res.headers.get("location")!;
}
