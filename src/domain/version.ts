import { createHash } from "node:crypto";
import type { Initiative } from "./initiative.ts";

/** JSON with object keys sorted at every level: equal content, equal text. */
export function stableJson(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) => {
    if (v === null || typeof v !== "object" || Array.isArray(v)) return v;
    const sorted: Record<string, unknown> = {};
    for (const k of Object.keys(v).sort()) sorted[k] = (v as Record<string, unknown>)[k];
    return sorted;
  });
}

/**
 * Content hash of an initiative (sorted-key JSON, SHA-256, base64url, 22 characters). Equal content
 * gives an equal version, so re-importing the same data changes nothing and an object version seen
 * before is recognised when it arrives again by another path.
 */
export function versionOf(initiative: Initiative): string {
  return createHash("sha256").update(stableJson(initiative)).digest("base64url").slice(0, 22);
}
