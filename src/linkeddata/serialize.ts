/**
 * Quads → Turtle, N-Triples, N-Quads text (N3.js writer, with the usual prefixes for Turtle).
 */
import { Writer, type Quad } from "n3";
import {
  DCTERMS,
  ESS,
  FOAF,
  GEO,
  GR,
  OSSPR,
  ORG,
  OWL,
  ROV,
  STANDARD,
  VCARD,
  XSD,
  AS,
  RDF,
  SKOS,
} from "./namespaces.ts";

export const PREFIXES: Record<string, string> = {
  essglobal: ESS.ns,
  standard: STANDARD,
  gr: GR.ns,
  dcterms: DCTERMS.ns,
  foaf: FOAF.ns,
  vcard: VCARD.ns,
  geo: GEO.ns,
  osspr: OSSPR.ns,
  rov: ROV.ns,
  org: ORG.ns,
  owl: OWL.ns,
  xsd: XSD.ns,
  as: AS.ns,
  rdf: RDF.ns,
  skos: SKOS.ns,
};

export type RdfFormat = "turtle" | "ntriples" | "nquads";

const N3_FORMAT: Record<RdfFormat, string> = { turtle: "Turtle", ntriples: "N-Triples", nquads: "N-Quads" };

/** Serialises quads to text synchronously (fine for one record or a page; dumps stream instead). */
export function writeQuads(quads: Quad[], format: RdfFormat): string {
  const writer = new Writer({ format: N3_FORMAT[format], ...(format === "turtle" ? { prefixes: PREFIXES } : {}) });
  writer.addQuads(quads);
  let out = "";
  writer.end((err, result: string) => {
    if (err) throw err;
    out = result;
  });
  return out;
}
