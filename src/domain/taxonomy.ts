/**
 * SKOS taxonomies (ESSGLOBAL "standard" schemes) and the lookup that turns whatever a spreadsheet
 * or a remote document says into a canonical concept IRI. No I/O: `linkeddata/vocabulary.ts`
 * parses the Turtle files in `vocab/` and hands the concepts to {@link Taxonomies}.
 */
import { STANDARD, canonicalEssIri } from "../linkeddata/namespaces.ts";
import { compact } from "./one-byte.ts";
import { own } from "./own.ts";

/** One SKOS concept. */
export interface Concept {
  /** Canonical IRI (under {@link STANDARD}). */
  iri: string;
  scheme: SchemeName;
  /** Local name in the scheme, e.g. `OS60`, `ICA280`, `GB`. */
  code: string;
  /** `skos:prefLabel` by language tag (empty labels are left out). */
  labels: Record<string, string>;
  altLabels: string[];
  broader?: string;
}

/** The schemes essfed ships. */
export const SCHEMES = [
  "activities",
  "activities-ica",
  "activities-modified",
  "base-membership-type",
  "countries-iso",
  "legal-form",
  "organisational-structure",
  "products-services",
  "qualifiers",
  "regions-ica",
  "super-regions-ica",
  "territories-ica",
  "themes",
  "type-of-labour",
] as const;
export type SchemeName = (typeof SCHEMES)[number];

/** Which schemes each initiative field takes its values from. */
export const FIELD_SCHEMES = {
  organisationalStructure: ["organisational-structure"],
  legalForm: ["legal-form"],
  primaryActivity: ["activities-ica", "activities-modified", "activities"],
  activities: ["activities-ica", "activities-modified", "activities"],
  qualifiers: ["qualifiers"],
  baseMembershipType: ["base-membership-type"],
  country: ["countries-iso"],
  territory: ["countries-iso", "regions-ica", "super-regions-ica"],
} as const satisfies Record<string, readonly SchemeName[]>;
export type TaxonomyField = keyof typeof FIELD_SCHEMES;

/** Prefixes used by Mykomap and the SEA data for codes, e.g. `aci:ICA280`. */
const CODE_PREFIXES: Record<string, SchemeName> = {
  aci: "activities-ica",
  am: "activities-modified",
  os: "organisational-structure",
  bmt: "base-membership-type",
  coun: "countries-iso",
  qf: "qualifiers",
};

/**
 * Labels found in published data that name a concept in other words (older SEA data, common
 * country names). Keys are normalised labels; values are `scheme/code`.
 */
const LABEL_ALIASES: Record<string, `${SchemeName}/${string}`> = {
  consumercooperative: "organisational-structure/OS80",
  usercooperative: "organisational-structure/OS80",
  workercooperative: "organisational-structure/OS60",
  workerscooperative: "organisational-structure/OS60",
  uk: "countries-iso/GB",
  greatbritain: "countries-iso/GB",
  usa: "countries-iso/US",
  unitedstatesofamerica: "countries-iso/US",
  democraticrepublicofcongo: "countries-iso/CD",
  democraticrepublicofthecongo: "countries-iso/CD",
  drc: "countries-iso/CD",
  drcongo: "countries-iso/CD",
  iran: "countries-iso/IR",
  swaziland: "countries-iso/SZ",
  russia: "countries-iso/RU",
  southkorea: "countries-iso/KR",
  northkorea: "countries-iso/KP",
  syria: "countries-iso/SY",
  laos: "countries-iso/LA",
  palestine: "countries-iso/PS",
  bolivia: "countries-iso/BO",
};

/** Lower-cases and drops spaces, hyphens and punctuation, so "Co-operative" matches "Cooperative". */
export function normaliseLabel(label: string): string {
  return label
    .normalize("NFKD")
    .replace(/[\u0300-\u036f]/g, "")
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, "");
}

/** How many resolved values {@link Taxonomies.resolveField} remembers, and how long each may be. */
const MEMO_SIZE = 4096;
const MEMO_VALUE_MAX = 200;

/** {@link Taxonomies.parts}: the constructor's arguments. */
export interface TaxonomyParts {
  concepts: Concept[];
  schemeLabels: [SchemeName, Record<string, string>][];
}

/** A concept whose strings are one byte a character where they can be (ADR 51). */
const compactConcept = (c: Concept): Concept => ({
  ...c,
  iri: compact(c.iri),
  code: compact(c.code),
  labels: compactValues(c.labels),
  altLabels: c.altLabels.map(compact),
  ...(c.broader === undefined ? {} : { broader: compact(c.broader) }),
});

const compactValues = (texts: Record<string, string>): Record<string, string> =>
  Object.fromEntries(Object.entries(texts).map(([lang, t]) => [lang, compact(t)]));

/** Read-only index of every shipped concept. */
export class Taxonomies {
  readonly #byIri = new Map<string, Concept>();
  /** scheme → code (as written and upper-cased) → concept */
  readonly #byCode = new Map<SchemeName, Map<string, Concept>>();
  /** scheme → normalised label → concept */
  readonly #byLabel = new Map<SchemeName, Map<string, Concept>>();
  readonly #schemeLabels = new Map<SchemeName, Record<string, string>>();

