/**
 * Validation of a record's terms: its own licence (an SPDX id or an http(s) IRI, as for the
 * dataset), the owner's attribution and the sharing level of each contact field.
 */
import { LicenceError, parseLicence } from "../linkeddata/licences.ts";
import type { Initiative } from "./initiative.ts";
import {
  SHARED_FIELDS,
  parseSharingLevel,
  withDefaultSharing,
  type SharedField,
  type SharingLevel,
} from "./sharing.ts";

/** The raw terms of a draft. */
export interface DraftTerms {
  /** SPDX id or http(s) IRI. */
  license?: string;
  attribution?: string;
  /** Field name (`email`, `phone`, `streetAddress`) → level (`public`, `network`, `none`). */
  sharing?: Record<string, string | undefined>;
}

const MAX_ATTRIBUTION = 300;

/** Sets `out`'s terms from `draft`, reporting each bad value through `bad` (which leaves it out). */
export function validateTerms(
  draft: DraftTerms,
  out: Initiative,
  bad: (field: string, message: string, value?: unknown) => void,
  defaultSharing: SharingLevel = "public",
): Initiative {
  const licence = draft.license?.trim();
  if (licence) {
    try {
      out.license = parseLicence(licence).iri;
    } catch (e) {
      if (!(e instanceof LicenceError)) throw e;
      bad("license", "must be an SPDX licence id (such as CC-BY-4.0) or an http(s) IRI", licence);
    }
  }
  const attribution = draft.attribution?.trim();
  if (attribution) {
    if (attribution.length > MAX_ATTRIBUTION) bad("attribution", `is longer than ${MAX_ATTRIBUTION} characters`);
    else out.attribution = attribution;
  }
  const given = draft.sharing;
  if (given && typeof given === "object") {
    for (const [field, raw] of Object.entries(given)) {
      if (raw === undefined || raw === null || (typeof raw === "string" && !raw.trim())) continue;
      if (!(SHARED_FIELDS as readonly string[]).includes(field)) {
        bad(`sharing.${field.slice(0, 40)}`, `is not a field with a sharing level (${SHARED_FIELDS.join(", ")})`);
        continue;
      }
      const level = typeof raw === "string" ? parseSharingLevel(raw) : undefined;
      if (!level) bad(`sharing.${field}`, "must be public, network or none", raw);
      // A level is kept only for a field the record holds: it describes that value, nothing else.
      else if (holds(out, field as SharedField) && level !== "public")
        (out.sharing ??= {})[field as SharedField] = level;
    }
  }
  return withDefaultSharing(out, defaultSharing);
}

function holds(i: Initiative, f: SharedField): boolean {
  return f === "streetAddress" ? i.address?.streetAddress !== undefined : i[f] !== undefined;
}
