/**
 * Turns an {@link InitiativeDraft} (raw values from a spreadsheet, a JSON-LD body or a remote
 * document) into a valid {@link Initiative}, or into a list of issues that say which field is wrong
 * and why. Nothing here does I/O.
 */
import { createRequire } from "node:module";
import type sanitizeHtml from "sanitize-html";
import { COMPANIES_HOUSE } from "../linkeddata/namespaces.ts";
import type { Address, Initiative } from "./initiative.ts";
import { legalFormText } from "./legal-form.ts";
import { LIMITS } from "./limits.ts";
import type { Taxonomies, TaxonomyField } from "./taxonomy.ts";
import type { SharingLevel } from "./sharing.ts";
import { validateTerms } from "./terms.ts";
import { normaliseCompaniesHouse, normaliseRegistration, type Registration } from "./registrations.ts";
import { MAX_IRI_BYTES, iriFits, screenDraft } from "./text.ts";
import { said, type IssueKey, type IssueParams, type Said } from "./issue-messages.ts";

/** Raw input: strings where the model has IRIs or numbers, everything optional. */
export interface InitiativeDraft {
  id: string;
  name?: string;
  description?: string;
  homepage?: string;
  organisationalStructure?: string[];
  legalForm?: string[];
  /** Legal form as written; parts (`;`) that name a legal-form concept become {@link legalForm}. */
  legalFormText?: string;
  sector?: string;
  sicCodes?: string[];
  ownership?: string;
  primaryActivity?: string;
  activities?: string[];
  qualifiers?: string[];
  baseMembershipType?: string;
  country?: string;
  territory?: string;
  address?: {
    streetAddress?: string;
    locality?: string;
    region?: string;
    postcode?: string;
    countryName?: string;
    lat?: number | string;
    long?: number | string;
    geoContainer?: string;
    geoContainerLat?: number | string;
    geoContainerLong?: number | string;
  };
  phone?: string;
  email?: string;
  twitter?: string;
  facebook?: string;
  companiesHouseNumber?: string;
  /** Register code (`FR-SIREN`) and number as written; see `registrations.ts`. */
  registrations?: { register: string; number: string }[];
  sameAs?: string[];
  /** Language tag → name and description in that language. */
  translations?: Record<string, { name?: string; description?: string }>;
  /** The record's own licence (SPDX id or IRI), attribution and sharing levels (see `terms.ts`). */
  license?: string;
  attribution?: string;
  sharing?: Record<string, string | undefined>;
}

/** Why one field was refused. `field` is a model path such as `address.lat`. */
export interface Issue {
  field: string;
  message: string;
  value?: string;
  /** The message's key and parameters (src/domain/issue-messages.ts), for pages that translate it. */
  key?: IssueKey;
  params?: IssueParams;
  /** A lenient check dropped the value ("; left out"). */
  leftOut?: boolean;
}

/**
 * How strict to be. The admin API refuses a record for any bad value (a person is there to fix it);
 * imports are `lenient`: a bad value in an optional field is dropped with a warning naming the
 * field, and only a record with no usable id or name is refused.
 */
export interface ValidateOptions {
  lenient?: boolean;
  /** The level of a contact field given none (`ESSFED_DEFAULT_SHARING`); public when absent. */
  defaultSharing?: SharingLevel;
  /**
   * The caller has made sure that every string and key of the draft is text essfed stores (a CSV reader that screened
   * the whole row's text at once), so `screenDraft` would find nothing: it is not run again.
   */
  screened?: boolean;
}

/** A warning does not stop the record; it says what was dropped or guessed. */
export type ValidationResult = { ok: true; initiative: Initiative; warnings: Issue[] } | { ok: false; issues: Issue[] };

/** Bounds on what one record may hold. */
export { LIMITS };

const ALLOWED_HTML: sanitizeHtml.IOptions = {
  allowedTags: ["p", "br", "a", "strong", "b", "em", "i", "ul", "ol", "li", "blockquote"],
  allowedAttributes: { a: ["href"] },
  allowedSchemes: ["http", "https", "mailto"],
};

/** Removes scripts, styles and every tag or attribute outside a small safe set. */
export function sanitiseDescription(html: string): string {
  // Most descriptions are plain text: skip the parser when there is no markup to clean.
  if (!/[<&]/.test(html)) return html;
  sanitizer ??= createRequire(import.meta.url)("sanitize-html") as typeof sanitizeHtml;
  return sanitizer(html, ALLOWED_HTML);
}

