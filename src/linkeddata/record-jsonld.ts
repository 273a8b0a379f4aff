/**
 * A record's statements as JSON-LD for linked-data clients: the same statements as its N-Quads
 * answer — the record in the default graph, each linkset's sameAs links and decisions in the
 * linkset's named graph — compacted with the ESSGLOBAL context inline, so that any JSON-LD
 * processor reads it offline. Not the signed ActivityStreams document peers fetch and verify
 * (ADR 33).
 */
import jsonld from "jsonld";
import type { Quad } from "n3";
import { ESS_CONTEXT } from "./context.ts";
import { writeQuads } from "./serialize.ts";

/** The context of the document: ESSGLOBAL's terms and the vocabularies of the linksets. */
export const RECORD_JSONLD_CONTEXT: Readonly<Record<string, unknown>> = Object.freeze({
  ...ESS_CONTEXT,
  rdf: "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
  rdfs: "http://www.w3.org/2000/01/rdf-schema#",
  void: "http://rdfs.org/ns/void#",
  skos: "http://www.w3.org/2004/02/skos/core#",
  "rdfs:seeAlso": { "@type": "@id" },
  "void:linkset": { "@type": "@id" },
  "void:linkPredicate": { "@type": "@id" },
  "dcterms:publisher": { "@type": "@id" },
  "rdf:subject": { "@type": "@id" },
  "rdf:predicate": { "@type": "@id" },
  "rdf:object": { "@type": "@id" },
});

/** The quads (named graphs kept) as a compacted JSON-LD document, as text. */
export async function quadsToJsonLd(quads: Quad[]): Promise<string> {
  const expanded = await jsonld.fromRDF(writeQuads(quads, "nquads"), { format: "application/n-quads" });
  // fromRDF's output is expanded already: compacting it without expanding it again costs a fifth.
  const compacted = await jsonld.compact(expanded, RECORD_JSONLD_CONTEXT as jsonld.ContextDefinition, {
    skipExpansion: true,
  });
  return JSON.stringify(compacted);
}
