/**
 * Hostile: an editor reaching for an admin's powers. Editors may edit the directory but not manage
 * the team's accounts: every account page and form answers 403 and changes nothing. The last admin
 * cannot be demoted or removed, so a team never locks itself out.
 */
import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import { startInstance, type TestInstance } from "../support/instance.ts";
import { personOf, post, type Person } from "../support/console.ts";

let inst: TestInstance;
let admin: Person;
let editor: Person;
beforeAll(async () => {
  inst = await startInstance();
  admin = await personOf(inst, "ana", "admin");
  editor = await personOf(inst, "eve", "editor");
}, 60_000);
afterAll(async () => {
  await inst?.stop();
});

describe("An editor", () => {
  it("cannot see the accounts page.", async () => {
    const res = await fetch(`${inst.base}/console/accounts`, {
      headers: { cookie: editor.cookie, accept: "text/html" },
    });
    expect(res.status).toBe(403);
    expect(await res.text()).toContain("Only an admin of the team can do this.");
  });

  it("cannot add, promote, re-link, sign out or remove accounts; nothing changes and nothing is logged.", async () => {
    const anaId = (await inst.accounts.byName("ana"))!.id;
    const eveId = (await inst.accounts.byName("eve"))!.id;
    const before = JSON.stringify(await inst.accounts.list());
    const logged = (await inst.store.audit.list({ limit: 100 })).items.length;
    const attempts: [string, Record<string, string>][] = [
      ["/console/accounts", { name: "mallory", role: "admin" }],
      ["/console/accounts/role", { id: eveId, role: "admin" }],
      ["/console/accounts/link", { id: anaId }],
      ["/console/accounts/sign-out", { id: anaId }],
      ["/console/accounts/remove", { id: anaId }],
    ];
    for (const [path, fields] of attempts) {
      const [res, other] = await Promise.all([
        post(inst, editor, path, fields),
        fetch(`${inst.base}/`).then((r) => r.status),
      ]);
      expect(res.status).toBe(403);
      expect(other).toBe(200);
    }
    expect(JSON.stringify(await inst.accounts.list())).toBe(before);
    expect((await inst.store.audit.list({ limit: 100 })).items.length).toBe(logged);
    expect(
      (await fetch(`${inst.base}/console`, { headers: { cookie: admin.cookie }, redirect: "manual" })).status,
    ).toBe(200);
  });
});

describe("The last admin", () => {
  it("cannot be demoted or removed, even by themselves.", async () => {
    const anaId = (await inst.accounts.byName("ana"))!.id;
    const demote = await post(inst, admin, "/console/accounts/role", { id: anaId, role: "editor" });
    expect(demote.status).toBe(422);
    expect(await demote.text()).toContain("only admin");
    expect((await post(inst, admin, "/console/accounts/remove", { id: anaId })).status).toBe(422);
    expect((await inst.accounts.get(anaId))!.role).toBe("admin");
  });
});
