/**
 * The public keys the inbox verifies HTTP signatures with. Fedify's `verifyRequestDetailed` does
 * the verifying; every document it needs (the key, usually the actor's document) is fetched here
 * through the outbound client: signed, so that a Mastodon server in secure mode answers the lookup
 * it needs to accept that server's own Follow; under a short deadline, so that a key server that
 * never answers cannot hold inbox requests open; and under the address policy.
 *
 * Keys are kept for an hour, failures for a minute, and concurrent lookups of one key share one
 * fetch. The last failure per key is kept to tell the sender why its signature was not checked.
 */
import type { KeyCache } from "@fedify/fedify/sig";
import type { DocumentLoader, RemoteDocument } from "@fedify/vocab-runtime";
import { FetchError, fetcherDocumentLoader, type Fetcher } from "../outbound/fetcher.ts";

const KEY_TTL_MS = 60 * 60 * 1000;
const FAILURE_TTL_MS = 60 * 1000;
const MAX_ENTRIES = 10_000;
/** Key documents are actor documents: Mastodon's run to a few kilobytes. */
const MAX_KEY_DOCUMENT = 256 * 1024;

const withoutFragment = (url: string) => url.replace(/#.*$/, "");

export class KeyLookup {
  readonly keyCache: KeyCache;
  readonly documentLoader: DocumentLoader;
  readonly #failures = new Map<string, { at: number; error: FetchError }>();

  /** @param timeoutMs the deadline of one key lookup, redirects included */
  constructor(fetcher: Fetcher, timeoutMs = 5_000) {
    const load = fetcherDocumentLoader(fetcher, { timeoutMs, maxBytes: MAX_KEY_DOCUMENT });
    const inflight = new Map<string, Promise<RemoteDocument>>();
    this.documentLoader = (url) => {
      const key = withoutFragment(url);
      let p = inflight.get(key);
      if (!p) {
        p = load(key)
          .then(
            (doc) => {
              this.#failures.delete(key);
              return doc;
            },
            (e: unknown) => {
              const error =
                e instanceof FetchError ? e : new FetchError(key, String((e as Error)?.message ?? e), "network");
              if (this.#failures.size >= MAX_ENTRIES) this.#failures.clear();
              this.#failures.set(key, { at: Date.now(), error });
              throw error;
            },
          )
          .finally(() => inflight.delete(key));
        inflight.set(key, p);
      }
      return p;
    };
    const keys = new Map<string, { at: number; key: unknown }>();
    this.keyCache = {
      get: (keyId) => {
        const hit = keys.get(keyId.href);
        if (!hit || Date.now() - hit.at > (hit.key === null ? FAILURE_TTL_MS : KEY_TTL_MS))
          return Promise.resolve(undefined);
        return Promise.resolve(hit.key as never);
      },
      set: (keyId, key) => {
        if (keys.size >= MAX_ENTRIES) keys.clear();
        keys.set(keyId.href, { at: Date.now(), key });
        return Promise.resolve();
      },
    };
  }

  /** Why the document behind `keyId` could not be fetched lately, if it could not. */
  failure(keyId: URL): FetchError | undefined {
    const hit = this.#failures.get(withoutFragment(keyId.href));
    return hit && Date.now() - hit.at <= FAILURE_TTL_MS ? hit.error : undefined;
  }
}
