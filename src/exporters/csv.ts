/**
 * Records as SEA standard v4 CSV rows (VOCAB.md §4): taxonomy values as canonical concept IRIs,
 * `;` between values. An instance's own records export with their local id as Identifier, so the
 * file imports back to the same data; mirrored records carry their full IRI.
 */
import type { Iris } from "../directory/ids.ts";
import type { Taxonomies } from "../domain/taxonomy.ts";
import { decimal } from "../linkeddata/initiative-jsonld.ts";
import { V4_COLUMNS } from "../importers/csv/columns.ts";
import type { StoredInitiative } from "../store/store.ts";

const cell = (v: string | number | undefined): string => {
  if (v === undefined) return "";
  const s = typeof v === "number" ? decimal(v) : v;
  return /[",\r\n]/.test(s) || /^\s|\s$/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
};

export function csvHeader(): string {
  return V4_COLUMNS.join(",");
}

export function csvRow(r: StoredInitiative, iris: Iris, taxonomies: Taxonomies): string {
  const i = r.initiative;
  const a = i.address ?? {};
  const code = (iri?: string) => (iri ? taxonomies.get(iri)?.code ?? iri : undefined);
  const values: Record<(typeof V4_COLUMNS)[number], string | number | undefined> = {
    "Identifier": iris.localId(i.id) ?? i.id,
    "Name": i.name,
    "Description": i.description,
    "Organisational Structure": i.organisationalStructure.join(";") || undefined,
    "Primary Activity": i.primaryActivity,
    "Activities": i.activities.join(";") || undefined,
    "Street Address": a.streetAddress,
    "Locality": a.locality,
    "Region": a.region,
    "Postcode": a.postcode,
    "Country ID": code(i.country),
    "Territory ID": code(i.territory),
    "Website": i.homepage,
    "Phone": i.phone,
    "Email": i.email,
    "Twitter": i.twitter,
    "Facebook": i.facebook,
    "Companies House Number": i.companiesHouseNumber,
    "Qualifiers": i.qualifiers.join(";") || undefined,
    "Membership Type": i.baseMembershipType,
    // Coordinates that came from the geo container are written only there, as the source had them.
    "Latitude": a.lat !== undefined && !(a.lat === a.geoContainerLat && a.long === a.geoContainerLong) ? a.lat : undefined,
    "Longitude": a.long !== undefined && !(a.lat === a.geoContainerLat && a.long === a.geoContainerLong) ? a.long : undefined,
    "Geo Container": a.geoContainer,
    "Geo Container Latitude": a.geoContainerLat,
    "Geo Container Longitude": a.geoContainerLong,
  };
  return V4_COLUMNS.map((c) => cell(values[c])).join(",");
}
