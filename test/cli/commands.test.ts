/**
 * The CLI as a user meets it: help for every command, refusals of unknown commands, options and
 * arguments (exit 64), data directories that hold no instance (exit 66), a taken port (exit 69),
 * and the instance's stored identity (exit 78). Each behaviour runs once through the real
 * bin/essfed.js in a child process (exit codes, nothing left running); the per-command cases call
 * the same `main()` in this process, which is many times faster than starting Node for each.
 */
import { execFile } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync } from "node:fs";
import { createServer, type Server } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, describe, expect, it, jest } from "@jest/globals";
import { main } from "../../src/cli/main.ts";
import { COMMANDS } from "../../src/cli/registry.ts";
import { loadConfig } from "../../src/config.ts";
import { compose } from "../../src/compose.ts";
import { IDENTITY_KEY, MOVE_KEY } from "../../src/instance/identity.ts";
import pg from "pg";
import { describePostgres } from "../support/describe-postgres.ts";
import { databaseUrl, dropSchema, POSTGRES_URL, randomSchema } from "../support/postgres.ts";
import { freePort, spawnInstance } from "../support/process.ts";

// Each child process loads the whole program; on a busy machine that alone takes many seconds.
jest.setTimeout(180_000);

const BIN = fileURLToPath(new URL("../../bin/essfed.js", import.meta.url));
const dir = mkdtempSync(join(tmpdir(), "essfed-cmd-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

interface Result {
  code: number;
  stdout: string;
  stderr: string;
}
/** Runs essfed; resolves with its exit code and output whatever the code. */
function essfed(env: Record<string, string>, ...args: string[]): Promise<Result> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [BIN, ...args],
      { env: { PATH: process.env.PATH ?? "", ESSFED_LOG_LEVEL: "error", ...env }, timeout: 60_000 },
      (e, stdout, stderr) => {
        resolve({ code: e ? (typeof e.code === "number" ? e.code : -1) : 0, stdout, stderr });
      },
    );
  });
}

/** The same command line through `main()` in this process. */
async function inProcess(env: Record<string, string>, ...args: string[]): Promise<Result> {
  const out: string[] = [],
    err: string[] = [];
  const code = await main(args, {
    out: (l) => out.push(l),
    err: (l) => err.push(l),
    env: { ESSFED_LOG_LEVEL: "error", ...env },
  });
  return { code, stdout: out.map((l) => `${l}\n`).join(""), stderr: err.map((l) => `${l}\n`).join("") };
}

const NAMES = Object.keys(COMMANDS);
const CSV = fileURLToPath(new URL("../fixtures/csv/sample-standard-v4-25rows.csv", import.meta.url));
/** A data directory that does not exist: commands that must not touch it leave it so. */
const nowhere = () => ({ ESSFED_DATA: join(dir, `absent-${Math.random().toString(36).slice(2)}`) });

