/**
 * Conformance cases over the awkward directory (`sparql-directory.ts`), by W3C test category. Each
 * is written in the stored ESSGLOBAL base; `inBase` gives it under another.
 */
import { ESSGLOBAL_BASE } from "../../src/linkeddata/namespaces.ts";
import { BASE } from "./sparql-stores.ts";
import { KEY_CASES } from "./sparql-key-cases.ts";
import { ORDER_LIMIT_CASES, PREFIX_CASES } from "./sparql-prefix-cases.ts";

export const P = `PREFIX essglobal: <${ESSGLOBAL_BASE}vocab/>
PREFIX gr: <http://purl.org/goodrelations/v1#> PREFIX dc: <http://purl.org/dc/terms/>
PREFIX foaf: <http://xmlns.com/foaf/0.1/> PREFIX rov: <http://www.w3.org/ns/regorg#>
PREFIX vcard: <http://www.w3.org/2006/vcard/ns#> PREFIX geo: <http://www.w3.org/2003/01/geo/wgs84_pos#>
PREFIX xsd: <http://www.w3.org/2001/XMLSchema#> PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
PREFIX as: <https://www.w3.org/ns/activitystreams#>
`;

/** The query with its ESSGLOBAL IRIs under `base` (the 1.1 DSP's `vocab/v1.1/` terms with concepts under its root). */
export function inBase(query: string, base: string): string {
  if (base.endsWith("vocab/v1.1/"))
    return query
      .replaceAll(`${ESSGLOBAL_BASE}vocab/`, base)
      .replaceAll(ESSGLOBAL_BASE, base.slice(0, -"vocab/v1.1/".length));
  return query.replaceAll(ESSGLOBAL_BASE, base);
}

const I = "?i a essglobal:SSEInitiative";
const S = `${ESSGLOBAL_BASE}standard/`;

const W = (k: number) => `<${BASE}/initiatives/w${k}>`;

/**
 * Lookups answered from an index (ADR 36): a name given in the pattern or fixed by a FILTER reads
 * the records of that name, an initiative's IRI fixed by a FILTER reads that record; with the
 * forms that look alike but are not lookups. [category, what it checks, query, what is read: the
 * name index, one record, or every record (or the search index) as before].
 */
