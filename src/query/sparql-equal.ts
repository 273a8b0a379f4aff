/**
 * FILTERs of a shaped query (ADR 20) that only fix variables to constants (ADR 36):
 * `FILTER(?v = <iri>)`, `FILTER(?v = "text")` (a plain string), `FILTER(sameTerm(?v, c))` with any
 * IRI or literal, either way round, joined by `&&`. When the variable is bound by every solution
 * of the pattern (a mandatory triple pattern holds it), such a FILTER keeps exactly the solutions
 * where the variable is that term: `=` between a plain string and any other term is true only for
 * the same string (SPARQL 1.1 §17.4.1.7: other literals give a type error, IRIs and blank nodes
 * false), between an IRI and any other term only for the same IRI; sameTerm is identity. So the
 * record-by-record answer starts each record's match with the variable already bound to the term,
 * which finds the same solutions, and a name or an IRI so fixed reads one record or the records of
 * one name from an index instead of every record.
 *
 * Not included: `=` with a number or a date (equal by value, so not only to the same term),
 * language-tagged constants (tags are compared without case by some engines), and any other
 * expression: those queries go to the general engine as before.
 */
import type * as RDF from "@rdfjs/types";
import { DataFactory, type Term } from "n3";
import { XSD } from "../linkeddata/namespaces.ts";

interface Expr {
  subType: string;
  operator?: string;
  args?: Expr[];
  term?: RDF.Term;
}

/** The variables a FILTER fixes, with their terms, or undefined when it does anything else. */
export function equalitiesOf(e: Expr): Map<string, Term> | undefined {
  const out = new Map<string, Term>();
  const walk = (x: Expr): boolean => {
    if (x.subType !== "operator" || x.args?.length !== 2) return false;
    if (x.operator === "&&") return walk(x.args[0]!) && walk(x.args[1]!);
    if (x.operator !== "=" && x.operator !== "sameterm") return false;
    const [a, b] = x.args.map((y) => (y.subType === "term" ? y.term : undefined));
    const [v, c] = a?.termType === "Variable" ? [a, b] : [b, a];
    if (v?.termType !== "Variable" || !c) return false;
    const term = constant(c, x.operator === "sameterm");
    if (!term) return false;
    const held = out.get(v.value);
    // Two different terms for one variable: left to the engine (it answers nothing).
    if (held && !held.equals(term)) return false;
    out.set(v.value, term);
    return true;
  };
  return walk(e) && out.size ? out : undefined;
}

/** The constant as a term of the records' own kind, when an equality with it is identity. */
function constant(c: RDF.Term, identity: boolean): Term | undefined {
  if (c.termType === "NamedNode") return DataFactory.namedNode(c.value);
  if (c.termType !== "Literal") return undefined;
  // A base direction (RDF 1.2) is a kind of term no record makes.
  if ((c as { direction?: string }).direction) return undefined;
  // Tags are compared without case by some engines and with it by others.
  if (c.language) return undefined;
  if (c.datatype.value === XSD.string) return DataFactory.literal(c.value);
  return identity ? DataFactory.literal(c.value, DataFactory.namedNode(c.datatype.value)) : undefined;
}
