/** A visitor without an account in a test: the public suggestion form, its cookie and token. */
import type { TestInstance } from "./instance.ts";
import { FORM, csrfIn, form, setCookies } from "./console.ts";

export interface VisitorForm {
  cookie: string;
  csrf: string;
  html: string;
}

/** Opens a public form as a browser would (its page sets the token's cookie). */
export async function visitorForm(inst: TestInstance, path = "/suggest", lang = "en"): Promise<VisitorForm> {
  const res = await fetch(inst.base + path, { headers: { "accept-language": lang } });
  const html = await res.text();
  if (res.status !== 200) throw new Error(`${path}: ${res.status}`);
  return { cookie: [...setCookies(res)].map(([k, v]) => `${k}=${v}`).join("; "), csrf: csrfIn(html), html };
}

/** Sends the suggestion form with these fields (opening the form first unless given). */
export async function suggest(
  inst: TestInstance,
  fields: Record<string, string>,
  opened?: VisitorForm,
  lang = "en",
  headers: Record<string, string> = {},
): Promise<Response> {
  const f = opened ?? (await visitorForm(inst, "/suggest", lang));
  return fetch(`${inst.base}/suggest`, {
    method: "POST",
    redirect: "manual",
    headers: { "content-type": FORM, cookie: f.cookie, accept: "text/html", "accept-language": lang, ...headers },
    body: form({ _csrf: f.csrf, ...fields }),
  });
}