export const LOOKUP_CASES: [string, string, string, "name" | "record" | "scan"][] = [
  ["basic", "a name in the pattern, untyped", `SELECT ?i WHERE { ?i gr:name "Same Name" }`, "name"],
  [
    "basic",
    "a name in the pattern, untyped, with the types and other names",
    `SELECT ?i ?t ?x WHERE { ?i gr:name "café coop" , ?x ; a ?t }`,
    "name",
  ],
  [
    "filter",
    "an ActivityStreams name by FILTER, untyped, with the other names",
    `SELECT ?i ?x WHERE { ?i as:name ?n ; gr:name ?x FILTER(?n = "Same Name") }`,
    "name",
  ],
  ["basic", "an ActivityStreams name in the pattern", `SELECT ?i WHERE { ${I} ; as:name "apple" }`, "name"],
  ["basic", "the empty name", `SELECT ?i ?n WHERE { ${I} ; gr:name "" ; as:name ?n }`, "name"],
  ["basic", "a name that is a number is no name", `SELECT ?i WHERE { ${I} ; gr:name 10 }`, "name"],
  ["filter", "a name by FILTER", `SELECT ?i ?n WHERE { ${I} ; gr:name ?n FILTER(?n = "Same Name") }`, "name"],
  ["filter", "a name by FILTER, untyped", `SELECT ?i WHERE { ?i gr:name ?n FILTER(?n = "Apple") }`, "name"],
  ["filter", "a name by FILTER, the constant first", `SELECT ?i WHERE { ${I} ; gr:name ?n FILTER("10" = ?n) }`, "name"],
  [
    "filter",
    "a name by FILTER, with OPTIONALs",
    `SELECT ?i ?d ?w WHERE { ${I} ; gr:name ?n OPTIONAL { ?i dc:description ?d } OPTIONAL { ?i foaf:homepage ?w }` +
      ` FILTER(?n = "Café Coop") }`,
    "name",
  ],
  ["filter", "a name by sameTerm", `SELECT ?i ?n WHERE { ${I} ; gr:name ?n FILTER(sameTerm(?n, "apple")) }`, "name"],
  [
    "filter",
    "sameTerm with a number is no name",
    `SELECT ?i WHERE { ${I} ; gr:name ?n FILTER(sameTerm(?n, "10"^^xsd:integer)) }`,
    "name",
  ],
  [
    "filter",
    "a name that only a translation has",
    `SELECT ?i ?n WHERE { ${I} ; gr:name ?n FILTER(?n = "Coopérative") }`,
    "name",
  ],
  [
    "filter",
    "a name and a taxonomy value by FILTER",
    `SELECT ?i ?s WHERE { ${I} ; gr:name ?n ; essglobal:organisationalStructure ?s` +
      ` FILTER(?n = "Same Name" && ?s = <${S}organisational-structure/OS60>) }`,
    "name",
  ],
  [
    "filter",
    "a name by FILTER, counted",
    `SELECT (COUNT(*) AS ?c) WHERE { ${I} ; gr:name ?n FILTER(?n = "Same Name") }`,
    "name",
  ],
  [
    "filter",
    "a name by FILTER, ordered by locality",
    `SELECT ?i ?l WHERE { ${I} ; gr:name ?n OPTIONAL { ?i essglobal:hasAddress ?a . ?a vcard:locality ?l }` +
      ` FILTER(?n = "Same Name") } ORDER BY DESC(?l) ?i`,
    "name",
  ],
  ["filter", "an initiative by FILTER", `SELECT ?i ?n WHERE { ${I} ; gr:name ?n FILTER(?i = ${W(3)}) }`, "record"],
  [
    "filter",
    "an initiative and its name by FILTER, not matching",
    `SELECT ?i WHERE { ${I} ; gr:name ?n FILTER(?i = ${W(3)} && ?n = "Same Name") }`,
    "record",
  ],
  [
    "filter",
    "an initiative by sameTerm that is not held",
    `SELECT ?i WHERE { ${I} FILTER(sameTerm(${W(1000)}, ?i)) }`,
    "record",
  ],
  [
    "filter",
    "an initiative's address node by FILTER",
    `SELECT ?i ?l WHERE { ${I} ; essglobal:hasAddress ?a . ?a vcard:locality ?l` +
      ` FILTER(?a = <${BASE}/initiatives/w5#Address>) }`,
    "scan",
  ],
  [
    "filter",
    "a name compared with a tagged literal (not a lookup)",
    `SELECT ?i ?n WHERE { ${I} ; gr:name ?n FILTER(?n = "Coopérative"@fr) }`,
    "scan",
  ],
  [
    "filter",
    "a name compared with a number (not a lookup)",
    `SELECT ?i ?n WHERE { ${I} ; gr:name ?n FILTER(?n = 10) }`,
    "scan",
  ],
  [
    "filter",
    "a FILTER on a variable only an OPTIONAL binds (not a lookup)",
    `SELECT ?i WHERE { ${I} OPTIONAL { ?i dc:description ?d } FILTER(?d = "About 1") }`,
    "scan",
  ],
  [
    "filter",
    "two names for one variable (the engine)",
    `SELECT ?i WHERE { ${I} ; gr:name ?n FILTER(?n = "apple" && ?n = "Apple") }`,
    "name",
  ],
];

