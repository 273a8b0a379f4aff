/**
 * Hostile: session fixation and stolen or stale cookies. A session id planted in a browser before
 * sign-in never becomes a signed-in session; sign-in always issues a new token; tokens are stored
 * only as hashes; behind HTTPS the cookie is Secure and host-only (`__Host-`).
 */
import { createHash } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import { loadConfig } from "../../src/config.ts";
import { SessionCookies } from "../../src/web/console/session.ts";
import { startInstance, type TestInstance } from "../support/instance.ts";
import { FORM, csrfIn, form, personOf, setCookies } from "../support/console.ts";

let inst: TestInstance;
beforeAll(async () => {
  inst = await startInstance();
}, 60_000);
afterAll(async () => {
  await inst?.stop();
});

const status = (cookie: string) =>
  fetch(`${inst.base}/console`, { headers: { cookie }, redirect: "manual" }).then((r) => r.status);

describe("Session fixation", () => {
  it("a session id planted before sign-in is not signed in by it: sign-in issues a new one.", async () => {
    const victim = await personOf(inst, "ana", "admin");
    const planted = "P".repeat(43);
    const page = await fetch(`${inst.base}/console/sign-in`, { headers: { cookie: `essfed_session=${planted}` } });
    const jar = [...setCookies(page)].map(([k, v]) => `${k}=${v}`).join("; ");
    const [res, other] = await Promise.all([
      fetch(`${inst.base}/console/sign-in`, {
        method: "POST",
        redirect: "manual",
        headers: { "content-type": FORM, cookie: `essfed_session=${planted}; ${jar}` },
        body: form({ _csrf: csrfIn(await page.text()), name: "ana", password: victim.password }),
      }),
      fetch(`${inst.base}/`).then((r) => r.status),
    ]);
    expect(res.status).toBe(303);
    expect(other).toBe(200);
    const issued = setCookies(res).get("essfed_session")!;
    expect(issued).not.toBe(planted);
    expect(await status(`essfed_session=${planted}`)).toBe(303);
    expect(await status(`essfed_session=${issued}`)).toBe(200);
  });

  it("signing in again ends the session the browser had before.", async () => {
    const p = await personOf(inst, "bea", "editor");
    const page = await fetch(`${inst.base}/console/sign-in`, { headers: { cookie: p.cookie } });
    // Already signed in: the form sends them on.
    expect(page.redirected || page.url.endsWith("/console")).toBe(true);
    const f = await fetch(`${inst.base}/console/sign-in?next=/console`, { redirect: "manual" });
    const jar = [...setCookies(f)].map(([k, v]) => `${k}=${v}`).join("; ");
    const res = await fetch(`${inst.base}/console/sign-in`, {
      method: "POST",
      redirect: "manual",
      headers: { "content-type": FORM, cookie: `${p.cookie}; ${jar}` },
      body: form({ _csrf: csrfIn(await f.text()), name: "bea", password: p.password }),
    });
    expect(res.status).toBe(303);
    expect(await status(p.cookie)).toBe(303);
  });

  it("keeps only hashes of session tokens, so a copy of the database signs nobody in.", async () => {
    const p = await personOf(inst, "cai", "editor");
    const token = p.cookie.split("=")[1]!;
    expect(await inst.store.accounts.getSession(token, new Date().toISOString())).toBeUndefined();
    expect(
      await inst.store.accounts.getSession(createHash("sha256").update(token).digest("hex"), new Date().toISOString()),
    ).toBeDefined();
  });

  it("refuses malformed and forged cookies without a store lookup error.", async () => {
    for (const v of ["", "x", "a".repeat(5000), "%00%01", "' OR 1=1 --".replace(/ /g, "%20")])
      expect(await status(`essfed_session=${v}`)).toBe(303);
  });

  it("makes the cookie Secure and host-only when the instance is served over HTTPS.", () => {
    const config = loadConfig({ ESSFED_URL: "https://essfed.example", ESSFED_DATA: inst.dir });
    const cookies = new SessionCookies(inst.accounts, config.url);
    const headers: string[] = [];
    cookies.start({ append: (_k: string, v: string) => headers.push(v) } as never, "t".repeat(43));
    expect(cookies.name).toBe("__Host-essfed_session");
    expect(headers[0]).toMatch(
      /^__Host-essfed_session=t{43}; Max-Age=604800; Path=\/; HttpOnly; Secure; SameSite=Lax$/,
    );
  });
});
