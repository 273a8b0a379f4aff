/**
 * `essfed import` and `essfed export` as a user runs them: a temporary data directory, exit codes,
 * the report and progress on stderr. What only a process shows (exit 0 of the real bin/essfed.js,
 * stopping quietly when its reader goes away) runs in a child process; the other cases call the
 * same `main()` in this process, since starting Node for each took most of this file's time.
 */
import { execFile, spawn } from "node:child_process";
import { once } from "node:events";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import { main } from "../../src/cli/main.ts";
import { Parser } from "n3";
import { V4_COLUMNS } from "../../src/importers/csv/columns.ts";
import { csvLine, generateRow, rng } from "../../bench/generate.ts";

const run = promisify(execFile);
const BIN = fileURLToPath(new URL("../../bin/essfed.js", import.meta.url));
const fixture = (name: string) => fileURLToPath(new URL(`../fixtures/csv/${name}`, import.meta.url));
const dir = mkdtempSync(join(tmpdir(), "essfed-cli-"));
const env = { PATH: process.env.PATH ?? "", ESSFED_DATA: join(dir, "data"), ESSFED_LOG_LEVEL: "error" };
afterAll(() => rmSync(dir, { recursive: true, force: true }));

interface Result {
  code: number;
  stdout: string;
  stderr: string;
}
/** The command line through `main()` in this process; rejects like execFile when the code is not 0. */
async function essfed(...args: string[]): Promise<Result> {
  const out: string[] = [],
    err: string[] = [];
  const code = await main(args, { out: (l) => out.push(l), err: (l) => err.push(l), env });
  const r = { code, stdout: out.map((l) => `${l}\n`).join(""), stderr: err.map((l) => `${l}\n`).join("") };
  if (code !== 0) throw Object.assign(new Error(`essfed ${args.join(" ")} exited with ${code}`), r);
  return r;
}
// Commands other than init and serve refuse a data directory that holds no instance.
beforeAll(() => essfed("init"), 60_000);

