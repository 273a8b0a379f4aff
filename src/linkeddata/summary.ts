/**
 * The one-paragraph plain-text summary that fediverse software shows for an initiative
 * (Mastodon shows name, summary and link of a `Page`).
 */
import type { Initiative } from "../domain/initiative.ts";
import type { Taxonomies } from "../domain/taxonomy.ts";
import { plain } from "../domain/plain-text.ts";

const MAX = 400;

/** "Leicester, United Kingdom · Workers cooperative · Retail — first sentence of the description…" */
export function summarise(i: Initiative, taxonomies: Taxonomies): string {
  const place = [i.address?.locality, i.address?.countryName ?? (i.country ? taxonomies.label(i.country) : undefined)]
    .filter(Boolean)
    .join(", ");
  const kinds = [
    ...i.organisationalStructure.slice(0, 1),
    ...(i.primaryActivity ? [i.primaryActivity] : i.activities.slice(0, 1)),
  ]
    .map((iri) => taxonomies.label(iri))
    .filter(Boolean);
  const head = [place, ...kinds].filter(Boolean).join(" · ");
  const text = i.description ? plain(i.description) : "";
  const joined = head && text ? `${head} — ${text}` : head || text;
  return joined.length > MAX ? `${joined.slice(0, MAX - 1).trimEnd()}…` : joined;
}

export { plain };
