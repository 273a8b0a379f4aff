/**
 * Hostile cases for duplicates: deciding without the admin token, deciding a pair that does not
 * exist, malformed and oversized bodies and parameters (400/401/404/413 problem+json, nothing
 * written), huge names, and many records sharing one blocking key (bounded fan-out).
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import { compose, type Instance } from "../../src/compose.ts";
import { loadConfig } from "../../src/config.ts";
import { DuplicateFinder } from "../../src/duplicates/finder.ts";
import { ADMIN_TOKEN, auth } from "../support/instance.ts";
import { freePort } from "../support/process.ts";
import { listing } from "../contract/duplicates.contract.ts";

const YORK = "https://york.example/actors/network";
let inst: Instance & { base: string };
let dir: string;
const A = "https://york.example/initiatives/a";
const B = "https://york.example/initiatives/b";

beforeAll(async () => {
  // No worker: the test runs the finder itself, to see its figures.
  dir = mkdtempSync(join(tmpdir(), "essfed-dups-"));
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  inst = Object.assign(
    await compose(
      loadConfig({
        PORT: String(port),
        ESSFED_BIND: "127.0.0.1",
        ESSFED_URL: base,
        ESSFED_DATA: dir,
        ESSFED_ADMIN_TOKEN: ADMIN_TOKEN,
        ESSFED_LOG_LEVEL: "error",
      }),
    ),
    { base },
  );
  await inst.listen();
  await inst.store.putInitiatives([
    listing(A, "Green Bay Projects", {}, YORK),
    listing(B, "Green Bay Projects Ltd", {}, YORK),
  ]);
  await new DuplicateFinder(inst.store).catchUp();
});
afterAll(async () => {
  await inst.close();
  rmSync(dir, { recursive: true, force: true });
});

const post = (verb: string, body: string, headers: Record<string, string> = auth) =>
  fetch(`${inst.base}/api/duplicates/${verb}`, {
    method: "POST",
    headers: { ...headers, "content-type": "application/json" },
    body,
  });
/** Nothing decided and nothing in the audit log. */
const untouched = async () => {
  expect((await inst.store.duplicates.getPair(A, B))!.state).toBe("candidate");
  expect((await inst.store.audit.list({ limit: 5, actionPrefix: "duplicate." })).items).toEqual([]);
};
const problem = async (res: Response, status: number) => {
  expect(res.status).toBe(status);
  expect(res.headers.get("content-type")).toMatch(/^application\/problem\+json/);
  return (await res.json()) as { code: string };
};

describe("Deciding on duplicates", () => {
  it.each([
    ["no token", {}],
    ["a wrong token", { Authorization: "Bearer not-the-admin-token-at-all" }],
    ["a session-less cookie", { Cookie: "essfed_session=forged" }],
  ])("is refused with %s (401), for listing and deciding.", async (_what, headers) => {
    await problem(await post("confirm", JSON.stringify({ a: A, b: B }), headers), 401);
    await problem(await fetch(`${inst.base}/api/duplicates`, { headers }), 401);
    await untouched();
  });

  it("refuses a pair the finder never found (404), and a record paired with itself (400).", async () => {
    expect(
      (await problem(await post("confirm", JSON.stringify({ a: A, b: "https://york.example/initiatives/zzz" })), 404))
        .code,
    ).toBe("not-found");
    expect((await problem(await post("reject", JSON.stringify({ a: A, b: A })), 400)).code).toBe("invalid-pair");
    await untouched();
  });

  it.each([
    ["not an IRI", JSON.stringify({ a: "green bay", b: B })],
    ["a javascript: IRI", JSON.stringify({ a: "javascript:alert(1)", b: B })],
    ["an IRI of 5000 characters", JSON.stringify({ a: `https://york.example/${"x".repeat(5000)}`, b: B })],
    ["a number", JSON.stringify({ a: 1, b: B })],
    ["an array", JSON.stringify([A, B])],
    ["a string", JSON.stringify("a b")],
    ["a reason of 600 characters", JSON.stringify({ a: A, b: B, reason: "r".repeat(600) })],
    ["a reason that is an object", JSON.stringify({ a: A, b: B, reason: { text: "x" } })],
    ["broken JSON", '{"a": '],
  ])("refuses %s (400).", async (_what, body) => {
    await problem(await post("confirm", body), 400);
    await untouched();
  });

  it("refuses a body over 16 KB (413).", async () => {
    await problem(await post("confirm", JSON.stringify({ a: A, b: B, pad: "x".repeat(20_000) })), 413);
    await untouched();
  });

  it.each([
    ["state=maybe"],
    ["limit=0"],
    ["limit=100000"],
    ["limit=abc"],
    ["cursor=-1"],
    ["cursor=x"],
    ["id=<3000 characters>", `id=https://x.example/${"a".repeat(3000)}`],
  ])("refuses a listing with %s (400).", async (what, query = what) => {
    const q = query;
    await problem(await fetch(`${inst.base}/api/duplicates?${q}`, { headers: auth }), 400);
  });
});

describe("The finder under hostile records", () => {
  it("works through huge names, websites and postcodes at the cost of ordinary ones.", async () => {
    const huge = "Green Bay " + "Projects ".repeat(100_000);
    await inst.store.putInitiatives([
      listing(
        "https://york.example/initiatives/huge",
        huge,
        {
          homepage: `https://greenbay.example/${"p".repeat(100_000)}`,
          email: `${"e".repeat(100_000)}@x.example`,
          phone: "1".repeat(100_000),
          address: { postcode: "P".repeat(100_000), lat: 53.81, long: -1.56 },
        },
        YORK,
      ),
    ]);
    const round = await new DuplicateFinder(inst.store).catchUp();
    expect(round.records).toBe(1);
    expect(await inst.store.duplicates.pendingCount()).toBe(0);
  });

  it("compares a record with a bounded number of others however many share its keys.", async () => {
    const same = Array.from({ length: 300 }, (_, i) =>
      listing(
        `https://spam.example/initiatives/${i}`,
        "Green Bay Projects",
        { homepage: "https://greenbay.example/", email: "hello@greenbay.example" },
        "https://spam.example/actors/network",
      ),
    );
    await inst.store.putInitiatives(same);
    const round = await new DuplicateFinder(inst.store, { maxBlock: 50, maxCompared: 200 }).catchUp();
    expect(round.records).toBe(300);
    // Every key they share is held by more than 50 records: none is compared on, so nothing is paired.
    expect(round.compared).toBe(0);
    expect(round.crowdedKeys).toBeGreaterThan(300);
    expect(
      (await inst.store.duplicates.listPairs({ limit: 10, id: "https://spam.example/initiatives/0" })).items,
    ).toEqual([]);
  });
});
