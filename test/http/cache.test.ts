/**
 * Rendered initiatives are cached in memory; a change made by another process on the same
 * database (a CLI import next to the server, say) must show on the very next GET.
 */
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import { SqliteStore } from "../../src/store/sqlite/store.sqlite.ts";
import { versionOf } from "../../src/domain/version.ts";
import { auth, startInstance, type TestInstance } from "../support/instance.ts";
import { initiativeBody } from "../support/process.ts";

let inst: TestInstance;
let other: SqliteStore;
beforeAll(async () => {
  inst = await startInstance();
  other = new SqliteStore(join(inst.dir, "essfed.sqlite"));
  await other.initialize();
});
afterAll(async () => {
  await other.close();
  await inst.stop();
});

const name = async (url: string) =>
  ((await (await fetch(url, { headers: { accept: "application/activity+json" } })).json()) as Record<string, unknown>)[
    "gr:name"
  ];

describe("The representation cache", () => {
  it("serves another connection's change on the next GET.", async () => {
    const id = (
      await fetch(`${inst.base}/initiatives`, {
        method: "POST",
        headers: { "content-type": "application/ld+json", ...auth },
        body: initiativeBody("Cached Co-op"),
      })
    ).headers.get("location")!;
    expect(await name(id)).toBe("Cached Co-op");
    expect(await name(id)).toBe("Cached Co-op");
    const rec = (await other.getInitiative(id))!;
    const changed = { ...rec.initiative, name: "Changed Elsewhere" };
    await other.putInitiatives([
      { initiative: changed, published: rec.published, updated: new Date().toISOString(), version: versionOf(changed) },
    ]);
    expect(await name(id)).toBe("Changed Elsewhere");
    await other.deleteInitiative({ id, deleted: new Date().toISOString() });
    expect((await fetch(id)).status).toBe(410);
  });
});
