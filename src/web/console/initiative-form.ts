/**
 * The initiative form: which fields it has (every field the model holds), how a posted form becomes
 * a draft for the Directory (which validates it exactly as the API's writes are validated), and how
 * the Directory's issues become messages next to the fields, in the person's language.
 */
import type { Initiative } from "../../domain/initiative.ts";
import { formatRegistrations, parseRegistrations } from "../../domain/registrations.ts";
import { FIELD_SCHEMES, type Taxonomies, type TaxonomyField } from "../../domain/taxonomy.ts";
import { SHARED_FIELDS } from "../../domain/sharing.ts";
import type { InitiativeDraft, Issue } from "../../domain/validate.ts";
import type { Translator } from "../i18n.ts";
import { json } from "../render.ts";

/** Plain text fields of the contact part, in form order. `kind` is the input type. */
export const TEXT_FIELDS = [
  { name: "homepage", kind: "url" },
  { name: "email", kind: "email" },
  { name: "phone", kind: "tel" },
  { name: "twitter", kind: "text" },
  { name: "facebook", kind: "text" },
] as const;
/** How registers and sources classify it (free text, as they write it). `hint` names a help message. */
export const REGISTER_FIELDS = [
  { name: "companiesHouseNumber" },
  { name: "registrations", hint: "edit.registrationsHint" },
  { name: "legalFormText", hint: "edit.legalFormTextHint" },
  { name: "sector" },
  { name: "ownership" },
  { name: "sicCodes", hint: "edit.sicCodesHint" },
] as const;
/** The languages the form offers translations in (the record's other languages are kept as they are). */
export const TRANSLATION_LANGUAGES = ["en", "fr", "es", "pt"] as const;
export const ADDRESS_FIELDS = ["streetAddress", "locality", "region", "postcode"] as const;
export const COORDINATE_FIELDS = ["lat", "long", "geoContainer", "geoContainerLat", "geoContainerLong"] as const;
/** The team's form sets who sees each contact field, and the record's own licence. */
export const SHARING_FIELDS = SHARED_FIELDS.map((f) => ({
  field: f,
  name: `sharing-${f}`,
  label: f === "streetAddress" ? "form.field.streetAddress" : `field.${f}`,
}));
/** Taxonomy fields: `many` ones are lists of checkboxes, the others a single choice. */
export const PICKERS: { field: TaxonomyField; many: boolean }[] = [
  { field: "organisationalStructure", many: true },
  { field: "primaryActivity", many: false },
  { field: "activities", many: true },
  { field: "legalForm", many: true },
  { field: "qualifiers", many: true },
  { field: "baseMembershipType", many: false },
  { field: "country", many: false },
  { field: "territory", many: false },
];

export interface PickerOption {
  value: string;
  label: string;
  selected: boolean;
}
export interface Picker {
  field: TaxonomyField;
  many: boolean;
  groups: { label: string; options: PickerOption[] }[];
}

type Form = Record<string, unknown>;
const str = (v: unknown): string => (typeof v === "string" ? v : Array.isArray(v) ? String(v[0] ?? "") : "");
const list = (v: unknown): string[] => (Array.isArray(v) ? v.map(String) : typeof v === "string" && v ? [v] : []);

/** The values a form shows: from a stored initiative, or echoed back from a refused post. */
export interface FormValues {
  [field: string]: string | string[] | undefined;
}

