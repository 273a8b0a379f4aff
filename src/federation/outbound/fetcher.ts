/**
 * The one outbound HTTP client: every request essfed makes on someone's behalf goes through it —
 * actor, key, object and WebFinger GETs, directory pages, deliveries (see ADR 14).
 *
 * - GETs are signed with the network actor's RSA key (draft-cavage), so that servers in
 *   Mastodon's secure mode (AUTHORIZED_FETCH), which answer unsigned fetches with 401, answer us.
 * - Each call has one deadline covering DNS, connect, every redirect and the whole body, and a
 *   size cap counted on the bytes that arrive; compressed answers are not asked for.
 * - The address policy (`net/addresses.ts`) is applied to the address the socket actually
 *   connects to: the agent's DNS `lookup` refuses a name when any address it resolves to is
 *   refused, and the connection uses that very answer, so no second lookup can rebind the name
 *   between check and connect. IP literals never reach `lookup` and are checked before the
 *   request. Every redirect is a new request through the same gate.
 */
import { lookup as dnsLookup } from "node:dns/promises";
import { Agent as HttpAgent, request as httpRequest, type IncomingMessage, type OutgoingHttpHeaders } from "node:http";
import { Agent as HttpsAgent, request as httpsRequest } from "node:https";
import { isIP, type LookupFunction } from "node:net";
import { signRequest } from "@fedify/fedify/sig";
import type { DocumentLoader, RemoteDocument } from "@fedify/vocab-runtime";
import { JsonLdBudgetError, JsonLdInputError, jsonLdToQuads } from "../../linkeddata/jsonld-in.ts";
import { addressRefusal } from "./addresses.ts";
import { EssfedError } from "../../errors.ts";

export const ACCEPT_AP =
  'application/activity+json, application/ld+json; profile="https://www.w3.org/ns/activitystreams";q=0.9, application/json;q=0.5';

/** What went wrong: `refused` is our own address or URL policy, never the remote side. */
export type FetchFailure = "refused" | "timeout" | "too-large" | "http" | "network" | "invalid";

/**
 * An HTTP status worth asking again later for: a timeout (408), throttling (429) or a server error.
 * Other client errors will not get better by retrying. Deliveries and key lookups both go by it.
 */
export function statusMayRecover(status: number): boolean {
  return status === 408 || status === 429 || status >= 500;
}

/** Why a remote document could not be had; `status` is the HTTP status when there was one. */
export class FetchError extends EssfedError {
  readonly url: string;
  readonly status: number | undefined;
  readonly kind: FetchFailure;
  /** The message without the URL. */
  readonly reason: string;
  constructor(url: string, reason: string, kind: FetchFailure, status?: number, options?: ErrorOptions) {
    super(`fetch-${kind}`, `${url}: ${reason}`, options);
    this.url = url;
    this.reason = reason;
    this.status = status;
    this.kind = kind;
  }
  /** True when asking again later may succeed: no answer in time, no connection, or a status that may recover. */
  get transient(): boolean {
    if (this.kind === "timeout" || this.kind === "network") return true;
    return this.kind === "http" && this.status !== undefined && statusMayRecover(this.status);
  }
  /** True for 404 and 410: the document is gone, not just unreachable. */
  get gone(): boolean {
    return this.status === 404 || this.status === 410;
  }
}

/** Resolves a host name to every address it has (the default is the system resolver). */
export type Resolver = (hostname: string) => Promise<{ address: string; family: number }[]>;

export interface FetcherOptions {
  /** ESSFED_ALLOW_PRIVATE: loopback and private addresses may be fetched. */
  allowPrivate: boolean;
  /** Key used to sign GETs (the network actor's RSA key). */
  signer?: { privateKey: CryptoKey; keyId: URL };
  /** Deadline of one call, redirects and body included. */
  timeoutMs?: number;
  /** Size cap of a response body. */
  maxBytes?: number;
  userAgent?: string;
  resolve?: Resolver;
  /** Why an address is refused (default: the policy of `net/addresses.ts`); tests narrow it. */
  refuseAddress?: (ip: string) => string | undefined;
}

export interface CallOptions {
  maxBytes?: number;
  timeoutMs?: number;
  accept?: string;
}

export interface Fetcher {
  /** GETs a JSON object; throws {@link FetchError}. */
  getJson(url: string, options?: CallOptions): Promise<Record<string, unknown>>;
  /** As {@link getJson}, with the URL the document was finally served from. */
  fetchJson(url: string, options?: CallOptions): Promise<{ doc: Record<string, unknown>; url: string }>;
  /** POSTs `body` with the given (already signed) headers; resolves with the status code. */
  post(
    url: string,
    headers: Record<string, string>,
    body: Uint8Array,
    options?: { timeoutMs?: number },
  ): Promise<number>;
  /** The refusal for a URL that may not be requested at all (scheme, credentials, IP literal), without any I/O. */
  check(url: string): FetchError | undefined;
}

const MAX_REDIRECTS = 5;

