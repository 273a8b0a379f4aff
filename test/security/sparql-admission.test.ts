/**
 * Hostile use of the SPARQL endpoint's capacity: flooding it, holding every worker, walking away
 * from queries. Each case asserts the refusal (or cancellation) and that an ordinary request from
 * someone else was still answered. Clients are told apart by the address a trusted proxy reports
 * (the test talks from loopback, which the app trusts as a proxy).
 */
import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import { createReadStream } from "node:fs";
import { fileURLToPath } from "node:url";
import { importCsv } from "../../src/importers/import.ts";
import { startInstance, type TestInstance } from "../support/instance.ts";

const CSV = fileURLToPath(new URL("../fixtures/csv/ica-youth-coops-standard-v1.csv", import.meta.url));
/** Runs until the time limit: a three-way cross product over every triple. */
const SLOW = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }";
const ORDINARY = 'PREFIX gr: <http://purl.org/goodrelations/v1#> ASK { ?i gr:name "Coop. CASMUL" }';

let inst: TestInstance;

beforeAll(async () => {
  // Two workers (one client may hold one), four places in the line (one client may hold one). The time
  // limit is long enough that, even on a loaded machine, every held query is admitted (and the checks
  // made) before the first ends.
  inst = await startInstance({
    ESSFED_SPARQL_WORKERS: "2",
    ESSFED_SPARQL_QUEUE: "4",
    ESSFED_SPARQL_TIMEOUT_SECONDS: "10",
    ESSFED_TRUST_PROXY: "loopback",
  });
  await importCsv(createReadStream(CSV), inst.directory, inst.iris);
  await inst.sparql.ready();
}, 120_000);
afterAll(async () => {
  await inst.stop();
});

function ask(query: string, client: string, signal?: AbortSignal): Promise<Response> {
  return fetch(`${inst.base}/sparql`, {
    method: "POST",
    headers: {
      "content-type": "application/sparql-query",
      accept: "application/sparql-results+json",
      "x-forwarded-for": client,
    },
    body: query,
    ...(signal ? { signal } : {}),
  });
}

/** Waits (bounded) until the pool's figures satisfy `ok`. */
async function until(ok: (s: TestInstance["sparql"]["stats"]) => boolean): Promise<void> {
  for (let k = 0; k < 1200 && !ok(inst.sparql.stats); k++) await new Promise((r) => setTimeout(r, 50));
  // The figures themselves on failure, to tell a slow machine from a wrong count.
  expect({ ok: ok(inst.sparql.stats), stats: inst.sparql.stats }).toEqual(expect.objectContaining({ ok: true }));
}

async function ordinaryAnswered(client: string): Promise<void> {
  const res = await ask(ORDINARY, client);
  expect(res.status).toBe(200);
  expect(await res.json()).toEqual({ head: {}, boolean: true });
}

/** Lets every running and waiting query end, and replaced workers start, before the next case. */
async function drained(): Promise<void> {
  await until((s) => s.busy === 0 && s.queued === 0);
  await inst.sparql.ready();
}

const aborted = (e: unknown) => (e as { name?: string }).name;

describe("SPARQL admission", () => {
  // Every held query costs a worker: one that reaches the time limit, or is cancelled while running,
  // is replaced, and starting a worker (loading the engine) is most of this file's time. So the cases
  // share what they hold: one client's running and waiting queries show both of its shares; one full
  // line shows the 503 and a waiting query dropped.
  it("lets one client hold only its share of the workers and of the line (429 and Retry-After beyond it); another client is still answered.", async () => {
    const a1 = ask(SLOW, "198.51.100.1");
    const a2 = ask(SLOW, "198.51.100.1");
    // The first runs; the second waits for the same client's first, not for a free worker.
    await until((s) => s.busy === 1 && s.queued === 1);
    await ordinaryAnswered("198.51.100.2");
    expect(inst.sparql.stats.queued).toBe(1);
    // A third query of the same client is over its share of the line.
    const before = inst.sparql.stats.refusedBusy;
    const third = await ask(SLOW, "198.51.100.1");
    expect(third.status).toBe(429);
    expect(third.headers.get("content-type")).toContain("application/problem+json");
    expect(Number(third.headers.get("retry-after"))).toBeGreaterThan(0);
    expect(((await third.json()) as { code: string }).code).toBe("sparql-client-busy");
    expect(inst.sparql.stats.refusedBusy).toBe(before + 1);
    await ordinaryAnswered("198.51.100.4");
    const [r1, r2] = await Promise.all([a1, a2]);
    expect([r1.status, r2.status]).toEqual([503, 503]);
    expect(((await r1.json()) as { code: string }).code).toBe("query-timeout");
    await drained();
  }, 120_000);

  it("refuses with 503 and Retry-After when the waiting line is full, drops a waiting query whose client went away, and other requests are still answered.", async () => {
    // Two clients take both workers, four more fill the four places in the line (the last one sent
    // once the others are in, so that it is surely waiting).
    const gone = new AbortController();
    const leaves = new AbortController();
    const held = ["203.0.113.1", "203.0.113.2", "203.0.113.3", "203.0.113.4", "203.0.113.5"].map((c) =>
      ask(SLOW, c, gone.signal).catch((e: Error) => e),
    );
    await until((s) => s.busy === 2 && s.queued === 3);
    const leaving = ask(SLOW, "203.0.113.6", leaves.signal).catch((e: Error) => e);
    await until((s) => s.busy === 2 && s.queued === 4);
    const [full, api] = await Promise.all([
      ask(ORDINARY, "203.0.113.7"),
      fetch(`${inst.base}/api/initiatives?limit=1`),
    ]);
    expect(full.status).toBe(503);
    expect(Number(full.headers.get("retry-after"))).toBeGreaterThan(0);
    expect(((await full.json()) as { code: string }).code).toBe("sparql-busy");
    expect(api.status).toBe(200);
    // One waiting client walks away: its query leaves the line; no worker is stopped for it.
    const { cancelled, exited } = inst.sparql.stats;
    leaves.abort();
    expect(aborted(await leaving)).toBe("AbortError");
    await until((s) => s.queued === 3 && s.cancelled === cancelled + 1);
    expect(inst.sparql.stats).toEqual(expect.objectContaining({ busy: 2, exited }));
    // The holders walk away: the line empties and the workers are replaced.
    gone.abort();
    expect((await Promise.all(held)).map(aborted)).toEqual(Array(5).fill("AbortError"));
    await drained();
    await ordinaryAnswered("203.0.113.6");
  }, 180_000);

  it("cancels a running query whose client went away: its worker is terminated and the CPU freed.", async () => {
    const before = inst.sparql.stats.cancelled;
    const exitedBefore = inst.sparql.stats.exited;
    const gone = new AbortController();
    const pending = ask(SLOW, "198.51.100.5", gone.signal).catch((e: Error) => e);
    await until((s) => s.busy === 1);
    gone.abort();
    expect(aborted(await pending)).toBe("AbortError");
    await until((s) => s.cancelled === before + 1 && s.busy === 0);
    // Its thread has exited (nothing computes for the query any more) and a replacement has started.
    await until((s) => s.exited >= exitedBefore + 1);
    await inst.sparql.ready();
    await ordinaryAnswered("198.51.100.6");
    await drained();
  }, 90_000);
});
