/**
 * Password hashing with scrypt (node:crypto): memory-hard, so guessing on graphics cards or
 * custom chips costs memory as well as time. Parameters follow OWASP's password storage advice
 * for scrypt (N=2^15, r=8, p=3: 32 MiB and about a tenth of a second a hash) and are stored with
 * each hash, so they can be raised later without breaking existing passwords.
 */
import { randomBytes, scrypt, timingSafeEqual } from "node:crypto";

const N = 2 ** 15;
const R = 8;
const P = 3;
const KEY_LENGTH = 32;
/** Room for N·r·128 bytes plus scrypt's own bookkeeping. */
const MAX_MEMORY = 64 * 1024 * 1024;

/** Bounds on what people may choose (a long passphrase is welcome; a 1 MB one is an attack). */
export const PASSWORD_LIMITS = { min: 10, max: 200 } as const;

function derive(password: string, salt: Buffer, n: number, r: number, p: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    scrypt(password.normalize("NFC"), salt, KEY_LENGTH, { N: n, r, p, maxmem: MAX_MEMORY }, (err, key) =>
      err ? reject(err) : resolve(key),
    );
  });
}

/** `scrypt$N$r$p$salt$hash` (salt and hash in base64url). */
export async function hashPassword(password: string): Promise<string> {
  const salt = randomBytes(16);
  const key = await derive(password, salt, N, R, P);
  return ["scrypt", N, R, P, salt.toString("base64url"), key.toString("base64url")].join("$");
}

/** True when `password` is the one `stored` was made from. */
export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const [scheme, n, r, p, salt, hash] = stored.split("$");
  if (scheme !== "scrypt" || !salt || !hash) return false;
  const expected = Buffer.from(hash, "base64url");
  const key = await derive(password, Buffer.from(salt, "base64url"), Number(n), Number(r), Number(p));
  return key.length === expected.length && timingSafeEqual(key, expected);
}

/** A hash of nothing anyone knows: checked against when a name is unknown, so that both take as long. */
let decoy: Promise<string> | undefined;
export function decoyHash(): Promise<string> {
  decoy ??= hashPassword(randomBytes(24).toString("base64url"));
  return decoy;
}

/** Why a new password is refused, or undefined. */
export function passwordProblem(password: string, name: string): "short" | "long" | "name" | undefined {
  if (password.length < PASSWORD_LIMITS.min) return "short";
  if (password.length > PASSWORD_LIMITS.max) return "long";
  if (password.trim().toLowerCase() === name.trim().toLowerCase()) return "name";
  return undefined;
}
