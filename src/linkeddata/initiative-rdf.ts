/**
 * Initiative ⇄ RDF quads. {@link initiativeToQuads} emits exactly the graph that
 * `initiativeToJsonLd` describes (held isomorphic by a test); {@link draftsFromQuads} reads any graph
 * that uses the ESSGLOBAL terms (under any known base) back into drafts.
 */
import { Store, type Quad, type Quad_Graph, type Term } from "n3";
import { namedNode, literal, quad, defaultGraph } from "./terms.ts";
import type { InitiativeRecord } from "../domain/initiative.ts";
import type { Taxonomies } from "../domain/taxonomy.ts";
import type { InitiativeDraft } from "../domain/validate.ts";
import { fromOrgId, orgId } from "../domain/registrations.ts";
import { SHARED_FIELDS, shareable, type Audience } from "../domain/sharing.ts";
import { ACCOUNT_SERVICES, NODE, decimal, termsOf, type DatasetTerms } from "./initiative-jsonld.ts";
import {
  AS,
  CCREL,
  COMPANIES_HOUSE,
  DCTERMS,
  ESS,
  ESSFED,
  FOAF,
  GEO,
  GR,
  OSSPR,
  ORG,
  OWL,
  PUBLIC,
  RDF,
  ROV,
  VCARD,
  XSD,
  canonicalEssIri,
} from "./namespaces.ts";
import { summarise } from "./summary.ts";

const DECIMAL = namedNode(XSD.decimal);
const DATETIME = namedNode(XSD.dateTime);

/**
 * The quads of one record, in graph `graph` (default graph when omitted). With `only`, just those
 * whose predicate it holds (the SPARQL endpoint's record-by-record answers need a few of them).
 */
