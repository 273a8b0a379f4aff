/**
 * The LISTEN connection comes back after its backend is terminated (what a database restart or
 * an administrator's pg_terminate_backend does), and a write from another process then still
 * wakes a queue listener at once, not at its next poll.
 */
import { execFile } from "node:child_process";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { afterEach, expect, it } from "@jest/globals";
import pg from "pg";
import type { PostgresStore } from "../../src/store/postgres/store.postgres.ts";
import { describePostgres } from "../support/describe-postgres.ts";
import { POSTGRES_URL, freshPostgresStore, randomSchema } from "../support/postgres.ts";
import { eventually } from "../support/process.ts";

const STORE = fileURLToPath(new URL("../../src/store/postgres/store.postgres.ts", import.meta.url));

/** Enqueues one message from a separate Node process, as another essfed process would. */
async function enqueueFromAnotherProcess(schema: string, queue: string, payload: unknown): Promise<void> {
  const script = `
    const { PostgresStore } = await import(${JSON.stringify(STORE)});
    const s = new PostgresStore(process.env.URL, { schema: process.env.SCHEMA, max: 1 });
    await s.initialize();
    await s.queue(process.env.QUEUE).enqueue(JSON.parse(process.env.PAYLOAD));
    await s.close();`;
  await promisify(execFile)(process.execPath, ["--input-type=module", "-e", script], {
    env: { PATH: process.env.PATH, URL: POSTGRES_URL, SCHEMA: schema, QUEUE: queue, PAYLOAD: JSON.stringify(payload) },
  });
}

async function listenerPids(admin: pg.Client, schema: string): Promise<number[]> {
  const { rows } = await admin.query<{ pid: number }>("SELECT pid FROM pg_stat_activity WHERE application_name = $1", [
    `essfed-listen:${schema}`,
  ]);
  return rows.map((r) => Number(r.pid));
}

const cleanup: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const f of cleanup.splice(0).reverse()) await f().catch(() => {});
});

describePostgres("PostgreSQL notifications", () => {
  it("come back after the LISTEN backend is terminated: another process's enqueue still wakes the worker.", async () => {
    const schema = randomSchema("listen");
    const store: PostgresStore = await freshPostgresStore(schema);
    cleanup.push(async () => {
      await store.drop();
      await store.close();
    });
    const admin = new pg.Client({ connectionString: POSTGRES_URL });
    await admin.connect();
    cleanup.push(() => admin.end());

    // The worker polls only every two minutes: within this test only a notification can wake it.
    const got: string[] = [];
    const controller = new AbortController();
    const listening = store
      .queue("wake", { pollMs: 120_000 })
      .listen((m: { n: string }) => void got.push(m.n), { signal: controller.signal });
    cleanup.push(async () => {
      controller.abort();
      await listening;
    });

    await enqueueFromAnotherProcess(schema, "wake", { n: "before" });
    await eventually(() => got.includes("before"), 10_000, "the first message");

    const [old] = await listenerPids(admin, schema);
    expect(old).toBeDefined();
    const { rows } = await admin.query<{ done: boolean }>("SELECT pg_terminate_backend($1) AS done", [old]);
    expect(rows[0]!.done).toBe(true);
    // A new session, on another backend, replaces it.
    const fresh = await eventually(
      async () => {
        const pids = await listenerPids(admin, schema);
        return pids.length === 1 && pids[0] !== old && store.listening ? pids[0] : undefined;
      },
      10_000,
      "the LISTEN session to come back",
    );
    expect(fresh).not.toBe(old);

    await enqueueFromAnotherProcess(schema, "wake", { n: "after" });
    await eventually(() => got.includes("after"), 10_000, "the message enqueued after the reconnection");
    expect(got).toEqual(["before", "after"]);
  });

  it("wake listeners once on reconnecting, for what was sent while the session was down.", async () => {
    const schema = randomSchema("listen");
    const store: PostgresStore = await freshPostgresStore(schema);
    cleanup.push(async () => {
      await store.drop();
      await store.close();
    });
    const admin = new pg.Client({ connectionString: POSTGRES_URL });
    await admin.connect();
    cleanup.push(() => admin.end());
    const got: string[] = [];
    const controller = new AbortController();
    const listening = store
      .queue("gap", { pollMs: 120_000 })
      .listen((m: { n: string }) => void got.push(m.n), { signal: controller.signal });
    cleanup.push(async () => {
      controller.abort();
      await listening;
    });
    // The worker has looked once and now waits for a notification (else its first look, late on a
    // loaded machine, could find the message below by itself).
    await store.queue("gap").enqueue({ n: "first" });
    await eventually(() => got.includes("first"), 10_000, "the worker's first look");
    const stampBefore = await store.changeStamp();

    // Insert a message directly, with no notification at all, then cut the session: only the
    // wake-up after reconnecting can make the worker look.
    await admin.query(`INSERT INTO ${schema}.mq (queue, payload, visible_at) VALUES ('gap', '{"n":"silent"}', 0)`);
    const [old] = await listenerPids(admin, schema);
    await admin.query("SELECT pg_terminate_backend($1)", [old]);
    await eventually(() => got.includes("silent"), 10_000, "the wake-up after reconnecting");
    expect(got).toEqual(["first", "silent"]);
    // Caches keyed on the change stamp see it move: changes may have been missed meanwhile.
    expect(await store.changeStamp()).not.toBe(stampBefore);
  });
});
