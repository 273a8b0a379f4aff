/**
 * Lookups by postcode, registration identifier or Companies House number (ADR 42) over the awkward
 * directory: a constant in the pattern, a FILTER fixing the variable (`=`, `sameTerm`, `STR() =`),
 * typed and untyped, with the forms that look alike but are not lookups. [category, what it
 * checks, query, what is read: the keys index ("key"), nothing of the records ("none": a constant
 * of a kind no record's key is), or every record as before ("scan")].
 */
import { COMPANIES_HOUSE } from "../../src/linkeddata/namespaces.ts";

const ORG = "PREFIX org: <http://www.w3.org/ns/org#>\n";
const I = "?i a essglobal:SSEInitiative";
const ADDRESS = `${I} ; essglobal:hasAddress ?a`;
const CH = (n: string) => `<${COMPANIES_HOUSE}${n}>`;

export const KEY_CASES: [string, string, string, "key" | "none" | "scan"][] = [
  [
    "basic",
    "a postcode in the pattern",
    `SELECT ?i ?n WHERE { ${ADDRESS} ; gr:name ?n . ?a vcard:postal-code "P1" }`,
    "key",
  ],
  ["basic", "a postcode's address nodes, untyped", `SELECT ?a WHERE { ?a vcard:postal-code "LS6 2AB" }`, "key"],
  [
    "basic",
    "a postcode, untyped, with the initiative's name",
    `SELECT ?i ?n WHERE { ?i essglobal:hasAddress ?a ; gr:name ?n . ?a vcard:postal-code "P2" }`,
    "key",
  ],
  [
    "basic",
    "a postcode differing only in case",
    `SELECT ?i WHERE { ${ADDRESS} . ?a vcard:postal-code "ls6 2ab" }`,
    "key",
  ],
  ["basic", "a postcode no record has", `SELECT ?i WHERE { ${ADDRESS} . ?a vcard:postal-code "ZZ9 9ZZ" }`, "key"],
  ["basic", "a postcode that is a number is none", `SELECT ?i WHERE { ${ADDRESS} . ?a vcard:postal-code 10 }`, "none"],
  ["basic", "a tagged postcode is none", `SELECT ?i WHERE { ${ADDRESS} . ?a vcard:postal-code "P1"@en }`, "none"],
  [
    "filter",
    "a postcode by FILTER",
    `SELECT ?i ?p WHERE { ${ADDRESS} . ?a vcard:postal-code ?p FILTER(?p = "P3") }`,
    "key",
  ],
  [
    "filter",
    "a postcode by STR() = (the general engine)",
    `SELECT ?i ?p WHERE { ${ADDRESS} . ?a vcard:postal-code ?p FILTER(STR(?p) = "P3") }`,
    "key",
  ],
  [
    "filter",
    "a postcode by STR() =, untyped, the constant first",
    `SELECT ?i ?l WHERE { ?i essglobal:hasAddress ?a . ?a vcard:postal-code ?p ; vcard:locality ?l` +
      ` FILTER("LS6 2AB" = STR(?p)) }`,
    "key",
  ],
  [
    "filter",
    "a postcode by sameTerm",
    `SELECT ?i WHERE { ${ADDRESS} . ?a vcard:postal-code ?p FILTER(sameTerm(?p, "P4")) }`,
    "key",
  ],
  [
    "filter",
    "a postcode by FILTER, with OPTIONALs, ordered",
    `SELECT ?i ?n ?l WHERE { ${ADDRESS} ; gr:name ?n . ?a vcard:postal-code ?p OPTIONAL { ?a vcard:locality ?l }` +
      ` OPTIONAL { ?i dc:description ?d } FILTER(?p = "P2") } ORDER BY ?n ?i`,
    "key",
  ],
  [
    "group",
    "a postcode's initiatives counted",
    `SELECT (COUNT(*) AS ?c) WHERE { ${ADDRESS} . ?a vcard:postal-code "P1" }`,
    "key",
  ],
  [
    "filter",
    "a postcode by STR() = a tagged literal is none",
    `SELECT ?i WHERE { ${ADDRESS} . ?a vcard:postal-code ?p FILTER(STR(?p) = "P3"@en) }`,
    "none",
  ],
  [
    "filter",
    "a postcode only an OPTIONAL binds (not a lookup)",
    `SELECT ?i ?p WHERE { ${I} OPTIONAL { ?i essglobal:hasAddress ?a . ?a vcard:postal-code ?p }` +
      ` FILTER(STR(?p) = "P1") }`,
    "scan",
  ],
  [
    "filter",
    "one of two postcodes (not a lookup)",
    `SELECT ?i WHERE { ${ADDRESS} . ?a vcard:postal-code ?p FILTER(?p = "P1" || ?p = "P2") }`,
    "scan",
  ],
  [
    "basic",
    "a registration in the pattern",
    `${ORG}SELECT ?i ?n WHERE { ${I} ; org:identifier "GB-CHC-110" ; gr:name ?n }`,
    "key",
  ],
  [
    "basic",
    "a registration, untyped, with the others",
    `${ORG}SELECT ?i ?r WHERE { ?i org:identifier "GB-MPR-24524R" , ?r }`,
    "key",
  ],
  [
    "filter",
    "a registration by FILTER",
    `${ORG}SELECT ?i WHERE { ${I} ; org:identifier ?r FILTER(?r = "GB-CHC-111") }`,
    "key",
  ],
  [
    "filter",
    "a registration by STR() =, untyped",
    `${ORG}SELECT ?i ?n WHERE { ?i org:identifier ?r ; gr:name ?n FILTER(STR(?r) = "GB-CHC-110") }`,
    "key",
  ],
  [
    "basic",
    "a registration typed as another datatype is none",
    `${ORG}SELECT ?i WHERE { ${I} ; org:identifier "GB-CHC-110"^^xsd:token }`,
    "none",
  ],
  [
    "basic",
    "a company in the pattern",
    `SELECT ?i ?n WHERE { ${I} ; gr:name ?n ; rov:hasRegisteredOrganization ${CH("IP1002")} }`,
    "key",
  ],
  [
    "filter",
    "a company by FILTER",
    `SELECT ?i WHERE { ${I} ; rov:hasRegisteredOrganization ?c FILTER(?c = ${CH("IP1000")}) }`,
    "key",
  ],
  [
    "filter",
    "a company by STR() =, untyped",
    `SELECT ?i WHERE { ?i rov:hasRegisteredOrganization ?c FILTER(STR(?c) = "${COMPANIES_HOUSE}IP1002") }`,
    "key",
  ],
  [
    "basic",
    "a company as a literal is none",
    `SELECT ?i WHERE { ${I} ; rov:hasRegisteredOrganization "${COMPANIES_HOUSE}IP1002" }`,
    "none",
  ],
];
