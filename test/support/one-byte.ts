import { serialize } from "node:v8";

/**
 * Whether V8 holds `s` one byte a character (ADR 51): the tag of its serialisation, after the header and any padding,
 * is `"` for a one-byte string and `c` for a two-byte one.
 */
export function isOneByte(s: string): boolean {
  const b = serialize(s);
  let k = 2;
  while (b[k] === 0) k++;
  return b[k] === 0x22;
}
