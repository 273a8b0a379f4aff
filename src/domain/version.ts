import { createHash } from "node:crypto";
import canonicalize from "canonicalize";
import type { Initiative } from "./initiative.ts";

/**
 * Content hash of an initiative (JCS canonical JSON, SHA-256, base64url, 22 characters). Equal
 * content gives an equal version, so re-importing the same data changes nothing and an object
 * version seen before is recognised when it arrives again by another path.
 */
export function versionOf(initiative: Initiative): string {
  return createHash("sha256").update(canonicalize(initiative) ?? "").digest("base64url").slice(0, 22);
}
