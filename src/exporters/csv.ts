/**
 * Records as SEA standard v4 CSV rows: taxonomy values as canonical concept IRIs,
 * `;` between values. An instance's own records export with their local id as Identifier, so the
 * file imports back to the same data; mirrored records carry their full IRI. A cell a spreadsheet
 * would run as a formula is written with an apostrophe in front, which the importer takes off.
 */
import type { Iris } from "../directory/ids.ts";
import { shareable } from "../domain/sharing.ts";
import type { Taxonomies } from "../domain/taxonomy.ts";
import { decimal } from "../linkeddata/initiative-jsonld.ts";
import { csvCell } from "../importers/csv/cells.ts";
import { EXTRA_COLUMNS, V4_COLUMNS } from "../importers/csv/columns.ts";
import { formatRegistrations } from "../domain/registrations.ts";
import type { StoredInitiative } from "../store/store.ts";

/** A value as a cell, quoted as RFC 4180 needs and neutralised so that no spreadsheet runs it (ADR 19). */
const cell = (v: string | number | undefined): string =>
  v === undefined ? "" : csvCell(typeof v === "number" ? decimal(v) : v);

/**
 * The header: the standard's 25 columns, the extra columns essfed holds, then `Name:xx` and
 * `Description:xx` for each language in `languages` (those the exported records have translations in).
 */
export function csvHeader(languages: readonly string[] = []): string {
  return [...V4_COLUMNS, ...EXTRA_COLUMNS, ...languages.flatMap((l) => [`Name:${l}`, `Description:${l}`])]
    .map(cell)
    .join(",");
}

/** The languages records have translations in, sorted: the translation columns of a CSV of them. */
export function translationLanguages(records: Iterable<StoredInitiative>, into = new Set<string>()): Set<string> {
  for (const r of records) for (const l of Object.keys(r.initiative.translations ?? {})) into.add(l);
  return into;
}

export function csvRow(
  r: StoredInitiative,
  iris: Iris,
  taxonomies: Taxonomies,
  languages: readonly string[] = [],
): string {
  // A CSV is this network's own publication: fields kept for the team (`none`) are left out.
  const i = shareable(r.initiative, "public");
  const a = i.address ?? {};
  const code = (iri?: string) => (iri ? (taxonomies.get(iri)?.code ?? iri) : undefined);
  const values: Record<(typeof V4_COLUMNS)[number], string | number | undefined> = {
    Identifier: iris.localId(i.id) ?? i.id,
    Name: i.name,
    Description: i.description,
    "Organisational Structure": i.organisationalStructure.join(";") || undefined,
    "Primary Activity": i.primaryActivity,
    Activities: i.activities.join(";") || undefined,
    "Street Address": a.streetAddress,
    Locality: a.locality,
    Region: a.region,
    Postcode: a.postcode,
    "Country ID": code(i.country),
    "Territory ID": code(i.territory),
    Website: i.homepage,
    Phone: i.phone,
    Email: i.email,
    Twitter: i.twitter,
    Facebook: i.facebook,
    "Companies House Number": i.companiesHouseNumber,
    Qualifiers: i.qualifiers.join(";") || undefined,
    "Membership Type": i.baseMembershipType,
    // Coordinates that came from the geo container are written only there, as the source had them.
    Latitude:
      a.lat !== undefined && !(a.lat === a.geoContainerLat && a.long === a.geoContainerLong) ? a.lat : undefined,
    Longitude:
      a.long !== undefined && !(a.lat === a.geoContainerLat && a.long === a.geoContainerLong) ? a.long : undefined,
    "Geo Container": a.geoContainer,
    "Geo Container Latitude": a.geoContainerLat,
    "Geo Container Longitude": a.geoContainerLong,
  };
  const extra: Record<(typeof EXTRA_COLUMNS)[number], string | undefined> = {
    // Concepts first, then the text as the source wrote it: reading the cell back gives both again.
    "Legal Form": [...i.legalForm, ...(i.legalFormText ? [i.legalFormText] : [])].join(";") || undefined,
    Sector: i.sector,
    "SIC Code": i.sicCodes?.join(";"),
    "Ownership Classification": i.ownership,
    "Same As": i.sameAs.join(";") || undefined,
    Registrations: i.registrations?.length ? formatRegistrations(i.registrations) : undefined,
    License: i.license,
    Attribution: i.attribution,
    "Email Sharing": i.sharing?.email,
    "Phone Sharing": i.sharing?.phone,
    "Street Address Sharing": i.sharing?.streetAddress,
  };
  const t = i.translations ?? {};
  return [
    ...V4_COLUMNS.map((c) => cell(values[c])),
    ...EXTRA_COLUMNS.map((c) => cell(extra[c])),
    ...languages.flatMap((l) => [cell(t[l]?.name), cell(t[l]?.description)]),
  ].join(",");
}
