/**
 * Initiative ⇄ compact JSON-LD under {@link DOCUMENT_CONTEXT}. The output is built by hand (no
 * `jsonld.compact` on the hot path); `initiative-rdf.ts` emits the very same graph as quads and a
 * test holds the two isomorphic.
 */
import type { Initiative, InitiativeRecord } from "../domain/initiative.ts";
import { SHARED_FIELDS, shareable, type Audience } from "../domain/sharing.ts";
import { orgId } from "../domain/registrations.ts";
import type { Taxonomies } from "../domain/taxonomy.ts";
import { COMPANIES_HOUSE, PUBLIC } from "./namespaces.ts";
import { DOCUMENT_CONTEXT } from "./context.ts";
import type { DatasetTerms } from "./licences.ts";
import { summarise } from "./summary.ts";

export type { DatasetTerms };

/** Fragment identifiers of the nodes hanging off an initiative, as the SEA converter names them. */
export const NODE = {
  address: "#Address",
  telephone: "#Telephone",
  email: "#Email",
  twitter: "#twitter",
  facebook: "#facebook",
} as const;

export const ACCOUNT_SERVICES = { twitter: "https://twitter.com/", facebook: "https://facebook.com/" } as const;

/** Who owns the record and where people read it. */
export interface RenderOptions {
  /** Actor IRI of the owning network (`attributedTo`). */
  owner: string;
  /** Who reads it: decides which contact fields are left out (see {@link shareable}). */
  audience: Audience;
  /** This network's dataset licence IRI and attribution, written on own records that give none. */
  terms?: DatasetTerms;
  /** Include `@context` (top-level documents) or leave it out (items embedded in a collection). */
  context?: boolean;
}

/**
 * The licence and attribution a record goes out under: its own, else (own records only) the
 * dataset's; a mirror keeps exactly what its owner sent.
 */
export function termsOf(record: InitiativeRecord, terms: DatasetTerms | undefined): DatasetTerms {
  const i = record.initiative;
  const fallback = record.provenance ? undefined : terms;
  const license = i.license ?? fallback?.license;
  const attribution = i.attribution ?? fallback?.attribution;
  return { ...(license ? { license } : {}), ...(attribution ? { attribution } : {}) };
}

/** Lexical xsd:decimal for a JS number (never exponent notation). */
export function decimal(n: number): string {
  const s = String(n);
  if (!/e/i.test(s)) return s;
  return n.toFixed(12).replace(/\.?0+$/, "");
}

/**
 * A text in the record's own language, followed by its translations as language-tagged values
 * (`{"@value": …, "@language": "fr"}`); just the text when there are none.
 */
function withTranslations(
  plain: string | undefined,
  t: Initiative["translations"],
  key: "name" | "description",
): unknown {
  const tagged = Object.entries(t ?? {})
    .filter(([, v]) => v[key] !== undefined)
    .map(([lang, v]) => ({ "@value": v[key], "@language": lang }));
  if (!tagged.length) return plain;
  return plain === undefined ? tagged : [plain, ...tagged];
}

