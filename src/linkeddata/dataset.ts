/**
 * The directory described as a dataset, in DCAT (for open-data catalogues) and VoID (for linked
 * data tools): who publishes it, under which licence and attribution, when it last changed, how
 * many initiatives it holds, and where to get them (dumps, SPARQL, the search API).
 */
import { Writer, type Quad, type Quad_Object } from "n3";
import { namedNode, literal, blankNode, quad } from "./terms.ts";
import jsonld from "jsonld";
import type { Licence } from "./licences.ts";
import { LINKSET_PATH } from "./linkset.ts";
import { ESS, OWL } from "./namespaces.ts";
import { writeQuads } from "./serialize.ts";
import type { SourceTerms } from "../store/store.ts";

export const DCAT = "http://www.w3.org/ns/dcat#";
export const VOID = "http://rdfs.org/ns/void#";
export const DCT = "http://purl.org/dc/terms/";
export const CC = "http://creativecommons.org/ns#";
const RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type";
const RDFS_LABEL = "http://www.w3.org/2000/01/rdf-schema#label";
const FOAF_HOMEPAGE = "http://xmlns.com/foaf/0.1/homepage";
const XSD = "http://www.w3.org/2001/XMLSchema#";
/** "Continuously updated", from the Dublin Core Collection Description frequency vocabulary. */
export const CONTINUOUS = "http://purl.org/cld/freq/continuous";

/** The dumps served under `/dumps/`, by file name. */
export const DUMP_FILES: Record<string, { type: string; title: string }> = {
  "initiatives.nq": { type: "application/n-quads", title: "N-Quads, one named graph per source network" },
  "initiatives.csv": { type: "text/csv", title: "CSV in the SEA standard columns" },
  "initiatives.geojson": { type: "application/geo+json", title: "GeoJSON" },
};

export interface DatasetFacts {
  /** The instance's base URL (no trailing slash). */
  base: string;
  /** The network actor: the publisher. */
  actor: string;
  name: string;
  summary: string;
  licence?: Licence;
  attribution: string;
  /** When a record held last changed (ISO 8601), if any is held. */
  modified?: string;
  /** Initiatives held, and how many of them are the network's own. */
  total: number;
  own: number;
  /** Records held per source network, licence and attribution (own records have no source). */
  terms?: SourceTerms[];
}

