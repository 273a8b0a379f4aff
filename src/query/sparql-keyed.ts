/**
 * Lookups by a postcode, a registration's identifier or a Companies House number (ADR 42): the
 * patterns and FILTERs that can only match the records holding one lookup key, which are then read
 * from the store's keys index (`Store.listKeyed`) instead of every record. The records' triples are
 * still matched against the whole pattern and FILTER, so the key only has to be implied by them.
 *
 * A record writes its keys as exactly these triples (`initiativeToQuads`): `<id#Address>
 * vcard:postal-code "postcode"`, `<id> org:identifier "GB-CHC-1123456"` (plain strings) and `<id>
 * rov:hasRegisteredOrganization <http://business.data.gov.uk/id/company/number>`; the vocabularies
 * hold none of these predicates (a test holds them to that). So a pattern with such a predicate and
 * a constant object matches only the records holding that key, and a constant of another kind (a
 * tagged or typed literal, an IRI for a literal) matches no record.
 */
import type * as RDF from "@rdfjs/types";
import { COMPANIES_HOUSE, ORG, ROV, VCARD, XSD } from "../linkeddata/namespaces.ts";
import type { LookupKind } from "../store/lookup-keys.ts";
import type { Store, StoredInitiative } from "../store/store.ts";

export interface Keyed {
  kind: LookupKind;
  value: string;
}

/** The predicates whose objects are lookup keys, and whether the object is a literal or an IRI. */
export const KEYED: Record<string, { kind: LookupKind; iri: boolean }> = {
  [VCARD["postal-code"]]: { kind: "postcode", iri: false },
  [ORG.identifier]: { kind: "identifier", iri: false },
  [ROV.hasRegisteredOrganization]: { kind: "company", iri: true },
};

/** True for a predicate whose objects are lookup keys. */
export const keyedPredicate = (predicate: string): boolean => predicate in KEYED;

/**
 * The key a triple with this predicate and object must be, "none" when no record has such a
 * triple, undefined when the predicate holds no keys or the object is not a constant.
 */
export function lookupKeyOf(predicate: string, object: RDF.Term): Keyed | "none" | undefined {
  const keyed = KEYED[predicate];
  if (!keyed || (object.termType !== "Literal" && object.termType !== "NamedNode")) return undefined;
  if (keyed.iri) {
    if (object.termType !== "NamedNode" || !object.value.startsWith(COMPANIES_HOUSE)) return "none";
    return { kind: keyed.kind, value: object.value.slice(COMPANIES_HOUSE.length) };
  }
  if (object.termType !== "Literal" || object.language || object.datatype.value !== XSD.string) return "none";
  if ((object as { direction?: string }).direction) return "none";
  return { kind: keyed.kind, value: object.value };
}

const PAGE = 500;

/** The records holding a key, a page at a time (none for "none"). */
export async function* keyedRecords(
  store: Store,
  key: Keyed | "none",
  stopped: () => boolean,
): AsyncGenerator<StoredInitiative[]> {
  if (key === "none") return;
  let cursor: string | undefined;
  do {
    if (stopped()) return;
    const page = await store.listKeyed(key.kind, key.value, { limit: PAGE, ...(cursor ? { cursor } : {}) });
    yield page.items;
    cursor = page.next;
  } while (cursor);
}
