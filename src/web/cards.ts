/**
 * What people see of an initiative in a map popup and in the list beside the map: name, kind,
 * place, one line of description, and who published it by which path. Labels are in the reader's
 * language where the taxonomies have it.
 */
import type { Initiative } from "../domain/initiative.ts";
import type { Taxonomies } from "../domain/taxonomy.ts";
import { parseLicence } from "../linkeddata/licences.ts";
import { plain } from "../linkeddata/summary.ts";
import type { StoredInitiative } from "../store/store.ts";
import type { NetworkName, NetworkNames } from "./names.ts";

export interface Card {
  id: string;
  /** Where people read it here: the IRI of our own records, the held copy's page for mirrored ones. */
  href: string;
  name: string;
  kind: string;
  place: string;
  line: string;
  lat?: number;
  lon?: number;
  publishedBy: { name: string; href: string };
  via: { name: string; href: string }[];
  /**
   * The record's own licence and its owner's attribution, when it has them (a mirror keeps its
   * owner's); records without them fall under this network's licence, shown under the map.
   */
  licence?: { href: string; label: string };
  credit?: string;
}

const LINE = 140;

/** The first sentence (or the first 140 characters) of a description, as plain text. */
export function firstLine(description: string | undefined): string {
  if (!description) return "";
  const text = plain(description);
  const sentence = /^(.{20,}?[.!?])(\s|$)/.exec(text)?.[1] ?? text;
  return sentence.length > LINE ? `${sentence.slice(0, LINE - 1).trimEnd()}…` : sentence;
}

/** "Worker co-operative · Retail", in `lang`. */
export function kindOf(i: Initiative, taxonomies: Taxonomies, lang: string): string {
  const iris = [
    ...i.organisationalStructure.slice(0, 2),
    ...(i.primaryActivity ? [i.primaryActivity] : i.activities.slice(0, 1)),
  ];
  return iris
    .map((iri) => taxonomies.label(iri, lang))
    .filter(Boolean)
    .join(" · ");
}

/** "Leeds, England, United Kingdom": locality, region and country (in `lang`). */
export function placeOf(i: Initiative, taxonomies: Taxonomies, lang: string): string {
  const a = i.address;
  const country = i.country ? taxonomies.label(i.country, lang) : a?.countryName;
  return [a?.locality, a?.region, country].filter(Boolean).join(", ");
}

/** The actor IRIs a record's provenance names: its origin and the networks it came through. */
export function provenanceActors(r: StoredInitiative): string[] {
  return r.provenance ? [r.provenance.origin, ...r.provenance.via] : [];
}

export function cardOf(
  r: StoredInitiative,
  taxonomies: Taxonomies,
  lang: string,
  names: Map<string, NetworkName>,
  self: NetworkName,
): Card {
  const i = r.initiative;
  const link = (n: NetworkName) => ({ name: n.name, href: n.iri });
  const origin = r.provenance ? (names.get(r.provenance.origin) ?? self) : self;
  const lat = i.address?.lat ?? i.address?.geoContainerLat;
  const lon = i.address?.long ?? i.address?.geoContainerLong;
  return {
    id: i.id,
    href: r.provenance ? `/initiative?id=${encodeURIComponent(i.id)}` : i.id,
    name: i.name,
    kind: kindOf(i, taxonomies, lang),
    place: placeOf(i, taxonomies, lang),
    line: firstLine(i.description),
    ...(lat !== undefined && lon !== undefined ? { lat, lon } : {}),
    publishedBy: link(origin),
    // The path nearest to us last: "via Leeds hub, via UK national" reads from the origin outward.
    via: (r.provenance?.via ?? []).map((v) => link(names.get(v) ?? { iri: v, name: v, handle: v })),
    ...termsOfCard(i),
  };
}

function termsOfCard(i: Initiative): Pick<Card, "licence" | "credit"> {
  const out: Pick<Card, "licence" | "credit"> = {};
  if (i.license) {
    let label = i.license;
    try {
      label = parseLicence(i.license).label;
    } catch {
      /* an IRI held as given: shown as it is */
    }
    out.licence = { href: i.license, label };
  }
  if (i.attribution) out.credit = i.attribution;
  return out;
}

/** Cards for a page of records (one lookup of every network named). */
export async function cardsOf(
  records: StoredInitiative[],
  taxonomies: Taxonomies,
  lang: string,
  names: NetworkNames,
  self: NetworkName,
): Promise<Card[]> {
  const known = await names.getAll(records.flatMap(provenanceActors));
  return records.map((r) => cardOf(r, taxonomies, lang, known, self));
}
