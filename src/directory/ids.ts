/**
 * IRIs this instance mints. Everything hangs off the configured public base URL.
 */
import { randomBytes } from "node:crypto";

export interface Iris {
  readonly base: string;
  readonly actor: string;
  readonly directory: string;
  initiative(localId: string): string;
  /** The local id of an initiative IRI minted here, or undefined for any other IRI. */
  localId(iri: string): string | undefined;
  /** A fresh IRI for an activity. */
  activity(kind: string): string;
}

/** Local ids: what a spreadsheet's Identifier column may hold, and what we mint. */
export const LOCAL_ID = /^[A-Za-z0-9][A-Za-z0-9._~-]{0,99}$/;

export function makeIris(base: string, handle: string): Iris {
  const directory = `${base}/initiatives`;
  return {
    base,
    actor: `${base}/actors/${handle}`,
    directory,
    initiative: (localId) => `${directory}/${localId}`,
    localId(iri) {
      if (!iri.startsWith(directory + "/")) return undefined;
      const id = iri.slice(directory.length + 1);
      return LOCAL_ID.test(id) ? id : undefined;
    },
    activity: (kind) =>
      `${base}/activities/${kind.toLowerCase()}-${Date.now().toString(36)}-${randomBytes(6).toString("base64url")}`,
  };
}

/** "Brixton Energy Co-op!" → "brixton-energy-co-op" (may be empty). */
export function slugOf(name: string): string {
  return name
    .normalize("NFKD")
    .replace(/[\u0300-\u036f]/g, "")
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "")
    .slice(0, 60)
    .replace(/-+$/, "");
}

/** "Brixton Energy Co-op!" → "brixton-energy-co-op-x3k9" (readable and unique enough to retry once). */
export function mintLocalId(name: string): string {
  const slug = slugOf(name);
  const suffix = randomBytes(4).toString("hex").slice(0, 6);
  return slug ? `${slug}-${suffix}` : `initiative-${suffix}`;
}