export function valuesOf(i: Initiative): FormValues {
  const a = i.address ?? {};
  const num = (n: number | undefined) => (n === undefined ? "" : String(n));
  return {
    name: i.name,
    description: i.description ?? "",
    homepage: i.homepage ?? "",
    email: i.email ?? "",
    phone: i.phone ?? "",
    twitter: i.twitter ?? "",
    facebook: i.facebook ?? "",
    companiesHouseNumber: i.companiesHouseNumber ?? "",
    registrations: formatRegistrations(i.registrations ?? []),
    sameAs: i.sameAs.join("\n"),
    legalFormText: i.legalFormText ?? "",
    sector: i.sector ?? "",
    ownership: i.ownership ?? "",
    sicCodes: (i.sicCodes ?? []).join(" "),
    ...Object.fromEntries(
      TRANSLATION_LANGUAGES.flatMap((l) => [
        [`tr-${l}-name`, i.translations?.[l]?.name ?? ""],
        [`tr-${l}-description`, i.translations?.[l]?.description ?? ""],
      ]),
    ),
    organisationalStructure: i.organisationalStructure,
    legalForm: i.legalForm,
    activities: i.activities,
    qualifiers: i.qualifiers,
    primaryActivity: i.primaryActivity ?? "",
    baseMembershipType: i.baseMembershipType ?? "",
    country: i.country ?? "",
    territory: i.territory ?? "",
    streetAddress: a.streetAddress ?? "",
    locality: a.locality ?? "",
    region: a.region ?? "",
    postcode: a.postcode ?? "",
    lat: num(a.lat),
    long: num(a.long),
    geoContainer: a.geoContainer ?? "",
    geoContainerLat: num(a.geoContainerLat),
    geoContainerLong: num(a.geoContainerLong),
    license: i.license ?? "",
    ...Object.fromEntries(SHARING_FIELDS.map((s) => [s.name, i.sharing?.[s.field] ?? "public"])),
  };
}

/** The posted form as it was sent (to show it again with the messages). */
export function valuesFromForm(body: Form): FormValues {
  const out: FormValues = {};
  for (const [k, v] of Object.entries(body)) out[k] = PICKERS.some((p) => p.many && p.field === k) ? list(v) : str(v);
  return out;
}

/**
 * A draft for the Directory from a posted form (empty inputs are absent values). `kept` are the
 * record's translations in languages the form does not show, which an edit leaves as they were;
 * `terms` the record's licence, attribution and sharing levels, which the form does not show
 * either: an edit keeps them, so saving a form never widens what the record's owner shares.
 */
export function draftFromForm(
  id: string,
  body: Form,
  kept: Initiative["translations"] = {},
  terms: Pick<Initiative, "license" | "attribution" | "sharing"> = {},
  fromTeam = false,
): InitiativeDraft {
  const t = (k: string) => str(body[k]).trim() || undefined;
  const address = Object.fromEntries(
    [...ADDRESS_FIELDS, ...COORDINATE_FIELDS]
      .map((k): [string, string | undefined] => [k, t(k)])
      .filter(([, v]) => v !== undefined),
  );
  const translations: NonNullable<InitiativeDraft["translations"]> = Object.fromEntries(
    Object.entries(kept ?? {}).filter(([l]) => !(TRANSLATION_LANGUAGES as readonly string[]).includes(l)),
  );
  for (const l of TRANSLATION_LANGUAGES) {
    const name = t(`tr-${l}-name`);
    const description = t(`tr-${l}-description`);
    if (name || description) translations[l] = { ...(name ? { name } : {}), ...(description ? { description } : {}) };
  }
  return {
    id,
    name: str(body.name),
    description: t("description"),
    ...Object.fromEntries(TEXT_FIELDS.map((f): [string, string | undefined] => [f.name, t(f.name)])),
    companiesHouseNumber: t("companiesHouseNumber"),
    registrations: parseRegistrations(t("registrations") ?? ""),
    legalFormText: t("legalFormText"),
    sector: t("sector"),
    ownership: t("ownership"),
    sicCodes: str(body.sicCodes)
      .split(/[\s,;]+/)
      .filter(Boolean),
    ...(Object.keys(translations).length ? { translations } : {}),
    organisationalStructure: list(body.organisationalStructure),
    legalForm: list(body.legalForm),
    activities: list(body.activities),
    qualifiers: list(body.qualifiers),
    primaryActivity: t("primaryActivity"),
    baseMembershipType: t("baseMembershipType"),
    country: t("country"),
    territory: t("territory"),
    ...(Object.keys(address).length ? { address } : {}),
    sameAs: str(body.sameAs).split(/\s+/).filter(Boolean),
    ...(terms.attribution ? { attribution: terms.attribution } : {}),
    // Only the team's form sets the licence and levels; a visitor's suggestion keeps the record's.
    ...(fromTeam
      ? {
          ...(t("license") ? { license: t("license") } : {}),
          sharing: Object.fromEntries(SHARING_FIELDS.map((s) => [s.field, t(s.name)])),
        }
      : {
          ...(terms.license ? { license: terms.license } : {}),
          ...(terms.sharing ? { sharing: { ...terms.sharing } } : {}),
        }),
  };
}

