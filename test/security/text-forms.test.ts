/**
 * Text that every store holds (issue 10 item 3) in the other bodies essfed takes, on both stores:
 * the public suggestion form, the console's forms, the admin and curation APIs refuse a field
 * holding U+0000 or another character essfed does not store with 400 `unstorable-text` naming the
 * field, store nothing, and answer an ordinary request meanwhile. On PostgreSQL, what the store
 * itself refuses on a path that does not check its text becomes a 422, never a 500.
 */
import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import { storeTextError } from "../../src/http/middleware/text.ts";
import type { PostgresStore } from "../../src/store/postgres/store.postgres.ts";
import { auth, startInstance, type TestInstance } from "../support/instance.ts";
import { FORM, form, personOf, post, type Person } from "../support/console.ts";
import { suggest } from "../support/visitor.ts";
import { databaseUrl, dropSchema, freshPostgresStore, randomSchema } from "../support/postgres.ts";
import { describePostgres } from "../support/describe-postgres.ts";

interface Problem {
  code: string;
  detail: string;
}
/** Ask for errors as problem+json (browsers get the same refusal as a page). */
const PROBLEM = { accept: "application/problem+json" };

function describeForms(
  title: string,
  env: () => Record<string, string>,
  after: () => Promise<void> = async () => {},
): void {
  let inst: TestInstance;
  let editor: Person;

  beforeAll(async () => {
    inst = await startInstance(env());
    editor = await personOf(inst, "edna", "editor");
  }, 60_000);
  afterAll(async () => {
    await inst?.stop();
    await after();
  });

  /** Sends `hostile` alongside an ordinary request; expects 400 unstorable-text naming `field`. */
  async function refused(hostile: () => Promise<Response>, field: string): Promise<void> {
    const [res, ordinary] = await Promise.all([hostile(), fetch(`${inst.base}/`).then((r) => r.status)]);
    expect(ordinary).toBe(200);
    expect(res.status).toBe(400);
    const p = (await res.json()) as Problem;
    expect(p.code).toBe("unstorable-text");
    expect(p.detail).toContain(field);
  }

  // eslint-disable-next-line jest/valid-title -- the title is the caller's
  describe(title, () => {
    it("the public suggestion form refuses NUL in the message, and queues nothing.", async () => {
      await refused(
        () => suggest(inst, { name: "Fine Co-op", message: "hello\u0000" }, undefined, "en", PROBLEM),
        "message",
      );
      expect(await inst.store.curation.countQueue("suggestion")).toBe(0);
    });

    it("the console's sign-in refuses NUL in the name (a lookup PostgreSQL cannot make).", async () => {
      const page = await fetch(`${inst.base}/console/sign-in`);
      const cookie = page.headers
        .getSetCookie()
        .map((c) => c.split(";")[0])
        .join("; ");
      const csrf = /name="_csrf" value="([^"]+)"/.exec(await page.text())![1]!;
      await refused(
        () =>
          fetch(`${inst.base}/console/sign-in`, {
            method: "POST",
            redirect: "manual",
            headers: { "content-type": FORM, cookie, ...PROBLEM },
            body: form({ _csrf: csrf, name: "edna\u0000", password: "whatever-it-is" }),
          }),
        "name",
      );
    });

    it("the console's initiative form refuses a control character (a form cannot carry unpaired surrogates), and stores nothing.", async () => {
      await refused(
        () => post(inst, editor, "/console/initiatives/new", { name: "Bell\u0007 Co-op" }, PROBLEM),
        "name",
      );
      expect(await inst.store.countInitiatives()).toBe(0);
    });

    it("the admin API's follow refuses NUL in the target, and follows nothing.", async () => {
      await refused(
        () =>
          fetch(`${inst.base}/api/follows`, {
            method: "POST",
            headers: { ...auth, "content-type": "application/json" },
            body: JSON.stringify({ target: "acct:network@x.example\u0000" }),
          }),
        "target",
      );
      expect(await inst.store.listFollowing()).toEqual([]);
    });

    it("the curation API refuses a control character in a reason, and sets no policy.", async () => {
      await refused(
        () =>
          fetch(`${inst.base}/api/sources`, {
            method: "PUT",
            headers: { ...auth, "content-type": "application/json" },
            body: JSON.stringify({
              source: "https://x.example/actors/network",
              policy: "block",
              reason: "spam\u001B[2J",
            }),
          }),
        "reason",
      );
      expect(await inst.store.curation.listPolicies()).toEqual([]);
    });
  });
}

describeForms("Form and JSON bodies on SQLite", () => ({}));

describePostgres("Form and JSON bodies on PostgreSQL", () => {
  const schema = randomSchema("forms");
  describeForms(
    "hold only text every store holds",
    () => ({ DATABASE_URL: databaseUrl(schema) }),
    () => dropSchema(schema),
  );

  describe("What PostgreSQL itself refuses", () => {
    let store: PostgresStore;
    beforeAll(async () => {
      store = await freshPostgresStore();
    });
    afterAll(async () => {
      await store.drop();
      await store.close();
    });

    const errorOf = (sql: string, values: unknown[]) =>
      store.pool.query(sql, values).then(
        () => undefined,
        (e: unknown) => e as { code: string },
      );

    it.each([
      ["U+0000 in text", "SELECT $1::text", ["a\u0000b"], 422, "unstorable-text"],
      ["U+0000 in jsonb", "SELECT $1::jsonb", [JSON.stringify({ a: "\u0000" })], 422, "unstorable-text"],
      ["an unpaired surrogate in jsonb", "SELECT $1::jsonb", [JSON.stringify({ a: "\uD800" })], 422, "unstorable-text"],
    ])("maps %s to 422, never a 500.", async (_what, sql, values, status, code) => {
      const e = await errorOf(sql, values);
      expect(e).toBeDefined();
      expect(storeTextError(e!)).toMatchObject({ status, code });
    });

    it("maps an index entry too long to 422, and leaves other errors alone.", async () => {
      await store.pool.query("CREATE TABLE k (id text PRIMARY KEY)");
      let long = "";
      for (let i = 0; i < 3000; i++) long += String.fromCodePoint(0x4e00 + ((i * 7919) % 20000));
      const e = await errorOf("INSERT INTO k VALUES ($1)", [long]);
      expect(storeTextError(e!)).toMatchObject({ status: 422, code: "text-too-long" });
      expect(storeTextError((await errorOf("SELECT 'x'::integer", []))!)).toBeUndefined();
    });
  });
});
