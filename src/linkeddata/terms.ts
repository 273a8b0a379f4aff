/**
 * n3's RDF term constructors as plain functions. n3 defines them without `this`, but its types declare them as
 * methods of `DataFactory`, so taking them off the object would read as an unbound method.
 */
import { DataFactory, type BlankNode, type DefaultGraph, type Literal, type NamedNode, type Quad } from "n3";
import type * as RDF from "@rdfjs/types";

export const namedNode = (iri: string): NamedNode => DataFactory.namedNode(iri);
export const blankNode = (name?: string): BlankNode => DataFactory.blankNode(name);
export const literal = (value: string | number, languageOrDatatype?: string | RDF.NamedNode): Literal =>
  DataFactory.literal(value, languageOrDatatype);
export const defaultGraph = (): DefaultGraph => DataFactory.defaultGraph();
export const quad = (
  subject: RDF.Quad_Subject,
  predicate: RDF.Quad_Predicate,
  object: RDF.Quad_Object,
  graph?: RDF.Quad_Graph,
): Quad => DataFactory.quad(subject, predicate, object, graph);
