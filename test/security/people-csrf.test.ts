/**
 * Hostile: forms posted from another site (CSRF). Every console form that changes something must
 * carry the session's token and come from this site; the sign-in form must carry the token of the
 * cookie set with it. Each refusal leaves the store as it was, and ordinary requests go on.
 */
import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import { startInstance, type TestInstance } from "../support/instance.ts";
import { FORM, form, personOf, post, type Person } from "../support/console.ts";

let inst: TestInstance;
let admin: Person;
beforeAll(async () => {
  inst = await startInstance();
  admin = await personOf(inst, "ana", "admin");
}, 60_000);
afterAll(async () => {
  await inst?.stop();
});

/** An ordinary request made alongside the attack is still answered. */
const ordinary = () => fetch(`${inst.base}/`).then((r) => r.status);
const names = async () => (await inst.accounts.list()).map((a) => a.name).sort();

describe("A cross-site form", () => {
  it("without the session's token is refused (403), and nothing is stored.", async () => {
    const before = await names();
    const [res, other] = await Promise.all([
      post(inst, admin, "/console/accounts", { name: "mallory", role: "admin", _csrf: "" }),
      ordinary(),
    ]);
    expect(res.status).toBe(403);
    expect(await res.text()).toContain("came from another site");
    expect(other).toBe(200);
    expect(await names()).toEqual(before);
  });

  it("with another session's token is refused.", async () => {
    const editor = await personOf(inst, "eve", "editor");
    const res = await post(inst, admin, "/console/accounts", { name: "mallory", role: "admin", _csrf: editor.csrf });
    expect(res.status).toBe(403);
    expect(await inst.accounts.byName("mallory")).toBeUndefined();
  });

  it("with the right token but from another origin is refused.", async () => {
    const [res, other] = await Promise.all([
      post(inst, admin, "/console/accounts", { name: "mallory", role: "admin" }, { origin: "https://evil.example" }),
      ordinary(),
    ]);
    expect(res.status).toBe(403);
    expect(other).toBe(200);
    expect(await inst.accounts.byName("mallory")).toBeUndefined();
    // The same form from this site is taken.
    expect(
      (await post(inst, admin, "/console/accounts", { name: "mallory", role: "editor" }, { origin: inst.base })).status,
    ).toBe(201);
  });

  it("that signs out everywhere without a token is refused, and the sessions stay.", async () => {
    const res = await post(inst, admin, "/console/sign-out-everywhere", { _csrf: "x".repeat(43) });
    expect(res.status).toBe(403);
    expect(
      (await fetch(`${inst.base}/console`, { headers: { cookie: admin.cookie }, redirect: "manual" })).status,
    ).toBe(200);
  });

  it("that signs someone in without the sign-in form's cookie is refused (login CSRF), and no session starts.", async () => {
    const res = await fetch(`${inst.base}/console/sign-in`, {
      method: "POST",
      redirect: "manual",
      headers: { "content-type": FORM },
      body: form({ _csrf: "a".repeat(32), name: "ana", password: admin.password }),
    });
    expect(res.status).toBe(403);
    expect(res.headers.getSetCookie().some((c) => c.includes("essfed_session="))).toBe(false);
  });

  it("with a body too large or too deep is refused before any work.", async () => {
    const huge = await post(inst, admin, "/console/accounts", { name: "x".repeat(70 * 1024), role: "editor" });
    expect(huge.status).toBe(413);
    const nested = await fetch(`${inst.base}/console/accounts`, {
      method: "POST",
      headers: { "content-type": FORM, cookie: admin.cookie },
      body: `_csrf=${admin.csrf}&name[a][b]=x&role=admin`,
    });
    // Flat forms only: "name[a][b]" is a field of that name, not a nested object, and no such account is made.
    expect(nested.status).toBe(422);
    expect((await names()).some((n) => n.includes("["))).toBe(false);
  });
});
