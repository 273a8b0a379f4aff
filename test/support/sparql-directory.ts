/**
 * A small directory with awkward values for SPARQL conformance tests: fields missing here and
 * there, equal names, accents, names that look like numbers, characters beyond U+FFFF and in
 * U+E000–U+FFFF, language-tagged translations (regional tags among them), several organisational
 * structures, addresses without coordinates, negative and zero coordinates, postcodes shared and
 * differing only in case, registrations (one or two), a mirrored record.
 */
import type { InitiativeRecord } from "../../src/domain/initiative.ts";
import { ESSGLOBAL_BASE } from "../../src/linkeddata/namespaces.ts";
import { BASE, record } from "./sparql-stores.ts";

const S = `${ESSGLOBAL_BASE}standard/`;
export const STANDARD = S;

const NAMES = [
  "Same Name",
  "Café Coop",
  "Cafe Coop",
  "café coop",
  "10",
  "9",
  "100",
  "Ärzte eG",
  "Zoë's Bakery",
  "\u{1F331} Garden",
  "\uFF21 Fullwidth",
  "Same Name",
  "",
  " Leading space",
  "Ωmega",
  "apple",
  "Apple",
  "Banana",
];
/** Postcodes other than `P0`–`P4`: one shared, one differing from it only in case. */
const POSTCODES: Record<number, string> = { 21: "LS6 2AB", 22: "LS6 2AB", 37: "ls6 2ab" };
const LOCALITIES = ["Leeds", "Paris", "Rosario", "Zürich", "leeds"];
const STRUCTURES = ["OS115", "OS60", "OS130", "OS240"];
const ACTIVITIES = ["ICA210", "ICA140", "ICA160"];
const COUNTRIES = ["GB", "FR", "AR", "DE"];

/** The directory's records (`n` of them, 48 by default). */
export function awkwardDirectory(n = 48): InitiativeRecord[] {
  const out: InitiativeRecord[] = [];
  for (let k = 0; k < n; k++) {
    const r = record({
      id: `${BASE}/initiatives/w${k}`,
      name: NAMES[k % NAMES.length]!,
      ...(k % 3 ? { description: k % 7 === 0 ? `Descripción ${k % 4}` : `About ${k % 5}` } : {}),
      ...(k % 4 === 1 ? { homepage: `https://coop${k % 6}.example` } : {}),
      ...(k % 5 ? { primaryActivity: `${S}activities-ica/${ACTIVITIES[k % 3]}` } : {}),
      ...(k % 6 === 2 ? { companiesHouseNumber: `IP${1000 + (k % 4)}` } : {}),
      ...(k % 7 === 3
        ? {
            registrations: [
              { register: "GB-CHC", number: `11${k % 2}` },
              ...(k % 2 ? [{ register: "GB-MPR", number: "24524R" }] : []),
            ],
          }
        : {}),
      ...(k % 5 === 3
        ? {
            translations: {
              fr: { name: k % 2 ? "Coopérative" : `Coopérative ${k}` },
              ...(k % 3 === 0 ? { es: { name: "Cooperativa", description: "Descripción" } } : {}),
              ...(k % 4 === 3 ? { "en-GB": { name: NAMES[(k + 3) % NAMES.length]! } } : {}),
            },
          }
        : {}),
      organisationalStructure:
        k % 8 === 0
          ? []
          : [...new Set([STRUCTURES[k % 4]!, ...(k % 5 === 0 ? [STRUCTURES[(k + 1) % 4]!] : [])])]
              .map((s) => `${S}organisational-structure/${s}`)
              .sort(),
      qualifiers: k % 9 === 4 ? [`${S}qualifiers/QF20`] : [],
      ...(k % 2 ? { country: `${S}countries-iso/${COUNTRIES[k % 4]}` } : {}),
      ...(k % 10 !== 9
        ? {
            address: {
              ...(k % 2 ? { streetAddress: `${k % 3} High Street` } : {}),
              ...(k % 6 !== 5 ? { locality: LOCALITIES[k % LOCALITIES.length]! } : {}),
              ...(k % 4 ? { region: "Region", postcode: POSTCODES[k] ?? `P${k % 5}` } : {}),
              ...(k % 11 ? { lat: k % 7 === 0 ? 0 : 50 + (k % 6) / 4, long: -(k % 5) / 2 } : {}),
            },
          }
        : {}),
      ...(k % 13 === 0 ? { phone: `+44 ${k}` } : {}),
      ...(k % 17 === 0 ? { email: `c${k}@coop.example` } : {}),
    });
    if (k === n - 1)
      r.provenance = { origin: "https://peer.example/actor", via: [], receivedAt: "2025-01-02T00:00:00.000Z" };
    out.push(r);
  }
  return out;
}