/** The pickers with their options labelled in the person's language, grouped by scheme. */
export function pickers(taxonomies: Taxonomies, values: FormValues, locale: string): Picker[] {
  return PICKERS.map(({ field, many }) => {
    const chosen = new Set(list(values[field]));
    const schemes = FIELD_SCHEMES[field];
    return {
      field,
      many,
      groups: schemes.map((scheme) => ({
        label:
          schemes.length > 1
            ? taxonomies.schemeLabels(scheme)[locale] || taxonomies.schemeLabels(scheme).en || scheme
            : "",
        options: taxonomies
          .concepts(scheme)
          .map((c) => ({ value: c.iri, label: taxonomies.label(c.iri, locale) ?? c.code, selected: chosen.has(c.iri) }))
          .sort((a, b) => a.label.localeCompare(b.label, locale)),
      })),
    };
  });
}

/** The Directory's issues, as messages by form field, in the person's language where we know the wording. */
export function messagesOf(issues: Issue[], tr: Translator): Record<string, string> {
  const out: Record<string, string> = {};
  for (const issue of issues) {
    // Form fields are named as the model's, without "address.", and translations as tr-<lang>-<part>.
    const field = issue.field
      .replace(/^address\./, "")
      .replace(/^translations\.([a-z0-9-]+)\.(name|description)$/, "tr-$1-$2");
    const m = issue.message;
    const known: [RegExp, string, (x: RegExpExecArray) => Record<string, string>][] = [
      [/^is required$/, "form.error.required", () => ({})],
      [/^is longer than (\d+) characters$/, "form.error.tooLong", (x) => ({ max: x[1]! })],
      [/^"(.*)" is not a concept of/, "form.error.concept", (x) => ({ value: x[1]! })],
      [/must be an http\(s\) URL|must be an absolute http\(s\) IRI/, "form.error.url", () => ({})],
      [/^is not an email address$/, "form.error.email", () => ({})],
      [/^is not a number$/, "form.error.number", () => ({})],
      [/^must be between -(\d+) and \d+$/, "form.error.range", (x) => ({ max: x[1]! })],
      [/must be given together$/, "form.error.pair", () => ({})],
      [/^must be 1 to 8 letters or digits$/, "form.error.companiesHouse", () => ({})],
      [/^has more than (\d+) values$/, "form.error.tooMany", (x) => ({ max: x[1]! })],
      [/^must be a SIC code/, "form.error.sic", () => ({})],
      [/^"(.*)" is not a register code/, "form.error.registerCode", (x) => ({ value: x[1]! })],
      [
        /^"(.*)" is not a number of the register (\S+)$/,
        "form.error.registrationNumber",
        (x) => ({ value: x[1]!, register: x[2]! }),
      ],
    ];
    const hit = known
      .map(([re, key, values]) => {
        const x = re.exec(m);
        return x ? tr.t(key, values(x)) : undefined;
      })
      .find(Boolean);
    out[field] = out[field] ? `${out[field]} ${hit ?? m}` : (hit ?? m);
  }
  return out;
}

/**
 * What the initiative form's template needs beside the values and messages: the pickers and field
 * lists, the languages offered for translations, the pin map's tiles and the script's messages.
 * Shared by the team's form and the public suggestion form.
 */
export function formParts(
  taxonomies: Taxonomies,
  values: FormValues,
  ctx: { locale: string; t: Translator["t"] },
  tileUrl: string,
) {
  return {
    pickers: pickers(taxonomies, values, ctx.locale),
    textFields: TEXT_FIELDS,
    registerFields: REGISTER_FIELDS,
    addressFields: ADDRESS_FIELDS,
    coordinateFields: COORDINATE_FIELDS,
    sharingFields: SHARING_FIELDS,
    translationLanguages: TRANSLATION_LANGUAGES.map((l) => ({
      lang: l,
      language: new Intl.DisplayNames([ctx.locale], { type: "language" }).of(l) ?? l,
    })),
    tileUrl,
    clientMessages: json(
      Object.fromEntries(
        ["filter", "filterPlaceholder", "chosen", "noneChosen", "pin"].map((k) => [
          k,
          ctx.t(`edit.${k}`, { field: "{field}", list: "{list}" }),
        ]),
      ),
    ),
  };
}
