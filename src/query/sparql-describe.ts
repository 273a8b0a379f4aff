/**
 * `DESCRIBE <iri> …` without a WHERE clause, answered straight from the dataset's source (ADR 36):
 * the general engine rewrites it into `CONSTRUCT { <iri> ?p ?o } WHERE { <iri> ?p ?o }` for each
 * IRI and plans that query, which costs more than the lookup itself; here the same triples — every
 * one the source gives for that subject, in the default graph, in the same order — are read
 * directly (the source reads the one record the IRI names).
 */
import { Readable } from "node:stream";
import { Algebra } from "@traqula/algebra-transformations-1-1";
import { DataFactory, type NamedNode, type Quad } from "n3";
import type { InitiativeSource } from "./sparql-source.ts";

/** The IRIs of a DESCRIBE that names only IRIs and has no WHERE clause, else undefined. */
export function describedIris(algebra: Algebra.Operation): NamedNode[] | undefined {
  const op = algebra as Algebra.Operation & { terms?: { termType: string; value: string }[]; input?: unknown };
  if (op.type !== Algebra.Types.DESCRIBE || !op.terms?.length) return undefined;
  const input = op.input as { type?: string; patterns?: unknown[] } | undefined;
  if (input?.type !== "bgp" || input.patterns?.length) return undefined;
  if (op.terms.some((t) => t.termType !== "NamedNode")) return undefined;
  return op.terms.map((t) => DataFactory.namedNode(t.value));
}

/** The triples describing each IRI, as the engine's CONSTRUCT would make them. */
export function describing(source: InitiativeSource, iris: NamedNode[]): Readable {
  const graph = DataFactory.defaultGraph();
  async function* quads(): AsyncGenerator<Quad> {
    for (const iri of iris)
      for await (const q of source.match(iri, null, null, graph) as AsyncIterable<Quad>)
        yield DataFactory.quad(iri, q.predicate, q.object, graph);
  }
  return Readable.from(quads(), { objectMode: true });
}
