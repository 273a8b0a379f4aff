/**
 * FILTERs on names that the name index narrows (ADR 38), with the forms it must not narrow, and
 * ORDER BY with LIMIT over keys other than the name (a top-k). Written in the stored ESSGLOBAL base,
 * without the prefixes (`P` in `sparql-cases.ts`). [category, what it checks, query, what is read:
 * the records with translations and those whose name starts with the prefix, or every record's plain
 * columns ("scan")].
 */
const I = "?i a essglobal:SSEInitiative";

export const PREFIX_CASES: [string, string, string, { prefix: string } | "scan"][] = [
  [
    "filter",
    "STRSTARTS on the name",
    `SELECT ?i ?n WHERE { ${I} ; gr:name ?n FILTER(STRSTARTS(?n, "Ca")) }`,
    { prefix: "Ca" },
  ],
  [
    "filter",
    "STRSTARTS of STR(?n), which only translations match",
    `SELECT ?i ?n WHERE { ${I} ; gr:name ?n FILTER(STRSTARTS(STR(?n), "Coop")) }`,
    { prefix: "Coop" },
  ],
  [
    "filter",
    "STRSTARTS on the name, untyped",
    `SELECT ?i WHERE { ?i gr:name ?n FILTER(STRSTARTS(?n, "Same")) }`,
    { prefix: "Same" },
  ],
  [
    "filter",
    "STRSTARTS with names like numbers",
    `SELECT ?i ?n WHERE { ${I} ; as:name ?n FILTER(STRSTARTS(?n, "10")) }`,
    { prefix: "10" },
  ],
  [
    "filter",
    "STRSTARTS with a character beyond U+FFFF",
    `SELECT ?i ?n WHERE { ${I} ; gr:name ?n FILTER(STRSTARTS(?n, "\u{1F331}")) }`,
    { prefix: "\u{1F331}" },
  ],
  [
    "filter",
    "an anchored REGEX",
    `SELECT ?i ?n WHERE { ${I} ; gr:name ?n FILTER(REGEX(?n, "^Caf")) }`,
    { prefix: "Caf" },
  ],
  [
    "filter",
    "an anchored REGEX with a quantifier, and another condition",
    `SELECT ?i ?n ?l WHERE { ${I} ; gr:name ?n OPTIONAL { ?i essglobal:hasAddress ?a . ?a vcard:locality ?l }` +
      ` FILTER(REGEX(?n, "^Cafe?", "s") && BOUND(?l)) } ORDER BY ?n ?i LIMIT 3`,
    { prefix: "Caf" },
  ],
  [
    "filter",
    "STRSTARTS, grouped and counted",
    `SELECT ?n (COUNT(*) AS ?c) WHERE { ${I} ; gr:name ?n FILTER(STRSTARTS(?n, "S")) } GROUP BY ?n`,
    { prefix: "S" },
  ],
  [
    "filter",
    "a REGEX ignoring case (not narrowed)",
    `SELECT ?i ?n WHERE { ${I} ; gr:name ?n FILTER(REGEX(?n, "^caf", "i")) }`,
    "scan",
  ],
  [
    "filter",
    "CONTAINS of the lower-cased name (not narrowed)",
    `SELECT ?i ?n WHERE { ${I} ; gr:name ?n FILTER(CONTAINS(LCASE(?n), "coop")) }`,
    "scan",
  ],
  [
    "filter",
    "two prefixes joined by || (not narrowed)",
    `SELECT ?i ?n WHERE { ${I} ; gr:name ?n FILTER(STRSTARTS(?n, "Ca") || STRSTARTS(?n, "Ba")) }`,
    "scan",
  ],
  [
    "filter",
    "a prefix over two records' names (not narrowed)",
    `SELECT ?i ?j WHERE { ?i gr:name ?n . ?j gr:name ?n FILTER(STRSTARTS(?n, "Same")) }`,
    "scan",
  ],
];

export const ORDER_LIMIT_CASES: [string, string, string][] = [
  [
    "slice",
    "a page ordered by latitude (unbound first)",
    `SELECT ?i ?lat WHERE { ${I} OPTIONAL { ?i essglobal:hasAddress ?a . ?a geo:lat ?lat } } ORDER BY ?lat ?i` +
      ` LIMIT 4 OFFSET 2`,
  ],
  [
    "slice",
    "a page ordered by locality descending",
    `SELECT ?i ?l WHERE { ${I} ; essglobal:hasAddress ?a . ?a vcard:locality ?l } ORDER BY DESC(?l) ?i LIMIT 5`,
  ],
  [
    "slice",
    "a page ordered by country, then name",
    `SELECT ?i ?c ?n WHERE { ${I} ; gr:name ?n ; essglobal:country_id ?c } ORDER BY ?c DESC(?n) ?i LIMIT 7 OFFSET 1`,
  ],
];
