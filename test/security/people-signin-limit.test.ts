/**
 * Hostile: guessing passwords. Failed sign-ins are counted per name and per address in the store;
 * past the limit even the right password is refused (429 with Retry-After) until the window ends,
 * and the account is unchanged. Other people and other requests are not held up.
 */
import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import { startInstance, type TestInstance } from "../support/instance.ts";
import { FORM, csrfIn, form, personOf, setCookies, type Person } from "../support/console.ts";

let inst: TestInstance;
let ana: Person;
beforeAll(async () => {
  inst = await startInstance();
  ana = await personOf(inst, "ana", "admin");
}, 60_000);
afterAll(async () => {
  await inst?.stop();
});

async function signIn(name: string, password: string): Promise<Response> {
  const page = await fetch(`${inst.base}/console/sign-in`);
  const jar = [...setCookies(page)].map(([k, v]) => `${k}=${v}`).join("; ");
  return fetch(`${inst.base}/console/sign-in`, {
    method: "POST",
    redirect: "manual",
    headers: { "content-type": FORM, cookie: jar },
    body: form({ _csrf: csrfIn(await page.text()), name, password }),
  });
}

// Every attempt costs a deliberately slow password hash (about a tenth of a second on an idle
// machine), so these tests are given room for a busy one.
describe("Password guessing", () => {
  it("is stopped after 5 failures for a name, even with the right password, with Retry-After.", async () => {
    for (let k = 0; k < 5; k++) expect((await signIn("ana", `guess-${k}-wrong`)).status).toBe(401);
    const [blocked, other] = await Promise.all([
      signIn("ana", ana.password),
      fetch(`${inst.base}/`).then((r) => r.status),
    ]);
    expect(blocked.status).toBe(429);
    expect(Number(blocked.headers.get("retry-after"))).toBeGreaterThan(60);
    expect(await blocked.text()).toContain("Too many failed attempts");
    expect(blocked.headers.getSetCookie().some((c) => c.includes("essfed_session="))).toBe(false);
    expect(other).toBe(200);
    // The account and its sessions are as they were.
    expect((await inst.accounts.byName("ana"))!.passwordHash).toBeDefined();
    expect((await fetch(`${inst.base}/console`, { headers: { cookie: ana.cookie }, redirect: "manual" })).status).toBe(
      200,
    );
  }, 120_000);

  it("is counted per address too: many names guessed from one address are stopped.", async () => {
    await personOf(inst, "bea", "editor");
    // 15 more failures from this address (5 were counted above): 20 in all.
    for (let k = 0; k < 15; k++) expect((await signIn(`nobody${k}`, "wrong password here")).status).toBe(401);
    expect((await signIn("bea", "bea-passphrase-123")).status).toBe(429);
  }, 180_000);

  it("counts failures in the store, so another web process on the same database sees them.", async () => {
    const limiter = inst.accounts.limiter;
    expect(await limiter.wait("ana", "203.0.113.9")).toBeGreaterThan(0);
    expect(await limiter.wait("someone-else", "203.0.113.9")).toBe(0);
    const keys: string[] = [];
    for await (const e of inst.store.kv.list(["essfed", "signin-failures"])) keys.push(e.key.join("/"));
    expect(keys).toEqual(expect.arrayContaining(["essfed/signin-failures/name/ana"]));
  });
});
