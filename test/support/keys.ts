import { createPrivateKey, type KeyObject } from "node:crypto";

/** A Node KeyObject from a JWK (what sshpk-based libraries accept as a PEM string). */
export function createObjectKey(jwk: JsonWebKey): string {
  const key: KeyObject = createPrivateKey({ key: jwk as never, format: "jwk" });
  return key.export({ format: "pem", type: "pkcs8" }).toString();
}