/** When a call must be over, its budget (for the message), and the error once it has passed. */
interface Deadline {
  at: number;
  ms: number;
  expired?: FetchError;
}
const deadlineOf = (ms: number): Deadline => ({ at: Date.now() + ms, ms });
/** A delivery's answer is not read; this much of it is drained before the socket is dropped. */
const POST_DRAIN_BYTES = 64 * 1024;

export function createFetcher(o: FetcherOptions): Fetcher {
  const defaultTimeout = o.timeoutMs ?? 10_000;
  const defaultMax = o.maxBytes ?? 16 * 1024 * 1024;
  const refuse = o.refuseAddress ?? ((ip: string) => addressRefusal(ip, o.allowPrivate));
  const resolve: Resolver = o.resolve ?? ((host) => dnsLookup(host, { all: true }));
  const hint = (ip: string) =>
    !o.allowPrivate && !addressRefusal(ip, true)
      ? " (set ESSFED_ALLOW_PRIVATE=true to federate with such addresses in tests and local demos)"
      : "";

  /** The agents' DNS step: refuses the name when any of its addresses is refused. */
  const lookup = ((
    hostname: string,
    options: { all?: boolean; family?: number | string },
    callback: (...args: unknown[]) => void,
  ) => {
    resolve(hostname)
      .catch((e: unknown) => {
        const code = (e as NodeJS.ErrnoException)?.code ?? (e as Error)?.message;
        throw new FetchError(
          hostname,
          `the DNS name ${hostname} could not be resolved (${code})`,
          "network",
          undefined,
          { cause: e },
        );
      })
      .then((found) => {
        const family =
          options.family === 4 || options.family === "IPv4"
            ? 4
            : options.family === 6 || options.family === "IPv6"
              ? 6
              : 0;
        const addresses = found.filter((a) => !family || a.family === family);
        if (!addresses.length)
          throw new FetchError(
            hostname,
            `the DNS name ${hostname} has no address${family ? ` of IPv${family}` : ""}`,
            "network",
          );
        for (const a of addresses) {
          const why = refuse(a.address);
          if (why)
            throw new FetchError(
              hostname,
              `refused: the DNS name ${hostname} resolves to ${a.address}, ${why}${hint(a.address)}`,
              "refused",
            );
        }
        if (options.all) callback(null, addresses);
        else callback(null, addresses[0]!.address, addresses[0]!.family);
      })
      .catch((e: unknown) => callback(e));
  }) as unknown as LookupFunction;
  const agentOptions = { keepAlive: true, maxSockets: 64, lookup };
  const http = new HttpAgent(agentOptions);
  const https = new HttpsAgent(agentOptions);

  function check(url: string): FetchError | undefined {
    let u: URL;
    try {
      u = new URL(url);
    } catch {
      return new FetchError(url, "not a URL", "invalid");
    }
    if (u.protocol !== "https:" && u.protocol !== "http:")
      return new FetchError(url, "refused: only http(s) URLs are fetched", "refused");
    if (u.username || u.password)
      return new FetchError(url, "refused: URLs with credentials are not fetched", "refused");
    const host = u.hostname.replace(/^\[|\]$/g, "");
    if (isIP(host)) {
      const why = refuse(host);
      if (why) return new FetchError(url, `refused: ${host} is ${why}${hint(host)}`, "refused");
    }
    return undefined;
  }

  /** One request; resolves when the response head arrives. The deadline is the caller's. */
  function send(
    method: string,
    url: string,
    headers: OutgoingHttpHeaders,
    body: Uint8Array | undefined,
    deadline: Deadline,
  ): Promise<IncomingMessage> {
    const refused = check(url);
    if (refused) return Promise.reject(refused);
    const u = new URL(url);
    const secure = u.protocol === "https:";
    return new Promise((resolveResponse, reject) => {
      const req = (secure ? httpsRequest : httpRequest)(
        u,
        { method, headers, agent: secure ? https : http, lookup },
        resolveResponse,
      );
      const timer = setTimeout(
        () => {
          deadline.expired = new FetchError(url, `no complete answer within ${deadline.ms} ms`, "timeout");
          req.destroy(deadline.expired);
        },
        Math.max(0, deadline.at - Date.now()),
      );
      req.on("close", () => clearTimeout(timer));
      req.on("error", (e) =>
        reject(
          e instanceof FetchError
            ? // The lookup's refusal names the host only; the caller wants the URL.
              e.url === url
              ? e
              : new FetchError(url, e.reason, e.kind, e.status)
            : new FetchError(
                url,
                `request failed: ${(e as NodeJS.ErrnoException).code ?? e.message}`,
                "network",
                undefined,
                { cause: e },
              ),
        ),
      );
      req.end(body);
    });
  }

  async function getHeaders(url: string, accept: string): Promise<OutgoingHttpHeaders> {
    const base = { accept, "user-agent": o.userAgent ?? "essfed", "accept-encoding": "identity" };
    if (!o.signer) return base;
    const signed = await signRequest(new Request(url, { headers: base }), o.signer.privateKey, o.signer.keyId, {
      spec: "draft-cavage-http-signatures-12",
    });
    const headers: OutgoingHttpHeaders = {};
    signed.headers.forEach((v, k) => {
      headers[k] = v;
    });
    return headers;
  }

  async function fetchJson(
    url: string,
    options: CallOptions = {},
  ): Promise<{ doc: Record<string, unknown>; url: string }> {
    const max = options.maxBytes ?? defaultMax;
    const deadline = deadlineOf(options.timeoutMs ?? defaultTimeout);
    let current = url;
    for (let hop = 0; hop <= MAX_REDIRECTS; hop++) {
      const res = await send(
        "GET",
        current,
        await getHeaders(current, options.accept ?? ACCEPT_AP),
        undefined,
        deadline,
      );
      const status = res.statusCode ?? 0;
      const location = res.headers.location;
      if (status >= 300 && status < 400 && location) {
        res.destroy();
        try {
          current = new URL(location, current).href;
        } catch {
          throw new FetchError(current, `redirects to an invalid URL (${location.slice(0, 200)})`, "invalid", status);
        }
        continue;
      }
      if (status < 200 || status >= 300) {
        res.destroy();
        throw new FetchError(current, `HTTP ${status}`, "http", status);
      }
      const text = await readCapped(res, max, current, deadline);
      let json: unknown;
      try {
        json = JSON.parse(text);
      } catch (e) {
        throw new FetchError(current, `invalid JSON: ${(e as Error).message}`, "invalid", status, { cause: e });
      }
      if (typeof json !== "object" || json === null || Array.isArray(json))
        throw new FetchError(current, "invalid JSON: not a JSON object", "invalid", status);
      return { doc: json as Record<string, unknown>, url: current };
    }
    throw new FetchError(url, `more than ${MAX_REDIRECTS} redirects`, "invalid");
  }

  async function post(
    url: string,
    headers: Record<string, string>,
    body: Uint8Array,
    options: { timeoutMs?: number } = {},
  ): Promise<number> {
    const deadline = deadlineOf(options.timeoutMs ?? defaultTimeout);
    const res = await send("POST", url, { ...headers, "content-length": String(body.byteLength) }, body, deadline);
    // Drain a little so the socket can be reused; an endless answer loses its socket instead.
    let drained = 0;
    res.on("data", (chunk: Buffer) => {
      if ((drained += chunk.byteLength) > POST_DRAIN_BYTES) res.destroy();
    });
    res.on("error", () => {});
    return res.statusCode ?? 0;
  }

  return { getJson: async (url, options) => (await fetchJson(url, options)).doc, fetchJson, post, check };
}

