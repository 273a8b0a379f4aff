/**
 * Record terms (issue 17): how far each contact field of a record may travel, and the one function
 * that makes the view of a record for a given audience. Every output reads a record through
 * {@link shareable} (the renderers take an audience and call it), so what a record's owner did not
 * agree to share cannot leave by a path that forgot it.
 */
import type { Initiative } from "./initiative.ts";
import { SHARED_FIELDS, SHARING_LEVELS, type SharedField, type SharingLevel } from "./sharing-levels.ts";

export { SHARED_FIELDS, SHARING_LEVELS };
export type { Sharing, SharedField, SharingLevel } from "./sharing-levels.ts";

/**
 * Who reads: `peers` (anything sent to or fetched by another instance: activities, the record's
 * JSON-LD, back-fill pages), `public` (this network's own pages, API, dumps, SPARQL), `team`
 * (signed-in staff and the admin API).
 */
export type Audience = "peers" | "public" | "team";

const ALLOWED: Record<Audience, ReadonlySet<SharingLevel>> = {
  peers: new Set(["public"]),
  public: new Set(["public", "network"]),
  team: new Set(SHARING_LEVELS),
};

/** Reads a level as written in a spreadsheet or API field (any case; `private` is read as `none`). */
export function parseSharingLevel(value: string): SharingLevel | undefined {
  const v = value.trim().toLowerCase();
  if (v === "private") return "none";
  return (SHARING_LEVELS as readonly string[]).includes(v) ? (v as SharingLevel) : undefined;
}

export function levelOf(i: Initiative, field: SharedField): SharingLevel {
  return i.sharing?.[field] ?? "public";
}

function has(i: Initiative, field: SharedField): boolean {
  return field === "streetAddress" ? i.address?.streetAddress !== undefined : i[field] !== undefined;
}

/**
 * The initiative as `audience` may see it: fields whose level the audience may not read are left
 * out. For `peers` the levels themselves are left out too (what is sent is public by construction,
 * and a receiver has no business knowing what was held back); a relay forwards the origin's own
 * document and so can never widen it.
 */
export function shareable(i: Initiative, audience: Audience): Initiative {
  if (audience === "team") return i;
  const allowed = ALLOWED[audience];
  const hidden = SHARED_FIELDS.filter((f) => has(i, f) && !allowed.has(levelOf(i, f)));
  if (!hidden.length && (audience !== "peers" || !i.sharing)) return i;
  const out: Initiative = { ...i };
  for (const f of hidden) {
    if (f === "streetAddress") {
      const { streetAddress: _drop, ...rest } = out.address!;
      out.address = rest;
    } else delete out[f];
  }
  if (audience === "peers") delete out.sharing;
  else if (out.sharing) {
    // Levels of fields not shown say nothing useful to the public: keep only those of fields shown.
    const kept = Object.fromEntries(Object.entries(out.sharing).filter(([f]) => !hidden.includes(f as SharedField)));
    if (Object.keys(kept).length) out.sharing = kept;
    else delete out.sharing;
  }
  return out;
}

/** Levels for the fields a record holds but gave none, from the instance's default (import and API writes). */
export function withDefaultSharing(i: Initiative, level: SharingLevel): Initiative {
  if (level === "public") return i;
  const missing = SHARED_FIELDS.filter((f) => has(i, f) && !i.sharing?.[f]);
  if (!missing.length) return i;
  return { ...i, sharing: { ...i.sharing, ...Object.fromEntries(missing.map((f) => [f, level])) } };
}
