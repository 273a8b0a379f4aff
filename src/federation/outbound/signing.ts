/**
 * Which HTTP signature to use per receiving host. RSA with draft-cavage is what every ActivityPub
 * server verifies (Mastodon included) but an RSA-2048 signature costs about a millisecond of CPU;
 * Ed25519 with RFC 9421 costs a twentieth of that. essfed uses Ed25519 for hosts whose actors
 * advertise an Ed25519 HTTP signature key (essfed and other Fedify-based servers verify those),
 * RSA otherwise, and falls back to RSA for good when a host answers 401 to an Ed25519 signature.
 * What it learns is kept in the key–value store, so every worker process shares it.
 */
import type { KvStore } from "@fedify/fedify";

export type SigningScheme = "ed25519-rfc9421" | "rsa-cavage";

const hostOf = (url: string) => {
  try {
    return new URL(url).host;
  } catch {
    return "";
  }
};

export class SigningPolicy {
  readonly #kv: KvStore;
  readonly #memo = new Map<string, SigningScheme>();

  constructor(kv: KvStore) {
    this.#kv = kv;
  }

  /** Records what an actor document says about its server's inboxes. */
  async learn(inboxes: (string | undefined)[], ed25519: boolean): Promise<void> {
    for (const inbox of inboxes) {
      const host = inbox ? hostOf(inbox) : "";
      if (!host) continue;
      const scheme: SigningScheme = ed25519 ? "ed25519-rfc9421" : "rsa-cavage";
      // Never upgrade a host that has already refused Ed25519.
      if (this.#memo.get(host) === scheme || (await this.#kv.get(["essfed", "signing-refused", host]))) continue;
      this.#memo.set(host, scheme);
      await this.#kv.set(["essfed", "signing", host], scheme);
    }
  }

  /** The scheme to sign a delivery to `inbox` with. */
  async schemeFor(inbox: string): Promise<SigningScheme> {
    const host = hostOf(inbox);
    let scheme = this.#memo.get(host);
    if (!scheme) {
      scheme = (await this.#kv.get<SigningScheme>(["essfed", "signing", host])) ?? "rsa-cavage";
      this.#memo.set(host, scheme);
    }
    return scheme;
  }

  /** The host refused an Ed25519 signature: use RSA from now on. */
  async refused(inbox: string): Promise<void> {
    const host = hostOf(inbox);
    this.#memo.set(host, "rsa-cavage");
    await this.#kv.set(["essfed", "signing-refused", host], true);
    await this.#kv.set(["essfed", "signing", host], "rsa-cavage");
  }
}
