/**
 * The contract of the team's ports (accounts, sign-in links, sessions, audit log), run against
 * every store adapter.
 */
import { afterEach, beforeEach, describe, expect, it } from "@jest/globals";
import type { Account, Session } from "../../src/store/accounts.ts";
import type { Store } from "../../src/store/store.ts";

const NOW = "2026-05-01T12:00:00.000Z";
const LATER = "2026-05-08T12:00:00.000Z";
const PAST = "2026-04-01T12:00:00.000Z";
const account = (id: string, name: string, role: Account["role"] = "editor"): Account => ({
  id,
  name,
  role,
  created: NOW,
});
const session = (id: string, accountId: string, expires = LATER): Session => ({
  id,
  accountId,
  csrf: `csrf-${id}`,
  created: NOW,
  expires,
});

export function describeAccountsContract(
  name: string,
  make: () => Promise<Store>,
  cleanup: (s: Store) => Promise<void>,
): void {
  describe(`The team's ports on a ${name}`, () => {
    let store: Store;
    beforeEach(async () => {
      store = await make();
    });
    afterEach(async () => {
      await cleanup(store);
    });

    it("keeps accounts, finds them by name in any case, and refuses a name taken in another case.", async () => {
      const a = store.accounts;
      expect(await a.createAccount(account("1", "Ana"))).toBe(true);
      expect(await a.createAccount({ ...account("2", "bruno", "admin"), passwordHash: "scrypt$x" })).toBe(true);
      expect(await a.createAccount(account("3", "ANA"))).toBe(false);
      expect(await a.getAccountByName("aNa")).toEqual(account("1", "Ana"));
      expect(await a.getAccount("2")).toEqual({ ...account("2", "bruno", "admin"), passwordHash: "scrypt$x" });
      expect(await a.getAccount("none")).toBeUndefined();
      expect((await a.listAccounts()).map((x) => x.name)).toEqual(["Ana", "bruno"]);
      expect(await a.updateAccount("1", { role: "admin" })).toBe(true);
      expect(await a.updateAccount("1", { passwordHash: "scrypt$y" })).toBe(true);
      expect(await a.getAccount("1")).toEqual({ ...account("1", "Ana", "admin"), passwordHash: "scrypt$y" });
      expect(await a.updateAccount("none", { role: "admin" })).toBe(false);
    });

    it("gives a sign-in link once, and never an expired one; looking at it does not use it up.", async () => {
      const a = store.accounts;
      await a.createAccount(account("1", "Ana"));
      await a.putSignInLink({ tokenHash: "h1", accountId: "1", expires: LATER });
      await a.putSignInLink({ tokenHash: "h2", accountId: "1", expires: PAST });
      expect(await a.getSignInLink("h1", NOW)).toEqual({ tokenHash: "h1", accountId: "1", expires: LATER });
      expect(await a.getSignInLink("h2", NOW)).toBeUndefined();
      const takers = await Promise.all([
        a.takeSignInLink("h1", NOW),
        a.takeSignInLink("h1", NOW),
        a.takeSignInLink("h1", NOW),
      ]);
      expect(takers.filter(Boolean)).toEqual([{ tokenHash: "h1", accountId: "1", expires: LATER }]);
      expect(await a.getSignInLink("h1", NOW)).toBeUndefined();
      expect(await a.takeSignInLink("h2", NOW)).toBeUndefined();
    });

    it("keeps sessions until they expire, extends them, and ends all of an account's at once.", async () => {
      const a = store.accounts;
      await a.createAccount(account("1", "Ana"));
      await a.createAccount(account("2", "Bruno"));
      await a.createSession(session("s1", "1"));
      await a.createSession(session("s2", "1"));
      await a.createSession(session("s3", "2"));
      await a.createSession(session("old", "2", PAST));
      expect(await a.getSession("s1", NOW)).toEqual(session("s1", "1"));
      expect(await a.getSession("old", NOW)).toBeUndefined();
      expect(await a.getSession("s1", "2026-06-01T00:00:00.000Z")).toBeUndefined();
      await a.extendSession("s1", "2026-07-01T00:00:00.000Z");
      expect((await a.getSession("s1", "2026-06-01T00:00:00.000Z"))?.expires).toBe("2026-07-01T00:00:00.000Z");
      expect(await a.deleteSessionsOf("1")).toBe(2);
      expect(await a.getSession("s2", NOW)).toBeUndefined();
      expect(await a.getSession("s3", NOW)).toBeDefined();
      await a.deleteSession("s3");
      expect(await a.getSession("s3", NOW)).toBeUndefined();
      expect(await a.pruneExpired(NOW)).toBe(1);
    });

    it("removes an account with its sessions and links.", async () => {
      const a = store.accounts;
      await a.createAccount(account("1", "Ana"));
      await a.createSession(session("s1", "1"));
      await a.putSignInLink({ tokenHash: "h1", accountId: "1", expires: LATER });
      expect(await a.deleteAccount("1")).toBe(true);
      expect(await a.deleteAccount("1")).toBe(false);
      expect(await a.getSession("s1", NOW)).toBeUndefined();
      expect(await a.getSignInLink("h1", NOW)).toBeUndefined();
      // The name is free again.
      expect(await a.createAccount(account("2", "ana"))).toBe(true);
    });

    it("appends to the audit log and reads it back newest first, a page at a time, by target or kind of action.", async () => {
      const log = store.audit;
      const by = { kind: "account" as const, name: "Ana", id: "1" };
      const first = await log.append({
        at: NOW,
        actor: by,
        action: "account.create",
        target: "Bruno",
        detail: { role: "editor" },
      });
      const second = await log.append({
        at: NOW,
        actor: { kind: "token", name: "admin token" },
        action: "initiative.update",
        target: "https://x.example/initiatives/a",
        reason: "typo",
      });
      for (let k = 0; k < 5; k++)
        await log.append({
          at: NOW,
          actor: by,
          action: "account.role",
          target: k % 2 ? "Bruno" : "Carla",
          detail: { to: "admin" },
        });
      expect(second.seq).toBeGreaterThan(first.seq);
      const page1 = await log.list({ limit: 4 });
      expect(page1.items).toHaveLength(4);
      expect(page1.items[0]!.seq).toBeGreaterThan(page1.items[1]!.seq);
      const page2 = await log.list({ limit: 4, cursor: page1.next! });
      expect(page2.next).toBeUndefined();
      expect([...page1.items, ...page2.items].map((e) => e.action)).toEqual([
        ...Array<string>(5).fill("account.role"),
        "initiative.update",
        "account.create",
      ]);
      expect(page2.items[1]).toEqual(second);
      expect(page2.items[2]).toEqual(first);
      expect((await log.list({ limit: 10, target: "Bruno" })).items.map((e) => e.action)).toEqual([
        "account.role",
        "account.role",
        "account.create",
      ]);
      expect((await log.list({ limit: 10, actionPrefix: "initiative." })).items).toEqual([second]);
    });
  });
}
