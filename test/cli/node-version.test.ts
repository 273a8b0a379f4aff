/**
 * essfed on a machine whose Node is too old: bin/essfed.js says which version it needs and how to
 * get it (exit 69) instead of failing on a `.ts` import, and npm scripts run on the Node 24 pinned
 * in the dependencies even when the machine's own Node is older.
 */
import { execFile, execFileSync } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { delimiter, dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { afterAll, describe, expect, it } from "@jest/globals";

const run = promisify(execFile);
const ROOT = fileURLToPath(new URL("../..", import.meta.url));
const BIN = join(ROOT, "bin/essfed.js");
const dir = mkdtempSync(join(tmpdir(), "essfed-node-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** The machine's PATH without any directory holding a Node of 22.18 or newer (this process's, the pinned one). */
const oldPath = (process.env.PATH ?? "")
  .split(delimiter)
  .filter((d) => {
    const node = join(d, "node");
    if (!existsSync(node)) return true;
    try {
      const [a, b] = execFileSync(node, ["-p", "process.versions.node"], { encoding: "utf8" })
        .trim()
        .split(".")
        .map(Number);
      return !(a! > 22 || (a === 22 && b! >= 18));
    } catch {
      return true;
    }
  })
  .join(delimiter);
const oldNode = (() => {
  try {
    return (
      execFileSync("sh", ["-c", "command -v node"], { env: { PATH: oldPath }, encoding: "utf8" }).trim() || undefined
    );
  } catch {
    return undefined;
  }
})();

type Failure = { code: number; stdout: string; stderr: string };
const failure = (p: Promise<unknown>) =>
  p.then(
    () => {
      throw new Error("expected a failure");
    },
    (e: Failure) => e,
  );

describe("bin/essfed.js on an unsuitable Node", () => {
  it("says which version it needs and how to get it when type stripping is off, and does nothing else.", async () => {
    const data = join(dir, "stripped");
    const e = await failure(
      run(process.execPath, ["--no-experimental-strip-types", BIN, "init"], {
        env: { PATH: process.env.PATH ?? "", ESSFED_DATA: data },
      }),
    );
    expect(e.code).toBe(69);
    expect(e.stdout).toBe("");
    expect(e.stderr).toContain("essfed needs Node.js 22.18 or newer");
    expect(e.stderr).toContain("type stripping turned off");
    expect(e.stderr).not.toMatch(/ERR_UNKNOWN_FILE_EXTENSION|at .*\.js:\d+/);
    expect(existsSync(data)).toBe(false);
  });
});

// Only where the machine has a Node older than 22.18 besides the one running the tests.
(oldNode ? describe : describe.skip)(
  `bin/essfed.js and npm on the machine's older Node (${oldNode ?? "none found"})`,
  () => {
    it("names the version it needs and the ways to get it.", async () => {
      const data = join(dir, "old");
      const e = await failure(run(oldNode!, [BIN, "init"], { env: { PATH: oldPath, ESSFED_DATA: data } }));
      expect(e.code).toBe(69);
      const version = execFileSync(oldNode!, ["-p", "process.versions.node"], { encoding: "utf8" }).trim();
      expect(e.stderr).toContain(`essfed needs Node.js 22.18 or newer (24 recommended)`);
      expect(e.stderr).toContain(`this is Node.js ${version} (${oldNode}`);
      expect(e.stderr).toContain("npm start, npm test, npm exec essfed -- COMMAND");
      expect(e.stderr).toContain(`${join(ROOT, "node_modules/.bin/node")} ${BIN} COMMAND`);
      expect(e.stderr).toContain("https://nodejs.org/");
      expect(e.stderr).not.toContain("ERR_UNKNOWN_FILE_EXTENSION");
      expect(existsSync(data)).toBe(false);
    });

    it("runs `npm start` and other npm scripts on the pinned Node 24 when the machine's Node is older.", async () => {
      const npm = join(dirname(oldNode ?? ""), "npm");
      const opts = { cwd: ROOT, env: { PATH: oldPath, HOME: dir } };
      const { stdout } = await run(
        existsSync(npm) ? npm : "npm",
        ["exec", "--offline", "--", "node", "-p", "process.versions.node"],
        opts,
      );
      expect(readdirSync(join(ROOT, "node_modules")).some((d) => /^node-linux-/.test(d))).toBe(true);
      expect(stdout.trim()).toMatch(/^24\./);
      // `npm start -- --help` runs `essfed serve --help` through the same script: usage, nothing started.
      const start = await run(existsSync(npm) ? npm : "npm", ["start", "--silent", "--", "--help"], opts);
      expect(start.stdout.startsWith("usage: essfed serve")).toBe(true);
    }, 120_000);
  },
);
