/**
 * Shared pieces of the ops security cases: instances on either store, and requests that appear
 * to come from distinct client addresses. Instances started with {@link BEHIND_PROXY} trust
 * X-Forwarded-For from loopback, as they would behind a reverse proxy on the same host, so a test
 * can speak as many clients from 127.0.0.1.
 */
import { request as httpRequest } from "node:http";
import { describe } from "@jest/globals";
import { startInstance, type TestInstance } from "../support/instance.ts";
import { POSTGRES_URL, databaseUrl, dropSchema, randomSchema } from "../support/postgres.ts";

export interface StoreKind {
  name: string;
  start(env?: Record<string, string>): Promise<TestInstance>;
}

/** SQLite always; PostgreSQL when POSTGRES_URL is set (each instance in a schema of its own, dropped after). */
export const STORES: StoreKind[] = [
  { name: "SQLite", start: (env = {}) => startInstance(env) },
  ...(POSTGRES_URL
    ? [
        {
          name: "PostgreSQL",
          async start(env: Record<string, string> = {}) {
            const schema = randomSchema("ops");
            const inst = await startInstance({ DATABASE_URL: databaseUrl(schema), ...env });
            const stop = inst.stop.bind(inst);
            return Object.assign(inst, {
              async stop() {
                // Dropped even when stopping fails (a test that closed the store itself, say).
                try {
                  await stop();
                } finally {
                  await dropSchema(schema);
                }
              },
            });
          },
        },
      ]
    : []),
];

/** `describe` once per store kind. */
export function describeStores(name: string, fn: (kind: StoreKind) => void): void {
  for (const kind of STORES) {
    describe(`${name} (${kind.name})`, () => {
      fn(kind);
    });
  }
}

/** The environment of an instance behind a reverse proxy on its own host. */
export const BEHIND_PROXY = { ESSFED_TRUST_PROXY: "loopback" };

/** A fetch as client `address` (through the trusted-proxy header; see {@link BEHIND_PROXY}). */
export function as(address: string, url: string, init: RequestInit = {}): Promise<Response> {
  return fetch(url, {
    ...init,
    headers: { ...(init.headers ?? {}), "x-forwarded-for": address },
  });
}

/**
 * A request with a raw path (fetch normalises some malformed escapes away) from a given local
 * source address, so that the server sees a distinct TCP peer (any 127.x.y.z works on Linux).
 */
export function raw(
  base: string,
  method: string,
  path: string,
  o: { headers?: Record<string, string>; body?: string; from?: string } = {},
): Promise<{ status: number; type: string; body: string; headers: Record<string, string | string[] | undefined> }> {
  const u = new URL(base);
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      { host: u.hostname, port: u.port, method, path, headers: o.headers, ...(o.from ? { localAddress: o.from } : {}) },
      (res) => {
        let body = "";
        res.setEncoding("utf8");
        res.on("data", (c: string) => {
          body += c;
        });
        res.on("end", () =>
          resolve({
            status: res.statusCode ?? 0,
            type: String(res.headers["content-type"] ?? ""),
            body,
            headers: res.headers,
          }),
        );
      },
    );
    req.on("error", reject);
    req.end(o.body);
  });
}
