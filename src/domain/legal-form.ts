/**
 * Legal forms as registers write them. ESSGLOBAL's legal-form scheme has five broad concepts;
 * registers (Co-ops UK, Companies House) name narrower forms. Both are kept: the concept where one
 * matches, the register's words where they say more.
 */
import { LIMITS } from "./limits.ts";
import { normaliseLabel, type Taxonomies } from "./taxonomy.ts";
import { own } from "./own.ts";

/**
 * Registers' names for legal forms that are a kind of one of the five legal-form concepts: the
 * concept is added and the more specific text kept. Keys are normalised labels.
 */
const LEGAL_FORM_KINDS: Record<string, string> = {
  communityinterestcompany: "L5",
  cic: "L5",
  charitableincorporatedorganisation: "L4",
  charity: "L4",
  unincorporated: "L1",
  unincorporatedassociation: "L1",
  cooperativesociety: "L2",
  limitedcompany: "L3",
  companylimitedbyguarantee: "L3",
  companylimitedbyshares: "L3",
};

/**
 * Reads a legal form as written (`;` between several): a part that is a legal-form concept (code,
 * IRI or label) becomes that concept; a register's own name for a kind of one adds the concept and
 * stays as text; anything else stays as text. Returns the text to keep.
 */
export function legalFormText(
  v: string | undefined,
  taxonomies: Taxonomies,
  concepts: string[],
  bad: (f: string, m: string, v?: unknown) => void,
): string | undefined {
  if (v === undefined) return undefined;
  if (v.length > LIMITS.text) return void bad("legalFormText", `is longer than ${LIMITS.text} characters`);
  const kept: string[] = [];
  const add = (iri: string) => {
    if (!concepts.includes(iri)) concepts.push(iri);
  };
  for (const part of v
    .split(";")
    .map((x) => x.trim())
    .filter(Boolean)) {
    const iri = taxonomies.resolveField("legalForm", part);
    if (iri) {
      add(iri);
      continue;
    }
    const kind = own(LEGAL_FORM_KINDS, normaliseLabel(part));
    const kindIri = kind ? taxonomies.resolveField("legalForm", kind) : undefined;
    if (kindIri) add(kindIri);
    if (!kept.includes(part)) kept.push(part);
  }
  concepts.sort();
  return kept.length ? kept.join("; ") : undefined;
}
