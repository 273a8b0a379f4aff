/**
 * Namespaces and terms as typed constants. Pure data: safe to import from `domain/`.
 */

/** The ESSGLOBAL base essfed emits: vocabulary terms live under `vocab/`, SKOS schemes under `standard/`. */
export const ESSGLOBAL_BASE = "https://lod.coop/essglobal/2.1/";

/**
 * Every ESSGLOBAL base found in published data. Values under any of them are accepted
 * on input and rewritten to {@link ESSGLOBAL_BASE}. Longest first, so prefix matching is unambiguous.
 */
export const ESSGLOBAL_BASES: readonly string[] = [
  "https://w3id.solidarityeconomy.coop/essglobal/V2a/",
  "https://dev.lod.coop/essglobal/V2a/",
  "https://dev.lod.coop/essglobal/2.1/",
  "https://lod.coop/essglobal/V2a/",
  "https://lod.coop/essglobal/2.1/",
  "http://purl.org/essglobal/",
];

function ns<const T extends string>(
  base: string,
  terms: readonly T[],
): { readonly [K in T]: string } & { readonly ns: string } {
  const out: Record<string, string> = { ns: base };
  for (const t of terms) out[t] = base + t;
  return Object.freeze(out) as { readonly [K in T]: string } & { readonly ns: string };
}

export const ESS = ns(ESSGLOBAL_BASE + "vocab/", [
  "SSEInitiative",
  "Address",
  "Network",
  "economicSector",
  "primarySector",
  "organisationalStructure",
  "legalForm",
  "baseMembershipType",
  "qualifier",
  "hasAddress",
  "country_id",
  "territory_id",
  "mission",
  "totalOfMembers",
] as const);

export const STANDARD = ESSGLOBAL_BASE + "standard/";

export const RDF = ns("http://www.w3.org/1999/02/22-rdf-syntax-ns#", ["type"] as const);
export const RDFS = ns("http://www.w3.org/2000/01/rdf-schema#", ["label"] as const);
export const XSD = ns("http://www.w3.org/2001/XMLSchema#", [
  "string",
  "decimal",
  "dateTime",
  "integer",
  "boolean",
] as const);
export const GR = ns("http://purl.org/goodrelations/v1#", ["name"] as const);
export const DCTERMS = ns("http://purl.org/dc/terms/", [
  "description",
  "created",
  "modified",
  "title",
  "license",
] as const);
/** Creative Commons Rights Expression Language: the owner's attribution text. */
export const CCREL = ns("http://creativecommons.org/ns#", ["attributionName"] as const);
export const FOAF = ns("http://xmlns.com/foaf/0.1/", [
  "homepage",
  "account",
  "OnlineAccount",
  "accountServiceHomepage",
  "accountName",
] as const);
export const VCARD = ns("http://www.w3.org/2006/vcard/ns#", [
  "street-address",
  "locality",
  "region",
  "postal-code",
  "country-name",
  "hasTelephone",
  "hasEmail",
  "value",
] as const);
export const GEO = ns("http://www.w3.org/2003/01/geo/wgs84_pos#", ["lat", "long"] as const);
export const OSSPR = ns("http://data.ordnancesurvey.co.uk/ontology/spatialrelations/", ["within"] as const);
export const ROV = ns("http://www.w3.org/ns/regorg#", ["hasRegisteredOrganization"] as const);
/** W3C Organization Ontology: `org:identifier` carries registrations (ADR 32). */
export const ORG = ns("http://www.w3.org/ns/org#", ["identifier"] as const);
export const OWL = ns("http://www.w3.org/2002/07/owl#", ["sameAs"] as const);
export const SKOS = ns("http://www.w3.org/2004/02/skos/core#", [
  "Concept",
  "ConceptScheme",
  "prefLabel",
  "altLabel",
  "inScheme",
  "broader",
  "notation",
] as const);
export const PROV = ns("http://www.w3.org/ns/prov#", ["wasAttributedTo", "wasDerivedFrom", "generatedAtTime"] as const);
export const AS = ns("https://www.w3.org/ns/activitystreams#", [
  "Page",
  "Tombstone",
  "OrderedCollection",
  "OrderedCollectionPage",
  "Public",
  "name",
  "summary",
  "url",
  "published",
  "updated",
  "attributedTo",
  "to",
  "cc",
  "formerType",
  "deleted",
] as const);
/** essfed's own terms: provenance of mirrored records, and fields ESSGLOBAL has no term for (docs/protocol.md). */
export const ESSFED = ns("https://w3id.org/essfed/ns#", [
  "via",
  "receivedAt",
  "origin",
  "version",
  "legalFormText",
  "sector",
  "sicCode",
  "ownership",
  "emailSharing",
  "phoneSharing",
  "streetAddressSharing",
] as const);

/** The ActivityStreams context IRI (always preloaded, never fetched). */
export const AS_CONTEXT = "https://www.w3.org/ns/activitystreams";
/** The public addressing collection. */
export const PUBLIC = AS.Public;

/** Companies House company IRIs, as the SEA converter writes them. */
export const COMPANIES_HOUSE = "http://business.data.gov.uk/id/company/";

/** Rewrites an IRI under any known ESSGLOBAL base to {@link ESSGLOBAL_BASE}; other IRIs pass unchanged. */
export function canonicalEssIri(iri: string): string {
  for (const base of ESSGLOBAL_BASES) {
    if (iri.startsWith(base)) {
      let rest = iri.slice(base.length);
      // The 1.1 DSP used versioned vocabulary IRIs: http://purl.org/essglobal/vocab/v1.1/Term
      if (rest.startsWith("vocab/v1.1/")) rest = "vocab/" + rest.slice("vocab/v1.1/".length);
      return ESSGLOBAL_BASE + rest;
    }
  }
  return iri;
}
