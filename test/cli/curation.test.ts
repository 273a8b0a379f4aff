/**
 * Curation on the command line, on a real SQLite instance: essfed sources, records, queue and
 * audit decide through the same curator as the admin API, write the audit log as the command, and
 * refuse bad input with exit 64 and what cannot be done with exit 1.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import { main } from "../../src/cli/main.ts";
import { loadConfig } from "../../src/config.ts";
import { compose, type Instance } from "../../src/compose.ts";
import { versionOf } from "../../src/domain/version.ts";

const dir = mkdtempSync(join(tmpdir(), "essfed-curation-cli-"));
const env = { ESSFED_DATA: dir, ESSFED_URL: "http://net.example", ESSFED_LOG_LEVEL: "error" };
const REGIONAL = "https://regional.example/actors/network";
const M1 = "https://regional.example/initiatives/m1";
const M2 = "https://regional.example/initiatives/m2";

async function run(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const out: string[] = [],
    err: string[] = [];
  const code = await main(args, { out: (l) => out.push(l), err: (l) => err.push(l), env });
  return { code, stdout: out.join("\n"), stderr: err.join("\n") };
}
const mirror = (id: string, name: string) => {
  const initiative = {
    id,
    name,
    organisationalStructure: [],
    legalForm: [],
    activities: [],
    qualifiers: [],
    sameAs: [],
  };
  return {
    initiative,
    published: "2026-01-01T00:00:00.000Z",
    updated: "2026-01-01T00:00:00.000Z",
    version: versionOf(initiative),
    provenance: { origin: REGIONAL, via: [], receivedAt: "2026-01-01T00:00:00.000Z" },
  };
};
let inst: Instance;

beforeAll(async () => {
  inst = await compose(loadConfig(env));
  await inst.store.putInitiatives([mirror(M1, "First")]);
  await inst.store.curation.enqueue({
    kind: "change",
    target: M2,
    record: mirror(M2, "Second"),
    text: "review",
    received: "2026-01-01T00:00:00.000Z",
  });
}, 60_000);
afterAll(async () => {
  await inst.close();
  rmSync(dir, { recursive: true, force: true });
});

describe("essfed curation commands", () => {
  it("set, list and remove source policies.", async () => {
    expect(await run("sources")).toMatchObject({ code: 0, stdout: expect.stringContaining("No source policies") });
    expect(await run("sources", "review", "regional.example", "--reason", "new member")).toMatchObject({
      code: 0,
      stdout: expect.stringContaining("regional.example: review"),
    });
    expect((await run("sources", "list")).stdout).toMatch(/^review\s+regional\.example .*new member/);
    expect(await run("sources", "block", "not a domain")).toMatchObject({
      code: 64,
      stderr: expect.stringContaining("actor URL"),
    });
    expect(await run("sources", "silence", "x.example")).toMatchObject({ code: 64 });
    expect(await run("sources", "remove", "regional.example")).toMatchObject({ code: 0 });
    expect(await run("sources", "remove", "regional.example")).toMatchObject({ code: 1 });
  });

  it("hide and restore a record with a reason, and show its history.", async () => {
    expect(await run("records", "hide", M1)).toMatchObject({ code: 64, stderr: expect.stringContaining("--reason") });
    expect(await run("records", "hide", M1, "--reason", "duplicate")).toMatchObject({
      code: 0,
      stdout: `${M1}: hidden.`,
    });
    expect(await inst.store.getInitiative(M1)).toBeUndefined();
    expect(await run("records", "hide", M1, "--reason", "again")).toMatchObject({
      code: 1,
      stderr: expect.stringContaining("already hidden"),
    });
    expect((await run("records", "withheld")).stdout).toContain(`hidden   ${M1}  First (duplicate)`);
    expect(await run("records", "restore", M1, "--reason", "not a duplicate")).toMatchObject({ code: 0 });
    expect(await inst.store.getInitiative(M1)).toBeDefined();
    const history = await run("records", "history", M1);
    expect(history.stdout.split("\n")).toEqual([
      `${M1}: served`,
      expect.stringMatching(/cli:essfed records {2}record\.restore .*"not a duplicate"$/),
      expect.stringMatching(/cli:essfed records {2}record\.hide .*"duplicate"$/),
    ]);
  });

  it("list the queue with its diffs and decide items; the audit log pages.", async () => {
    const list = await run("queue");
    expect(list.stdout).toContain(`change  ${M2}  (approved: none; from ${REGIONAL})`);
    expect(list.stdout).toContain('name: (none) → "Second"');
    const n = (await inst.store.curation.listQueue({ limit: 1 })).items[0]!.n;
    expect(await run("queue", "approve", "x,y")).toMatchObject({ code: 64 });
    expect(await run("queue", "approve", `${n},999999`, "--reason", "fine")).toMatchObject({
      code: 1,
      stdout: `#${n}: created\n#999999: not-found`,
    });
    expect(await inst.store.getInitiative(M2)).toBeDefined();
    expect((await run("queue")).stdout).toBe("Nothing waits for a decision.");
    const page = await run("audit", "--limit", "2");
    expect(page.stdout.split("\n")).toHaveLength(3);
    expect(page.stdout).toMatch(/more: --cursor \d+$/);
    const cursor = /--cursor (\d+)$/.exec(page.stdout)![1]!;
    expect((await run("audit", "--limit", "2", "--cursor", cursor)).stdout).toContain("record.");
    expect((await run("audit", "--action", "queue.", "--json")).stdout).toContain('"reason": "fine"');
  });
});
