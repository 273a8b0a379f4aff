/**
 * `essfed migrate-store`: an instance that federated on SQLite continues on PostgreSQL with
 * everything it had — records, mirrors with provenance, tombstones, follows, keys.
 */
import { execFile } from "node:child_process";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { afterAll, expect, it } from "@jest/globals";
import { loadConfig } from "../../src/config.ts";
import { compose } from "../../src/compose.ts";
import { databaseUrl, dropSchema, randomSchema } from "../support/postgres.ts";
import { describePostgres } from "../support/describe-postgres.ts";
import { startInstance, type TestInstance } from "../support/instance.ts";

const run = promisify(execFile);
const BIN = fileURLToPath(new URL("../../bin/essfed.js", import.meta.url));

describePostgres("Migrating a store from SQLite to PostgreSQL", () => {
  const schema = randomSchema("mig");
  const started: TestInstance[] = [];
  afterAll(async () => {
    await Promise.all(started.map((i) => i.stop()));
    await dropSchema(schema);
  });

  it("copies everything, keeps the actor's keys and the change order, and refuses a non-empty target.", async () => {
    const inst = await startInstance({ ESSFED_HANDLE: "migrating" });
    started.push(inst);
    const id = inst.iris.initiative("m-1");
    await inst.directory.upsert([{ id, name: "Migrating Co-op", organisationalStructure: ["OS60"] }]);
    await inst.directory.upsert([{ id: inst.iris.initiative("m-2"), name: "Second" }]);
    await inst.directory.delete(inst.iris.initiative("m-2"));
    await inst.store.putInitiatives([
      {
        initiative: {
          id: "https://o.example/initiatives/x",
          name: "Mirror",
          organisationalStructure: [],
          legalForm: [],
          activities: [],
          qualifiers: [],
          sameAs: [],
        },
        published: "2026-01-01T00:00:00.000Z",
        updated: "2026-01-01T00:00:00.000Z",
        version: "v",
        signed: '{"proof":{}}',
        provenance: {
          origin: "https://o.example/actors/o",
          via: ["https://n.example/actors/n"],
          receivedAt: "2026-01-02T00:00:00.000Z",
        },
      },
    ]);
    await inst.store.putFollower({
      actor: "https://a.example/u/a",
      inbox: "https://a.example/u/a/inbox",
      followId: "https://a.example/f",
      state: "accepted",
      since: "2026-01-01T00:00:00.000Z",
    });
    await inst.store
      .queue("delivery")
      .enqueue({ inbox: "https://a.example/u/a/inbox", activityId: "x", body: "{}", attempts: 0 });
    // The team, its log and its curation come along.
    const { link } = await inst.accounts.add("ana", "admin", { kind: "cli", name: "test" });
    await inst.store.curation.putPolicy({
      source: "spam.example",
      policy: "block",
      reason: "spam",
      at: "2026-01-03T00:00:00.000Z",
    });
    await inst.store.curation.enqueue({
      kind: "report",
      target: id,
      text: "wrong address",
      from: "https://a.example/u/a",
      received: "2026-01-03T00:00:00.000Z",
    });
    await inst.store.curation.withhold(
      ["https://o.example/initiatives/x"],
      "hidden",
      "2026-01-04T00:00:00.000Z",
      "checking",
    );
    const auditBefore = (await inst.store.audit.list({ limit: 10 })).items;
    const lastQueued = (await inst.store.curation.listQueue({ limit: 10 })).items.at(-1)!.n;
    expect(auditBefore.length).toBeGreaterThan(0);
    const before = await inst.store.listInitiatives({ limit: 10 });
    const keysBefore = await inst.store.kv.get(["essfed", "actor-keys"]);
    await inst.close();

    const env = {
      ...process.env,
      ...Object.fromEntries(
        Object.entries({
          ESSFED_DATA: inst.dir,
          ESSFED_HANDLE: "migrating",
          ESSFED_URL: inst.base,
          DATABASE_URL: databaseUrl(schema),
        }),
      ),
    } as Record<string, string>;
    const { stdout } = await run(process.execPath, [BIN, "migrate-store"], { env });
    expect(stdout).toContain("Copied and verified");
    await expect(run(process.execPath, [BIN, "migrate-store"], { env })).rejects.toMatchObject({
      code: 1,
      stderr: expect.stringContaining("not empty"),
    });

    const pg = await compose(loadConfig(env));
    try {
      const after = await pg.store.listInitiatives({ limit: 10 });
      expect(after.items.map((r) => [r.initiative.id, r.seq, r.version, r.provenance, r.signed])).toEqual(
        before.items.map((r) => [r.initiative.id, r.seq, r.version, r.provenance, r.signed]),
      );
      expect(await pg.store.getTombstone(inst.iris.initiative("m-2"))).toBeDefined();
      expect(await pg.store.listFollowers()).toHaveLength(1);
      expect(await pg.store.queue("delivery").pending()).toBe(1);
      expect(await pg.store.kv.get(["essfed", "actor-keys"])).toEqual(keysBefore);
      expect((await pg.accounts.byName("ana"))?.role).toBe("admin");
      expect((await pg.accounts.linkAccount(link.slice(link.lastIndexOf("/") + 1)))?.name).toBe("ana");
      expect((await pg.store.audit.list({ limit: 10 })).items).toEqual(auditBefore);
      expect(await pg.store.curation.listPolicies()).toEqual([
        expect.objectContaining({ source: "spam.example", policy: "block" }),
      ]);
      expect((await pg.store.curation.listQueue({ limit: 10 })).items).toEqual([
        expect.objectContaining({ kind: "report", target: id, text: "wrong address" }),
      ]);
      expect(await pg.store.curation.getWithheld("https://o.example/initiatives/x")).toEqual(
        expect.objectContaining({ state: "hidden", reason: "checking" }),
      );
      // Numbering goes on after the copied rows.
      const next = await pg.store.curation.enqueue({
        kind: "report",
        target: id,
        text: "again",
        received: "2026-01-05T00:00:00.000Z",
      });
      expect(next.n).toBeGreaterThan(lastQueued);
      // New changes continue the change order.
      await pg.directory.upsert([{ id: inst.iris.initiative("m-3"), name: "After the move" }]);
      expect((await pg.store.listInitiatives({ limit: 1 })).items[0]!.seq).toBeGreaterThan(before.items[0]!.seq);
    } finally {
      await pg.close();
    }
  }, 60_000);
});
