/**
 * Outbound GETs of remote ActivityPub documents (actors, collections, objects) on someone's behalf:
 * a timeout, a size cap, no redirects to private addresses, and no private or loopback addresses at
 * all unless ESSFED_ALLOW_PRIVATE is set (tests and local demos). GETs are signed with the network
 * actor's key so that servers with authorized fetch (Mastodon's AUTHORIZED_FETCH) answer.
 */
import { signRequest } from "@fedify/fedify/sig";
import { validatePublicUrl } from "@fedify/vocab-runtime";

export const ACCEPT_AP = 'application/activity+json, application/ld+json; profile="https://www.w3.org/ns/activitystreams";q=0.9, application/json;q=0.5';

/** Why a remote document could not be had; `status` is the HTTP status when there was one. */
export class FetchError extends Error {
  override readonly name = "FetchError";
  readonly url: string;
  readonly status: number | undefined;
  constructor(url: string, message: string, status?: number, options?: ErrorOptions) {
    super(`${url}: ${message}`, options);
    this.url = url;
    this.status = status;
  }
  /** True for 404 and 410: the document is gone, not just unreachable. */
  get gone(): boolean {
    return this.status === 404 || this.status === 410;
  }
}

export interface FetcherOptions {
  allowPrivate: boolean;
  /** Key used to sign GETs. */
  signer?: { privateKey: CryptoKey; keyId: URL };
  timeoutMs?: number;
  maxBytes?: number;
  userAgent?: string;
}

export interface Fetcher {
  /** GETs a JSON document; throws {@link FetchError}. */
  getJson(url: string, options?: { maxBytes?: number }): Promise<Record<string, unknown>>;
  /** Throws {@link FetchError} when the URL may not be fetched (scheme, private address). */
  check(url: string): Promise<void>;
}

export function createFetcher(o: FetcherOptions): Fetcher {
  const timeoutMs = o.timeoutMs ?? 10_000;
  const defaultMax = o.maxBytes ?? 16 * 1024 * 1024;

  async function check(url: string): Promise<void> {
    let u: URL;
    try {
      u = new URL(url);
    } catch {
      throw new FetchError(url, "not a URL");
    }
    if (u.protocol !== "https:" && u.protocol !== "http:") throw new FetchError(url, "only http(s) URLs are fetched");
    if (u.username || u.password) throw new FetchError(url, "URLs with credentials are not fetched");
    if (o.allowPrivate) return;
    try {
      await validatePublicUrl(url);
    } catch (e) {
      throw new FetchError(url, `refused: ${(e as Error).message} (private and loopback addresses need ESSFED_ALLOW_PRIVATE)`, undefined, { cause: e });
    }
  }

  async function getJson(url: string, options: { maxBytes?: number } = {}): Promise<Record<string, unknown>> {
    const max = options.maxBytes ?? defaultMax;
    let current = url;
    for (let hop = 0; hop < 4; hop++) {
      await check(current);
      let req = new Request(current, {
        headers: { accept: ACCEPT_AP, "user-agent": o.userAgent ?? "essfed" },
        redirect: "manual",
        signal: AbortSignal.timeout(timeoutMs),
      });
      if (o.signer) req = await signRequest(req, o.signer.privateKey, o.signer.keyId);
      let res: Response;
      try {
        res = await fetch(req);
      } catch (e) {
        throw new FetchError(current, `request failed: ${(e as Error).message}`, undefined, { cause: e });
      }
      if (res.status >= 300 && res.status < 400 && res.headers.get("location")) {
        await res.body?.cancel();
        current = new URL(res.headers.get("location")!, current).href;
        continue;
      }
      if (!res.ok) {
        await res.body?.cancel();
        throw new FetchError(current, `HTTP ${res.status}`, res.status);
      }
      const text = await readCapped(res, max, current);
      try {
        const json = JSON.parse(text) as unknown;
        if (typeof json !== "object" || json === null || Array.isArray(json)) throw new Error("not a JSON object");
        return json as Record<string, unknown>;
      } catch (e) {
        throw new FetchError(current, `invalid JSON: ${(e as Error).message}`, res.status, { cause: e });
      }
    }
    throw new FetchError(url, "too many redirects");
  }

  return { getJson, check };
}

async function readCapped(res: Response, max: number, url: string): Promise<string> {
  const declared = Number(res.headers.get("content-length"));
  if (declared > max) {
    await res.body?.cancel();
    throw new FetchError(url, `document larger than ${max} bytes`, res.status);
  }
  if (!res.body) return "";
  const chunks: Uint8Array[] = [];
  let size = 0;
  for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) {
    size += chunk.byteLength;
    if (size > max) {
      await res.body.cancel().catch(() => {});
      throw new FetchError(url, `document larger than ${max} bytes`, res.status);
    }
    chunks.push(chunk);
  }
  return Buffer.concat(chunks).toString("utf8");
}
