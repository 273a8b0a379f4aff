/**
 * The image, checked without a Docker daemon: the Dockerfile is parsed, and its start command is
 * run here the way the image would run it — as the image's unprivileged user (uid and gid from the
 * Dockerfile, through setpriv when the tests run as root), with the image's environment, against a
 * data directory owned and moded as the Dockerfile sets /data — until the store exists and the
 * image's HEALTHCHECK command passes against it. The build context's .dockerignore is checked too.
 */
import { execFile, spawn, type ChildProcess } from "node:child_process";
import { chmodSync, chownSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, describe, expect, it, jest } from "@jest/globals";
import { DockerfileParser, type Instruction } from "dockerfile-ast";
import { freePort } from "../support/process.ts";

jest.setTimeout(180_000);

const ROOT = fileURLToPath(new URL("../..", import.meta.url));
const dockerfile = DockerfileParser.parse(readFileSync(join(ROOT, "Dockerfile"), "utf8"));
/** The instructions of the last stage: what the image is made of. */
const final = (() => {
  const all = dockerfile.getInstructions();
  const from = all
    .map((i, n) => (i.getKeyword() === "FROM" ? n : -1))
    .filter((n) => n >= 0)
    .at(-1)!;
  return all.slice(from);
})();
const of = (keyword: string): Instruction[] => final.filter((i) => i.getKeyword() === keyword);
const text = (i: Instruction) => i.getArgumentsContent() ?? "";
const runs = of("RUN").map(text).join("\n");
const args = Object.fromEntries(of("ARG").map((i) => text(i).split("=") as [string, string]));
const expand = (s: string) => s.replace(/"?\$\{(\w+)\}"?/g, (_m, k: string) => args[k] ?? "");

const uid = Number(expand(/useradd\b[^\n]*?--uid\s+(\S+)/.exec(runs)?.[1] ?? ""));
const gid = Number(expand(/groupadd\b[^\n]*?--gid\s+(\S+)/.exec(runs)?.[1] ?? ""));
const user = text(of("USER").at(-1)!).split(":")[0]!;
const env: Record<string, string> = {};
for (const i of of("ENV")) {
  for (const m of text(i).matchAll(/(\w+)=(\S+)/g)) env[m[1]!] = m[2]!;
}
const workdir = text(of("WORKDIR").at(-1)!);
const cmd = JSON.parse(text(of("CMD").at(-1)!)) as string[];
const healthcheck = (() => {
  const t = text(of("HEALTHCHECK").at(-1)!);
  return JSON.parse(t.slice(t.indexOf("["))) as string[];
})();

const dir = mkdtempSync(join(tmpdir(), "essfed-image-"));
chmodSync(dir, 0o755);
const children: ChildProcess[] = [];
afterAll(() => {
  for (const c of children) if (c.exitCode === null) c.kill("SIGKILL");
  rmSync(dir, { recursive: true, force: true });
});

/** The image's paths on this machine: the checkout stands for WORKDIR, `data` for the volume. */
function local(value: string, data: string): string {
  return value
    .replaceAll("$PATH", process.env.PATH ?? "")
    .replaceAll(workdir, ROOT)
    .replace(/^\/data$/, data);
}
const asRoot = process.getuid?.() === 0;
/** Runs `argv` as the image's user with the image's environment (here, as this user when not root). */
function asImageUser(argv: string[], environment: Record<string, string>): ChildProcess {
  const [file, ...rest] = asRoot
    ? ["setpriv", `--reuid=${uid}`, `--regid=${gid}`, "--clear-groups", "--", ...argv]
    : argv;
  const child = spawn(file!, rest, { cwd: ROOT, env: environment, stdio: ["ignore", "pipe", "pipe"] });
  children.push(child);
  return child;
}