describe("essfed import and export", () => {
  it("imports a spreadsheet, reports it, and exits 0 (in a child process).", async () => {
    const { stdout } = await run(
      process.execPath,
      [BIN, "import", fixture("workers-coops-uk-2023-06-23-standard.csv")],
      { env },
    );
    expect(stdout).toContain("(SEA standard v4), 387 read");
    expect(stdout).toContain("387 created, 0 updated, 0 unchanged, 0 refused");
  }, 120_000);

  it("exits 1 and lists each refused row with row, column and reason, importing the rest; a bad optional value is a warning.", async () => {
    const file = join(dir, "bad.csv");
    writeFileSync(
      file,
      [
        V4_COLUMNS.join(","),
        ["x1", "Fine Co-op"].join(",") + ",".repeat(23),
        ["x2", "Far North"].join(",") + ",".repeat(19) + "91,0,,,",
        ["x3", ""].join(",") + ",".repeat(23),
      ].join("\n"),
    );
    const err = await essfed("import", file).then(
      () => undefined,
      (e: { code: number; stdout: string; stderr: string }) => e,
    );
    expect(err?.code).toBe(1);
    expect(err?.stdout).toContain("2 created, 0 updated, 0 unchanged, 1 refused");
    expect(err?.stderr).toContain(
      'warning: row 3 [x2] column "Latitude": address.lat must be between -90 and 90; left out (got "91")',
    );
    expect(err?.stderr).toContain('refused: row 4 [x3] column "Name": name is required');
  });

  it("reads a CSV on a second thread or on its own as --thread says, with the same report, and refuses another value.", async () => {
    const file = fixture("workers-coops-uk-2023-06-23-standard.csv");
    const data = (name: string) => ({ ...env, ESSFED_DATA: join(dir, name) });
    const reports: string[] = [];
    for (const thread of ["on", "off"]) {
      const out: string[] = [];
      const io = { out: (l: string) => out.push(l), err: () => undefined, env: data(`thread-${thread}`) };
      expect(await main(["init"], io)).toBe(0);
      expect(await main(["import", "--thread", thread, file], io)).toBe(0);
      reports.push(out.find((l) => l.includes(" read in "))!.replace(/read in [\d.]+ s/, "read"));
    }
    expect(reports[0]).toContain("387 created, 0 updated, 0 unchanged, 0 refused");
    expect(reports[1]).toBe(reports[0]);
    await expect(essfed("import", "--thread", "sometimes", file)).rejects.toMatchObject({
      code: 64,
      stderr: expect.stringContaining("--thread must be one of on, off, auto"),
    });
  }, 120_000);

  it("exits 2 on a file it cannot read as CSV at all.", async () => {
    const file = join(dir, "nonsense.csv");
    writeFileSync(file, "a,b\n1,2\n");
    await expect(essfed("import", file)).rejects.toMatchObject({
      code: 2,
      stderr: expect.stringContaining("missing columns Identifier, Name"),
    });
  });

  it("gives the reasons in another language with --lang, the same ones in English without it, and refuses an unknown one.", async () => {
    const file = join(dir, "bad-lang.csv");
    writeFileSync(
      file,
      [
        V4_COLUMNS.join(","),
        ["y2", "Far North"].join(",") + ",".repeat(19) + "91,0,,,",
        ["y3", ""].join(",") + ",".repeat(23),
      ].join("\n"),
    );
    const failed = (args: string[]) =>
      essfed(...args).then(
        () => undefined,
        (e: { code: number; stdout: string; stderr: string }) => e,
      );
    const fr = await failed(["import", "--lang", "fr", "--dry-run", file]);
    expect(fr?.code).toBe(1);
    expect(fr?.stderr).toContain(
      'warning: row 2 [y2] column "Latitude": address.lat doit être compris entre -90 et 90 ; écarté',
    );
    expect(fr?.stderr).toContain('refused: row 3 [y3] column "Name": name est obligatoire');
    const en = await failed(["import", "--dry-run", file]);
    expect(en?.stderr).toContain("address.lat must be between -90 and 90; left out");
    // A file that cannot be read says why in the language asked for too.
    const nonsense = join(dir, "nonsense-lang.csv");
    writeFileSync(nonsense, "a,b\n1,2\n");
    const es = await failed(["import", "--lang", "es", nonsense]);
    expect(es).toMatchObject({ code: 2, stderr: expect.stringContaining("faltan las columnas Identifier, Name") });
    expect(await failed(["import", "--lang", "xx", file])).toMatchObject({
      code: 64,
      stderr: expect.stringContaining("--lang must be one of en, fr, es, pt"),
    });
  });

  it("exports Turtle to a file that parses, holding what was imported.", async () => {
    const out = join(dir, "out.ttl");
    await essfed("export", "--format", "turtle", "--output", out);
    const quads = new Parser({ format: "text/turtle" }).parse(readFileSync(out, "utf8"));
    expect(quads.some((q) => q.object.value === "Metro-Boulot-Dodo")).toBe(true);
  });

  it("exits 1 naming the file when the output cannot be written.", async () => {
    await expect(essfed("export", "--output", join(dir, "no-such-dir", "out.nq"))).rejects.toMatchObject({
      code: 1,
      stderr: expect.stringMatching(/cannot write .*no-such-dir.*ENOENT/),
    });
  });

  it("refuses an unknown export format as a usage error (exit code 64).", async () => {
    await expect(essfed("export", "--format", "xml")).rejects.toMatchObject({
      code: 64,
      stderr: expect.stringContaining("--format must be one of"),
    });
  });

  it("shows progress on long files.", async () => {
    const file = join(dir, "long.csv");
    const r = rng(7);
    writeFileSync(
      file,
      [V4_COLUMNS.join(","), ...Array.from({ length: 60_000 }, (_, k) => csvLine(generateRow(k, r), k))].join("\n"),
    );
    const { stdout, stderr } = await essfed("import", file);
    expect(stdout).toContain("60000 created");
    expect(stderr).toMatch(/\d[\d,]* rows read \(\d[\d,]* rows\/s\)/);
    // The command returns with the search index up to date, not leaving that to the server's first search.
    expect(stdout).toMatch(/search index up to date/);
  }, 180_000);

  it("stops quietly with exit 0 when the reader of its output goes away (essfed export | head, in a child process).", async () => {
    // The store holds the 60,000 rows imported above: far more than a pipe buffers.
    const child = spawn(process.execPath, [BIN, "export"], { env, stdio: ["ignore", "pipe", "pipe"] });
    child.stdout.destroy();
    let stderr = "";
    child.stderr.on("data", (d: Buffer) => {
      stderr += d.toString();
    });
    const [code] = (await once(child, "exit")) as [number];
    expect({ code, stderr }).toEqual({ code: 0, stderr: "" });
  }, 120_000);
});
