/**
 * An initiative as a GeoJSON Feature (RFC 7946): a Point at its coordinates (null when it has
 * none), and every field the record holds as properties, so that `essfed import` reads the file
 * back to the same data. Taxonomy values are `{ id, label }` (concept IRI and English label);
 * translations are `name:xx` and `description:xx`, as OpenStreetMap tags them.
 */
import type { Iris } from "../directory/ids.ts";
import { shareable } from "../domain/sharing.ts";
import type { Taxonomies } from "../domain/taxonomy.ts";
import type { StoredInitiative } from "../store/store.ts";

export interface Feature {
  type: "Feature";
  id: string;
  geometry: { type: "Point"; coordinates: [number, number] } | null;
  properties: Record<string, unknown>;
}

/** The Feature of a record. */
export function geoJsonFeature(r: StoredInitiative, taxonomies: Taxonomies, iris: Iris): Feature {
  // GeoJSON (dumps, map answers) is this network's own publication: fields kept for the team are left out.
  const i = shareable(r.initiative, "public");
  const a = i.address ?? {};
  const concept = (iri: string | undefined) => (iri ? { id: iri, label: taxonomies.label(iri) ?? iri } : null);
  const concepts = (list: string[]) => list.map((iri) => ({ id: iri, label: taxonomies.label(iri) ?? iri }));
  const properties: Record<string, unknown> = {
    name: i.name,
    url: i.id,
    source: r.provenance?.origin ?? iris.actor,
    locality: a.locality ?? null,
    country: concept(i.country),
    organisationalStructure: concepts(i.organisationalStructure),
    primaryActivity: concept(i.primaryActivity),
    activities: concepts(i.activities),
    qualifiers: concepts(i.qualifiers),
    baseMembershipType: concept(i.baseMembershipType),
    updated: r.updated,
  };
  // The rest only when present, so that a map's features stay small.
  const optional: Record<string, unknown> = {
    description: i.description,
    homepage: i.homepage,
    email: i.email,
    phone: i.phone,
    twitter: i.twitter,
    facebook: i.facebook,
    companiesHouseNumber: i.companiesHouseNumber,
    registrations: i.registrations?.length ? i.registrations : undefined,
    streetAddress: a.streetAddress,
    region: a.region,
    postcode: a.postcode,
    countryName: a.countryName,
    territory: concept(i.territory) ?? undefined,
    legalForm: i.legalForm.length ? concepts(i.legalForm) : undefined,
    legalFormText: i.legalFormText,
    sector: i.sector,
    sicCodes: i.sicCodes,
    ownership: i.ownership,
    sameAs: i.sameAs.length ? i.sameAs : undefined,
    geoContainer: a.geoContainer,
    geoContainerLat: a.geoContainerLat,
    geoContainerLong: a.geoContainerLong,
    license: i.license,
    attribution: i.attribution,
    emailSharing: i.sharing?.email,
    phoneSharing: i.sharing?.phone,
    streetAddressSharing: i.sharing?.streetAddress,
  };
  for (const [k, v] of Object.entries(optional)) if (v !== undefined) properties[k] = v;
  for (const [lang, t] of Object.entries(i.translations ?? {})) {
    if (t.name !== undefined) properties[`name:${lang}`] = t.name;
    if (t.description !== undefined) properties[`description:${lang}`] = t.description;
  }
  return {
    type: "Feature",
    id: i.id,
    geometry: a.lat !== undefined && a.long !== undefined ? { type: "Point", coordinates: [a.long, a.lat] } : null,
    properties,
  };
}
