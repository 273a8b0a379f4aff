/**
 * Starts a real instance in-process on 127.0.0.1 (port 0) through the same `compose()` as
 * production, on a fresh SQLite file in a temporary directory.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { loadConfig, type Config } from "../../src/config.ts";
import { compose, type Instance } from "../../src/compose.ts";
import type { RuntimeOptions } from "../../src/federation/runtime.ts";

export const ADMIN_TOKEN = "test-admin-token-0123456789";

export interface TestInstance extends Instance {
  base: string;
  dir: string;
  stop(): Promise<void>;
}

/** Picks a free port by binding port 0, so the instance's public URL can name it before start. */
async function freePort(): Promise<number> {
  const { createServer } = await import("node:net");
  return new Promise((resolve) => {
    const s = createServer();
    s.listen(0, "127.0.0.1", () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });
}

/**
 * @param runtime federation runtime options (an injected resolver or address policy, short deadlines);
 *   a signing-key lookup may take 30 s unless they say otherwise
 */
export async function startInstance(
  env: Record<string, string> = {},
  overrides: Partial<Config> = {},
  runtime?: RuntimeOptions,
  attempt = 1,
): Promise<TestInstance> {
  const dir = mkdtempSync(join(tmpdir(), "essfed-test-"));
  try {
    return await startIn(dir, env, overrides, runtime, attempt);
  } catch (e) {
    // A test that expects the start to fail (a bad setting, say) leaves no directory behind.
    rmSync(dir, { recursive: true, force: true });
    throw e;
  }
}

async function startIn(
  dir: string,
  env: Record<string, string>,
  overrides: Partial<Config>,
  runtime: RuntimeOptions | undefined,
  attempt: number,
): Promise<TestInstance> {
  const port = await freePort();
  const config = loadConfig(
    {
      PORT: String(port),
      ESSFED_BIND: "127.0.0.1",
      ESSFED_URL: `http://127.0.0.1:${port}`,
      ESSFED_DATA: dir,
      ESSFED_ADMIN_TOKEN: ADMIN_TOKEN,
      ESSFED_ALLOW_PRIVATE: "true",
      ESSFED_LOG_LEVEL: "error",
      // Tests send requests in bursts from one address; the rate limit cases set their own.
      ESSFED_RATE_LIMIT_API: "1000000",
      ESSFED_RATE_LIMIT_INBOX: "1000000",
      ...env,
    },
    overrides,
  );
  // A signing-key lookup from a peer in this process (a fake Mastodon) overran the 5 s deadline at
  // load 17 and the inbox answered 503; the tests that check that deadline set their own.
  const instance = await compose(config, { runtime: { keyLookupTimeoutMs: 30_000, ...runtime } });
  try {
    await instance.listen();
  } catch (e) {
    await instance.close();
    rmSync(dir, { recursive: true, force: true });
    // Another process (a second jest worker, a connection's local port) took the port between
    // freePort() and listen(): start again on another one.
    if ((e as NodeJS.ErrnoException).code === "EADDRINUSE" && env.PORT === undefined && attempt < 5)
      return startInstance(env, overrides, runtime, attempt + 1);
    throw e;
  }
  instance.startWorkers();
  return Object.assign(instance, {
    base: config.url,
    dir,
    async stop() {
      try {
        await instance.close();
      } finally {
        // Removed even when closing fails (a test that closed the store itself, say).
        rmSync(dir, { recursive: true, force: true });
      }
    },
  });
}

export const auth = { Authorization: `Bearer ${ADMIN_TOKEN}` };
