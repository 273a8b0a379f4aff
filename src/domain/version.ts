import { hash } from "node:crypto";
import type { Initiative } from "./initiative.ts";

/**
 * JSON with object keys sorted by UTF-16 code units at every level: equal content, equal text. For
 * JSON values this is RFC 8785 (JCS). Built by hand because JavaScript objects list integer-like
 * keys ("9", "10") first whatever order they were added in.
 */
export function stableJson(value: unknown): string {
  if (value === null || typeof value !== "object") return JSON.stringify(value) ?? "null";
  // Frozen values (the shared JSON-LD contexts) never change: serialise them once.
  if (Object.isFrozen(value)) {
    let text = frozenTexts.get(value);
    if (text === undefined) frozenTexts.set(value, (text = serialise(value)));
    return text;
  }
  return serialise(value);
}

const frozenTexts = new WeakMap<object, string>();

/** Object keys repeat (every record has the same few dozen): quote each one once. */
const quotedKeys = new Map<string, string>();
const quoted = (k: string) => {
  let q = quotedKeys.get(k);
  if (q === undefined) {
    q = JSON.stringify(k);
    if (quotedKeys.size < 10_000) quotedKeys.set(k, q);
  }
  return q;
};

/**
 * Object key lists met before, by their first key, with their sorted order: records have the same few shapes, and
 * sorting their keys took a sixth of the time. Bounded, since documents come from strangers too.
 */
const keyOrders = new Map<string, { keys: string[]; sorted: string[] }[]>();
let keyOrderCount = 0;

function sortedKeys(keys: string[]): string[] {
  if (keys.length < 2) return keys;
  const first = keys[0]!;
  const known = keyOrders.get(first);
  if (known)
    next: for (const k of known) {
      if (k.keys.length !== keys.length) continue;
      for (let n = 1; n < keys.length; n++) if (k.keys[n] !== keys[n]) continue next;
      return k.sorted;
    }
  const sorted = keys.slice().sort();
  if (keys.length <= 64 && keyOrderCount < 1000 && (known?.length ?? 0) < 32) {
    if (known) known.push({ keys, sorted });
    else keyOrders.set(first, [{ keys, sorted }]);
    keyOrderCount++;
  }
  return sorted;
}

/** Strings JSON writes as they are between quotes: no quote, backslash, control character or surrogate. */
// eslint-disable-next-line no-control-regex
const NEEDS_ESCAPE = /["\\\u0000-\u001F\uD800-\uDFFF]/;
/** `JSON.stringify(s)`, without the call for the many strings that need no escape (half of the walk's time). */
const jsonString = (s: string) => (NEEDS_ESCAPE.test(s) ? JSON.stringify(s) : `"${s}"`);

function serialise(value: object): string {
  if (typeof (value as { toJSON?: unknown }).toJSON === "function")
    return stableJson((value as { toJSON(): unknown }).toJSON());
  if (Array.isArray(value)) {
    let out = "[";
    for (let n = 0; n < value.length; n++) {
      const x: unknown = value[n];
      out +=
        (n ? "," : "") +
        (x === undefined || typeof x === "function" ? "null" : typeof x === "string" ? jsonString(x) : stableJson(x));
    }
    return out + "]";
  }
  let out = "{";
  for (const k of sortedKeys(Object.keys(value))) {
    const x = (value as Record<string, unknown>)[k];
    if (x === undefined || typeof x === "function") continue;
    out += (out.length > 1 ? "," : "") + quoted(k) + ":" + (typeof x === "string" ? jsonString(x) : stableJson(x));
  }
  return out + "}";
}

/**
 * Content hash of an initiative (sorted-key JSON, SHA-256, base64url, 22 characters). Equal content
 * gives an equal version, so re-importing the same data changes nothing and an object version seen
 * before is recognised when it arrives again by another path.
 */
export function versionOf(initiative: Initiative): string {
  // One call, no Hash object: this runs for every record imported or received.
  return hash("sha256", stableJson(initiative), "base64url").slice(0, 22);
}
