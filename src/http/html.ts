/**
 * Server-rendered HTML for people: an initiative page and the small shared layout. Every value is
 * escaped; descriptions were sanitised on the way in.
 */
import { shareable } from "../domain/sharing.ts";
import type { StoredInitiative } from "../store/store.ts";
import type { Taxonomies } from "../domain/taxonomy.ts";

export function esc(s: string | number | null | undefined): string {
  return String(s ?? "").replace(
    /[&<>"']/g,
    (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]!,
  );
}

const VIEWPORT = '<meta name="viewport" content="width=device-width, initial-scale=1">';
const STYLE =
  "body{font:16px/1.5 system-ui,sans-serif;max-width:48rem;margin:2rem auto;padding:0 1rem;color:#222}\n" +
  "dt{font-weight:600;margin-top:.6rem}dd{margin-left:0}a{color:#0b5}.muted{color:#666;font-size:.9em}";

/** A full HTML document around `body`. */
export function layout(title: string, body: string, head = ""): string {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8">${VIEWPORT}
<title>${esc(title)}</title>${head}<style>${STYLE}</style></head>
<body>${body}</body></html>`;
}

/** The name and description in each other language the record has, marked with its language. */
function translations(t: StoredInitiative["initiative"]["translations"]): string {
  const entries = Object.entries(t ?? {});
  if (!entries.length) return "";
  const one = ([lang, v]: (typeof entries)[number]) =>
    `<div lang="${esc(lang)}"><h3>${esc(v.name ?? "")} <span class="muted">(${esc(lang)})</span></h3>` +
    `${v.description ?? ""}</div>`;
  return `<h2>In other languages</h2>${entries.map(one).join("")}`;
}

/** The page for one initiative, with alternates for linked-data clients. */
export function initiativePage(rec: StoredInitiative, taxonomies: Taxonomies, ownerName: string): string {
  // This network's own page: fields kept for the team (`none`) are left out.
  const i = shareable(rec.initiative, "public");
  const label = (iri?: string) => (iri ? `<a href="${esc(iri)}">${esc(taxonomies.label(iri) ?? iri)}</a>` : "");
  const list = (iris: string[]) => iris.map(label).join(", ");
  const a = i.address;
  const place = a
    ? [a.streetAddress, a.locality, a.region, a.postcode, a.countryName].filter(Boolean).map(esc).join(", ")
    : "";
  const rows: [string, string][] = [
    ["Organisational structure", list(i.organisationalStructure)],
    ["Legal form", [list(i.legalForm), esc(i.legalFormText ?? "")].filter(Boolean).join(" · ")],
    ["Sector", esc(i.sector ?? "")],
    ["SIC codes", (i.sicCodes ?? []).map(esc).join(", ")],
    ["Ownership", esc(i.ownership ?? "")],
    ["Primary activity", label(i.primaryActivity)],
    ["Activities", list(i.activities)],
    ["Qualifiers", list(i.qualifiers)],
    ["Membership type", label(i.baseMembershipType)],
    ["Address", place],
    ["Coordinates", a?.lat !== undefined ? `${a.lat}, ${a.long}` : ""],
    ["Website", i.homepage ? `<a href="${esc(i.homepage)}" rel="nofollow">${esc(i.homepage)}</a>` : ""],
    ["Email", i.email ? `<a href="mailto:${esc(i.email)}">${esc(i.email)}</a>` : ""],
    ["Phone", esc(i.phone)],
  ];
  const source = rec.provenance
    ? `Mirrored from <a href="${esc(rec.provenance.origin)}">${esc(rec.provenance.origin)}</a>`
    : `Published by ${esc(ownerName)}`;
  const head = [
    "jsonld-links:application/ld+json",
    "jsonld:application/activity+json",
    "ttl:text/turtle",
    "nt:application/n-triples",
  ]
    .map((x) => {
      const [f, t] = x.split(":");
      return `<link rel="alternate" type="${t}" href="${esc(i.id)}?format=${f}">`;
    })
    .join("");
  const formats = [
    ["jsonld-links", "JSON-LD"],
    ["jsonld", "ActivityStreams"],
    ["ttl", "Turtle"],
    ["nt", "N-Triples"],
  ]
    .map(([f, name]) => `<a href="${esc(i.id)}?format=${f}">${name}</a>`)
    .join(" · ");
  const body = `<h1>${esc(i.name)}</h1>
${i.description ? `<div class="description">${i.description}</div>` : ""}
<dl>${rows
    .filter(([, v]) => v)
    .map(([k, v]) => `<dt>${k}</dt><dd>${v}</dd>`)
    .join("")}</dl>
${translations(i.translations)}
<p class="muted">${source}. Updated ${esc(rec.updated)}. As linked data:
${formats}</p>`;
  return layout(i.name, body, head);
}