describe("essfed --help", () => {
  it("prints every command on stdout and exits 0, in each of its spellings.", async () => {
    const r = await essfed(nowhere(), "--help");
    expect({ code: r.code, stderr: r.stderr }).toEqual({ code: 0, stderr: "" });
    for (const name of NAMES) expect(r.stdout).toMatch(new RegExp(`^  ${name} +\\S`, "m"));
    for (const args of [["-h"], ["help"]]) expect(await inProcess(nowhere(), ...args)).toEqual({ ...r, code: 0 });
  });

  it("prints the usage on stderr and exits 64 without a command.", async () => {
    const r = await inProcess(nowhere());
    expect(r).toMatchObject({ code: 64, stdout: "", stderr: expect.stringContaining("usage: essfed COMMAND") });
  });

  it("refuses an unknown command or global option with the usage on stderr and exit 64.", async () => {
    const r = await essfed(nowhere(), "frobnicate");
    expect(r).toMatchObject({ code: 64, stdout: "", stderr: expect.stringContaining('unknown command "frobnicate"') });
    expect(r.stderr).toContain("usage: essfed COMMAND");
    for (const args of [["--frobnicate"], ["help", "frobnicate"]]) {
      const again = await inProcess(nowhere(), ...args);
      expect({ args, code: again.code, stdout: again.stdout }).toEqual({ args, code: 64, stdout: "" });
      expect(again.stderr).toMatch(/unknown (command|option)/);
      expect(again.stderr).toContain("usage: essfed COMMAND");
    }
  });

  it("prints the version.", async () => {
    const r = await inProcess(nowhere(), "--version");
    expect(r).toMatchObject({ code: 0, stdout: expect.stringMatching(/^essfed \d+\.\d+\.\d+ \(Node\.js 2\d\./) });
  });
});

describe("essfed COMMAND --help", () => {
  it("serve --help prints its usage and exits at once, starting no server (in a child process).", async () => {
    const env = nowhere();
    const r = await essfed(env, "serve", "--help");
    expect(r).toEqual({ code: 0, stdout: `${(await inProcess(env, "help", "serve")).stdout}`, stderr: "" });
    expect(existsSync(env.ESSFED_DATA)).toBe(false);
  });

  it.each(NAMES)("%s --help prints its usage and does nothing else.", async (name) => {
    const env = nowhere();
    for (const args of [
      [name, "--help"],
      [name, "-h"],
      ["help", name],
      [name, "--bogus", "--help"],
    ]) {
      const r = await inProcess(env, ...args);
      expect({ args, code: r.code, stderr: r.stderr }).toEqual({ args, code: 0, stderr: "" });
      expect(r.stdout.startsWith(`usage: essfed ${name}`)).toBe(true);
      for (const option of Object.keys(COMMANDS[name]!.options ?? {})) expect(r.stdout).toContain(`--${option}`);
      for (const arg of COMMANDS[name]!.args ?? []) expect(r.stdout).toContain(arg.name);
    }
    expect(existsSync(env.ESSFED_DATA)).toBe(false);
  });

  it("refuses an unknown option with exit 64, the usage on stderr and no stack trace (in a child process).", async () => {
    const env = nowhere();
    const r = await essfed(env, "serve", "--frobnicate");
    expect({ code: r.code, stdout: r.stdout }).toEqual({ code: 64, stdout: "" });
    expect(r.stderr).toContain("essfed serve: Unknown option '--frobnicate'");
    expect(r.stderr).toContain("usage: essfed serve");
    expect(r.stderr).not.toMatch(/\n\s+at /);
    expect(existsSync(env.ESSFED_DATA)).toBe(false);
  });

  it("names an unknown action as such, whether or not a NAME follows, with exit 64.", async () => {
    const env = nowhere();
    for (const args of [["frob"], ["frob", "bob"]]) {
      const r = await inProcess(env, "accounts", ...args);
      expect(r.code).toBe(64);
      expect(r.stderr).toContain('unknown action "frob": add, list, link or remove');
    }
    expect((await inProcess(env, "accounts", "add")).stderr).toContain("essfed accounts add needs a NAME");
  });

  it.each(NAMES)("%s refuses an unknown option with its usage on stderr and exit 64.", async (name) => {
    const env = nowhere();
    const r = await inProcess(
      env,
      name,
      ...(COMMANDS[name]!.args ?? []).map((a) => (a.name === "accept|reject" ? "accept" : "x")),
      "--frobnicate",
    );
    expect({ code: r.code, stdout: r.stdout }).toEqual({ code: 64, stdout: "" });
    expect(r.stderr).toContain(`essfed ${name}: Unknown option '--frobnicate'`);
    expect(r.stderr).toContain(`usage: essfed ${name}`);
    expect(existsSync(env.ESSFED_DATA)).toBe(false);
  });

  it("refuses a missing or extra argument, or a bad option value, with exit 64.", async () => {
    const cases: [string[], string][] = [
      [["follow"], "missing TARGET"],
      [["followers", "accept"], "missing ACTOR"],
      [["import"], "missing FILE"],
      [["status", "extra"], 'unexpected argument "extra"'],
      [["import", "a.csv", "b.csv"], 'unexpected argument "b.csv"'],
      [["follow", "acct:a@b.example", "--wait"], "argument missing"],
      [["follow", "acct:a@b.example", "--wait", "soon"], "--wait must be a number of seconds"],
      [["followers", "maybe", "https://a.example/actor"], "the answer must be accept or reject"],
      [["export", "--format", "xml"], "--format must be one of"],
    ];
    for (const [args, message] of cases) {
      const env = nowhere();
      const r = await inProcess(env, ...args);
      expect({ args, code: r.code }).toEqual({ args, code: 64 });
      expect(r.stderr).toContain(message);
      expect(existsSync(env.ESSFED_DATA)).toBe(false);
    }
  });
});

describe("A data directory that holds no instance", () => {
  const readers: string[][] = [
    ["status"],
    ["export"],
    ["import", CSV],
    ["follow", "https://a.example/actors/a", "--wait", "0"],
    ["unfollow", "https://a.example/actors/a"],
    ["followers", "accept", "https://a.example/actors/a"],
  ];

  it("is refused with exit 66 by a command run on it, which creates nothing (in a child process).", async () => {
    const empty = join(dir, "empty");
    mkdirSync(empty);
    const r = await essfed({ ESSFED_DATA: empty }, "status");
    expect(r).toEqual({ code: 66, stdout: "", stderr: expect.stringContaining(`${empty} holds no essfed instance`) });
    expect(r.stderr).toContain("essfed init");
    expect(readdirSync(empty)).toEqual([]);
  });

  it.each(readers.map((r) => [r[0]!, r]))(
    "is refused by %s (exit 66), which creates nothing in it.",
    async (_name, args) => {
      const empty = join(dir, `empty-${args[0]}`);
      mkdirSync(empty);
      const r = await inProcess({ ESSFED_DATA: empty }, ...args);
      expect(r.code).toBe(66);
      expect(r.stderr).toContain(`${empty} holds no essfed instance`);
      expect(readdirSync(empty)).toEqual([]);
      const absent = nowhere();
      expect((await inProcess(absent, ...args)).code).toBe(66);
      expect(existsSync(absent.ESSFED_DATA)).toBe(false);
    },
  );

  it("is made an instance by init, which a second init leaves as it was.", async () => {
    const env = { ESSFED_DATA: join(dir, "fresh"), ESSFED_URL: "https://fresh.example", ESSFED_HANDLE: "fresh" };
    const first = await inProcess(env, "init");
    expect(first).toMatchObject({
      code: 0,
      stdout: expect.stringContaining("Created the essfed instance https://fresh.example/actors/fresh"),
    });
    const again = await inProcess({ ESSFED_DATA: env.ESSFED_DATA }, "init");
    expect(again).toMatchObject({
      code: 0,
      stdout: expect.stringContaining("already here: https://fresh.example/actors/fresh"),
    });
    expect((await inProcess({ ESSFED_DATA: env.ESSFED_DATA }, "status")).stdout).toContain(
      "actor      https://fresh.example/actors/fresh",
    );
  });
});

describe("serve on a free port", () => {
  it("names the network it serves in quotes, not run into the program's name.", async () => {
    const inst = await spawnInstance("plain", { ESSFED_NAME: "essfed network" });
    try {
      expect(inst.log()).toContain(`essfed: "essfed network" on ${inst.base} (port `);
      expect(inst.log()).not.toContain("essfed essfed");
    } finally {
      await inst.destroy();
    }
  });
});

describe("serve on a taken port", () => {
  let blocker: Server | undefined;
  afterAll(() => {
    blocker?.close();
  });

  it("exits 69 with one line naming the port, instead of hanging.", async () => {
    const port = await freePort();
    blocker = createServer();
    await new Promise<void>((r) => blocker!.listen(port, "127.0.0.1", () => r()));
    const r = await essfed({ ESSFED_DATA: join(dir, "busy"), PORT: String(port), ESSFED_BIND: "127.0.0.1" }, "serve");
    expect(r.code).toBe(69);
    expect(r.stderr.trim().split("\n")).toEqual([
      `essfed serve: port ${port} on 127.0.0.1 is already in use: stop what uses it, or set PORT to another port`,
    ]);
  });
});

describe("The instance's stored identity", () => {
  const data = join(dir, "identity");
  const stored = { ESSFED_DATA: data, ESSFED_URL: "https://net.example", ESSFED_HANDLE: "net" };

  it("is recorded at init and used by every later command without ESSFED_URL or ESSFED_HANDLE.", async () => {
    expect((await inProcess(stored, "init")).code).toBe(0);
    const imported = await essfed({ ESSFED_DATA: data, PORT: "9999" }, "import", CSV);
    expect(imported.code).toBe(0);
    const status = JSON.parse((await inProcess({ ESSFED_DATA: data }, "status", "--json")).stdout) as {
      actor: string;
      url: string;
      handle: string;
    };
    expect(status).toMatchObject({
      actor: "https://net.example/actors/net",
      url: "https://net.example",
      handle: "net",
    });
    const nq = (await essfed({ ESSFED_DATA: data }, "export")).stdout;
    const subjects = new Set([...nq.matchAll(/^<([^>]+)>/gm)].map((m) => new URL(m[1]!).origin));
    expect(subjects).toEqual(new Set(["https://net.example"]));
  });

  it("refuses another ESSFED_URL with exit 78, naming both and how to move deliberately.", async () => {
    for (const command of [["serve"], ["status"], ["export"], ["init"], ["import", CSV]]) {
      const r = await (command[0] === "serve" ? essfed : inProcess)(
        { ...stored, ESSFED_URL: "https://elsewhere.example" },
        ...command,
      );
      expect({ command, code: r.code, stdout: r.stdout }).toEqual({ command, code: 78, stdout: "" });
      expect(r.stderr).toContain("ESSFED_URL is https://elsewhere.example, but the instance in");
      expect(r.stderr).toContain("is https://net.example");
      expect(r.stderr).toContain("to go on as https://net.example, unset ESSFED_URL");
      expect(r.stderr).toContain("essfed move-url https://elsewhere.example");
    }
  });

  it("refuses another ESSFED_HANDLE with exit 78, naming both and how to rename.", async () => {
    const r = await inProcess({ ...stored, ESSFED_HANDLE: "other" }, "status");
    expect(r.code).toBe(78);
    expect(r.stderr).toContain('ESSFED_HANDLE is "other"');
    expect(r.stderr).toContain('https://net.example/actors/net ("net")');
    expect(r.stderr).toContain('to go on as "net", unset ESSFED_HANDLE');
    expect(r.stderr).toContain("essfed move-url https://net.example --handle other");
  });

  it("is recorded for an instance made before identities were stored, once its records agree.", async () => {
    const env = {
      ESSFED_DATA: join(dir, "legacy"),
      ESSFED_URL: "https://old.example",
      ESSFED_HANDLE: "old",
      ESSFED_LOG_LEVEL: "error",
    };
    const made = await compose(loadConfig(env));
    await made.directory.upsert([{ id: made.iris.initiative("legacy-1"), name: "Legacy Co-op" }]);
    await made.store.kv.delete(IDENTITY_KEY);
    await made.close();
    const status = await inProcess({ ESSFED_DATA: env.ESSFED_DATA }, "status");
    expect(status).toMatchObject({ code: 78, stderr: expect.stringContaining("made by an older essfed") });
    const wrong = await inProcess({ ESSFED_DATA: env.ESSFED_DATA }, "init");
    expect(wrong.code).toBe(78);
    expect(wrong.stderr).toContain("records minted under https://old.example");
    expect(wrong.stderr).toContain("ESSFED_URL is http://localhost:8080 (the default)");
    expect((await inProcess(env, "init")).code).toBe(0);
    expect((await inProcess({ ESSFED_DATA: env.ESSFED_DATA }, "status")).stdout).toContain(
      "actor      https://old.example/actors/old",
    );
  });
});

describe("essfed move-url refusals", () => {
  const data = join(dir, "moving");

  it("refuses a bad URL (64), does nothing for the current one, and refuses when the old URL no longer reaches this server.", async () => {
    const old = `http://127.0.0.1:${await freePort()}`;
    expect((await inProcess({ ESSFED_DATA: data, ESSFED_URL: old, ESSFED_HANDLE: "mover" }, "init")).code).toBe(0);
    for (const bad of ["ftp://x.example", "https://x.example/sub"]) {
      expect(await inProcess({ ESSFED_DATA: data }, "move-url", bad)).toMatchObject({
        code: 64,
        stderr: expect.stringContaining("NEW_URL must"),
      });
    }
    expect(await inProcess({ ESSFED_DATA: data }, "move-url", old)).toMatchObject({
      code: 0,
      stdout: expect.stringContaining("nothing to move"),
    });
    const port = await freePort();
    const r = await inProcess(
      { ESSFED_DATA: data, PORT: String(port), ESSFED_BIND: "127.0.0.1" },
      "move-url",
      `http://localhost:${port}`,
    );
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(`the old URL ${old} does not reach this server on port ${port}`);
    expect(r.stderr).toContain("Followers check a Move with the old actor's key");
    expect((await inProcess({ ESSFED_DATA: data }, "status")).stdout).toContain(`actor      ${old}/actors/mover`);
  });

  it("leaves every command refusing an instance whose move was interrupted, naming the command that finishes it.", async () => {
    const made = await compose(loadConfig({ ESSFED_DATA: data, ESSFED_LOG_LEVEL: "error" }), { create: false });
    const from = { url: made.identity.url, handle: "mover" };
    await made.store.kv.set(MOVE_KEY, {
      from,
      to: { url: "https://new.example", handle: "renamed" },
      started: new Date().toISOString(),
    });
    await made.close();
    const r = await inProcess({ ESSFED_DATA: data }, "status");
    expect(r.code).toBe(78);
    expect(r.stderr).toContain(
      "was interrupted; finish it (every essfed process stopped) with: essfed move-url https://new.example " +
        "--handle renamed",
    );
  });
});

describePostgres("The stored identity and the refusal of an empty database on PostgreSQL", () => {
  const schema = randomSchema("cli");
  const env = { DATABASE_URL: databaseUrl(schema), ESSFED_DATA: join(dir, "unused") };
  afterAll(() => dropSchema(schema));

  it("refuses a schema that holds no instance without creating it, then records and checks the identity in it.", async () => {
    const r = await inProcess(env, "status");
    expect(r).toMatchObject({
      code: 66,
      stderr: expect.stringContaining(`the PostgreSQL database (schema ${schema}) holds no essfed instance`),
    });
    const pool = new pg.Pool({ connectionString: POSTGRES_URL, max: 1 });
    try {
      expect(
        (await pool.query("SELECT 1 FROM information_schema.schemata WHERE schema_name = $1", [schema])).rowCount,
      ).toBe(0);
    } finally {
      await pool.end();
    }
    expect((await inProcess({ ...env, ESSFED_URL: "https://pg.example", ESSFED_HANDLE: "pg" }, "init")).code).toBe(0);
    expect((await inProcess(env, "status")).stdout).toContain("actor      https://pg.example/actors/pg");
    const other = await inProcess({ ...env, ESSFED_URL: "https://other.example" }, "status");
    expect(other).toMatchObject({
      code: 78,
      stderr: expect.stringContaining(
        "ESSFED_URL is https://other.example, but the instance in the PostgreSQL database",
      ),
    });
    expect(existsSync(env.ESSFED_DATA)).toBe(false);
  });
});
