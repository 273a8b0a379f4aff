/**
 * Reads initiatives out of JSON-LD written with any correct context, under the JSON-LD budget
 * (ADR 18): every document is pre-scanned first; documents under essfed's own context are then read
 * by key (fast path: no expansion); everything else is expanded by `jsonld.toRDF` in a worker, with
 * the shipped contexts only (a remote context is refused, never fetched).
 */
import type { Quad } from "n3";
import type { InitiativeDraft } from "../domain/validate.ts";
import { DOCUMENT_CONTEXT_JSON } from "./context.ts";
import { SHARED_FIELDS } from "../domain/sharing.ts";
import { COMPANIES_HOUSE } from "./namespaces.ts";
import { fromOrgId } from "../domain/registrations.ts";
import { draftsFromQuads, mergeTranslations, splitLanguages } from "./initiative-rdf.ts";
import { DEFAULT_BUDGET, JsonLdBudgetError, JsonLdInputError, prescan, type JsonLdBudget } from "./jsonld-budget.ts";
import { expandInWorker } from "./jsonld-pool.ts";

export {
  DEFAULT_BUDGET,
  IMPORT_BUDGET,
  JsonLdBudgetError,
  JsonLdInputError,
  type JsonLdBudget,
} from "./jsonld-budget.ts";

/**
 * JSON-LD → quads under `budget`: throws {@link JsonLdBudgetError} when the document is over it,
 * {@link JsonLdInputError} when it is not JSON-LD we can read.
 * @param scanned the caller has already pre-scanned `doc` under this budget
 */
export async function jsonLdToQuads(
  doc: unknown,
  budget: Readonly<JsonLdBudget> = DEFAULT_BUDGET,
  scanned = false,
): Promise<Quad[]> {
  if (!scanned) prescan(doc, budget);
  return expandInWorker(doc, budget);
}

/** Every initiative described in `doc`. */
export async function draftsFromJsonLd(
  doc: unknown,
  budget: Readonly<JsonLdBudget> = DEFAULT_BUDGET,
): Promise<InitiativeDraft[]> {
  prescan(doc, budget);
  const fast = fastDraft(doc);
  if (fast) return [fast];
  return draftsFromQuads(await jsonLdToQuads(doc, budget, true));
}

/** Whether `e` is a refusal of the document itself (as opposed to a failure of ours). */
export const isJsonLdRefusal = (e: unknown): e is JsonLdBudgetError | JsonLdInputError =>
  e instanceof JsonLdBudgetError || e instanceof JsonLdInputError;

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === "object" && v !== null && !Array.isArray(v);
const arr = (v: unknown): unknown[] => (v === undefined ? [] : Array.isArray(v) ? v : [v]);
const str = (v: unknown): string | undefined => {
  const x: unknown = Array.isArray(v) ? v[0] : v;
  if (typeof x === "string") return x;
  if (typeof x === "number") return String(x);
  if (isObj(x) && (typeof x["@value"] === "string" || typeof x["@value"] === "number")) return String(x["@value"]);
  if (isObj(x) && typeof x.id === "string") return x.id;
  return undefined;
};
const strs = (v: unknown): string[] =>
  arr(v)
    .map(str)
    .filter((x): x is string => x !== undefined);

/**
 * Reads a single initiative written exactly as essfed writes it (same `@context`, one object, no
 * `@graph`). Returns undefined whenever the document could mean anything else: the caller then
 * takes the full JSON-LD path.
 */
