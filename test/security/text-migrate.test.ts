/**
 * Text every store holds (issue 10 item 3), when an instance moves from SQLite to PostgreSQL: an
 * instance that holds text PostgreSQL cannot store (kept by an essfed from before the check, or a
 * mirror written past it) is not half-copied and does not fail as a bug: `essfed migrate-store`
 * exits 1 naming every such row and what is wrong with it, copies nothing, and copies everything
 * once those rows are corrected.
 */
import { execFile } from "node:child_process";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { afterAll, expect, it } from "@jest/globals";
import { emptyInitiative } from "../../src/domain/initiative.ts";
import { versionOf } from "../../src/domain/version.ts";
import { PostgresStore } from "../../src/store/postgres/store.postgres.ts";
import { SqliteStore } from "../../src/store/sqlite/store.sqlite.ts";
import { POSTGRES_URL, databaseUrl, dropSchema, randomSchema } from "../support/postgres.ts";
import { describePostgres } from "../support/describe-postgres.ts";
import { startInstance } from "../support/instance.ts";

const run = promisify(execFile);
const BIN = fileURLToPath(new URL("../../bin/essfed.js", import.meta.url));

describePostgres("Migrating an instance that holds text PostgreSQL cannot store", () => {
  const schema = randomSchema("migtxt");
  afterAll(async () => {
    await dropSchema(schema);
  });

  it("names every such row, copies nothing, and copies everything once they are corrected.", async () => {
    const inst = await startInstance({ ESSFED_HANDLE: "old" });
    const now = "2026-01-01T00:00:00.000Z";
    const put = (id: string, name: string, description?: string) => {
      const i = { ...emptyInitiative(id, name), ...(description ? { description } : {}) };
      return inst.store.putInitiatives([{ initiative: i, published: now, updated: now, version: versionOf(i) }]);
    };
    await inst.directory.upsert([{ id: inst.iris.initiative("fine"), name: "Fine Co-op" }]);
    await put(inst.iris.initiative("nul"), "Bad\u0000Name");
    await put("https://o.example/initiatives/s", "Mirror", "caf\uD800");
    await inst.store.markSeen(`https://o.example/activities/${"中".repeat(700)}`);
    const dir = inst.dir;
    await inst.close();

    const env = {
      ...process.env,
      ESSFED_DATA: dir,
      ESSFED_HANDLE: "old",
      ESSFED_URL: inst.base,
      DATABASE_URL: databaseUrl(schema),
    } as Record<string, string>;
    const failed = await run(process.execPath, [BIN, "migrate-store"], { env }).then(
      () => undefined,
      (e: unknown) => e as { code: number; stderr: string },
    );
    expect(failed?.code).toBe(1);
    expect(failed?.stderr).toContain("3 rows hold text PostgreSQL cannot store; nothing was copied");
    expect(failed?.stderr).toContain(
      `initiative id ${inst.iris.initiative("nul")}: record.initiative.name contains U+0000`,
    );
    expect(failed?.stderr).toContain(
      "initiative id https://o.example/initiatives/s: record.initiative.description contains U+D800",
    );
    expect(failed?.stderr).toMatch(/seen id https:\/\/o\.example\/activities\/中+: id is longer than 2000 bytes/);
    const target = new PostgresStore(POSTGRES_URL!, { schema, max: 1 });
    try {
      await target.initialize();
      expect(await target.countInitiatives()).toBe(0);
    } finally {
      await target.close();
    }

    // Corrected in the SQLite instance (here: removed), the copy goes through.
    const sqlite = new SqliteStore(`${dir}/essfed.sqlite`);
    await sqlite.initialize();
    await sqlite.purgeInitiatives([inst.iris.initiative("nul"), "https://o.example/initiatives/s"]);
    await sqlite.pruneSeen(Date.now() + 1000);
    await sqlite.close();
    const { stdout } = await run(process.execPath, [BIN, "migrate-store", "--force"], { env });
    expect(stdout).toContain("Copied and verified");
    await inst.stop();
  }, 120_000);
});
