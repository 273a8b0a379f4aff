/**
 * What essfed needs to know about remote actors (inboxes, keys, directory), fetched through the
 * {@link Fetcher} and cached in memory for an hour. Actor documents are read by key in their
 * compacted ActivityStreams form, as every ActivityPub server writes them.
 */
import { importMultibaseKey } from "@fedify/vocab-runtime";
import { FetchError, type Fetcher } from "./fetcher.ts";
import { ignoreFailure } from "../../logging.ts";

export interface RemoteActor {
  id: string;
  type: string[];
  preferredUsername?: string;
  name?: string;
  inbox: string;
  sharedInbox?: string;
  /** The first `streams` collection: an essfed network's directory. */
  directory?: string;
  /** Multikey ids (`assertionMethod`) → public keys, for integrity proofs. */
  assertionKeys: Map<string, string>;
  /** The actor lists an Ed25519 HTTP signature key: its server verifies RFC 9421 Ed25519 signatures. */
  ed25519HttpKey: boolean;
  /** Other IRIs the actor says it has been (`alsoKnownAs`): a Move to it from one of them is genuine. */
  aliases: string[];
}

/** Base64 of the SPKI header every Ed25519 public key in PEM starts with. */
const ED25519_SPKI_PREFIX = "MCowBQYDK2VwAyEA";

const TTL_MS = 60 * 60 * 1000;
const MAX_ENTRIES = 10_000;

const str = (v: unknown): string | undefined =>
  typeof v === "string" ? v : typeof (v as { id?: unknown })?.id === "string" ? (v as { id: string }).id : undefined;
const arr = (v: unknown): unknown[] => (v === undefined || v === null ? [] : Array.isArray(v) ? v : [v]);

/** Parses an actor document; throws when it lacks what ActivityPub requires. */
export function parseActor(doc: Record<string, unknown>, expectedId: string): RemoteActor {
  const id = str(doc.id);
  if (id !== expectedId)
    throw new FetchError(expectedId, `actor document has id ${id ?? "(none)"}, not the requested IRI`, "invalid");
  const inbox = str(doc.inbox);
  if (!inbox) throw new FetchError(expectedId, "actor has no inbox", "invalid");
  const endpoints = doc.endpoints as Record<string, unknown> | undefined;
  const assertionKeys = new Map<string, string>();
  for (const m of arr(doc.assertionMethod)) {
    const mk = m as Record<string, unknown>;
    if (typeof mk?.id === "string" && typeof mk.publicKeyMultibase === "string" && arr(mk.type).includes("Multikey")) {
      if (!mk.controller || mk.controller === id) assertionKeys.set(mk.id, mk.publicKeyMultibase);
    }
  }
  const directory = arr(doc.streams).map(str).find(Boolean);
  const name = typeof doc.name === "string" ? doc.name : undefined;
  const preferredUsername = typeof doc.preferredUsername === "string" ? doc.preferredUsername : undefined;
  const sharedInbox = str(endpoints?.sharedInbox) ?? str(doc.sharedInbox);
  const ed25519HttpKey = arr(doc.publicKey).some((k) => {
    const pem = (k as Record<string, unknown>)?.publicKeyPem;
    return typeof pem === "string" && pem.replace(/-----[^-]+-----|\s/g, "").startsWith(ED25519_SPKI_PREFIX);
  });
  const aliases = arr(doc.alsoKnownAs)
    .map(str)
    .filter((a): a is string => Boolean(a))
    .slice(0, 32);
  return {
    id,
    inbox,
    assertionKeys,
    ed25519HttpKey,
    aliases,
    type: arr(doc.type).filter((t): t is string => typeof t === "string"),
    ...(sharedInbox ? { sharedInbox } : {}),
    ...(directory ? { directory } : {}),
    ...(name ? { name } : {}),
    ...(preferredUsername ? { preferredUsername } : {}),
  };
}

export class RemoteActors {
  readonly #fetcher: Fetcher;
  readonly #cache = new Map<string, { at: number; actor: Promise<RemoteActor> }>();
  readonly #keys = new Map<string, Promise<CryptoKey | undefined>>();

