/**
 * The JSON-LD budget's limits set by environment variables: a bad value stops `essfed serve` with
 * one line naming the variable (exit 78), and a lowered limit refuses, over real HTTP, a document
 * the built-in limits take.
 */
import { execFile } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, describe, expect, it } from "@jest/globals";
import { loadConfig } from "../../src/config.ts";
import { BUILT_IN_BUDGET, BUILT_IN_IMPORT_BUDGET } from "../../src/linkeddata/jsonld-budget.ts";
import { auth, startInstance } from "../support/instance.ts";
import { initiativeBody } from "../support/process.ts";

const BIN = fileURLToPath(new URL("../../bin/essfed.js", import.meta.url));
const dir = mkdtempSync(join(tmpdir(), "essfed-jsonld-env-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function serve(env: Record<string, string>): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [BIN, "serve"],
      { env: { PATH: process.env.PATH ?? "", ESSFED_DATA: dir, PORT: "0", ...env }, timeout: 60_000 },
      (e, stdout, stderr) => resolve({ code: e ? (typeof e.code === "number" ? e.code : -1) : 0, stdout, stderr }),
    );
  });
}

describe("JSON-LD limits from the environment", () => {
  it("stops the server at start with one line naming a variable whose value is not a limit.", async () => {
    for (const [name, value] of [
      ["ESSFED_JSONLD_MAX_VALUES", "lots"],
      ["ESSFED_JSONLD_MAX_DEPTH", "0"],
      ["ESSFED_IMPORT_JSONLD_MEMORY_MB", "1.5"],
    ]) {
      const r = await serve({ [name!]: value! });
      expect(r.code).toBe(78);
      expect(r.stdout).toBe("");
      const lines = r.stderr.trim().split("\n");
      expect(lines).toHaveLength(1);
      expect(lines[0]).toContain(`${name} must be a whole number from`);
      expect(lines[0]).toContain(`(got "${value}")`);
    }
    // Three starts of Node that load the whole program: 13 s each at load 15, so more than the default 30 s.
  }, 120_000);

  it("reads each limit for strangers and imports; an import limit left unset follows a stranger's shape limit.", () => {
    expect(loadConfig({}).jsonLd).toEqual({ stranger: BUILT_IN_BUDGET, imports: BUILT_IN_IMPORT_BUDGET });
    const c = loadConfig({
      ESSFED_JSONLD_MAX_VALUES: "5_000",
      ESSFED_JSONLD_MAX_TERM_DEFINITIONS: "200",
      ESSFED_JSONLD_TIMEOUT_MS: "1000",
      ESSFED_IMPORT_JSONLD_MAX_QUADS: "1000000",
    }).jsonLd;
    expect(c.stranger).toMatchObject({ maxValues: 5_000, maxTermDefinitions: 200, timeoutMs: 1_000 });
    expect(c.imports).toMatchObject({
      // Imports have their own size limits and deadline: a stranger's do not lower them.
      maxValues: BUILT_IN_IMPORT_BUDGET.maxValues,
      timeoutMs: BUILT_IN_IMPORT_BUDGET.timeoutMs,
      // A shape limit is the same for both unless set for imports.
      maxTermDefinitions: 200,
      maxQuads: 1_000_000,
    });
  });

  it("refuses with a lowered limit a record the built-in limits take, naming the limit and its value.", async () => {
    // 16 JSON values outside the context: the record, type, name, structure, coordinates, two descriptions.
    const body = initiativeBody("Lowered Limits Bakery", {
      "geo:lat": 53.48,
      "geo:long": -2.24,
      "gr:description": [
        { "@value": "A bakery", "@language": "en" },
        { "@value": "Une boulangerie", "@language": "fr" },
      ],
    });
    const post = async (env: Record<string, string>) => {
      const inst = await startInstance(env);
      try {
        const res = await fetch(`${inst.base}/initiatives`, {
          method: "POST",
          headers: { ...auth, "content-type": "application/ld+json" },
          body,
        });
        return { status: res.status, type: res.headers.get("content-type"), body: (await res.json()) as object };
      } finally {
        await inst.stop();
      }
    };
    const lowered = await post({ ESSFED_JSONLD_MAX_VALUES: "10" });
    expect(lowered).toMatchObject({
      status: 413,
      type: expect.stringContaining("application/problem+json"),
      body: { code: "jsonld-too-large", limit: "maxValues", max: 10 },
    });
    expect((await post({})).status).toBe(201);
  }, 60_000);
});
