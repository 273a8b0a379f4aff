/**
 * A person of the team in a test, over plain HTTP: an account made as the CLI makes it, its
 * one-time link used to choose a password, and the cookies and CSRF token of the session.
 */
import type { Role } from "../../src/store/accounts.ts";
import type { TestInstance } from "./instance.ts";

export interface Person {
  name: string;
  password: string;
  /** The Cookie header to send. */
  cookie: string;
  /** The session's CSRF token, as the console's forms carry it. */
  csrf: string;
}

/** The cookies a response sets, as `name=value` pairs. */
export function setCookies(res: Response): Map<string, string> {
  const out = new Map<string, string>();
  for (const c of res.headers.getSetCookie()) {
    const [pair] = c.split(";");
    const eq = pair!.indexOf("=");
    out.set(pair!.slice(0, eq), pair!.slice(eq + 1));
  }
  return out;
}

/** The value of the first hidden `_csrf` field in a page. */
export const csrfIn = (html: string): string => /name="_csrf" value="([^"]+)"/.exec(html)![1]!;

export const form = (fields: Record<string, string>) => new URLSearchParams(fields).toString();
export const FORM = "application/x-www-form-urlencoded";

/** Adds an account and signs it in by its link, as a new member of the team would. */
export async function personOf(
  inst: TestInstance,
  name: string,
  role: Role,
  password = `${name}-passphrase-123`,
): Promise<Person> {
  const { link } = await inst.accounts.add(name, role, { kind: "cli", name: "test" });
  const page = await fetch(link);
  const pre = setCookies(page);
  const preCookie = [...pre].map(([k, v]) => `${k}=${v}`).join("; ");
  const res = await fetch(link, {
    method: "POST",
    redirect: "manual",
    headers: { "content-type": FORM, cookie: preCookie },
    body: form({ _csrf: csrfIn(await page.text()), password }),
  });
  if (res.status !== 303) throw new Error(`choosing a password failed: ${res.status} ${await res.text()}`);
  const session = [...setCookies(res)].find(([k]) => k.endsWith("essfed_session"))!;
  const cookie = `${session[0]}=${session[1]}`;
  const home = await fetch(`${inst.base}/console`, { headers: { cookie } });
  return { name, password, cookie, csrf: csrfIn(await home.text()) };
}

/** Posts a console form as a person (with their session and CSRF token unless overridden). */
export function post(
  inst: TestInstance,
  who: Person,
  path: string,
  fields: Record<string, string>,
  headers: Record<string, string> = {},
): Promise<Response> {
  return fetch(inst.base + path, {
    method: "POST",
    redirect: "manual",
    headers: { "content-type": FORM, cookie: who.cookie, accept: "text/html", ...headers },
    body: form({ _csrf: who.csrf, ...fields }),
  });
}
