/**
 * `/healthz` and `/readyz` (issue 11 item 6), on both stores: alive needs nothing but the process;
 * ready needs the store to answer, its schema at this essfed's version and the search index
 * caught up within ESSFED_READY_INDEX_LAG_SECONDS; otherwise 503 problem+json naming what is not
 * ready. Probes are never rate limited.
 */
import { afterAll, beforeAll, expect, it } from "@jest/globals";
import type { PostgresStore } from "../../src/store/postgres/store.postgres.ts";
import type { SqliteStore } from "../../src/store/sqlite/store.sqlite.ts";
import { record } from "../contract/store.contract.ts";
import type { TestInstance } from "../support/instance.ts";
import { describeStores } from "../security/ops-helpers.ts";

interface NotReady {
  status: number;
  code: string;
  detail: string;
  checks: Record<string, { ok: boolean; detail?: string }>;
}

/** Moves the stored schema version (as a newer essfed would have) and back. */
async function setSchema(inst: TestInstance, version: number | "back"): Promise<void> {
  if (inst.config.databaseUrl) {
    const pool = (inst.store as PostgresStore).pool;
    if (version === "back") await pool.query("DELETE FROM essfed_schema WHERE version > 90");
    else await pool.query("INSERT INTO essfed_schema (version) VALUES ($1)", [version]);
  } else {
    const db = (inst.store as SqliteStore).db;
    if (version === "back") db.exec(`PRAGMA user_version = ${(await inst.store.health()).schema.expected}`);
    else db.exec(`PRAGMA user_version = ${version}`);
  }
}

describeStores("Health probes", (kind) => {
  let inst: TestInstance;
  beforeAll(async () => {
    inst = await kind.start({ ESSFED_RATE_LIMIT_API: "2", ESSFED_READY_INDEX_LAG_SECONDS: "1" });
  }, 60_000);
  afterAll(async () => {
    await inst.stop();
  });

  it("answers /healthz and /readyz, uncached and never rate limited.", async () => {
    for (let k = 0; k < 5; k++) {
      const alive = await fetch(`${inst.base}/healthz`);
      expect(alive.status).toBe(200);
      expect(alive.headers.get("cache-control")).toBe("no-store");
      expect(await alive.json()).toEqual({ status: "alive" });
      const ready = await fetch(`${inst.base}/readyz`);
      expect(ready.status).toBe(200);
      expect(await ready.json()).toMatchObject({
        status: "ready",
        checks: { store: { ok: true }, migrations: { ok: true }, searchIndex: { ok: true } },
      });
    }
  });

  it("is not ready, and says so, when the schema is not this essfed's version.", async () => {
    await setSchema(inst, 99);
    try {
      const res = await fetch(`${inst.base}/readyz`);
      expect(res.status).toBe(503);
      expect(res.headers.get("content-type")).toContain("application/problem+json");
      const p = (await res.json()) as NotReady;
      expect(p).toMatchObject({
        status: 503,
        code: "not-ready",
        checks: { store: { ok: true }, migrations: { ok: false } },
      });
      expect(p.detail).toMatch(
        /migrations: the schema is at version 99, this essfed needs \d+ \(a newer essfed migrated it\)/,
      );
      expect((await fetch(`${inst.base}/healthz`)).status).toBe(200);
    } finally {
      await setSchema(inst, "back");
    }
    expect((await fetch(`${inst.base}/readyz`)).status).toBe(200);
  });

  if (kind.name === "SQLite") {
    it("is not ready while the search index stays behind the writes for longer than the bound, and ready once it catches up.", async () => {
      const undo = inst.store.deferIndexing!();
      try {
        await inst.store.putInitiatives([record("https://x.example/initiatives/lag-1", "Lagging Co-op")]);
        expect((await fetch(`${inst.base}/readyz`)).status).toBe(200);
        await new Promise((r) => setTimeout(r, 1500));
        const res = await fetch(`${inst.base}/readyz`);
        expect(res.status).toBe(503);
        const p = (await res.json()) as NotReady;
        expect(p.checks.searchIndex?.ok).toBe(false);
        expect(p.detail).toMatch(
          /searchIndex: the search index has been behind for \d+ s \(1 changes; the bound is 1 s\)/,
        );
      } finally {
        undo();
      }
      await inst.store.search.catchUp();
      expect((await fetch(`${inst.base}/readyz`)).status).toBe(200);
    });
  }
});

describeStores("Health probes with the store gone", (kind) => {
  let inst: TestInstance;
  beforeAll(async () => {
    inst = await kind.start();
  }, 60_000);
  afterAll(async () => {
    await inst.stop().catch(() => undefined);
  });

  it("stays alive but not ready when the store does not answer.", async () => {
    await inst.store.close();
    expect((await fetch(`${inst.base}/healthz`)).status).toBe(200);
    const res = await fetch(`${inst.base}/readyz`);
    expect(res.status).toBe(503);
    const p = (await res.json()) as NotReady;
    expect(p.checks.store?.ok).toBe(false);
    expect(p.detail).toMatch(/^not ready: store: the store does not answer: /);
  });
});