/** A Fedify document loader over the outbound client (what Fedify fetches goes through it too). */
export function fetcherDocumentLoader(fetcher: Fetcher, options: CallOptions = {}): DocumentLoader {
  return async (url: string): Promise<RemoteDocument> => {
    const { doc, url: documentUrl } = await fetcher.fetchJson(url.replace(/#.*$/, ""), options);
    // Fedify expands what this loads on the main thread: only once the JSON-LD budget (ADR 18)
    // has seen it pre-scanned and expanded in a worker within its limits. (A document that is not
    // readable JSON-LD is Fedify's to refuse, as before.)
    try {
      await jsonLdToQuads(doc);
    } catch (e) {
      if (e instanceof JsonLdBudgetError)
        throw new FetchError(
          documentUrl,
          `the document is over the JSON-LD budget: ${e.message}`,
          "invalid",
          undefined,
          { cause: e },
        );
      if (!(e instanceof JsonLdInputError)) throw e;
    }
    return { contextUrl: null, document: doc, documentUrl };
  };
}

/** Reads a body as UTF-8, refusing it once it passes `max` bytes or when it is compressed. */
async function readCapped(res: IncomingMessage, max: number, url: string, deadline: Deadline): Promise<string> {
  const encoding = res.headers["content-encoding"];
  if (encoding && encoding !== "identity") {
    res.destroy();
    throw new FetchError(
      url,
      `answered with content-encoding ${encoding}, which was not asked for`,
      "invalid",
      res.statusCode,
    );
  }
  if (Number(res.headers["content-length"]) > max) {
    res.destroy();
    throw new FetchError(
      url,
      `document larger than ${max} bytes (content-length ${res.headers["content-length"]})`,
      "too-large",
      res.statusCode,
    );
  }
  const chunks: Buffer[] = [];
  let size = 0;
  try {
    for await (const chunk of res as AsyncIterable<Buffer>) {
      size += chunk.byteLength;
      if (size > max) {
        res.destroy();
        throw new FetchError(url, `document larger than ${max} bytes`, "too-large", res.statusCode);
      }
      chunks.push(chunk);
    }
  } catch (e) {
    if (e instanceof FetchError) throw e;
    // When the deadline destroyed the request, that is the reason.
    if (deadline.expired) throw deadline.expired;
    throw new FetchError(url, `the answer broke off: ${(e as Error).message}`, "network", res.statusCode, { cause: e });
  }
  return Buffer.concat(chunks).toString("utf8");
}