/** [category, what it checks, query]. */
export const CONFORMANCE_CASES: [string, string, string][] = [
  ["basic", "every initiative's name", `SELECT ?i ?n WHERE { ${I} ; gr:name ?n }`],
  ["basic", "a literal object", `SELECT ?i WHERE { ${I} ; gr:name "Same Name" }`],
  ["basic", "a literal with accents", `SELECT ?i WHERE { ${I} ; gr:name "Café Coop" }`],
  ["basic", "a language-tagged object", `SELECT ?i WHERE { ${I} ; gr:name "Coopérative"@fr }`],
  ["basic", "a language-tagged name, untyped (the general engine)", `SELECT ?i WHERE { ?i gr:name "Coopérative"@fr }`],
  [
    "basic",
    "a plain name, untyped (a lookup by name)",
    `SELECT ?i ?d WHERE { ?i gr:name "Café Coop" ; dc:description ?d }`,
  ],
  ["basic", "a concept as object", `SELECT ?i WHERE { ${I} ; essglobal:country_id <${S}countries-iso/FR> }`],
  [
    "basic",
    "two hops to the address",
    `SELECT ?i ?l ?lat WHERE { ${I} ; essglobal:hasAddress ?a . ?a vcard:locality ?l ; geo:lat ?lat }`,
  ],
  ["basic", "several values of one property", `SELECT ?i ?s WHERE { ${I} ; essglobal:organisationalStructure ?s }`],
  ["basic", "a shared variable across properties", `SELECT ?i ?n WHERE { ${I} ; gr:name ?n ; as:name ?n }`],
  [
    "basic",
    "telephone and email nodes",
    `SELECT ?i ?ph ?m WHERE { ${I} ; vcard:hasTelephone ?t ; vcard:hasEmail ?e . ?t vcard:value ?ph` +
      ` . ?e vcard:value ?m }`,
  ],
  ["basic", "SELECT *", `SELECT * WHERE { ${I} ; rov:hasRegisteredOrganization ?r }`],
  ["optional", "a missing description", `SELECT ?i ?d WHERE { ${I} OPTIONAL { ?i dc:description ?d } }`],
  [
    "optional",
    "nested OPTIONALs",
    `SELECT ?i ?l ?lat WHERE { ${I} OPTIONAL { ?i essglobal:hasAddress ?a OPTIONAL { ?a vcard:locality ?l }` +
      ` OPTIONAL { ?a geo:lat ?lat } } }`,
  ],
  [
    "optional",
    "OPTIONALs side by side over one node",
    `SELECT ?i ?l ?pc WHERE { ${I} OPTIONAL { ?i essglobal:hasAddress ?a . ?a vcard:locality ?l }` +
      ` OPTIONAL { ?i essglobal:hasAddress ?a . ?a vcard:postal-code ?pc } }`,
  ],
  [
    "optional",
    "an OPTIONAL binding a variable the next one joins on",
    `SELECT ?i ?d ?n WHERE { ${I} OPTIONAL { ?i dc:description ?d } OPTIONAL { ?i gr:name ?n ; dc:description ?d } }`,
  ],
  [
    "optional",
    "a FILTER inside an OPTIONAL sees the left side",
    `SELECT ?i ?d WHERE { ${I} ; gr:name ?n OPTIONAL { ?i dc:description ?d FILTER(?n = "Same Name") } }`,
  ],
  [
    "optional",
    "a FILTER in a group inside an OPTIONAL does not see outside",
    `SELECT ?i ?d WHERE { ${I} ; gr:name ?n OPTIONAL { ?i dc:description ?d { FILTER(BOUND(?n)) } } }`,
  ],
  [
    "optional",
    "a FILTER on an OPTIONAL's unbound variable",
    `SELECT ?i WHERE { ${I} OPTIONAL { ?i foaf:homepage ?w } FILTER(!BOUND(?w)) }`,
  ],
  ["optional", "an OPTIONAL that matches several times", `SELECT ?i ?n WHERE { ${I} OPTIONAL { ?i gr:name ?n } }`],
  ["filter", "by language", `SELECT ?i ?n WHERE { ${I} ; gr:name ?n FILTER(lang(?n) = "fr") }`],
  [
    "filter",
    "langMatches with a regional tag",
    `SELECT ?i ?n WHERE { ${I} ; gr:name ?n FILTER(langMatches(lang(?n), "en")) }`,
  ],
  ["filter", "plain names only", `SELECT ?i ?n WHERE { ${I} ; gr:name ?n FILTER(lang(?n) = "") }`],
  [
    "filter",
    "by datatype",
    `SELECT ?i ?x WHERE { ${I} ; essglobal:hasAddress ?a . ?a geo:lat ?x FILTER(datatype(?x) = xsd:decimal) }`,
  ],
  [
    "filter",
    "numbers by value",
    `SELECT ?i ?x WHERE { ${I} ; essglobal:hasAddress ?a . ?a geo:lat ?x FILTER(?x >= 50.5 && ?x < 51.25) }`,
  ],
  [
    "filter",
    "zero and negative numbers",
    `SELECT ?i ?x WHERE { ${I} ; essglobal:hasAddress ?a . ?a geo:long ?x FILTER(?x <= 0) }`,
  ],
  [
    "filter",
    "strings compared in code point order",
    `SELECT ?i ?n WHERE { ${I} ; gr:name ?n FILTER(?n < "Z" && lang(?n) = "") }`,
  ],
  ["filter", "names that look like numbers are strings", `SELECT ?i ?n WHERE { ${I} ; gr:name ?n FILTER(?n > "2") }`],
  [
    "filter",
    "canonically equivalent strings stay different",
    `SELECT ?i WHERE { ${I} ; gr:name ?n FILTER(?n = "Cafe\u0301 Coop" || ?n IN ("CAFÉ COOP")) }`,
  ],
  [
    "filter",
    "a plain literal equals its xsd:string",
    `SELECT ?i WHERE { ${I} ; gr:name ?n FILTER(?n = "Café Coop"^^xsd:string) }`,
  ],
  [
    "filter",
    "a tagged literal does not equal a plain one",
    `SELECT ?i WHERE { ${I} ; gr:name ?n FILTER(sameTerm(?n, "Coopérative")) }`,
  ],
  ["filter", "case-insensitive regex", `SELECT ?i ?n WHERE { ${I} ; gr:name ?n FILTER(REGEX(?n, "^caf", "i")) }`],
  [
    "filter",
    "an error on unbound removes the solution",
    `SELECT ?i WHERE { ${I} OPTIONAL { ?i dc:description ?d } FILTER(?d != "About 1") }`,
  ],
  [
    "filter",
    "an error inside || is forgiven by a true side",
    `SELECT ?i WHERE { ${I} OPTIONAL { ?i dc:description ?d } FILTER(?d = "About 1" || !BOUND(?d)) }`,
  ],
  [
    "filter",
    "IRIs, compared and tested",
    `SELECT ?i ?s WHERE { ${I} ; essglobal:organisationalStructure ?s` +
      ` FILTER(isIRI(?s) && ?s != <${S}organisational-structure/OS60>) }`,
  ],
  ["filter", "NOT EXISTS", `SELECT ?i WHERE { ${I} FILTER NOT EXISTS { ?i essglobal:hasAddress ?a } }`],
  [
    "filter",
    "STRSTARTS and STRLEN on accents",
    `SELECT ?i ?n WHERE { ${I} ; gr:name ?n FILTER(STRSTARTS(LCASE(?n), "caf") && STRLEN(?n) = 9) }`,
  ],
  ["distinct", "localities", `SELECT DISTINCT ?l WHERE { ${I} ; essglobal:hasAddress ?a . ?a vcard:locality ?l }`],
  ["distinct", "equal names", `SELECT DISTINCT ?n WHERE { ${I} ; gr:name ?n }`],
  [
    "distinct",
    "rows with unbound",
    `SELECT DISTINCT ?d ?w WHERE { ${I} OPTIONAL { ?i dc:description ?d } OPTIONAL { ?i foaf:homepage ?w } }`,
  ],
  ["order", "names ascending (mixed tagged and plain)", `SELECT ?i ?n WHERE { ${I} ; gr:name ?n } ORDER BY ?n`],
  ["order", "names descending, ties by initiative", `SELECT ?i ?n WHERE { ${I} ; gr:name ?n } ORDER BY DESC(?n) ?i`],
  [
    "order",
    "numbers ascending with unbound",
    `SELECT ?i ?lat WHERE { ${I} OPTIONAL { ?i essglobal:hasAddress ?a . ?a geo:lat ?lat } } ORDER BY ?lat ?i`,
  ],
  [
    "order",
    "numbers descending with unbound",
    `SELECT ?i ?lat WHERE { ${I} OPTIONAL { ?i essglobal:hasAddress ?a . ?a geo:lat ?lat } }` +
      ` ORDER BY DESC(?lat) DESC(?i)`,
  ],
  [
    "order",
    "descriptions with unbound",
    `SELECT ?i ?d WHERE { ${I} OPTIONAL { ?i dc:description ?d } } ORDER BY ?d ?i`,
  ],
  [
    "order",
    "IRIs and literals under one variable",
    `SELECT ?i ?o WHERE { ${I} { ?i essglobal:country_id ?o } UNION { ?i gr:name ?o } } ORDER BY DESC(?o) ?i`,
  ],
  [
    "order",
    "by a key that is not projected",
    `SELECT ?i WHERE { ${I} ; essglobal:hasAddress ?a . ?a vcard:locality ?l } ORDER BY ?l DESC(?i)`,
  ],
  [
    "order",
    "the map client's names, by name then locality",
    `SELECT ?i ?n ?l WHERE { ${I} ; gr:name ?n OPTIONAL { ?i essglobal:hasAddress ?a . ?a vcard:locality ?l } }` +
      ` ORDER BY ?n ?l ?i`,
  ],
  ["slice", "a page in name order", `SELECT ?i ?n WHERE { ${I} ; gr:name ?n } ORDER BY ?n ?i LIMIT 5 OFFSET 3`],
  [
    "slice",
    "a page in descending name order",
    `SELECT ?i ?n WHERE { ${I} ; gr:name ?n } ORDER BY DESC(?n) ?i LIMIT 6 OFFSET 2`,
  ],
  ["slice", "LIMIT 0", `SELECT ?i WHERE { ${I} } LIMIT 0`],
  ["slice", "OFFSET past the end", `SELECT ?i WHERE { ${I} } ORDER BY ?i OFFSET 1000`],
  ["slice", "an unordered page", `SELECT ?i WHERE { ${I} } LIMIT 7 OFFSET 4`],
  [
    "slice",
    "a DISTINCT page",
    `SELECT DISTINCT ?l WHERE { ${I} ; essglobal:hasAddress ?a . ?a vcard:locality ?l } ORDER BY ?l LIMIT 3 OFFSET 1`,
  ],
  ["group", "COUNT(*)", `SELECT (COUNT(*) AS ?c) WHERE { ${I} }`],
  [
    "group",
    "COUNT of a variable skips unbound",
    `SELECT (COUNT(?d) AS ?c) WHERE { ${I} OPTIONAL { ?i dc:description ?d } }`,
  ],
  ["group", "COUNT DISTINCT", `SELECT (COUNT(DISTINCT ?n) AS ?c) (COUNT(?n) AS ?all) WHERE { ${I} ; gr:name ?n }`],
  ["group", "COUNT of nothing", `SELECT (COUNT(*) AS ?c) WHERE { ${I} ; gr:name "nobody" }`],
  [
    "group",
    "GROUP BY a taxonomy",
    `SELECT ?s (COUNT(?i) AS ?c) WHERE { ${I} ; essglobal:organisationalStructure ?s } GROUP BY ?s`,
  ],
  [
    "group",
    "GROUP BY primary activity",
    `SELECT ?p (COUNT(*) AS ?c) (COUNT(DISTINCT ?p) AS ?one) WHERE { ${I} ; essglobal:primarySector ?p } GROUP BY ?p`,
  ],
  [
    "group",
    "GROUP BY country",
    `SELECT ?k (COUNT(DISTINCT ?i) AS ?c) WHERE { ${I} ; essglobal:country_id ?k } GROUP BY ?k`,
  ],
  [
    "group",
    "GROUP BY an unbound-able variable",
    `SELECT ?l (COUNT(*) AS ?c) WHERE { ${I} OPTIONAL { ?i essglobal:hasAddress ?a . ?a vcard:locality ?l } }` +
      ` GROUP BY ?l`,
  ],
  [
    "group",
    "GROUP BY two variables, ordered by count",
    `SELECT ?s ?k (COUNT(*) AS ?c) WHERE { ${I} ; essglobal:organisationalStructure ?s` +
      ` OPTIONAL { ?i essglobal:country_id ?k } } GROUP BY ?s ?k ORDER BY DESC(?c) ?s ?k`,
  ],
  ["group", "HAVING", `SELECT ?n (COUNT(*) AS ?c) WHERE { ${I} ; gr:name ?n } GROUP BY ?n HAVING(COUNT(*) > 1)`],
  [
    "group",
    "other aggregates",
    `SELECT (MIN(?x) AS ?lo) (MAX(?x) AS ?hi) (SAMPLE(?l) AS ?any) WHERE { ${I} ; essglobal:hasAddress ?a` +
      ` . ?a geo:lat ?x ; vcard:locality ?l FILTER(?l = "Paris") }`,
  ],
  ["union", "names or descriptions", `SELECT ?i ?t WHERE { ${I} { ?i gr:name ?t } UNION { ?i dc:description ?t } }`],
  [
    "union",
    "branches binding different variables",
    `SELECT ?i ?w ?r WHERE { ${I} { ?i foaf:homepage ?w } UNION { ?i rov:hasRegisteredOrganization ?r } }`,
  ],
  [
    "bind",
    "a computed length",
    `SELECT ?i ?len WHERE { ${I} ; gr:name ?n FILTER(lang(?n) = "") BIND(STRLEN(?n) AS ?len) }`,
  ],
  [
    "bind",
    "COALESCE over unbound",
    `SELECT ?i ?d WHERE { ${I} OPTIONAL { ?i dc:description ?x } BIND(COALESCE(?x, "none") AS ?d) }`,
  ],
  [
    "bind",
    "an error leaves the variable unbound",
    `SELECT ?i ?v WHERE { ${I} ; gr:name ?n FILTER(lang(?n) = "") BIND(xsd:integer(?n) AS ?v) }`,
  ],
  [
    "values",
    "localities",
    `SELECT ?i ?l WHERE { VALUES ?l { "Leeds" "Zürich" "nowhere" } ${I} ; essglobal:hasAddress ?a` +
      ` . ?a vcard:locality ?l }`,
  ],
  [
    "values",
    "concepts with UNDEF",
    `SELECT ?i ?s WHERE { ${I} ; essglobal:organisationalStructure ?s .` +
      ` VALUES (?s ?x) { (<${S}organisational-structure/OS60> UNDEF) (<${S}organisational-structure/OS115> 1) } }`,
  ],
  [
    "values",
    "a VALUES after the pattern, on names",
    `SELECT ?i ?n WHERE { ${I} ; gr:name ?n } VALUES ?n { "10" "Same Name" "Coopérative"@fr }`,
  ],
  ...LOOKUP_CASES.map(([c, w, q]) => [c, w, q]),
  ...KEY_CASES.map(([c, w, q]) => [c, w, q]),
  ...PREFIX_CASES.map(([c, w, q]) => [c, w, q]),
  ...ORDER_LIMIT_CASES,
].map(([c, w, q]) => [c!, w!, P + q!] as [string, string, string]);