/**
 * The HTML sanitiser, loaded the first time a description has markup: its modules (an HTML parser, a CSS parser)
 * took 80 ms to load, which every thread that validates paid, the CSV reading thread before its first row.
 */
let sanitizer: typeof sanitizeHtml | undefined;

/** A refused value as an issue quotes it: text as it is, anything else (a number, a list, an object) as JSON. */
const shown = (value: unknown): string => (typeof value === "string" ? value : JSON.stringify(value));

/** Validates a draft; see {@link ValidationResult}. */
export function validateInitiative(
  draft: InitiativeDraft,
  taxonomies: Taxonomies,
  o: ValidateOptions = {},
): ValidationResult {
  const issues: Issue[] = [];
  const warnings: Issue[] = [];
  // Every check below leaves a bad value out of the result, so leniency only decides what to say.
  const bad = (field: string, what: string | Said, value?: unknown) => {
    const m = typeof what === "string" ? { message: what } : what;
    const issue = { field, ...m, ...(value === undefined ? {} : { value: shown(value).slice(0, 200) }) };
    if (o.lenient && field !== "id" && field !== "name")
      warnings.push({ ...issue, message: `${m.message}; left out`, leftOut: true });
    else issues.push(issue);
  };
  // Text no store can hold is reported under its field, then treated as absent (ADR 19).
  const screened = new Set<string>();
  if (!o.screened)
    draft = screenDraft(draft, (field, message, value) => {
      screened.add(field);
      bad(field, message, value);
    });

  // (An id screened out above has been reported already.)
  if (draft.id !== undefined && (!isHttpIri(draft.id) || draft.id.includes("#")))
    bad("id", `must be an absolute http(s) IRI without a fragment, at most ${MAX_IRI_BYTES} bytes`, draft.id);
  const name = text(draft.name);
  if (!name) {
    if (!screened.has("name")) bad("name", said("required"));
  } else if (name.length > LIMITS.name) bad("name", said("tooLong", { max: LIMITS.name }));

  const out: Initiative = {
    id: draft.id,
    name: name ?? "",
    organisationalStructure: [],
    legalForm: [],
    activities: [],
    qualifiers: [],
    sameAs: [],
  };

  const description = text(draft.description);
  if (description !== undefined) {
    if (description.length > LIMITS.description) bad("description", said("tooLong", { max: LIMITS.description }));
    else out.description = sanitiseDescription(description);
  }

  const homepage = text(draft.homepage);
  if (homepage !== undefined) {
    // Spreadsheets sometimes list several sites in one cell: keep the first, say what was left out.
    const [first, ...rest] = homepage
      .split(/\s*[;,\s]\s*(?=(?:https?:\/\/|www\.))/i)
      .map((u) => u.trim())
      .filter(Boolean);
    // A bare host name ("www.coop.example", "coop.example/about") is how many spreadsheets and maps write a site.
    const fixed = first && /^[a-z0-9-]+(\.[a-z0-9-]+)*\.[a-z]{2,}(\/\S*)?$/i.test(first) ? `http://${first}` : first;
    if (fixed && isHttpIri(fixed)) {
      out.homepage = fixed;
      if (rest.length)
        warnings.push({
          field: "homepage",
          ...said("severalHomepages", { rest: rest.join(", ") }),
          value: homepage.slice(0, 200),
        });
    } else bad("homepage", said("notHttpUrl"), homepage);
  }

  const many = (field: "organisationalStructure" | "legalForm" | "activities" | "qualifiers") => {
    const values = (draft[field] ?? []).map((v) => v.trim()).filter(Boolean);
    if (values.length > LIMITS.values) return bad(field, said("tooManyValues", { max: LIMITS.values }));
    for (const v of values) {
      const iri = taxonomies.resolveField(field, v);
      if (!iri) bad(field, said("notConcept", { value: v, schemes: schemeList(field) }), v);
      else if (!out[field].includes(iri)) out[field].push(iri);
    }
  };
  many("organisationalStructure");
  many("legalForm");
  const legalText = legalFormText(text(draft.legalFormText), taxonomies, out.legalForm, bad);
  if (legalText !== undefined) out.legalFormText = legalText;
  many("activities");
  many("qualifiers");
  // RDF values are sets: keep them sorted so that equal content has an equal version.
  for (const f of ["organisationalStructure", "legalForm", "activities", "qualifiers"] as const) out[f].sort();
  for (const field of ["primaryActivity", "baseMembershipType", "country", "territory"] as const) {
    const v = text(draft[field]);
    if (v === undefined) continue;
    const iri = taxonomies.resolveField(field, v);
    if (iri) out[field] = iri;
    else bad(field, said("notConcept", { value: v, schemes: schemeList(field) }), v);
  }

  const address = validateAddress(draft.address, bad);
  if (out.country && address) address.countryName = taxonomies.label(out.country, "en");
  if (!out.country && address?.countryName) {
    // v1 spreadsheets carry a free-text country name: use it to find the concept when we can.
    const iri = taxonomies.resolveField("country", address.countryName);
    if (iri) {
      out.country = iri;
      address.countryName = taxonomies.label(iri, "en");
    } else
      warnings.push({
        field: "address.countryName",
        ...said("unknownCountry"),
        value: address.countryName,
      });
  }
  if (address && Object.keys(address).length) out.address = address;

  for (const field of ["phone", "twitter", "facebook", "sector", "ownership"] as const) {
    const v = text(draft[field]);
    if (v === undefined) continue;
    if (v.length > LIMITS.text) bad(field, said("tooLong", { max: LIMITS.text }));
    else out[field] = v;
  }
  const email = text(draft.email);
  if (email !== undefined) {
    const e = email.replace(/^mailto:/i, "");
    if (/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(e) && e.length <= 254) out.email = e;
    else bad("email", said("notEmail"), email);
  }
  const ch = text(draft.companiesHouseNumber)?.replace(COMPANIES_HOUSE, "");
  if (ch !== undefined) {
    const n = ch.length <= 40 ? normaliseCompaniesHouse(ch) : undefined;
    if (n) out.companiesHouseNumber = n;
    else bad("companiesHouseNumber", said("notCompaniesHouse"), ch);
  }
  validateRegistrations(draft.registrations, out, bad);
  const sic = (draft.sicCodes ?? []).map((v) => v.trim()).filter(Boolean);
  if (sic.length > LIMITS.values) bad("sicCodes", said("tooManyValues", { max: LIMITS.values }));
  else {
    for (const v of sic) {
      if (!/^\d{4,5}$/.test(v)) bad("sicCodes", "must be a SIC code of 4 or 5 digits", v);
      else if (!out.sicCodes?.includes(v)) (out.sicCodes ??= []).push(v);
    }
    out.sicCodes?.sort();
  }
  const translations = validateTranslations(draft.translations, bad);
  if (translations) out.translations = translations;
  for (const s of draft.sameAs ?? []) {
    if (isHttpIri(s)) out.sameAs.push(s);
    else bad("sameAs", said("notHttpIri"), s);
  }
  out.sameAs = [...new Set(out.sameAs)].sort();
  const termed = validateTerms(draft, out, bad, o.defaultSharing);

  return issues.length ? { ok: false, issues } : { ok: true, initiative: termed, warnings };
}

