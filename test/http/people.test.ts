/**
 * The rights of the people concerned over real HTTP (issue 17, item 4): the export finds an email
 * or phone wherever the instance holds it, the erasure removes it from own records (in the audit
 * log without the value), and every malformed or unauthorised request is refused as problem+json.
 */
import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import { auth, startInstance, type TestInstance } from "../support/instance.ts";

let inst: TestInstance;
const EMAIL = "Ana.Volunteer@Example.org";
beforeAll(async () => {
  inst = await startInstance({});
  await inst.directory.upsert([
    { id: inst.iris.initiative("a"), name: "A Co-op", email: EMAIL, phone: "+44 (0)20 7946 0000" },
    { id: inst.iris.initiative("b"), name: "B Co-op", phone: "+44 20 7946 0000", sharing: { phone: "none" } },
    { id: inst.iris.initiative("c"), name: "C Co-op", email: "someone@else.example" },
  ]);
}, 60_000);
afterAll(async () => {
  await inst?.stop();
});

const get = (q: string, headers: Record<string, string> = auth) => fetch(`${inst.base}/api/people?${q}`, { headers });
const erase = (body: string, headers: Record<string, string> = auth) =>
  fetch(`${inst.base}/api/people/erase`, {
    method: "POST",
    headers: { "content-type": "application/json", ...headers },
    body,
  });

/** What an export answers: the records that hold the contact. */
type Found = { records: { id: string }[] };

describe("People's rights", () => {
  it("exports every record holding an email (any case) or a phone (by its digits), whatever its level.", async () => {
    const byEmail = (await (await get(`email=${encodeURIComponent("ana.volunteer@example.org")}`)).json()) as Found;
    expect(byEmail.records.map((r: { id: string }) => r.id)).toEqual([inst.iris.initiative("a")]);
    const res = await get(`phone=${encodeURIComponent("+44 20 7946 0000")}`);
    expect(res.headers.get("cache-control")).toBe("no-store");
    const byPhone = (await res.json()) as Found;
    expect(byPhone.records.map((r: { id: string }) => r.id).sort()).toEqual([
      inst.iris.initiative("b"),
      // "+44 (0)20…" has other digits: not the same number.
    ]);
  });

  it("erases the email from own records, keeps the rest, and logs the record and field without the value.", async () => {
    const res = await erase(JSON.stringify({ email: EMAIL.toUpperCase() }));
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ erased: [inst.iris.initiative("a")], heldByOthers: [] });
    const a = (await inst.store.getInitiative(inst.iris.initiative("a")))!.initiative;
    expect(a.email).toBeUndefined();
    expect(a.phone).toBe("+44 (0)20 7946 0000");
    expect((await inst.store.getInitiative(inst.iris.initiative("c")))!.initiative.email).toBe("someone@else.example");
    const log = await inst.store.audit.list({ limit: 10, actionPrefix: "initiative.erase-contact" });
    expect(log.items.map((e) => [e.target, e.detail])).toEqual([[inst.iris.initiative("a"), { field: "email" }]]);
    expect(JSON.stringify(log.items).toLowerCase()).not.toContain(EMAIL.toLowerCase());
    const after = (await (await get(`email=${encodeURIComponent(EMAIL)}`)).json()) as Found;
    expect(after.records).toEqual([]);
  });

  it.each([
    ["no token", () => get("email=a@b.example", {}), 401],
    ["a wrong token", () => get("email=a@b.example", { Authorization: "Bearer nope" }), 401],
    ["neither email nor phone", () => get(""), 400],
    ["both", () => get("email=a@b.example&phone=12345"), 400],
    ["an email that is not one", () => get("email=not-an-email"), 400],
    ["a phone without digits", () => get("phone=call-me"), 400],
    ["a value too long", () => get(`email=${"a".repeat(300)}@b.example`), 400],
    ["a repeated parameter", () => get("email=a@b.example&email=c@d.example"), 400],
    ["an erase without a body", () => erase(""), 400],
    ["an erase with malformed JSON", () => erase("{"), 400],
    ["an erase with a number", () => erase(JSON.stringify({ phone: 12345 })), 400],
    ["an erase too large", () => erase(JSON.stringify({ email: "x".repeat(10_000) })), 413],
    ["an erase without a token", () => erase(JSON.stringify({ email: "a@b.example" }), {}), 401],
  ])("refuses %s with problem+json, changing nothing.", async (_what, send, status) => {
    const before = (await inst.store.getInitiative(inst.iris.initiative("c")))!.version;
    const res = await send();
    expect(res.status).toBe(status);
    expect(res.headers.get("content-type")).toMatch(/^application\/problem\+json/);
    expect((await inst.store.getInitiative(inst.iris.initiative("c")))!.version).toBe(before);
  });
});