describe("The Dockerfile", () => {
  it("runs essfed as an unprivileged user with a fixed uid that owns the data volume.", () => {
    expect(user).not.toMatch(/^(root|0)$/);
    expect(uid).toBeGreaterThanOrEqual(1000);
    expect(gid).toBe(uid);
    expect(runs).toMatch(new RegExp(`useradd\\b[^\\n]*\\b${user}\\b`));
    expect(runs).toMatch(new RegExp(`chown ${user}:${user} /data`));
    expect(of("VOLUME").map(text)).toEqual(['["/data"]']);
    expect(env.ESSFED_DATA).toBe("/data");
    // The pinned Node (ADR 9) is the image's only Node, and first on PATH.
    expect(env.PATH!.startsWith(`${workdir}/node_modules/.bin:`)).toBe(true);
    expect(cmd).toEqual(["node", "bin/essfed.js", "serve"]);
    expect(healthcheck[0]).toBe("node");
    // Liveness asks /healthz, which needs no database.
    expect(healthcheck.join(" ")).toContain("/healthz`");
  });

  it("has a .dockerignore that keeps dependencies, data and secrets out of the build context, and not what the image copies.", () => {
    const ignored = readFileSync(join(ROOT, ".dockerignore"), "utf8")
      .split("\n")
      .map((l) => l.trim())
      .filter((l) => l && !l.startsWith("#"));
    for (const p of ["**/node_modules", ".git", "data", "**/*.sqlite", "**/.env"]) expect(ignored).toContain(p);
    const copied = of("COPY")
      .filter((i) => !/--from/.test(i.getTextContent()))
      .flatMap((i) => text(i).split(/\s+/).slice(0, -1));
    expect(copied.length).toBeGreaterThan(0);
    for (const source of copied) {
      expect(existsSync(join(ROOT, source))).toBe(true);
      expect(ignored).not.toContain(source);
    }
  });

  it("starts as the image's user on a volume owned as the image sets it: the store is created and the health check passes.", async () => {
    const data = join(dir, "data");
    mkdirSync(data);
    const mode = Number.parseInt(/chmod (\d+) \/data/.exec(runs)?.[1] ?? "755", 8);
    if (asRoot) chownSync(data, uid, gid);
    chmodSync(data, mode);
    const port = await freePort();
    const environment: Record<string, string> = { HOME: data, ESSFED_LOG_LEVEL: "warning" };
    for (const [k, v] of Object.entries(env)) environment[k] = local(v, data);
    environment.PORT = String(port);
    environment.ESSFED_BIND = "127.0.0.1";

    const server = asImageUser(cmd, environment);
    let output = "";
    server.stdout!.on("data", (d: Buffer) => {
      output += d.toString();
    });
    server.stderr!.on("data", (d: Buffer) => {
      output += d.toString();
    });
    await new Promise<void>((resolve, reject) => {
      server.stdout!.on("data", () => {
        if (output.includes(" on http://")) resolve();
      });
      server.once("exit", (code) => reject(new Error(`the server exited with ${code}:\n${output}`)));
    });
    const store = statSync(join(data, "essfed.sqlite"));
    expect({ uid: store.uid, gid: store.gid }).toEqual(
      asRoot ? { uid, gid } : { uid: process.getuid!(), gid: process.getgid!() },
    );

    const check = asImageUser(healthcheck, environment);
    const [code] = await new Promise<[number | null]>((r) => check.once("exit", (c) => r([c])));
    expect(code).toBe(0);

    server.kill("SIGTERM");
    const [exit] = await new Promise<[number | null]>((r) => server.once("exit", (c) => r([c])));
    expect(exit).toBe(0);
  });
});

// Only root can hand a directory to another user and run as that user.
(asRoot ? describe : describe.skip)("The image on a volume that belongs to someone else", () => {
  it("fails with one clear line, not a stack trace.", async () => {
    const data = join(dir, "root-owned");
    mkdirSync(data, { mode: 0o755 });
    const environment: Record<string, string> = {
      HOME: data,
      ESSFED_LOG_LEVEL: "warning",
      PORT: String(await freePort()),
      ESSFED_BIND: "127.0.0.1",
    };
    for (const [k, v] of Object.entries(env)) if (k !== "PORT") environment[k] = local(v, data);
    const { code, stderr } = await new Promise<{ code: number | null; stderr: string }>((resolve) => {
      const [file, ...rest] = ["setpriv", `--reuid=${uid}`, `--regid=${gid}`, "--clear-groups", "--", ...cmd];
      execFile(file, rest, { cwd: ROOT, env: environment }, (e, _out, err) =>
        resolve({ code: e ? Number(e.code) : 0, stderr: err }),
      );
    });
    expect(code).toBe(73);
    expect(stderr.trim().split("\n")).toEqual([
      expect.stringContaining(
        `essfed serve: cannot write to the data directory ${data} (owned by uid 0; essfed runs as uid ${uid})`,
      ),
    ]);
    expect(existsSync(join(data, "essfed.sqlite"))).toBe(false);
  });
});
