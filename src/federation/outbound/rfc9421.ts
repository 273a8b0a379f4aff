/**
 * RFC 9421 HTTP Message Signatures with Ed25519 (`alg="ed25519"`, RFC 9421 §3.3.6), for deliveries
 * to hosts that verify them (see `signing.ts`). Fedify 2.3 verifies such signatures but signs only
 * with RSA, so essfed makes them here; the verifying side is Fedify's, so every federation test
 * between essfed instances checks this code against an independent implementation.
 */
import { createHash, sign } from "node:crypto";
import { keyObject } from "../proofs/proof.ts";

/** Serialises a string as an RFC 8941 structured-field string. */
const sfString = (s: string) => `"${s.replace(/\\/g, "\\\\").replace(/"/g, '\\"')}"`;

/**
 * Returns a copy of `request` (a POST with `body`) signed over @method, @target-uri, @authority,
 * content-digest and date.
 */
// node:crypto's Ed25519 is synchronous; the signer stays async so a failure is a rejected promise, as with
// the other signer (Fedify's), which the delivery worker calls the same way.
// eslint-disable-next-line @typescript-eslint/require-await
export async function signRfc9421Ed25519(
  request: Request,
  body: Uint8Array,
  privateKey: CryptoKey,
  keyId: URL,
  now = new Date(),
): Promise<Request> {
  const url = new URL(request.url);
  const headers = new Headers(request.headers);
  const digest = `sha-256=:${createHash("sha256").update(body).digest("base64")}:`;
  headers.set("Content-Digest", digest);
  if (!headers.has("Date")) headers.set("Date", now.toUTCString());
  headers.set("Host", url.host);
  const created = Math.floor(now.getTime() / 1000);
  const components: [string, string][] = [
    ["@method", request.method.toUpperCase()],
    ["@target-uri", url.href],
    ["@authority", url.host.toLowerCase()],
    ["content-digest", digest],
    ["date", headers.get("Date")!],
  ];
  const covered = components.map(([name]) => sfString(name)).join(" ");
  const params = `(${covered});created=${created};keyid=${sfString(keyId.href)};alg="ed25519"`;
  const base = [
    ...components.map(([name, value]) => `${sfString(name)}: ${value}`),
    `"@signature-params": ${params}`,
  ].join("\n");
  const signature = sign(null, Buffer.from(base, "utf8"), keyObject(privateKey)).toString("base64");
  headers.set("Signature-Input", `sig1=${params}`);
  headers.set("Signature", `sig1=:${signature}:`);
  return new Request(request.url, { method: request.method, headers, body: body as BodyInit });
}
