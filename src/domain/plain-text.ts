/**
 * A description as plain text: what the search index holds and what cards show. Pure text
 * handling, so the store's search port and the pages can both use it.
 */

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
