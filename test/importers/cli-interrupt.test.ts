/**
 * An import stopped part way: Ctrl-C (SIGINT) to a real `essfed import` process, and an import's own stop signal.
 * What was read is written and indexed, the report says so, the exit code is 128 + the signal's number, and the same
 * import again writes the rest.
 */
import { spawn } from "node:child_process";
import { once } from "node:events";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import { csvLine, generateRow, rng } from "../../bench/generate.ts";
import { main } from "../../src/cli/main.ts";
import { compose } from "../../src/compose.ts";
import { loadConfig } from "../../src/config.ts";
import { V4_COLUMNS } from "../../src/importers/csv/columns.ts";
import { bufferSource, importSource } from "../../src/importers/import.ts";
import { SqliteStore } from "../../src/store/sqlite/store.sqlite.ts";

const BIN = fileURLToPath(new URL("../../bin/essfed.js", import.meta.url));
const dir = mkdtempSync(join(tmpdir(), "essfed-cli-stop-"));
const data = join(dir, "data");
const env = { PATH: process.env.PATH ?? "", ESSFED_DATA: data, ESSFED_LOG_LEVEL: "error" };
const ROWS = 120_000;
const file = join(dir, "long.csv");
const csv = (rows: number) => {
  const r = rng(11);
  return [V4_COLUMNS.join(","), ...Array.from({ length: rows }, (_, k) => csvLine(generateRow(k, r), k))].join("\n");
};

beforeAll(async () => {
  writeFileSync(file, csv(ROWS));
  const quiet = { out: () => {}, err: () => {}, env };
  const code = await main(["init"], quiet);
  if (code !== 0) throw new Error(`essfed init exited with ${code}`);
}, 60_000);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Runs `essfed import` in a child process; with `interrupt`, sends SIGINT once it has shown progress. */
async function importing(interrupt: boolean): Promise<{ code: number; stdout: string; stderr: string }> {
  const child = spawn(process.execPath, [BIN, "import", file], { env, stdio: ["ignore", "pipe", "pipe"] });
  let stdout = "",
    stderr = "";
  child.stdout.on("data", (d: Buffer) => (stdout += d.toString()));
  child.stderr.on("data", (d: Buffer) => {
    stderr += d.toString();
    // A progress line comes a second or more into the writing, with most of the file still to read.
    if (interrupt && /rows read/.test(stderr) && !/stopping/.test(stderr)) child.kill("SIGINT");
  });
  const [code] = (await once(child, "exit")) as [number];
  return { code, stdout, stderr };
}

describe("essfed import stopped part way", () => {
  it("on Ctrl-C writes and indexes what it read, says so, exits 130; the same import again writes the rest.", async () => {
    const stopped = await importing(true);
    expect(stopped.stderr).toContain("stopping (SIGINT): writing the records read so far");
    expect(stopped.stderr).toContain("interrupted: the records read until then are imported");
    const m = /interrupted after (\d+) read in [\d.]+ s: (\d+) created, 0 updated, 0 unchanged, 0 refused/.exec(
      stopped.stdout,
    );
    expect({ code: stopped.code, summary: m !== null }).toEqual({ code: 130, summary: true });
    const read = Number(m![1]);
    expect(Number(m![2])).toBe(read);
    expect(read).toBeGreaterThan(0);
    expect(read).toBeLessThan(ROWS);
    expect(stopped.stdout).toContain("search index up to date");

    const store = new SqliteStore(join(data, "essfed.sqlite"));
    await store.initialize();
    try {
      expect(await store.countInitiatives()).toBe(read);
      // The search index holds them all: the stop ended the import's bulk write as a whole file's end does.
      expect(await store.search.count({ facets: {} })).toBe(read);
      expect((await store.health()).indexLag).toBe(0);
    } finally {
      await store.close();
    }

    const again = await importing(false);
    expect(again.code).toBe(0);
    expect(again.stdout).toContain(`${ROWS} read in`);
    expect(again.stdout).toContain(`${ROWS - read} created, 0 updated, ${read} unchanged, 0 refused`);
  }, 240_000);

  it("stops reading once its signal is aborted, writing what it read (and a dry run writes nothing).", async () => {
    const inst = await compose(
      loadConfig({ ESSFED_DATA: join(dir, "lib"), ESSFED_LOG_LEVEL: "error", ESSFED_URL: "https://here.example" }),
    );
    try {
      const source = bufferSource("small.csv", csv(3_000));
      const o = { signal: AbortSignal.abort(), batchSize: 100 };
      const dry = await importSource(source, inst.directory, inst.iris, { ...o, dryRun: true });
      expect(dry).toMatchObject({ interrupted: true, read: 1, created: 1, dryRun: true });
      expect(await inst.store.countInitiatives()).toBe(0);
      const report = await importSource(source, inst.directory, inst.iris, o);
      // Read, not refused: an import stopped before its first record is not a file without initiatives.
      expect(report).toMatchObject({ interrupted: true, read: 1, created: 1 });
      expect(report.fatal).toBeUndefined();
      expect(await inst.store.countInitiatives()).toBe(1);
    } finally {
      await inst.close();
    }
  }, 60_000);
});
