/**
 * The one-paragraph plain-text summary that fediverse software shows for an initiative
 * (Mastodon shows name, summary and link of a `Page`).
 */
import type { Initiative } from "../domain/initiative.ts";
import type { Taxonomies } from "../domain/taxonomy.ts";

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

/** Strips tags and decodes the few entities the sanitiser leaves. */
export function plain(html: string): string {
  if (!/[<&]/.test(html)) return html.replace(/\s+/g, " ").trim();
  return html
    .replace(/<[^>]*>/g, " ")
    .replace(/&nbsp;/g, " ")
    .replace(/&lt;/g, "<")
    .replace(/&gt;/g, ">")
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&amp;/g, "&")
    .replace(/\s+/g, " ")
    .trim();
}
