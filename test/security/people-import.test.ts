/**
 * Hostile uploads to the console's import: from someone not signed in, without the session's token
 * or from another site, larger than the limit (announced or not), not a form, a workbook renamed
 * .csv, someone else's import. Each is refused with nothing written to the directory and no file
 * kept, while an ordinary request made alongside is answered.
 */
import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import { readFileSync, readdirSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { join } from "node:path";
import { startInstance, type TestInstance } from "../support/instance.ts";
import { personOf, post, type Person } from "../support/console.ts";
import { importJob, upload } from "../support/upload.ts";
import { LOCAL_SOURCE } from "../../src/store/records.ts";

const SAMPLE = readFileSync(
  fileURLToPath(new URL("../fixtures/csv/sample-standard-v4-25rows.csv", import.meta.url)),
  "utf8",
);
/** The header and first data row of a SEA standard file. */
const CSV =
  SAMPLE.split(/\r?\n(?=R\d)/)
    .slice(0, 2)
    .join("\n") + "\n";
const LIMIT = 32 * 1024 * 1024;

let inst: TestInstance;
let ana: Person;
let bea: Person;
beforeAll(async () => {
  inst = await startInstance();
  ana = await personOf(inst, "ana", "editor");
  bea = await personOf(inst, "bea", "editor");
}, 60_000);
afterAll(async () => {
  await inst?.stop();
});

const ordinary = () => fetch(`${inst.base}/`).then((r) => r.status);
const kept = () => {
  try {
    return readdirSync(join(inst.dir, "uploads")).length;
  } catch {
    return 0;
  }
};
const count = () => inst.store.countInitiatives(LOCAL_SOURCE);

describe("A hostile upload to the console's import", () => {
  it("from someone not signed in is refused, and no file is kept.", async () => {
    const body = new FormData();
    body.set("file", new Blob([CSV]), "x.csv");
    const [res, other] = await Promise.all([
      fetch(`${inst.base}/console/import`, { method: "POST", body, headers: { accept: "application/json" } }),
      ordinary(),
    ]);
    expect(res.status).toBe(403);
    expect(res.headers.get("content-type")).toContain("application/problem+json");
    expect(((await res.json()) as { code: string }).code).toBe("unauthorized");
    expect(other).toBe(200);
    expect(kept()).toBe(0);
  });

  it("without the session's token is refused (403), and no file is kept.", async () => {
    const [res, other] = await Promise.all([upload(inst, ana, "x.csv", CSV, { csrf: "" }), ordinary()]);
    expect(res.status).toBe(403);
    expect(other).toBe(200);
    expect(kept()).toBe(0);
  });

  it("from another site, even with the token, is refused.", async () => {
    const res = await upload(inst, ana, "x.csv", CSV, { headers: { origin: "https://evil.example" } });
    expect(res.status).toBe(403);
    expect(kept()).toBe(0);
  });

  it("announcing more than the limit is refused (413) before it is read.", async () => {
    const [res, other] = await Promise.all([
      fetch(`${inst.base}/console/import`, {
        method: "POST",
        headers: {
          cookie: ana.cookie,
          "content-type": "multipart/form-data; boundary=x",
          "content-length": String(LIMIT * 4),
        },
        body: "--x\r\n",
        redirect: "manual",
      }).catch((e: Error) => e),
      ordinary(),
    ]);
    // The server answers at once; a client still sending may instead see the connection closed.
    if (res instanceof Response) expect(res.status).toBe(413);
    expect(other).toBe(200);
    expect(kept()).toBe(0);
  });

  it("larger than the limit without saying so (chunked) is refused (413), and nothing is kept.", async () => {
    // A multipart body streamed without a length, three times the limit: were the server to read it
    // all, it would take the file (a 303 and a kept upload) instead of refusing it.
    const head = new TextEncoder().encode(
      `--b\r\ncontent-disposition: form-data; name="_csrf"\r\n\r\n${ana.csrf}\r\n--b\r\ncontent-disposition: ` +
        `form-data; name="file"; filename="big.csv"\r\ncontent-type: text/csv\r\n\r\n`,
    );
    const piece = new Uint8Array(1024 * 1024).fill(65);
    let sent = 0;
    const body = new ReadableStream<Uint8Array>({
      pull(c) {
        if (sent === 0) c.enqueue(head);
        if (sent >= 3 * LIMIT) return c.close();
        sent += piece.length;
        c.enqueue(piece);
      },
    });
    const res = await fetch(`${inst.base}/console/import`, {
      method: "POST",
      redirect: "manual",
      body,
      duplex: "half",
      headers: { cookie: ana.cookie, accept: "text/html", "content-type": "multipart/form-data; boundary=b" },
    } as RequestInit).catch((e: Error) => e);
    // Refused once the limit is passed: the answer, or (when the client is still sending) a closed connection.
    if (res instanceof Response) {
      expect(res.status).toBe(413);
      expect(await res.text()).toContain("larger than 32 MB");
    }
    expect(await ordinary()).toBe(200);
    expect(kept()).toBe(0);
    expect(await count()).toBe(0);
  });

  it("that is not a form is refused (415).", async () => {
    const res = await fetch(`${inst.base}/console/import`, {
      method: "POST",
      headers: { cookie: ana.cookie, "content-type": "text/csv", accept: "application/json" },
      body: CSV,
    });
    expect(res.status).toBe(415);
    expect(kept()).toBe(0);
  });

  it("that is a workbook renamed .csv is named as such, and nothing is written.", async () => {
    // A ZIP container (what .xlsx files are), as spreadsheet programs save them.
    const zip = new Uint8Array([0x50, 0x4b, 0x03, 0x04, ...new Array<number>(200).fill(0)]);
    const res = await upload(inst, ana, "members.csv", zip);
    expect(res.status).toBe(303);
    const id = /([A-Za-z0-9_-]{16})$/.exec(res.headers.get("location")!)![1]!;
    const page = await importJob(inst, ana, id, "failed");
    expect(page).toContain("This file could not be imported.");
    expect(page).toMatch(/spreadsheet|workbook|xlsx/i);
    expect(await count()).toBe(0);
  });

  it("of someone else's import cannot be seen, followed or confirmed by another person.", async () => {
    const res = await upload(inst, ana, "ana.csv", CSV);
    const id = /([A-Za-z0-9_-]{16})$/.exec(res.headers.get("location")!)![1]!;
    await importJob(inst, ana, id, "checked");
    expect((await fetch(`${inst.base}/console/import/${id}`, { headers: { cookie: bea.cookie } })).status).toBe(404);
    expect((await fetch(`${inst.base}/console/import/${id}/status`, { headers: { cookie: bea.cookie } })).status).toBe(
      404,
    );
    expect((await post(inst, bea, `/console/import/${id}/confirm`, {})).status).toBe(404);
    expect(await count()).toBe(0);
    // Nor can a made-up or malformed job name reach a file.
    expect(
      (await fetch(`${inst.base}/console/import/..%2F..%2Fstore`, { headers: { cookie: ana.cookie } })).status,
    ).toBe(404);
  });
});
