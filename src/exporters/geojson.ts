/**
 * An initiative as a GeoJSON Feature (RFC 7946): a Point at its coordinates, with the name, IRI,
 * source network and taxonomy values (IRIs and English labels) as properties.
 */
import type { Iris } from "../directory/ids.ts";
import type { Taxonomies } from "../domain/taxonomy.ts";
import type { StoredInitiative } from "../store/store.ts";

export interface Feature {
  type: "Feature";
  id: string;
  geometry: { type: "Point"; coordinates: [number, number] };
  properties: Record<string, unknown>;
}

/** The Feature of a record, or undefined when it has no coordinates. */
export function geoJsonFeature(r: StoredInitiative, taxonomies: Taxonomies, iris: Iris): Feature | undefined {
  const i = r.initiative;
  const a = i.address;
  if (a?.lat === undefined || a.long === undefined) return undefined;
  const labelled = (iris_: string[]) => iris_.map((iri) => ({ id: iri, label: taxonomies.label(iri) ?? iri }));
  return {
    type: "Feature",
    id: i.id,
    geometry: { type: "Point", coordinates: [a.long, a.lat] },
    properties: {
      name: i.name,
      url: i.id,
      source: r.provenance?.origin ?? iris.actor,
      locality: a.locality ?? null,
      country: i.country ? { id: i.country, label: taxonomies.label(i.country) } : null,
      organisationalStructure: labelled(i.organisationalStructure),
      primaryActivity: i.primaryActivity ? { id: i.primaryActivity, label: taxonomies.label(i.primaryActivity) } : null,
      activities: labelled(i.activities),
      qualifiers: labelled(i.qualifiers),
      baseMembershipType: i.baseMembershipType ? { id: i.baseMembershipType, label: taxonomies.label(i.baseMembershipType) } : null,
      updated: r.updated,
    },
  };
}
