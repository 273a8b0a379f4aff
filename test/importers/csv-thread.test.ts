/**
 * A CSV read and checked on a worker thread imports exactly what one read on the writing thread
 * does: the same report (refusals and warnings with row, column and record, ignored columns,
 * the version, a fatal error and the rows before it) and the same stored records, in batches
 * smaller than the file so that the worker waits for the writer.
 */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import { loadConfig } from "../../src/config.ts";
import { compose, type Instance } from "../../src/compose.ts";
import { V4_COLUMNS } from "../../src/importers/csv/columns.ts";
import { bufferSource, fileSource, importSource, type ImportReport } from "../../src/importers/import.ts";
import { readsOnThread, THREAD_BATCH, THREAD_MIN_BYTES } from "../../src/importers/csv-thread.ts";
import { csvLine, generateRow, rng } from "../../bench/generate.ts";

const dir = mkdtempSync(join(tmpdir(), "essfed-csv-thread-"));
let here: Instance;
let there: Instance;
const open = (name: string) =>
  compose(loadConfig({ ESSFED_DATA: join(dir, name), ESSFED_LOG_LEVEL: "error", ESSFED_URL: "https://here.example" }));

const row = (cells: Partial<Record<(typeof V4_COLUMNS)[number] | "Colour", string>>, header: string[]) =>
  header.map((c) => (cells as Record<string, string>)[c] ?? "").join(",");

/** Generated rows with, among them, every kind of trouble a reader reports. */
function mixed(n: number, tail = ""): string {
  const header = [...V4_COLUMNS, "Colour"];
  const r = rng(3);
  const lines = Array.from({ length: n }, (_, k) => `${csvLine(generateRow(k, r), k)},${k % 7 ? "" : "blue"}`);
  lines[10] = row({ Identifier: "no-name" }, header);
  lines[20] = row({ Identifier: "bad lat", Name: "Bad Lat" }, header);
  lines[30] = row({ Identifier: "far", Name: "Far North", Latitude: "91", Longitude: "0" }, header);
  lines[40] = row({ Identifier: "G5", Name: "Twice" }, header);
  lines[50] = row({ Identifier: "mail", Name: "Mail", Email: "not-an-email", Website: "nope" }, header);
  lines[60] = row({ Identifier: "https://other.example/initiatives/x1", Name: "From elsewhere" }, header);
  return [header.join(","), ...lines].join("\n") + "\n" + tail;
}

/** Imports `text` both ways; `asFile`: the worker reads it from a file itself. */
async function both(text: string, batchSize: number, asFile = false): Promise<[ImportReport, ImportReport]> {
  const o = { format: "csv" as const, batchSize };
  const path = join(dir, "x.csv");
  if (asFile) writeFileSync(path, text);
  return Promise.all([
    importSource(asFile ? fileSource(path) : bufferSource("x.csv", text), here.directory, here.iris, {
      ...o,
      thread: true,
    }),
    importSource(bufferSource("x.csv", text), there.directory, there.iris, { ...o, thread: false }),
  ]);
}

const stored = async (i: Instance) =>
  (await i.store.listInitiatives({ limit: 10_000 })).items
    .map((r) => ({ initiative: r.initiative, version: r.version }))
    .sort((a, b) => (a.initiative.id < b.initiative.id ? -1 : 1));

beforeAll(async () => {
  [here, there] = await Promise.all([open("here"), open("there")]);
});
afterAll(async () => {
  await Promise.all([here?.close(), there?.close()]);
  rmSync(dir, { recursive: true, force: true });
});

describe("Reading a CSV on a worker thread", () => {
  it("reports and stores what reading it on the writing thread does.", async () => {
    const [threaded, plain] = await both(mixed(3000), 250);
    expect(threaded.created).toBe(2997);
    expect(threaded.refused.map((i) => [i.row, i.column, i.message])).toEqual(
      expect.arrayContaining([
        [12, "Name", "name is required"],
        [42, "Identifier", "appears again (first at row 7)"],
      ]),
    );
    expect(threaded.warnings.map((i) => [i.row, i.record, i.column])).toEqual(
      expect.arrayContaining([
        [32, "far", "Latitude"],
        [52, "mail", "Email"],
      ]),
    );
    expect(threaded.ignored).toEqual([{ column: "Colour", rows: 429 }]);
    expect(threaded).toEqual(plain);
    expect(await stored(here)).toEqual(await stored(there));
  });

  it("reports a re-import as unchanged, and a file that breaks off with the rows before it imported.", async () => {
    const [again, againPlain] = await both(mixed(3000), 400, true);
    expect(again.unchanged).toBe(2997);
    expect(again).toEqual(againPlain);
    const [broken, brokenPlain] = await both(mixed(1200) + 'late,"Unclosed quote,,,\n', 100);
    expect(broken.fatal?.message).toMatch(/CSV syntax error/);
    expect(broken).toEqual(brokenPlain);
  });

  it("writes in batches of THREAD_BATCH records even when the batch size is given as undefined.", async () => {
    const progress: number[] = [];
    const text = mixed(THREAD_BATCH / 4);
    await importSource(bufferSource("x.csv", text), here.directory, here.iris, {
      format: "csv",
      thread: true,
      batchSize: undefined,
      onProgress: (n) => progress.push(n),
    });
    expect(progress).toEqual([THREAD_BATCH / 4]);
  });
});

describe("Whether an import reads on a worker thread", () => {
  it("does for a large CSV on two cores or more, unless told otherwise, and never for other formats.", () => {
    const large = { size: THREAD_MIN_BYTES };
    expect(readsOnThread("csv", large, {}, 2)).toBe(true);
    expect(readsOnThread("csv", large, {}, 1)).toBe(false);
    expect(readsOnThread("csv", large, { thread: false }, 2)).toBe(false);
    expect(readsOnThread("csv", { size: THREAD_MIN_BYTES - 1 }, {}, 2)).toBe(false);
    expect(readsOnThread("csv", {}, {}, 2)).toBe(false);
    expect(readsOnThread("csv", { size: 10 }, { thread: true }, 1)).toBe(true);
    expect(readsOnThread("geojson", large, { thread: true }, 2)).toBe(false);
  });
});
