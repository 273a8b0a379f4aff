/**
 * The SEA / Digital Commons "standard" CSV: its columns, how a version is recognised
 * from the header, and which column each initiative field comes from (for error messages).
 */

/** Version 4 column order (25 columns); earlier versions are subsets with `Country Name`. */
export const V4_COLUMNS = [
  "Identifier",
  "Name",
  "Description",
  "Organisational Structure",
  "Primary Activity",
  "Activities",
  "Street Address",
  "Locality",
  "Region",
  "Postcode",
  "Country ID",
  "Territory ID",
  "Website",
  "Phone",
  "Email",
  "Twitter",
  "Facebook",
  "Companies House Number",
  "Qualifiers",
  "Membership Type",
  "Latitude",
  "Longitude",
  "Geo Container",
  "Geo Container Latitude",
  "Geo Container Longitude",
] as const;

const V1_COLUMNS = [
  "Identifier",
  "Name",
  "Description",
  "Organisational Structure",
  "Primary Activity",
  "Activities",
  "Street Address",
  "Locality",
  "Region",
  "Postcode",
  "Country Name",
  "Website",
  "Phone",
  "Email",
  "Twitter",
  "Facebook",
  "Companies House Number",
  "Latitude",
  "Longitude",
  "Geo Container",
  "Geo Container Latitude",
  "Geo Container Longitude",
];

/**
 * Columns beyond the standard that essfed holds: Co-ops UK's classification columns, found in
 * SEA data files next to the standard ones, and the IRIs of the same initiative elsewhere (what the
 * SEA converter takes from a separate "sameas" file). Exports write them after the standard's 25.
 */
export const EXTRA_COLUMNS = [
  "Legal Form",
  "Sector",
  "SIC Code",
  "Ownership Classification",
  "Same As",
  // Registrations in registers other than Companies House (ADR 32): `FR-SIREN:552100554; GB-CHC:1123456`.
  "Registrations",
  // Record terms (ADR 28): the record's own licence and attribution, the sharing level of each contact field.
  "License",
  "Attribution",
  "Email Sharing",
  "Phone Sharing",
  "Street Address Sharing",
] as const;

/** A translation column: `Name:fr`, `Description:pt-br` (also `Name (fr)`), as OpenStreetMap tags name them. */
export function translationColumn(header: string): { key: "name" | "description"; lang: string } | undefined {
  const m = /^(name|description)\s*(?::\s*|\(\s*)([a-z]{2,3}(?:-[a-z0-9]{1,8})*)\s*\)?$/i.exec(header.trim());
  return m ? { key: m[1]!.toLowerCase() as "name" | "description", lang: m[2]!.toLowerCase() } : undefined;
}

/** Columns of each version: v2 adds Qualifiers, v3 Membership Type, v4 replaces Country Name. */
export const VERSION_COLUMNS: Record<1 | 2 | 3 | 4, readonly string[]> = {
  1: V1_COLUMNS,
  2: [...V1_COLUMNS, "Qualifiers"],
  3: [...V1_COLUMNS, "Qualifiers", "Membership Type"],
  4: V4_COLUMNS,
};

export type CsvVersion = 1 | 2 | 3 | 4;

/** Every standard column name by its lower-case, single-spaced form ("country  id" → "Country ID"). */
export const CANONICAL_COLUMN: ReadonlyMap<string, string> = new Map(
  [...new Set([...V4_COLUMNS, ...VERSION_COLUMNS[3], ...EXTRA_COLUMNS])].map((c) => [c.toLowerCase(), c]),
);

/** Recognises the version from a header row, or says which columns are missing. */
export function detectVersion(header: string[]): { version: CsvVersion } | { missing: string[] } {
  const have = new Set(header.map((h) => h.trim()));
  const version: CsvVersion =
    have.has("Country ID") || have.has("Territory ID")
      ? 4
      : have.has("Membership Type")
        ? 3
        : have.has("Qualifiers")
          ? 2
          : 1;
  const missing = VERSION_COLUMNS[version].filter((c) => !have.has(c));
  return missing.length ? { missing } : { version };
}

/** The column a model field is read from (for "row 12, column Latitude: …"). */
export const FIELD_COLUMN: Record<string, string> = {
  id: "Identifier",
  name: "Name",
  description: "Description",
  organisationalStructure: "Organisational Structure",
  primaryActivity: "Primary Activity",
  activities: "Activities",
  "address.streetAddress": "Street Address",
  "address.locality": "Locality",
  "address.region": "Region",
  "address.postcode": "Postcode",
  country: "Country ID",
  "address.countryName": "Country Name",
  territory: "Territory ID",
  homepage: "Website",
  phone: "Phone",
  email: "Email",
  twitter: "Twitter",
  facebook: "Facebook",
  companiesHouseNumber: "Companies House Number",
  qualifiers: "Qualifiers",
  baseMembershipType: "Membership Type",
  "address.lat": "Latitude",
  "address.long": "Longitude",
  "address.geoContainer": "Geo Container",
  "address.geoContainerLat": "Geo Container Latitude",
  "address.geoContainerLong": "Geo Container Longitude",
  license: "License",
  attribution: "Attribution",
  "sharing.email": "Email Sharing",
  "sharing.phone": "Phone Sharing",
  "sharing.streetAddress": "Street Address Sharing",
  legalForm: "Legal Form",
  legalFormText: "Legal Form",
  sector: "Sector",
  sicCodes: "SIC Code",
  ownership: "Ownership Classification",
  sameAs: "Same As",
  registrations: "Registrations",
};