/**
 * Registrations, normalised per register. A Companies House number goes to `companiesHouseNumber`
 * (ESSGLOBAL's own term for it) unless the record has another one there already.
 */
function validateRegistrations(
  given: InitiativeDraft["registrations"],
  out: Initiative,
  bad: (f: string, m: string | Said, v?: unknown) => void,
): void {
  if (!given?.length) return;
  if (given.length > LIMITS.values) return void bad("registrations", said("tooManyValues", { max: LIMITS.values }));
  const kept = new Map<string, Registration>();
  for (const g of given) {
    const register = typeof g?.register === "string" ? g.register : "";
    const number = typeof g?.number === "string" ? g.number : typeof g?.number === "number" ? String(g.number) : "";
    if (!number.trim()) continue;
    const r = normaliseRegistration(register, number);
    if (!r.ok) {
      bad("registrations", r.message, `${register}:${number}`);
      continue;
    }
    const { registration } = r;
    if (registration.register === "GB-COH" && (out.companiesHouseNumber ?? registration.number) === registration.number)
      out.companiesHouseNumber = registration.number;
    else kept.set(`${registration.register}:${registration.number}`, registration);
  }
  if (kept.size)
    out.registrations = [...kept.values()].sort((a, b) =>
      a.register !== b.register ? (a.register < b.register ? -1 : 1) : a.number < b.number ? -1 : 1,
    );
}

