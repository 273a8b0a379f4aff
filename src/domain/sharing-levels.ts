/**
 * The vocabulary of record terms: the sharing levels and the fields that carry one. The initiative
 * model (`initiative.ts`) holds them and the rules (`sharing.ts`) read the model, so they sit in a
 * file of their own that imports neither.
 */

/**
 * `public`: shown everywhere and sent to other networks. `network`: shown by this network's own
 * pages, API, dumps and SPARQL, never sent to another instance. `none`: kept for this network's
 * team only (console, admin API, people's-rights export).
 */
export type SharingLevel = "public" | "network" | "none";
export const SHARING_LEVELS: readonly SharingLevel[] = ["public", "network", "none"];

/** The contact fields that carry a sharing level (the model holds no person names apart from these). */
export type SharedField = "email" | "phone" | "streetAddress";
export const SHARED_FIELDS: readonly SharedField[] = ["email", "phone", "streetAddress"];

/** Sharing levels by field; a field given none is `public` (what every record was before levels). */
export type Sharing = Partial<Record<SharedField, SharingLevel>>;
