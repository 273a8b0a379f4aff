/**
 * Every ESSGLOBAL base found in the wild answers (ADR 20). essfed stores one base (ADR 2); a
 * client written for the SEA's data names classes, properties and concepts under another one
 * (`https://w3id.solidarityeconomy.coop/essglobal/V2a/`, `http://purl.org/essglobal/`…). Before
 * a query is evaluated, every IRI it names under a known base — in patterns, property paths,
 * FILTER and BIND expressions, VALUES — is rewritten to the stored base, so the query finds what
 * it means. Results carry the stored base (the one every document essfed serves uses).
 */
import type * as RDF from "@rdfjs/types";
import type { Algebra } from "@traqula/algebra-transformations-1-1";
import { canonicalEssIri } from "../linkeddata/namespaces.ts";
import { dataFactory } from "./sparql-guard.ts";

const TERM_KEYS = ["subject", "predicate", "object", "graph"] as const;

/** A term with every ESSGLOBAL IRI (also inside quoted triples) under the stored base. */
function canonical<T extends RDF.Term>(t: T): T {
  if (t.termType === "NamedNode") {
    const c = canonicalEssIri(t.value);
    return (c === t.value ? t : dataFactory.namedNode(c)) as T;
  }
  if (t.termType === "Quad") {
    const q = t as unknown as RDF.Quad;
    const [s, p, o, g] = TERM_KEYS.map((k) => canonical(q[k]));
    if (s === q.subject && p === q.predicate && o === q.object && g === q.graph) return t;
    return dataFactory.quad(
      s as RDF.Quad_Subject,
      p as RDF.Quad_Predicate,
      o as RDF.Quad_Object,
      g as RDF.Quad_Graph,
    ) as unknown as T;
  }
  return t;
}

/**
 * Rewrites, in place, every ESSGLOBAL IRI of the algebra to the stored base; returns how many
 * were rewritten. Terms are replaced where they are held (an algebra pattern is itself a quad
 * with an operation type, so its positions are reassigned, not the pattern).
 */
export function canonicalizeAlgebra(algebra: Algebra.Operation): number {
  let rewritten = 0;
  const stack: object[] = [algebra];
  const seen = new Set<object>();
  while (stack.length) {
    const node = stack.pop()!;
    if (seen.has(node)) continue;
    seen.add(node);
    const record = node as Record<string, unknown>;
    for (const key of Object.keys(record)) {
      const value = record[key];
      if (!value || typeof value !== "object") continue;
      if (Array.isArray(value)) {
        value.forEach((item: unknown, k) => {
          if (isTerm(item) && !("type" in (item as object))) {
            const c = canonical(item);
            if (c !== item) {
              value[k] = c;
              rewritten++;
            }
          } else if (item && typeof item === "object") stack.push(item);
        });
        continue;
      }
      // A pattern (termType "Quad" with a `type`) is an operation: walk into its positions.
      if (isTerm(value) && !("type" in value)) {
        const c = canonical(value);
        if (c !== value) {
          record[key] = c;
          rewritten++;
        }
        continue;
      }
      stack.push(value);
    }
  }
  return rewritten;
}

function isTerm(x: unknown): x is RDF.Term {
  return !!x && typeof x === "object" && typeof (x as { termType?: unknown }).termType === "string";
}