export function initiativeToQuads(
  record: InitiativeRecord,
  taxonomies: Taxonomies,
  owner: string,
  graph: Quad_Graph = defaultGraph(),
  only?: ReadonlySet<string>,
  audience: Audience = "public",
  datasetTerms?: DatasetTerms,
): Quad[] {
  const i = shareable(record.initiative, audience);
  const out: Quad[] = [];
  const s = namedNode(i.id);
  const want = (p: string) => !only || only.has(p);
  const add = (subj: Quad["subject"], p: string, o: Quad["object"]) => {
    if (want(p)) out.push(quad(subj, namedNode(p), o, graph));
  };
  const iri = (v: string) => namedNode(v);
  add(s, RDF.type, iri(AS.Page));
  add(s, RDF.type, iri(ESS.SSEInitiative));
  add(s, AS.name, literal(i.name));
  const summary = want(AS.summary) ? summarise(i, taxonomies) : undefined;
  if (summary) add(s, AS.summary, literal(summary));
  add(s, AS.url, iri(i.id));
  add(s, AS.attributedTo, iri(owner));
  add(s, AS.to, iri(PUBLIC));
  add(s, AS.published, literal(record.published, DATETIME));
  add(s, AS.updated, literal(record.updated, DATETIME));
  add(s, GR.name, literal(i.name));
  if (i.description !== undefined) add(s, DCTERMS.description, literal(i.description));
  for (const [lang, t] of Object.entries(i.translations ?? {})) {
    if (t.name !== undefined) add(s, GR.name, literal(t.name, lang));
    if (t.description !== undefined) add(s, DCTERMS.description, literal(t.description, lang));
  }
  if (i.homepage !== undefined) add(s, FOAF.homepage, literal(i.homepage));
  for (const v of i.organisationalStructure) add(s, ESS.organisationalStructure, iri(v));
  for (const v of i.legalForm) add(s, ESS.legalForm, iri(v));
  if (i.legalFormText !== undefined) add(s, ESSFED.legalFormText, literal(i.legalFormText));
  if (i.sector !== undefined) add(s, ESSFED.sector, literal(i.sector));
  for (const v of i.sicCodes ?? []) add(s, ESSFED.sicCode, literal(v));
  if (i.ownership !== undefined) add(s, ESSFED.ownership, literal(i.ownership));
  if (i.primaryActivity) add(s, ESS.primarySector, iri(i.primaryActivity));
  for (const v of i.activities) add(s, ESS.economicSector, iri(v));
  for (const v of i.qualifiers) add(s, ESS.qualifier, iri(v));
  if (i.baseMembershipType) add(s, ESS.baseMembershipType, iri(i.baseMembershipType));
  if (i.country) add(s, ESS.country_id, iri(i.country));
  if (i.territory) add(s, ESS.territory_id, iri(i.territory));
  const a = i.address;
  if (a) {
    const n = iri(i.id + NODE.address);
    add(s, ESS.hasAddress, n);
    add(n, RDF.type, iri(ESS.Address));
    if (a.streetAddress !== undefined) add(n, VCARD["street-address"], literal(a.streetAddress));
    if (a.locality !== undefined) add(n, VCARD.locality, literal(a.locality));
    if (a.region !== undefined) add(n, VCARD.region, literal(a.region));
    if (a.postcode !== undefined) add(n, VCARD["postal-code"], literal(a.postcode));
    if (a.countryName !== undefined) add(n, VCARD["country-name"], literal(a.countryName));
    if (a.lat !== undefined && want(GEO.lat)) add(n, GEO.lat, literal(decimal(a.lat), DECIMAL));
    if (a.long !== undefined && want(GEO.long)) add(n, GEO.long, literal(decimal(a.long), DECIMAL));
    if (a.geoContainer !== undefined) {
      const gc = iri(a.geoContainer);
      add(n, OSSPR.within, gc);
      if (a.geoContainerLat !== undefined) add(gc, GEO.lat, literal(decimal(a.geoContainerLat), DECIMAL));
      if (a.geoContainerLong !== undefined) add(gc, GEO.long, literal(decimal(a.geoContainerLong), DECIMAL));
    }
  }
  if (i.phone !== undefined) {
    add(s, VCARD.hasTelephone, iri(i.id + NODE.telephone));
    add(iri(i.id + NODE.telephone), VCARD.value, literal(i.phone));
  }
  if (i.email !== undefined) {
    add(s, VCARD.hasEmail, iri(i.id + NODE.email));
    add(iri(i.id + NODE.email), VCARD.value, literal(i.email));
  }
  for (const k of ["twitter", "facebook"] as const) {
    const v = i[k];
    if (v === undefined) continue;
    const n = iri(i.id + NODE[k]);
    add(s, FOAF.account, n);
    add(n, RDF.type, iri(FOAF.OnlineAccount));
    add(n, FOAF.accountServiceHomepage, literal(ACCOUNT_SERVICES[k]));
    add(n, FOAF.accountName, literal(v));
  }
  if (i.companiesHouseNumber) add(s, ROV.hasRegisteredOrganization, iri(COMPANIES_HOUSE + i.companiesHouseNumber));
  for (const r of i.registrations ?? []) add(s, ORG.identifier, literal(orgId(r)));
  for (const v of i.sameAs) add(s, OWL.sameAs, iri(v));
  const terms = termsOf(record, datasetTerms);
  if (terms.license) add(s, DCTERMS.license, iri(terms.license));
  if (terms.attribution) add(s, CCREL.attributionName, literal(terms.attribution));
  for (const f of SHARED_FIELDS) if (i.sharing?.[f]) add(s, ESSFED[`${f}Sharing`], literal(i.sharing[f]));
  return out;
}

/**
 * Finds every `essglobal:SSEInitiative` in a set of quads (any ESSGLOBAL base, any graph) and reads
 * it into a draft. Blank-node subjects get `id` = "" for the caller to assign.
 */
export function draftsFromQuads(quads: Iterable<Quad>): InitiativeDraft[] {
  const store = new Store();
  for (const q of quads) {
    // Fold every known ESSGLOBAL base onto the canonical one and every graph onto the default.
    store.addQuad(quad(canon(q.subject), canon(q.predicate), canon(q.object), defaultGraph()));
  }
  const drafts: InitiativeDraft[] = [];
  for (const subject of store.getSubjects(namedNode(RDF.type), namedNode(ESS.SSEInitiative), null)) {
    drafts.push(readDraft(store, subject));
  }
  return drafts;
}

function canon<T extends Term>(t: T): T {
  return (t.termType === "NamedNode" ? namedNode(canonicalEssIri(t.value)) : t) as T;
}