/** Renders a stored record as a compact JSON-LD object. */
export function initiativeToJsonLd(
  record: InitiativeRecord,
  taxonomies: Taxonomies,
  opts: RenderOptions,
): Record<string, unknown> {
  const i = shareable(record.initiative, opts.audience);
  const doc: Record<string, unknown> = {};
  if (opts.context !== false) doc["@context"] = DOCUMENT_CONTEXT;
  doc.id = i.id;
  doc.type = ["Page", "essglobal:SSEInitiative"];
  doc.name = i.name;
  const summary = summarise(i, taxonomies);
  if (summary) doc.summary = summary;
  doc.url = i.id;
  doc.attributedTo = opts.owner;
  doc.to = [PUBLIC];
  doc.published = record.published;
  doc.updated = record.updated;
  doc["gr:name"] = withTranslations(i.name, i.translations, "name");
  const description = withTranslations(i.description, i.translations, "description");
  if (description !== undefined) doc["dcterms:description"] = description;
  if (i.homepage !== undefined) doc["foaf:homepage"] = i.homepage;
  if (i.organisationalStructure.length) doc["essglobal:organisationalStructure"] = i.organisationalStructure;
  if (i.legalForm.length) doc["essglobal:legalForm"] = i.legalForm;
  if (i.legalFormText !== undefined) doc["essfed:legalFormText"] = i.legalFormText;
  if (i.sector !== undefined) doc["essfed:sector"] = i.sector;
  if (i.sicCodes?.length) doc["essfed:sicCode"] = i.sicCodes;
  if (i.ownership !== undefined) doc["essfed:ownership"] = i.ownership;
  if (i.primaryActivity) doc["essglobal:primarySector"] = i.primaryActivity;
  if (i.activities.length) doc["essglobal:economicSector"] = i.activities;
  if (i.qualifiers.length) doc["essglobal:qualifier"] = i.qualifiers;
  if (i.baseMembershipType) doc["essglobal:baseMembershipType"] = i.baseMembershipType;
  if (i.country) doc["essglobal:country_id"] = i.country;
  if (i.territory) doc["essglobal:territory_id"] = i.territory;
  const a = i.address;
  if (a) {
    const addr: Record<string, unknown> = { id: i.id + NODE.address, type: "essglobal:Address" };
    if (a.streetAddress !== undefined) addr["vcard:street-address"] = a.streetAddress;
    if (a.locality !== undefined) addr["vcard:locality"] = a.locality;
    if (a.region !== undefined) addr["vcard:region"] = a.region;
    if (a.postcode !== undefined) addr["vcard:postal-code"] = a.postcode;
    if (a.countryName !== undefined) addr["vcard:country-name"] = a.countryName;
    if (a.lat !== undefined) addr["geo:lat"] = decimal(a.lat);
    if (a.long !== undefined) addr["geo:long"] = decimal(a.long);
    if (a.geoContainer !== undefined) {
      const gc: Record<string, unknown> = { id: a.geoContainer };
      if (a.geoContainerLat !== undefined) gc["geo:lat"] = decimal(a.geoContainerLat);
      if (a.geoContainerLong !== undefined) gc["geo:long"] = decimal(a.geoContainerLong);
      addr["osspr:within"] = gc;
    }
    doc["essglobal:hasAddress"] = addr;
  }
  if (i.phone !== undefined) doc["vcard:hasTelephone"] = { id: i.id + NODE.telephone, "vcard:value": i.phone };
  if (i.email !== undefined) doc["vcard:hasEmail"] = { id: i.id + NODE.email, "vcard:value": i.email };
  const accounts: unknown[] = [];
  for (const k of ["twitter", "facebook"] as const) {
    const v = i[k];
    if (v === undefined) continue;
    accounts.push({
      id: i.id + NODE[k],
      type: "foaf:OnlineAccount",
      "foaf:accountServiceHomepage": ACCOUNT_SERVICES[k],
      "foaf:accountName": v,
    });
  }
  if (accounts.length) doc["foaf:account"] = accounts;
  if (i.companiesHouseNumber) doc["rov:hasRegisteredOrganization"] = COMPANIES_HOUSE + i.companiesHouseNumber;
  if (i.registrations?.length) doc["org:identifier"] = i.registrations.map(orgId);
  if (i.sameAs.length) doc["owl:sameAs"] = i.sameAs;
  const terms = termsOf(record, opts.terms);
  if (terms.license) doc["dcterms:license"] = terms.license;
  if (terms.attribution) doc["cc:attributionName"] = terms.attribution;
  for (const f of SHARED_FIELDS) if (i.sharing?.[f]) doc[`essfed:${f}Sharing`] = i.sharing[f];
  return doc;
}
