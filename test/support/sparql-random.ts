/**
 * Random initiative-shaped SELECT queries (fast-check arbitraries) for the differential test: a
 * random set of the initiative's properties, each mandatory or OPTIONAL, some with a constant
 * object; its address parts nested in one OPTIONAL or each in its own (the map client's form);
 * sometimes a FILTER; then a projection, DISTINCT, ORDER BY keys ascending or descending, OFFSET and
 * LIMIT — or counts, grouped or not. Written in the stored ESSGLOBAL base.
 */
import fc from "fast-check";
import { ESSGLOBAL_BASE } from "../../src/linkeddata/namespaces.ts";
import { P } from "./sparql-cases.ts";

const S = `${ESSGLOBAL_BASE}standard/`;

/** Root properties: variable, predicate, constants the object may be instead. */
const ROOT: [string, string, string[]][] = [
  ["n", "gr:name", [`"Same Name"`, `"10"`, `"Coopérative"@fr`, `"Café Coop"`]],
  ["an", "as:name", []],
  ["d", "dc:description", [`"About 1"`]],
  ["w", "foaf:homepage", []],
  ["pa", "essglobal:primarySector", [`<${S}activities-ica/ICA140>`]],
  ["os", "essglobal:organisationalStructure", [`<${S}organisational-structure/OS60>`]],
  ["c", "essglobal:country_id", [`<${S}countries-iso/FR>`]],
  ["r", "rov:hasRegisteredOrganization", []],
  ["q", "essglobal:qualifier", []],
];
const ADDRESS: [string, string, string[]][] = [
  ["l", "vcard:locality", [`"Leeds"`, `"Zürich"`]],
  ["st", "vcard:street-address", []],
  ["pc", "vcard:postal-code", []],
  ["rg", "vcard:region", []],
  ["lat", "geo:lat", []],
  ["lng", "geo:long", []],
];
const FILTERS: [string, string][] = [
  ["n", `lang(?n) = "fr"`],
  ["n", `lang(?n) = ""`],
  ["n", `?n < "M"`],
  ["n", `REGEX(?n, "co", "i")`],
  ["d", `BOUND(?d)`],
  ["w", `!BOUND(?w)`],
  ["lat", `?lat > 50.5`],
  ["l", `?l = "Leeds"`],
  ["os", `?os != <${S}organisational-structure/OS115>`],
];

type Mode = "mandatory" | "optional" | "absent";
const mode = fc.constantFrom<Mode>("mandatory", "optional", "absent", "absent");

interface Part {
  v: string;
  triple: string;
  mode: Mode;
}
const parts = (props: [string, string, string[]][], subject: string) =>
  fc.tuple(
    ...props.map(([v, p, constants]) =>
      fc
        .record({
          mode,
          constant: constants.length ? fc.option(fc.constantFrom(...constants), { freq: 4 }) : fc.constant(null),
        })
        .map(({ mode, constant }): Part => ({ v, mode, triple: `${subject} ${p} ${constant ?? `?${v}`}` })),
    ),
  );

export interface RandomQuery {
  query: string;
  variables: string[];
}

/** A random initiative-shaped SELECT over the awkward directory. */
export const randomQuery: fc.Arbitrary<RandomQuery> = fc
  .record({
    root: parts(ROOT, "?i"),
    address: mode,
    nested: fc.boolean(),
    addressParts: parts(ADDRESS, "?a"),
    phone: mode,
    filter: fc.option(fc.constantFrom(...FILTERS), { freq: 3 }),
    seed: fc.array(fc.nat(), { minLength: 12, maxLength: 12 }),
  })
  .chain(({ root, address, nested, addressParts, phone, filter, seed }) => {
    const mandatory = ["?i a essglobal:SSEInitiative"];
    const optional: string[] = [];
    const bound = (p: Part) => (!p.triple.endsWith(`?${p.v}`) || p.mode === "absent" ? [] : [p.v]);
    const vars = ["i"];
    for (const p of root) {
      if (p.mode === "mandatory") mandatory.push(p.triple);
      if (p.mode === "optional") optional.push(`OPTIONAL { ${p.triple} }`);
      vars.push(...bound(p));
    }
    if (address !== "absent") {
      const used = addressParts.filter((p) => p.mode !== "absent");
      const inner = used.map((p) => (p.mode === "mandatory" ? `${p.triple} .` : `OPTIONAL { ${p.triple} }`));
      if (address === "mandatory") mandatory.push(`?i essglobal:hasAddress ?a . ${inner.join(" ")}`);
      else if (nested || !used.length) optional.push(`OPTIONAL { ?i essglobal:hasAddress ?a . ${inner.join(" ")} }`);
      else
        for (const p of used) {
          const part = p.mode === "mandatory" ? `${p.triple} .` : `OPTIONAL { ${p.triple} }`;
          optional.push(`OPTIONAL { ?i essglobal:hasAddress ?a . ${part} }`);
        }
      vars.push("a", ...used.flatMap(bound));
    }
    if (phone !== "absent") {
      const t = "?i vcard:hasTelephone ?t . ?t vcard:value ?ph";
      if (phone === "mandatory") mandatory.push(t);
      else optional.push(`OPTIONAL { ${t} }`);
      vars.push("t", "ph");
    }
    const where = `${mandatory.map((m) => m.replace(/\s*\.\s*$/, "")).join(" . ")} . ${optional.join(" ")}${
      filter && vars.includes(filter[0]) ? ` FILTER(${filter[1]})` : ""
    }`;
    const pick = <T>(k: number, xs: T[]) => xs[seed[k]! % xs.length]!;
    return fc.oneof(
      {
        weight: 3,
        arbitrary: fc
          .record({
            projected: fc.subarray(vars, { minLength: 1 }),
            distinct: fc.boolean(),
            order: fc
              .subarray(vars, { maxLength: Math.min(3, vars.length) })
              .chain((keys) => fc.tuple(...keys.map((k) => fc.boolean().map((d) => (d ? `DESC(?${k})` : `?${k}`))))),
            tieBreak: fc.boolean(),
            offset: fc.option(fc.nat(30), { freq: 2 }),
            limit: fc.option(fc.nat(25), { freq: 2 }),
          })
          .map(({ projected, distinct, order, tieBreak, offset, limit }) => {
            const ordersByI = order.some((o) => o.includes("?i)") || o === "?i");
            const keys = [...order, ...(tieBreak && !ordersByI ? ["?i"] : [])];
            const select = `SELECT ${distinct ? "DISTINCT " : ""}${projected.map((v) => `?${v}`).join(" ")}`;
            return {
              query:
                `${P}${select} WHERE { ${where} }` +
                `${keys.length ? ` ORDER BY ${keys.join(" ")}` : ""}${offset !== null ? ` OFFSET ${offset}` : ""}` +
                `${limit !== null ? ` LIMIT ${limit}` : ""}`,
              variables: vars,
            };
          }),
      },
      {
        weight: 1,
        arbitrary: fc.boolean().map((grouped) => {
          const by = grouped ? pick(0, vars) : undefined;
          const of = pick(1, vars);
          const counts = [
            "(COUNT(*) AS ?all)",
            `(COUNT(?${of}) AS ?some)`,
            `(COUNT(DISTINCT ?${pick(2, vars)}) AS ?distinct)`,
          ].slice(0, 1 + (seed[3]! % 3));
          return {
            query:
              `${P}SELECT ${by ? `?${by} ` : ""}${counts.join(" ")} WHERE { ${where} }` +
              `${by ? ` GROUP BY ?${by} ORDER BY ?${by}` : ""}`,
            variables: vars,
          };
        }),
      },
    );
  });