export function fastDraft(doc: unknown): InitiativeDraft | undefined {
  if (!isObj(doc) || JSON.stringify(doc["@context"]) !== DOCUMENT_CONTEXT_JSON) return undefined;
  if ("@graph" in doc || "@id" in doc || "@type" in doc) return undefined;
  const types = arr(doc.type);
  if (!types.includes("essglobal:SSEInitiative") || typeof doc.id !== "string") return undefined;
  for (const k of Object.keys(doc)) if (!KNOWN_KEYS.has(k)) return undefined;
  const address = isObj(doc["essglobal:hasAddress"]) ? doc["essglobal:hasAddress"] : undefined;
  const gc = address && isObj(address["osspr:within"]) ? address["osspr:within"] : undefined;
  const names = languages(doc["gr:name"]);
  const descriptions = languages(doc["dcterms:description"]);
  if (!names || !descriptions) return undefined;
  const draft: InitiativeDraft = {
    id: doc.id,
    name: names.plain ?? str(doc.name),
    description: descriptions.plain,
    legalFormText: str(doc["essfed:legalFormText"]),
    sector: str(doc["essfed:sector"]),
    sicCodes: strs(doc["essfed:sicCode"]),
    ownership: str(doc["essfed:ownership"]),
    homepage: str(doc["foaf:homepage"]),
    organisationalStructure: strs(doc["essglobal:organisationalStructure"]),
    legalForm: strs(doc["essglobal:legalForm"]),
    primaryActivity: str(doc["essglobal:primarySector"]),
    activities: strs(doc["essglobal:economicSector"]),
    qualifiers: strs(doc["essglobal:qualifier"]),
    baseMembershipType: str(doc["essglobal:baseMembershipType"]),
    country: str(doc["essglobal:country_id"]),
    territory: str(doc["essglobal:territory_id"]),
    sameAs: strs(doc["owl:sameAs"]),
  };
  const translations = mergeTranslations(names.tagged, descriptions.tagged);
  if (translations) draft.translations = translations;
  if (address) {
    draft.address = {
      streetAddress: str(address["vcard:street-address"]),
      locality: str(address["vcard:locality"]),
      region: str(address["vcard:region"]),
      postcode: str(address["vcard:postal-code"]),
      countryName: str(address["vcard:country-name"]),
      lat: str(address["geo:lat"]),
      long: str(address["geo:long"]),
      ...(gc
        ? { geoContainer: str(gc.id), geoContainerLat: str(gc["geo:lat"]), geoContainerLong: str(gc["geo:long"]) }
        : {}),
    };
  }
  const tel = doc["vcard:hasTelephone"];
  if (isObj(tel)) draft.phone = str(tel["vcard:value"]);
  const email = doc["vcard:hasEmail"];
  if (isObj(email)) draft.email = str(email["vcard:value"]);
  for (const acc of arr(doc["foaf:account"])) {
    if (!isObj(acc)) continue;
    const service = str(acc["foaf:accountServiceHomepage"]) ?? "";
    if (/twitter|x\.com/.test(service)) draft.twitter = str(acc["foaf:accountName"]);
    else if (/facebook/.test(service)) draft.facebook = str(acc["foaf:accountName"]);
  }
  const ch = str(doc["rov:hasRegisteredOrganization"]);
  if (ch) draft.companiesHouseNumber = ch.replace(COMPANIES_HOUSE, "");
  const ids = strs(doc["org:identifier"]);
  if (ids.length) draft.registrations = ids.map(fromOrgId);
  const license = str(doc["dcterms:license"]);
  if (license) draft.license = license;
  const attribution = str(doc["cc:attributionName"]);
  if (attribution) draft.attribution = attribution;
  const sharing = Object.fromEntries(SHARED_FIELDS.map((f) => [f, str(doc[`essfed:${f}Sharing`])]));
  if (Object.values(sharing).some(Boolean)) draft.sharing = sharing;
  return draft;
}

/** Plain and language-tagged strings of one key; undefined for any other shape (the full path reads it). */
function languages(v: unknown): ReturnType<typeof splitLanguages> | undefined {
  const values: { value: string; lang?: string }[] = [];
  for (const x of arr(v)) {
    if (typeof x === "string") values.push({ value: x });
    else if (
      isObj(x) &&
      typeof x["@value"] === "string" &&
      typeof x["@language"] === "string" &&
      Object.keys(x).length === 2
    ) {
      values.push({ value: x["@value"], lang: x["@language"] });
    } else return undefined;
  }
  return splitLanguages(values);
}

const KNOWN_KEYS = new Set([
  "@context",
  "id",
  "type",
  "name",
  "summary",
  "url",
  "attributedTo",
  "to",
  "cc",
  "published",
  "updated",
  "gr:name",
  "dcterms:description",
  "foaf:homepage",
  "essglobal:organisationalStructure",
  "essglobal:legalForm",
  "essglobal:primarySector",
  "essglobal:economicSector",
  "essglobal:qualifier",
  "essglobal:baseMembershipType",
  "essfed:legalFormText",
  "essfed:sector",
  "essfed:sicCode",
  "essfed:ownership",
  "essglobal:country_id",
  "essglobal:territory_id",
  "essglobal:hasAddress",
  "vcard:hasTelephone",
  "vcard:hasEmail",
  "foaf:account",
  "rov:hasRegisteredOrganization",
  "owl:sameAs",
  "org:identifier",
  "dcterms:license",
  "cc:attributionName",
  "essfed:emailSharing",
  "essfed:phoneSharing",
  "essfed:streetAddressSharing",
  // An integrity proof describes the document, not the initiative: it does not change what is read.
  "proof",
]);
