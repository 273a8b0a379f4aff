/**
 * Display names of networks, for provenance lines ("published by Leeds SE network, via UK
 * national"). Records carry actor IRIs only; a name is looked up once from the actor document
 * (through the federation's fetcher, with its limits), kept in the key–value store for a week and
 * shared by every process. Until a name is known the page shows `handle@host`, read from the IRI.
 */
import type { KvStore } from "@fedify/fedify";
import { Temporal } from "@js-temporal/polyfill";
import { ignoreFailure } from "../logging.ts";

const KEY = "network-name";
const KEEP = Temporal.Duration.from({ hours: 24 * 7 });
/** How many actor documents may be asked for at once (page views never wait for them). */
const MAX_LOOKUPS = 4;
/** How long a page waits for a name it has never seen. */
const FIRST_WAIT_MS = 1000;

export interface NetworkName {
  iri: string;
  name: string;
  /** `handle@host`, what people type to follow it. */
  handle: string;
}

/** `network@leeds.example` for `https://leeds.example/actors/network`. */
export function handleOf(iri: string): string {
  try {
    const u = new URL(iri);
    const last = u.pathname.split("/").filter(Boolean).pop();
    return last ? `${decodeURIComponent(last)}@${u.host}` : u.host;
  } catch {
    return iri;
  }
}

export class NetworkNames {
  readonly #kv: KvStore;
  readonly #self: NetworkName;
  readonly #lookup: ((iri: string) => Promise<string | undefined>) | undefined;
  readonly #memo = new Map<string, string>();
  readonly #inFlight = new Map<string, Promise<string>>();

  /**
   * @param self this instance's actor IRI and name
   * @param lookup fetches an actor's display name (absent: names are never fetched)
   */
  constructor(
    kv: KvStore,
    self: { iri: string; name: string; handle: string },
    lookup?: (iri: string) => Promise<string | undefined>,
  ) {
    this.#kv = kv;
    this.#self = self;
    this.#lookup = lookup;
  }

  /** The name of a network; starts a lookup in the background when it is not known yet. */
  async get(iri: string): Promise<NetworkName> {
    if (iri === this.#self.iri) return this.#self;
    const handle = handleOf(iri);
    let name = this.#memo.get(iri) ?? (await this.#kv.get<string>(["essfed", KEY, iri]));
    if (name !== undefined) this.#memo.set(iri, name);
    else {
      // The first view waits a moment for the name; a slow or dead host leaves the handle shown.
      const found = this.#fetch(iri);
      if (found)
        name = await Promise.race([
          found,
          new Promise<undefined>((r) => {
            (setTimeout(r, FIRST_WAIT_MS) as unknown as NodeJS.Timeout).unref();
          }),
        ]);
    }
    if (this.#memo.size > 5000) this.#memo.clear();
    return { iri, name: name || handle, handle };
  }

  async getAll(iris: string[]): Promise<Map<string, NetworkName>> {
    const unique = [...new Set(iris)];
    return new Map((await Promise.all(unique.map((i) => this.get(i)))).map((n) => [n.iri, n]));
  }

  /** Remembers a name learnt elsewhere (an actor fetched to follow it). */
  async remember(iri: string, name: string): Promise<void> {
    this.#memo.set(iri, name);
    await this.#kv.set(["essfed", KEY, iri], name, { ttl: KEEP });
  }

  #fetch(iri: string): Promise<string> | undefined {
    const running = this.#inFlight.get(iri);
    if (running) return running;
    if (!this.#lookup || this.#inFlight.size >= MAX_LOOKUPS || !/^https?:\/\//.test(iri)) return undefined;
    const p = this.#lookup(iri)
      // An actor that cannot be read is remembered without a name for the same week, so that a
      // dead host is not asked on every page view.
      .catch(() => "")
      .then(async (found) => {
        const name = (found ?? "").slice(0, 200);
        // Not remembered: the name is looked up again on a later page view.
        await this.remember(iri, name).catch(ignoreFailure("names-remember"));
        return name;
      })
      .finally(() => this.#inFlight.delete(iri));
    this.#inFlight.set(iri, p);
    return p;
  }
}
