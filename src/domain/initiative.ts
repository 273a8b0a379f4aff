/**
 * The initiative model: what essfed knows about one SSE initiative, independent of any wire format.
 * Taxonomy values are canonical concept IRIs (see {@link Taxonomies}); JSON-LD and RDF names appear
 * only in `linkeddata/`.
 */
import type { Registration } from "./registrations.ts";
import type { Sharing } from "./sharing-levels.ts";

/** The postal and geographic location of an initiative (`essglobal:Address`). */
export interface Address {
  streetAddress?: string;
  locality?: string;
  region?: string;
  postcode?: string;
  /** English name of the country, derived from {@link Initiative.country} when known. */
  countryName?: string;
  /** WGS84 latitude in decimal degrees (exact location). */
  lat?: number;
  /** WGS84 longitude in decimal degrees (exact location). */
  long?: number;
  /** IRI of a containing area, e.g. an OS postcode unit. */
  geoContainer?: string;
  geoContainerLat?: number;
  geoContainerLong?: number;
}

/** One SSE initiative. Arrays are never undefined; an empty array means "no value". */
export interface Initiative {
  /** Absolute IRI; for local initiatives it is under this instance's base URL. */
  id: string;
  name: string;
  /** Sanitised HTML fragment or plain text. */
  description?: string;
  /** Website, kept as a literal as the lod.coop data does (`foaf:homepage`). */
  homepage?: string;
  organisationalStructure: string[];
  /** Concept IRIs in the legal-form scheme. */
  legalForm: string[];
  /**
   * The legal form as a register names it ("Community Interest Company", "Society"), kept when it
   * is more specific than, or not among, the legal-form concepts.
   */
  legalFormText?: string;
  /** Sector as a source classifies it (Co-ops UK "Sector"), free text. */
  sector?: string;
  /** UK Standard Industrial Classification codes (4 or 5 digits). */
  sicCodes?: string[];
  /** Who owns the initiative as a source classifies it (Co-ops UK "Ownership Classification"). */
  ownership?: string;
  primaryActivity?: string;
  activities: string[];
  qualifiers: string[];
  baseMembershipType?: string;
  /** Concept IRI in the countries-iso scheme. */
  country?: string;
  /** Concept IRI in countries-iso, regions-ica or super-regions-ica. */
  territory?: string;
  address?: Address;
  phone?: string;
  email?: string;
  twitter?: string;
  facebook?: string;
  /** UK Companies House number, left-padded to 8 characters. */
  companiesHouseNumber?: string;
  /** Registrations in other registers (never GB-COH: that is {@link companiesHouseNumber}), sorted. */
  registrations?: Registration[];
  sameAs: string[];
  /**
   * The name and description in other languages, by lower-case BCP 47 tag ("fr", "pt-br"); the
   * plain {@link name} and {@link description} are the record's own language.
   */
  translations?: Record<string, Translation>;
  /** The record's own licence IRI (`dcterms:license`); absent = the owning network's dataset licence. */
  license?: string;
  /** The owner's attribution text (`cc:attributionName`), kept on mirrors as the owner gave it. */
  attribution?: string;
  /** How far each contact field may travel (see `sharing.ts`); a field given none is public. */
  sharing?: Sharing;
}

/** The name and description in one other language. */
export interface Translation {
  name?: string;
  description?: string;
}

/** Where a mirrored record came from. */
export interface Provenance {
  /** Actor IRI of the network that owns the initiative. */
  origin: string;
  /** Actor IRIs of the instances the record passed through, nearest the origin first. */
  via: string[];
  /** When this instance received it (ISO 8601). */
  receivedAt: string;
}

/** An initiative as stored: the model plus bookkeeping. */
export interface InitiativeRecord {
  initiative: Initiative;
  /** ISO 8601 time the initiative was first published by its owner. */
  published: string;
  /** ISO 8601 time of the owner's last change. */
  updated: string;
  /** Content hash of {@link initiative}; equal versions mean equal content. */
  version: string;
  /** Absent for this instance's own initiatives. */
  provenance?: Provenance;
}

/** What is left of a deleted initiative (served as an ActivityStreams Tombstone with 410). */
export interface Tombstone {
  id: string;
  deleted: string;
  /** Origin network for mirrored records; absent for local ones. */
  origin?: string;
}

/** Returns an initiative with every array field present and empty. */
export function emptyInitiative(id: string, name: string): Initiative {
  return {
    id,
    name,
    organisationalStructure: [],
    legalForm: [],
    activities: [],
    qualifiers: [],
    sameAs: [],
  };
}
