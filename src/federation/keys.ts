/**
 * The network actor's key pairs: RSA (HTTP Signatures, what Mastodon verifies) and Ed25519
 * (FEP-8b32 integrity proofs). Made once, kept in the store's key–value table.
 */
import type { KvStore } from "@fedify/fedify";
import { exportJwk, generateCryptoKeyPair, importJwk } from "@fedify/fedify/sig";

export interface ActorKeys {
  rsa: CryptoKeyPair;
  ed25519: CryptoKeyPair;
}

const KEY = ["essfed", "actor-keys"] as const;

interface StoredJwks {
  rsa: { privateKey: JsonWebKey; publicKey: JsonWebKey };
  ed25519: { privateKey: JsonWebKey; publicKey: JsonWebKey };
}

async function importPair(p: { privateKey: JsonWebKey; publicKey: JsonWebKey }): Promise<CryptoKeyPair> {
  return { privateKey: await importJwk(p.privateKey, "private"), publicKey: await importJwk(p.publicKey, "public") };
}
async function exportPair(p: CryptoKeyPair) {
  return { privateKey: await exportJwk(p.privateKey), publicKey: await exportJwk(p.publicKey) };
}

/**
 * Loads the key pairs, generating and saving them on first use. Uses compare-and-set so that
 * several processes starting at once on one database agree on the same keys.
 */
export async function ensureActorKeys(kv: KvStore): Promise<ActorKeys> {
  const stored = await kv.get<StoredJwks>(KEY);
  if (stored) return { rsa: await importPair(stored.rsa), ed25519: await importPair(stored.ed25519) };
  const fresh: StoredJwks = {
    rsa: await exportPair(await generateCryptoKeyPair("RSASSA-PKCS1-v1_5")),
    ed25519: await exportPair(await generateCryptoKeyPair("Ed25519")),
  };
  if (kv.cas) {
    if (!(await kv.cas(KEY, undefined, fresh))) return ensureActorKeys(kv);
  } else {
    await kv.set(KEY, fresh);
  }
  return { rsa: await importPair(fresh.rsa), ed25519: await importPair(fresh.ed25519) };
}