  readonly #onActor: (actor: RemoteActor) => unknown;

  /** @param onActor told about every actor document fetched (the signing policy learns from it) */
  constructor(fetcher: Fetcher, onActor: (actor: RemoteActor) => unknown = () => {}) {
    this.#fetcher = fetcher;
    this.#onActor = onActor;
  }

  /** The actor with this IRI, fetched at most once an hour (or again when `fresh`). */
  get(id: string, fresh = false): Promise<RemoteActor> {
    const hit = this.#cache.get(id);
    if (hit && !fresh && Date.now() - hit.at < TTL_MS) return hit.actor;
    if (this.#cache.size > MAX_ENTRIES) this.#cache.clear();
    const actor = this.#fetcher.getJson(id, { maxBytes: 1024 * 1024 }).then(async (doc) => {
      const parsed = parseActor(doc, id);
      await this.#onActor(parsed);
      return parsed;
    });
    actor.catch(() => this.#cache.delete(id));
    this.#cache.set(id, { at: Date.now(), actor });
    return actor;
  }

  /** Forgets an actor (after its keys failed to verify something, say). */
  forget(id: string): void {
    this.#cache.delete(id);
    for (const k of this.#keys.keys()) if (k.startsWith(id + "#") || k === id) this.#keys.delete(k);
  }

  /**
   * The Ed25519 public key behind a verification method IRI (`actor#key`), if the actor lists it
   * in `assertionMethod`. Returns the key and its controller (the actor).
   */
  async assertionKey(verificationMethod: string): Promise<{ key: CryptoKey; controller: string } | undefined> {
    const controller = verificationMethod.split("#")[0]!;
    let p = this.#keys.get(verificationMethod);
    if (!p) {
      p = this.get(controller)
        .then(async (actor) => {
          const multibase = actor.assertionKeys.get(verificationMethod);
          if (!multibase) return undefined;
          const key = await importMultibaseKey(multibase);
          return key.algorithm.name === "Ed25519" ? key : undefined;
        })
        // No key is the answer (the proof then fails to verify and is refused, with its reason);
        // the failure to read the actor is counted and logged here.
        .catch((e: unknown) => void ignoreFailure("actor-assertion-key", "debug")(e));
      this.#keys.set(verificationMethod, p);
    }
    const key = await p;
    if (!key) this.#keys.delete(verificationMethod);
    return key ? { key, controller } : undefined;
  }

  /**
   * Resolves `acct:handle@host` (or `handle@host`, `@handle@host`) by WebFinger, or returns an
   * http(s) actor URL as is.
   */
  async resolve(target: string, allowHttp: boolean): Promise<string> {
    if (/^https?:\/\//.test(target)) return target;
    const m = /^(?:acct:)?@?([^@\s]+)@([^@\s/]+)$/.exec(target.trim());
    if (!m) throw new FetchError(target, "not an actor URL or acct:handle@host", "invalid");
    const resource = `acct:${m[1]}@${m[2]}`;
    const schemes = allowHttp ? ["https", "http"] : ["https"];
    let last: unknown;
    for (const scheme of schemes) {
      try {
        const jrd = await this.#fetcher.getJson(
          `${scheme}://${m[2]}/.well-known/webfinger?resource=${encodeURIComponent(resource)}`,
          { accept: "application/jrd+json, application/json;q=0.9", maxBytes: 256 * 1024 },
        );
        const self = arr(jrd.links).find((l) => {
          const link = l as Record<string, unknown>;
          return (
            link.rel === "self" &&
            typeof link.href === "string" &&
            /^application\/(activity\+json|ld\+json)/.test(typeof link.type === "string" ? link.type : "")
          );
        }) as { href: string } | undefined;
        if (self) return self.href;
        last = new FetchError(target, "WebFinger answer has no ActivityPub self link", "invalid");
      } catch (e) {
        last = e;
      }
    }
    throw last;
  }
}