  constructor(concepts: Iterable<Concept>, schemeLabels: Iterable<[SchemeName, Record<string, string>]> = []) {
    for (const [s, l] of schemeLabels) this.#schemeLabels.set(s, compactValues(l));
    const alt: Concept[] = [];
    for (const parsed of concepts) {
      // The IRIs and labels become every record's values: one byte a character where they can be (ADR 51).
      const c = compactConcept(parsed);
      this.#byIri.set(c.iri, c);
      mapOf(this.#byCode, c.scheme).set(c.code.toUpperCase(), c);
      const labels = mapOf(this.#byLabel, c.scheme);
      for (const l of Object.values(c.labels)) if (!labels.has(normaliseLabel(l))) labels.set(normaliseLabel(l), c);
      alt.push(c);
    }
    // altLabels only where no prefLabel claims the same text
    for (const c of alt) {
      const labels = mapOf(this.#byLabel, c.scheme);
      for (const l of c.altLabels) if (!labels.has(normaliseLabel(l))) labels.set(normaliseLabel(l), c);
    }
    for (const [label, target] of Object.entries(LABEL_ALIASES)) {
      const [scheme, code] = target.split("/") as [SchemeName, string];
      const c = this.#byCode.get(scheme)?.get(code.toUpperCase());
      const labels = mapOf(this.#byLabel, scheme);
      if (c && !labels.has(label)) labels.set(label, c);
    }
  }

  /** What these taxonomies were made of, as plain data: another thread makes the same ones from it without parsing. */
  parts(): TaxonomyParts {
    return { concepts: [...this.#byIri.values()], schemeLabels: [...this.#schemeLabels] };
  }

  /** The concept with this IRI (any known ESSGLOBAL base), or undefined. */
  get(iri: string): Concept | undefined {
    return this.#byIri.get(canonicalEssIri(iri));
  }

  /** All concepts of a scheme, in code order as shipped. */
  concepts(scheme: SchemeName): Concept[] {
    return [...(this.#byCode.get(scheme)?.values() ?? [])];
  }

  /** Title of a scheme by language tag. */
  schemeLabels(scheme: SchemeName): Record<string, string> {
    return this.#schemeLabels.get(scheme) ?? {};
  }

  /** Label of a concept in `lang`, falling back to English, then the code. */
  label(iri: string, lang = "en"): string | undefined {
    const c = this.get(iri);
    if (!c) return undefined;
    return c.labels[lang] ?? c.labels[lang.split("-")[0] ?? "en"] ?? c.labels.en ?? c.code;
  }

  /**
   * Resolves a value written as a concept IRI (under any ESSGLOBAL base), a code (`OS60`,
   * `aci:ICA280`) or a label in any shipped language, among the given schemes.
   * @returns the canonical concept IRI, or undefined when nothing matches.
   */
  resolve(schemes: readonly SchemeName[], value: string): string | undefined {
    const v = value.trim();
    if (!v) return undefined;
    if (/^https?:\/\//.test(v)) {
      const c = this.get(v);
      return c && schemes.includes(c.scheme) ? c.iri : undefined;
    }
    const colon = v.indexOf(":");
    if (colon > 0) {
      const scheme = own(CODE_PREFIXES, v.slice(0, colon).toLowerCase());
      if (scheme && schemes.includes(scheme)) {
        const c = this.#byCode.get(scheme)?.get(v.slice(colon + 1).toUpperCase());
        if (c) return c.iri;
      }
    }
    for (const s of schemes) {
      const c = this.#byCode.get(s)?.get(v.toUpperCase());
      if (c) return c.iri;
    }
    const n = normaliseLabel(v);
    for (const s of schemes) {
      const c = this.#byLabel.get(s)?.get(n);
      if (c) return c.iri;
    }
    return undefined;
  }

  /**
   * Values resolved before, by field: an import meets the same few hundred values on every row.
   * Bounded (short values only, emptied when full), since values come from strangers' files.
   */
  readonly #resolved = new Map<TaxonomyField, Map<string, string | null>>();
  #resolvedCount = 0;

  /** Resolves a value for an initiative field (see {@link FIELD_SCHEMES}). */
  resolveField(field: TaxonomyField, value: string): string | undefined {
    if (value.length > MEMO_VALUE_MAX) return this.resolve(FIELD_SCHEMES[field], value);
    // A map per field rather than one keyed by field and value: no key string to build for every look-up.
    let byValue = this.#resolved.get(field);
    if (!byValue) this.#resolved.set(field, (byValue = new Map<string, string | null>()));
    const known = byValue.get(value);
    if (known !== undefined) return known ?? undefined;
    const iri = this.resolve(FIELD_SCHEMES[field], value);
    if (this.#resolvedCount >= MEMO_SIZE) {
      for (const m of this.#resolved.values()) m.clear();
      this.#resolvedCount = 0;
    }
    byValue.set(value, iri ?? null);
    this.#resolvedCount++;
    return iri;
  }
}

function mapOf<K, V>(m: Map<SchemeName, Map<K, V>>, s: SchemeName): Map<K, V> {
  let inner = m.get(s);
  if (!inner) m.set(s, (inner = new Map<K, V>()));
  return inner;
}

/** The canonical IRI of a scheme. */
export function schemeIri(scheme: SchemeName): string {
  return `${STANDARD}${scheme}/`;
}

/** The scheme a canonical or aliased concept IRI belongs to, judged from its path. */
export function schemeOfIri(iri: string): SchemeName | undefined {
  const c = canonicalEssIri(iri);
  if (!c.startsWith(STANDARD)) return undefined;
  const name = c.slice(STANDARD.length).split("/")[0];
  return (SCHEMES as readonly string[]).includes(name ?? "") ? (name as SchemeName) : undefined;
}