/** A licence IRI fit to write as an IRI (records from peers name their own). */
export const IRI = /^https?:\/\/[^\s<>"{}|\\^`]+$/;

/** The terms grouped per source network: its records, licences and attributions. */
export function bySource(
  terms: SourceTerms[],
): Map<string, { count: number; licences: Set<string>; credits: Set<string> }> {
  const out = new Map<string, { count: number; licences: Set<string>; credits: Set<string> }>();
  for (const t of terms) {
    const key = t.source ?? "";
    const s = out.get(key) ?? { count: 0, licences: new Set<string>(), credits: new Set<string>() };
    s.count += t.count;
    if (t.license && IRI.test(t.license)) s.licences.add(t.license);
    if (t.attribution) s.credits.add(t.attribution);
    out.set(key, s);
  }
  return out;
}

/** The dataset's IRI (also where its description is served). */
export const datasetIri = (base: string): string => `${base}/dataset`;

export function datasetQuads(f: DatasetFacts): Quad[] {
  const out: Quad[] = [];
  const add = (s: string | ReturnType<typeof blankNode>, p: string, o: Quad_Object) =>
    out.push(quad(typeof s === "string" ? namedNode(s) : s, namedNode(p), o));
  const iri = (v: string) => namedNode(v);
  const int = (n: number) => literal(String(n), namedNode(XSD + "integer"));
  const ds = datasetIri(f.base);
  add(ds, RDF_TYPE, iri(DCAT + "Dataset"));
  add(ds, RDF_TYPE, iri(VOID + "Dataset"));
  add(ds, DCT + "title", literal(f.name));
  add(ds, DCT + "description", literal(f.summary));
  add(ds, DCT + "publisher", iri(f.actor));
  add(ds, DCAT + "landingPage", iri(`${f.base}/`));
  add(ds, FOAF_HOMEPAGE, iri(`${f.base}/`));
  add(ds, DCT + "accrualPeriodicity", iri(CONTINUOUS));
  if (f.modified) add(ds, DCT + "modified", literal(f.modified, namedNode(XSD + "dateTime")));
  const rights = blankNode("rights");
  add(ds, DCT + "rights", rights);
  add(rights, RDF_TYPE, iri(DCT + "RightsStatement"));
  if (f.licence) {
    add(ds, DCT + "license", iri(f.licence.iri));
    add(rights, RDFS_LABEL, literal(`${f.licence.label}. Attribution: ${f.attribution}`));
  } else {
    add(
      rights,
      RDFS_LABEL,
      literal(`No licence declared: ask ${f.name} before reusing this data. Attribution: ${f.attribution}`),
    );
  }
  add(ds, CC + "attributionName", literal(f.attribution));
  add(ds, CC + "attributionURL", iri(f.actor));
  add(ds, VOID + "vocabulary", iri(ESS.ns));
  add(ds, VOID + "uriSpace", literal(`${f.base}/initiatives/`));
  add(ds, VOID + "entities", int(f.total));
  const partition = blankNode("initiatives");
  add(ds, VOID + "classPartition", partition);
  add(partition, VOID + "class", iri(ESS.SSEInitiative));
  add(partition, VOID + "entities", int(f.total));
  const own = blankNode("own");
  add(ds, VOID + "subset", own);
  add(own, RDF_TYPE, iri(VOID + "Dataset"));
  add(own, DCT + "title", literal(`Initiatives published by ${f.name}`));
  add(own, DCT + "publisher", iri(f.actor));
  add(own, VOID + "entities", int(f.own));
  if (f.licence) add(own, DCT + "license", iri(f.licence.iri));
  // Mixed sources: each network's records keep their own terms, listed per source (ADR 28).
  let n = 0;
  for (const [source, s] of bySource(f.terms ?? [])) {
    if (source && !IRI.test(source)) continue;
    const subset = source ? blankNode(`source-${n++}`) : own;
    if (source) {
      add(ds, VOID + "subset", subset);
      add(subset, RDF_TYPE, iri(VOID + "Dataset"));
      add(subset, DCT + "title", literal(`Initiatives mirrored from ${source}`));
      add(subset, DCT + "source", iri(source));
      add(subset, DCT + "publisher", iri(source));
      add(subset, CC + "attributionURL", iri(source));
      add(subset, VOID + "entities", int(s.count));
    }
    for (const l of s.licences) if (!(!source && l === f.licence?.iri)) add(subset, DCT + "license", iri(l));
    for (const c of s.credits) if (source || c !== f.attribution) add(subset, CC + "attributionName", literal(c));
  }

  for (const [file, d] of Object.entries(DUMP_FILES)) {
    const url = `${f.base}/dumps/${file}`;
    add(ds, VOID + "dataDump", iri(url));
    add(ds, DCAT + "distribution", iri(url));
    add(url, RDF_TYPE, iri(DCAT + "Distribution"));
    add(url, DCT + "title", literal(d.title));
    add(url, DCAT + "downloadURL", iri(url));
    add(url, DCAT + "accessURL", iri(url));
    add(url, DCAT + "mediaType", iri(`https://www.iana.org/assignments/media-types/${d.type}`));
    if (f.licence) add(url, DCT + "license", iri(f.licence.iri));
  }
  // The network's sameAs decisions (its linkset), published beside the records.
  const linkset = `${f.base}${LINKSET_PATH}`;
  add(ds, VOID + "subset", iri(linkset));
  add(linkset, RDF_TYPE, iri(VOID + "Linkset"));
  add(linkset, DCT + "title", literal(`Records ${f.name} has confirmed to be the same organisation`));
  add(linkset, VOID + "linkPredicate", iri(OWL.sameAs));
  add(linkset, VOID + "subjectsTarget", iri(ds));
  add(linkset, VOID + "dataDump", iri(`${f.base}/dumps/sameas.nq`));
  add(linkset, DCT + "publisher", iri(f.actor));
  if (f.licence) add(linkset, DCT + "license", iri(f.licence.iri));

  const sparql = `${f.base}/sparql`;
  add(ds, VOID + "sparqlEndpoint", iri(sparql));
  const services = [
    {
      id: `${sparql}#service`,
      title: "SPARQL 1.1 endpoint",
      endpoint: sparql,
      conforms: "https://www.w3.org/TR/sparql11-protocol/",
    },
    {
      id: `${f.base}/api/initiatives#service`,
      title: "Search API (JSON-LD, GeoJSON, CSV)",
      endpoint: `${f.base}/api/initiatives`,
      description: `${f.base}/openapi.json`,
    },
  ];
  for (const s of services) {
    add(s.id, RDF_TYPE, iri(DCAT + "DataService"));
    add(s.id, DCT + "title", literal(s.title));
    add(s.id, DCAT + "endpointURL", iri(s.endpoint));
    add(s.id, DCAT + "servesDataset", iri(ds));
    add(s.id, DCT + "publisher", iri(f.actor));
    if (s.conforms) add(s.id, DCT + "conformsTo", iri(s.conforms));
    if (s.description) add(s.id, DCAT + "endpointDescription", iri(s.description));
    if (f.licence) add(s.id, DCT + "license", iri(f.licence.iri));
    const dist = blankNode(`dist-${s.endpoint === sparql ? "sparql" : "api"}`);
    add(ds, DCAT + "distribution", dist);
    add(dist, RDF_TYPE, iri(DCAT + "Distribution"));
    add(dist, DCT + "title", literal(s.title));
    add(dist, DCAT + "accessURL", iri(s.endpoint));
    add(dist, DCAT + "accessService", iri(s.id));
  }
  return out;
}

const CONTEXT = {
  dcat: DCAT,
  void: VOID,
  dcterms: DCT,
  cc: CC,
  foaf: "http://xmlns.com/foaf/0.1/",
  rdfs: "http://www.w3.org/2000/01/rdf-schema#",
  xsd: XSD,
  essglobal: ESS.ns,
};

export type DatasetFormat = "turtle" | "ntriples" | "jsonld";

/** The description as text in one of the formats served. */
export async function writeDataset(quads: Quad[], format: DatasetFormat): Promise<string> {
  if (format === "ntriples") return writeQuads(quads, format);
  if (format === "turtle") {
    const writer = new Writer({ format: "Turtle", prefixes: CONTEXT });
    writer.addQuads(quads);
    return new Promise((resolve, reject) => writer.end((e, text: string) => (e ? reject(e) : resolve(text))));
  }
  const expanded = await jsonld.fromRDF(writeQuads(quads, "nquads"), { format: "application/n-quads" });
  const compacted = await jsonld.compact(expanded, CONTEXT);
  return JSON.stringify(compacted, null, 2);
}
