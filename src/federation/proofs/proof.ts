/**
 * FEP-8b32 Object Integrity Proofs with the `eddsa-jcs-2022` cryptosuite (W3C Data Integrity EdDSA):
 * the origin network signs each initiative document and each Delete with its Ed25519 key, so that
 * any instance, however many hops away, can check the origin without trusting the relay and
 * without fetching from the origin. Interoperates with Fedify's `verifyProof` (held by a test).
 */
import { createHash, KeyObject, sign, verify } from "node:crypto";
import { stableJson } from "../../domain/version.ts";
import { decodeMultibase, encodeMultibase } from "@fedify/vocab-runtime";

export const CRYPTOSUITE = "eddsa-jcs-2022";

export interface Proof {
  type: "DataIntegrityProof";
  cryptosuite: typeof CRYPTOSUITE;
  verificationMethod: string;
  proofPurpose: "assertionMethod";
  created: string;
  proofValue: string;
}

const sha256 = (s: string) => createHash("sha256").update(s, "utf8").digest();

/** Hashes of recent proof configurations: a page of documents signed in one second shares one. */
const configHashes = new Map<string, Buffer>();

function hashData(doc: Record<string, unknown>, config: Omit<Proof, "proofValue">): Uint8Array<ArrayBuffer> {
  const { proof: _p, ...unsigned } = doc;
  // JCS (RFC 8785) for JSON values is JSON.stringify with keys sorted by UTF-16 code units.
  const configText = stableJson({ "@context": doc["@context"], ...config });
  let configHash = configHashes.get(configText);
  if (!configHash) {
    if (configHashes.size > 64) configHashes.clear();
    configHashes.set(configText, (configHash = sha256(configText)));
  }
  const out = new Uint8Array(64);
  out.set(configHash, 0);
  out.set(sha256(stableJson(unsigned)), 32);
  return out;
}

/**
 * Returns a copy of `doc` with a `proof`. `doc` must carry an `@context` that defines `proof`
 * (the data-integrity context) and must not change afterwards.
 */
// Synchronous signing (see above), kept async so a failure is a rejected promise for every caller.
// eslint-disable-next-line @typescript-eslint/require-await
export async function attachProof(
  doc: Record<string, unknown>,
  privateKey: CryptoKey,
  verificationMethod: string,
  created = new Date(),
): Promise<Record<string, unknown>> {
  const config = {
    type: "DataIntegrityProof",
    cryptosuite: CRYPTOSUITE,
    verificationMethod,
    proofPurpose: "assertionMethod",
    // Whole seconds: the verifier rebuilds this string from a parsed instant.
    created: created.toISOString().replace(/\.\d{3}Z$/, "Z"),
  } as const;
  // node:crypto's one-shot Ed25519 is synchronous and several times cheaper than a WebCrypto job.
  const signature = new Uint8Array(sign(null, hashData(doc, config), keyObject(privateKey)));
  const proofValue = new TextDecoder().decode(encodeMultibase("base58btc", signature));
  return { ...doc, proof: { ...config, proofValue } };
}

/** The proof of a document when it is one essfed can check (`eddsa-jcs-2022`, assertionMethod). */
export function proofOf(doc: Record<string, unknown>): Proof | undefined {
  const p = doc.proof as Record<string, unknown> | undefined;
  if (!p || typeof p !== "object" || Array.isArray(p)) return undefined;
  if (p.type !== "DataIntegrityProof" || p.cryptosuite !== CRYPTOSUITE || p.proofPurpose !== "assertionMethod")
    return undefined;
  if (typeof p.verificationMethod !== "string" || typeof p.proofValue !== "string" || typeof p.created !== "string")
    return undefined;
  return p as unknown as Proof;
}

/**
 * Checks a document's proof with the key `resolveKey` finds for its verification method.
 * @returns the verification method's controller (an actor IRI) when the proof holds, else undefined
 */
export async function verifyProof(
  doc: Record<string, unknown>,
  resolveKey: (verificationMethod: string) => Promise<{ key: CryptoKey; controller: string } | undefined>,
): Promise<string | undefined> {
  const proof = proofOf(doc);
  if (!proof) return undefined;
  const resolved = await resolveKey(proof.verificationMethod);
  if (!resolved) return undefined;
  let signature: Uint8Array;
  try {
    signature = decodeMultibase(proof.proofValue);
  } catch {
    return undefined;
  }
  const { proofValue: _v, ...config } = proof;
  const ok = verify(null, hashData(doc, config), keyObject(resolved.key), signature);
  return ok ? resolved.controller : undefined;
}

const keyObjects = new WeakMap<CryptoKey, KeyObject>();
/** The node:crypto twin of a WebCrypto key (cached). */
export function keyObject(key: CryptoKey): KeyObject {
  let k = keyObjects.get(key);
  if (!k) keyObjects.set(key, (k = KeyObject.from(key)));
  return k;
}