function readDraft(store: Store, s: Term): InitiativeDraft {
  const values = (subj: Term, p: string) => store.getObjects(subj, namedNode(p), null).map((o) => o.value);
  const one = (subj: Term, p: string) => values(subj, p)[0];
  const node = (subj: Term, p: string) => store.getObjects(subj, namedNode(p), null)[0];
  const literals = (p: string) =>
    store
      .getObjects(s as Quad["subject"], namedNode(p), null)
      .filter((o) => o.termType === "Literal")
      .map((o) => ({ value: o.value, lang: (o as { language: string }).language }));
  const names = splitLanguages(literals(GR.name));
  const descriptions = splitLanguages(literals(DCTERMS.description));
  const draft: InitiativeDraft = {
    id: s.termType === "NamedNode" ? s.value : "",
    name: names.plain ?? one(s, AS.name),
    description: descriptions.plain,
    legalFormText: one(s, ESSFED.legalFormText),
    sector: one(s, ESSFED.sector),
    sicCodes: values(s, ESSFED.sicCode),
    ownership: one(s, ESSFED.ownership),
    homepage: one(s, FOAF.homepage) ?? one(s, "http://purl.org/goodrelations/v1#homepage"),
    organisationalStructure: values(s, ESS.organisationalStructure),
    legalForm: values(s, ESS.legalForm),
    primaryActivity: one(s, ESS.primarySector),
    activities: values(s, ESS.economicSector),
    qualifiers: values(s, ESS.qualifier),
    baseMembershipType: one(s, ESS.baseMembershipType),
    country: one(s, ESS.country_id),
    territory: one(s, ESS.territory_id),
    sameAs: values(s, OWL.sameAs),
  };
  const translations = mergeTranslations(names.tagged, descriptions.tagged);
  if (translations) draft.translations = translations;
  const a = node(s, ESS.hasAddress);
  if (a) {
    const gc = node(a, OSSPR.within);
    draft.address = {
      streetAddress: one(a, VCARD["street-address"]),
      locality: one(a, VCARD.locality),
      region: one(a, VCARD.region),
      postcode: one(a, VCARD["postal-code"]),
      countryName: one(a, VCARD["country-name"]),
      lat: one(a, GEO.lat),
      long: one(a, GEO.long),
      ...(gc ? { geoContainer: gc.value, geoContainerLat: one(gc, GEO.lat), geoContainerLong: one(gc, GEO.long) } : {}),
    };
  }
  const tel = node(s, VCARD.hasTelephone);
  if (tel) draft.phone = one(tel, VCARD.value) ?? tel.value.replace(/^tel:/, "");
  const email = node(s, VCARD.hasEmail);
  if (email) draft.email = one(email, VCARD.value) ?? email.value;
  for (const acc of store.getObjects(s, namedNode(FOAF.account), null)) {
    const service = one(acc, FOAF.accountServiceHomepage) ?? "";
    const name = one(acc, FOAF.accountName);
    if (/twitter|x\.com/.test(service)) draft.twitter = name;
    else if (/facebook/.test(service)) draft.facebook = name;
  }
  const ch = one(s, ROV.hasRegisteredOrganization);
  if (ch) draft.companiesHouseNumber = ch.replace(COMPANIES_HOUSE, "");
  const ids = values(s, ORG.identifier);
  if (ids.length) draft.registrations = ids.map(fromOrgId);
  const license = one(s, DCTERMS.license);
  if (license) draft.license = license;
  const attribution = one(s, CCREL.attributionName);
  if (attribution) draft.attribution = attribution;
  const sharing = Object.fromEntries(SHARED_FIELDS.map((f) => [f, one(s, ESSFED[`${f}Sharing`])]));
  if (Object.values(sharing).some(Boolean)) draft.sharing = sharing;
  return draft;
}

/**
 * Texts in several languages: the one without a language tag is the record's own (or, when every
 * one is tagged, the first); the others are translations by tag.
 */
export function splitLanguages(values: { value: string; lang?: string }[]): {
  plain?: string;
  tagged: Record<string, string>;
} {
  const plainAt = values.findIndex((v) => !v.lang);
  const at = plainAt >= 0 ? plainAt : 0;
  // A Map, then own properties: a tag is the sender's text, and `constructor` or `__proto__` is no key of a literal.
  const tagged = new Map<string, string>();
  values.forEach((v, n) => {
    const tag = v.lang?.toLowerCase();
    if (n !== at && tag && !tagged.has(tag)) tagged.set(tag, v.value);
  });
  return { ...(values[at] ? { plain: values[at].value } : {}), tagged: Object.fromEntries(tagged) };
}

/** Names and descriptions by language → the draft's translations (undefined when none). */
export function mergeTranslations(
  names: Record<string, string>,
  descriptions: Record<string, string>,
): InitiativeDraft["translations"] {
  const out = new Map<string, { name?: string; description?: string }>();
  for (const [lang, name] of Object.entries(names)) out.set(lang, { name });
  for (const [lang, description] of Object.entries(descriptions)) out.set(lang, { ...out.get(lang), description });
  return out.size ? Object.fromEntries(out) : undefined;
}
