/**
 * What the text checks of ADR 19 cost (issue 10 items 3 and 6), in CPU time per unit of work:
 *
 *   node bench/text.ts [--rounds 5] [--n 20000]
 *
 * - the inbox's walk of a whole activity (a Create of a full initiative, as essfed signs it) for
 *   characters no store holds, next to the JSON.parse of the same body it follows;
 * - validation of a full draft with and without the screening of its strings;
 * - CSV cells written with and without the formula neutralisation, and read back with and without
 *   taking the apostrophe off.
 *
 * Prints the median of the rounds in µs per item; asserts nothing.
 */
import { parseArgs } from "node:util";
import { findUnstorableText, screenDraft } from "../src/domain/text.ts";
import { validateInitiative, type InitiativeDraft } from "../src/domain/validate.ts";
import { csvCell, csvField, restore } from "../src/importers/csv/cells.ts";
import { loadTaxonomies } from "../src/linkeddata/vocabulary.ts";

const { values } = parseArgs({
  options: { rounds: { type: "string", default: "5" }, n: { type: "string", default: "20000" } },
});
const rounds = Number(values.rounds);
const n = Number(values.n);

const DRAFT: InitiativeDraft = {
  id: "https://leeds.example/initiatives/bread",
  name: "Coopérative du Pain",
  description: "<p>Bread &amp; <em>pastries</em> since 1982. ".repeat(8) + "</p>",
  homepage: "https://pain.example/",
  organisationalStructure: ["OS60"],
  legalFormText: "Community Interest Company",
  sector: "Food and Drink",
  sicCodes: ["10710"],
  ownership: "Workers",
  primaryActivity: "ICA240",
  activities: ["AM60"],
  qualifiers: ["Organic"],
  baseMembershipType: "BMT30",
  country: "FR",
  territory: "I-EU-WE",
  phone: "+33 4 00 00 00 00",
  email: "contact@pain.example",
  sameAs: ["https://elsewhere.example/pain"],
  address: {
    streetAddress: "12 rue des Boulangers",
    locality: "Lyon",
    region: "Auvergne-Rhône-Alpes",
    postcode: "69001",
    lat: 45.767,
    long: 4.834,
  },
  translations: { en: { name: "Bread Co-operative", description: "Bread and pastries." } },
};
const ACTIVITY = JSON.stringify({
  "@context": [
    "https://www.w3.org/ns/activitystreams",
    "https://w3id.org/security/data-integrity/v2",
    {
      essglobal: "https://lod.coop/essglobal/2.1/vocab/",
      gr: "http://purl.org/goodrelations/v1#",
      vcard: "http://www.w3.org/2006/vcard/ns#",
    },
  ],
  id: "https://leeds.example/activities/1",
  type: "Create",
  actor: "https://leeds.example/actors/network",
  object: {
    id: DRAFT.id,
    type: ["Page", "essglobal:SSEInitiative"],
    name: DRAFT.name,
    "gr:name": DRAFT.name,
    "dcterms:description": DRAFT.description,
    attributedTo: "https://leeds.example/actors/network",
    "essglobal:hasAddress": { "vcard:locality": "Lyon", "vcard:postal-code": "69001" },
    proof: {
      type: "DataIntegrityProof",
      cryptosuite: "eddsa-jcs-2022",
      verificationMethod: "https://leeds.example/actors/network#ed25519-key",
      proofPurpose: "assertionMethod",
      proofValue: "z".repeat(88),
    },
  },
});
const CELLS = [
  "Coopérative du Pain",
  "12 rue des Boulangers",
  "-1.5477",
  "53.8",
  "+44 113 496 0000",
  '=HYPERLINK("x")',
  "Food and Drink",
  "https://pain.example/",
];

/** Median µs per call of `f` over the rounds, `n` calls a round. */
function time(f: (i: number) => unknown): number {
  const per: number[] = [];
  for (let r = 0; r < rounds; r++) {
    const t0 = process.cpuUsage();
    for (let i = 0; i < n; i++) f(i);
    const t = process.cpuUsage(t0);
    per.push((t.user + t.system) / n);
  }
  return per.sort((a, b) => a - b)[Math.floor(per.length / 2)]!;
}

const taxonomies = loadTaxonomies();
const parsed = JSON.parse(ACTIVITY) as unknown;
const row = (f: (s: string) => string) => CELLS.map(f).join(",");
const written = row(csvCell).split(",");
const fig = (us: number) => `${us.toFixed(2)} µs`;

console.log(`bench/text: ${rounds} rounds × ${n}, CPU time per item (median)`);
console.log(
  `inbox activity (${ACTIVITY.length} bytes): JSON.parse ${fig(time(() => JSON.parse(ACTIVITY)))}, text walk ` +
    `${fig(time(() => findUnstorableText(parsed)))}`,
);
console.log(
  `full draft: validate ${fig(time(() => validateInitiative(DRAFT, taxonomies)))}, of which screening ` +
    `${fig(time(() => screenDraft(DRAFT, () => {})))}`,
);
console.log(
  `CSV row of ${CELLS.length} cells written: plain ${fig(time(() => row(csvField)))}, neutralised ` +
    `${fig(time(() => row(csvCell)))}`,
);
console.log(`CSV row of ${CELLS.length} cells read back: restore ${fig(time(() => written.map(restore)))}`);