function validateAddress(
  a: InitiativeDraft["address"],
  bad: (f: string, m: string | Said, v?: unknown) => void,
): Address | undefined {
  if (!a) return undefined;
  const out: Address = {};
  for (const f of ["streetAddress", "locality", "region", "postcode", "countryName"] as const) {
    const v = text(a[f]);
    if (v === undefined) continue;
    if (v.length > LIMITS.text) bad(`address.${f}`, said("tooLong", { max: LIMITS.text }));
    else out[f] = v;
  }
  const coord = (f: "lat" | "long" | "geoContainerLat" | "geoContainerLong", max: number) => {
    const raw = a[f];
    if (raw === undefined || raw === null || (typeof raw === "string" && !raw.trim())) return;
    const n = typeof raw === "number" ? raw : Number(raw.trim());
    if (!Number.isFinite(n)) bad(`address.${f}`, said("notNumber"), raw);
    else if (Math.abs(n) > max) bad(`address.${f}`, said("outOfRange", { max }), raw);
    else out[f] = n;
  };
  coord("lat", 90);
  coord("long", 180);
  coord("geoContainerLat", 90);
  coord("geoContainerLong", 180);
  const given = (v: unknown) => v !== undefined && v !== null && !(typeof v === "string" && !v.trim());
  // One coordinate without the other is no position: leave both out.
  if (given(a.lat) !== given(a.long) || (out.lat === undefined) !== (out.long === undefined)) {
    if (given(a.lat) !== given(a.long)) bad(given(a.lat) ? "address.long" : "address.lat", said("latLongTogether"));
    delete out.lat;
    delete out.long;
  }
  if (
    given(a.geoContainerLat) !== given(a.geoContainerLong) ||
    (out.geoContainerLat === undefined) !== (out.geoContainerLong === undefined)
  ) {
    if (given(a.geoContainerLat) !== given(a.geoContainerLong)) {
      bad(
        given(a.geoContainerLat) ? "address.geoContainerLong" : "address.geoContainerLat",
        said("containerLatLongTogether"),
      );
    }
    delete out.geoContainerLat;
    delete out.geoContainerLong;
  }
  const gc = text(a.geoContainer);
  if (gc !== undefined) {
    if (isHttpIri(gc)) out.geoContainer = gc;
    else bad("address.geoContainer", said("notHttpIri"), gc);
  }
  return out;
}

/** Language tags as BCP 47 allows them (letters, digits, hyphens), lower-cased. */
const LANGUAGE_TAG = /^[a-z]{2,3}(-[a-z0-9]{1,8})*$/;

function validateTranslations(
  t: InitiativeDraft["translations"],
  bad: (f: string, m: string | Said, v?: unknown) => void,
): Initiative["translations"] {
  if (!t || typeof t !== "object") return undefined;
  const entries = Object.entries(t);
  if (entries.length > LIMITS.values) return void bad("translations", said("tooManyLanguages", { max: LIMITS.values }));
  const out: NonNullable<Initiative["translations"]> = {};
  for (const [rawTag, v] of entries) {
    const tag = rawTag.trim().toLowerCase();
    if (!LANGUAGE_TAG.test(tag)) {
      bad("translations", said("notLanguageTag"), rawTag);
      continue;
    }
    const name = text(v?.name);
    const description = text(v?.description);
    const one: { name?: string; description?: string } = {};
    if (name !== undefined) {
      if (name.length > LIMITS.name) bad(`translations.${tag}.name`, said("tooLong", { max: LIMITS.name }));
      else one.name = name;
    }
    if (description !== undefined) {
      if (description.length > LIMITS.description)
        bad(`translations.${tag}.description`, said("tooLong", { max: LIMITS.description }));
      else one.description = sanitiseDescription(description);
    }
    if (one.name !== undefined || one.description !== undefined) out[tag] = { ...out[tag], ...one };
  }
  return Object.keys(out).length ? out : undefined;
}

function text(v: string | undefined): string | undefined {
  if (typeof v !== "string") return undefined;
  const t = v.trim();
  return t ? t : undefined;
}

/** True for an absolute http(s) IRI that `URL` can parse. */
export function isHttpIri(v: unknown): v is string {
  if (typeof v !== "string" || !iriFits(v) || !/^https?:\/\/[^\s]+$/i.test(v)) return false;
  return URL.canParse(v);
}

function schemeList(field: TaxonomyField): string {
  const names: Record<TaxonomyField, string> = {
    organisationalStructure: "organisational-structure",
    legalForm: "legal-form",
    primaryActivity: "activities-ica, activities-modified or activities",
    activities: "activities-ica, activities-modified or activities",
    qualifiers: "qualifiers",
    baseMembershipType: "base-membership-type",
    country: "countries-iso",
    territory: "countries-iso, regions-ica or super-regions-ica",
  };
  return names[field];
}
