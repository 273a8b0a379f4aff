/**
 * The identifiers an import has met live in SQLite's own temporary database, which SQLite unlinks as soon as it has
 * opened it: a killed import leaves nothing behind in the temporary folder (it used to leave a folder each time).
 */
import { spawn } from "node:child_process";
import { mkdtempSync, readdirSync, readlinkSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "@jest/globals";
import { SeenIds } from "../../src/importers/seen.ts";

const SEEN = new URL("../../src/importers/seen.ts", import.meta.url).href;
let dir: string | undefined;

afterEach(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
  dir = undefined;
});

describe("The identifiers an import has met", () => {
  it("are told apart, with where each was first met.", () => {
    const seen = new SeenIds();
    try {
      expect(seen.firstAt("https://a.example/1", 2)).toBeUndefined();
      expect(seen.firstAt("https://a.example/2", 3)).toBeUndefined();
      expect(seen.firstAt("https://a.example/1", 9)).toBe(2);
      expect(seen.has("https://a.example/2")).toBe(true);
      expect(seen.has("https://a.example/3")).toBe(false);
    } finally {
      seen.close();
    }
  });

  it("leave no file in the temporary folder, while they are written and after the process is killed.", async () => {
    dir = mkdtempSync(join(tmpdir(), "essfed-seen-test-"));
    // Enough identifiers to go past the 16 MB the cache holds, so that SQLite writes its temporary file.
    const script = `
      const { SeenIds } = await import(${JSON.stringify(SEEN)});
      const seen = new SeenIds();
      for (let k = 0; k < 400000; k++) seen.firstAt("https://network.example/initiatives/identifier-" + k, k);
      process.stdout.write("written\\n");
      setInterval(() => {}, 1000);`;
    const child = spawn(process.execPath, ["--input-type=module", "-e", script], {
      env: { ...process.env, SQLITE_TMPDIR: dir, TMPDIR: dir },
      stdio: ["ignore", "pipe", "inherit"],
    });
    try {
      await new Promise<void>((resolve, reject) => {
        child.stdout.on("data", (d: Buffer) => d.toString().includes("written") && resolve());
        child.once("exit", (code) => reject(new Error(`the child exited with ${code}`)));
      });
      // The file is open and being written (Linux shows it among the process's files, unlinked), yet has no name.
      expect(heldUnlinked(child.pid!, dir)).toBe(process.platform === "linux");
      expect(readdirSync(dir)).toEqual([]);
    } finally {
      child.kill("SIGKILL");
      await new Promise((r) => child.once("close", r));
    }
    expect(readdirSync(dir)).toEqual([]);
  }, 60_000);
});

/** Whether process `pid` holds open a file of the folder `dir` that has been removed from it (Linux). */
function heldUnlinked(pid: number, dir: string): boolean {
  if (process.platform !== "linux") return false;
  return readdirSync(`/proc/${pid}/fd`).some((fd) => {
    try {
      const target = readlinkSync(`/proc/${pid}/fd/${fd}`);
      return target.startsWith(dir) && target.endsWith("(deleted)");
    } catch {
      return false;
    }
  });
}
