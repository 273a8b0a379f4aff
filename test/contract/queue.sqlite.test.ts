/**
 * The SQLite message queue against `@fedify/testing`'s own MessageQueue contract (two queue
 * objects on one database file, as two processes would have), plus what essfed relies on beyond it.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "@jest/globals";
import { testMessageQueue } from "@fedify/testing";
import { SqliteStore } from "../../src/store/sqlite/store.sqlite.ts";
import { describeQueueBehaviour } from "./queue.behaviour.ts";

const dir = mkdtempSync(join(tmpdir(), "essfed-mq-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function openStore(file: string): Promise<SqliteStore> {
  const s = new SqliteStore(join(dir, file));
  await s.initialize();
  return s;
}

describe("SqliteStore queues", () => {
  it("pass Fedify's MessageQueue test suite, ordering keys included.", async () => {
    const stores: SqliteStore[] = [];
    const name = `fedify-${Math.random().toString(36).slice(2)}`;
    await testMessageQueue(
      async () => {
        const s = await openStore("fedify.sqlite");
        stores.push(s);
        return s.queue(name, { pollMs: 50 });
      },
      async ({ controller }) => {
        controller.abort();
        for (const s of stores) await s.close();
      },
      { testOrderingKey: true },
    );
    expect(stores).toHaveLength(2);
  }, 60_000);
});

describeQueueBehaviour("SqliteStore", () => {
  const file = `b-${Math.random().toString(36).slice(2)}.sqlite`;
  return { open: async () => openStore(file), cleanup: () => Promise.resolve() };
});
