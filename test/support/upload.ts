/** Uploading a file to the console's import as a browser's form would, and following the job. */
import type { Person } from "./console.ts";
import type { TestInstance } from "./instance.ts";

/** Posts `content` as the form's file, with the person's session and token unless overridden. */
export function upload(
  inst: TestInstance,
  who: Person,
  name: string,
  content: string | Uint8Array,
  o: { csrf?: string; headers?: Record<string, string> } = {},
): Promise<Response> {
  const body = new FormData();
  body.set("_csrf", o.csrf ?? who.csrf);
  body.set("file", new Blob([typeof content === "string" ? content : new Uint8Array(content)]), name);
  return fetch(`${inst.base}/console/import`, {
    method: "POST",
    redirect: "manual",
    headers: { cookie: who.cookie, accept: "text/html", ...o.headers },
    body,
  });
}

/** Waits until the job's step has ended in `state`, and returns its page. */
export async function importJob(
  inst: TestInstance,
  who: Person,
  id: string,
  state: string,
  lang = "en",
): Promise<string> {
  for (let k = 0; k < 600; k++) {
    const s = await fetch(`${inst.base}/console/import/${id}/status`, { headers: { cookie: who.cookie } });
    const { state: now } = (await s.json()) as { state: string };
    if (now === state) break;
    if (!["checking", "waiting", "running"].includes(now)) throw new Error(`the import ended in ${now}, not ${state}`);
    await new Promise((r) => setTimeout(r, 100));
  }
  const page = await fetch(`${inst.base}/console/import/${id}`, {
    headers: { cookie: who.cookie, "accept-language": lang },
  });
  return page.text();
}
