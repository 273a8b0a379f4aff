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

function serialise(value: object): string {
  if (typeof (value as { toJSON?: unknown }).toJSON === "function")
    return stableJson((value as { toJSON(): unknown }).toJSON());
  if (Array.isArray(value)) {
    let out = "[";
    for (let n = 0; n < value.length; n++) {
      const x: unknown = value[n];
      out +=
        (n ? "," : "") +
        (x === undefined || typeof x === "function"
          ? "null"
          : typeof x === "string"
            ? JSON.stringify(x)
            : stableJson(x));
    }
    return out + "]";
  }
  let out = "{";
  for (const k of Object.keys(value).sort()) {
    const x = (value as Record<string, unknown>)[k];
    if (x === undefined || typeof x === "function") continue;
    out += (out.length > 1 ? "," : "") + quoted(k) + ":" + (typeof x === "string" ? JSON.stringify(x) : stableJson(x));
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
