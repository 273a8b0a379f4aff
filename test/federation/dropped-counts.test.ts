/**
 * Dropped-record counts are added atomically: back-fills and reconciliations that finish pages at
 * the same moment (in one process, or in two processes on one database) add up, and none
 * overwrites another's counts with what it read before the other wrote.
 */
import { describe, expect, it } from "@jest/globals";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { DroppedRecords, totalOf, type Drop } from "../../src/federation/dropped.ts";
import { SqliteStore } from "../../src/store/sqlite/store.sqlite.ts";
import { describePostgres } from "../support/describe-postgres.ts";
import { freshPostgresStore, randomSchema } from "../support/postgres.ts";

const PEER = "https://peer.example/actor";
const page = (n: number): Drop[] => [
  { id: `https://peer.example/i/${n}a`, reason: "invalid-initiative", message: "name: missing" },
  { id: `https://peer.example/i/${n}b`, reason: "jsonld-too-large", message: "jsonld-too-large" },
];
const PAGES = 40;

/** Adds PAGES pages of drops at once, spread over the given writers. */
async function addAtOnce(writers: DroppedRecords[]): Promise<void> {
  await Promise.all(Array.from({ length: PAGES }, (_, n) => writers[n % writers.length]!.record(PEER, page(n))));
}

describe("Dropped-record counts on SQLite", () => {
  it("add up when pages finish at once in one process.", async () => {
    const dir = mkdtempSync(join(tmpdir(), "essfed-dropped-"));
    const store = new SqliteStore(join(dir, "essfed.sqlite"));
    try {
      await store.initialize();
      const dropped = new DroppedRecords(store.kv);
      await addAtOnce([dropped]);
      const peer = await dropped.of(PEER);
      expect(peer?.counts).toEqual({ "invalid-initiative": PAGES, "jsonld-too-large": PAGES });
      expect(totalOf(peer!)).toBe(2 * PAGES);
    } finally {
      await store.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describePostgres("Dropped-record counts on PostgreSQL", () => {
  it("add up when two processes on one schema finish pages at once.", async () => {
    const schema = randomSchema("dropped");
    const one = await freshPostgresStore(schema);
    const two = await freshPostgresStore(schema);
    try {
      await addAtOnce([new DroppedRecords(one.kv), new DroppedRecords(two.kv)]);
      const peer = await new DroppedRecords(one.kv).of(PEER);
      expect(peer?.counts).toEqual({ "invalid-initiative": PAGES, "jsonld-too-large": PAGES });
    } finally {
      await two.close();
      await one.drop();
      await one.close();
    }
  });
});
