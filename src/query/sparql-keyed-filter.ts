/**
 * FILTERs that fix a lookup key's variable (ADR 42): `?v = c`, `sameTerm(?v, c)` or `STR(?v) = "text"`
 * over a pattern of one record's triples narrow the records the general engine reads to those holding
 * that key (`sparql-keyed.ts`). The engine still evaluates the FILTER itself on every solution.
 */
import type { Algebra } from "@traqula/algebra-transformations-1-1";
import { DataFactory } from "n3";
import { KEYED, keyedPredicate, lookupKeyOf, type Keyed } from "./sparql-keyed.ts";
import { conjuncts, simple, underFilter, type Expr } from "./sparql-prefix.ts";
import { mandatory, recordLocal, type Tree } from "./sparql-shape.ts";

/** The variable an argument is, and whether it is wrapped in `STR()`. */
function variableOf(e: Expr | undefined): { name: string; str: boolean } | undefined {
  if (e?.subType === "operator" && e.operator === "str" && e.args?.length === 1) {
    const inner = e.args[0];
    return inner?.subType === "term" && inner.term?.termType === "Variable"
      ? { name: inner.term.value, str: true }
      : undefined;
  }
  return e?.subType === "term" && e.term?.termType === "Variable" ? { name: e.term.value, str: false } : undefined;
}

/**
 * The key every solution's records must hold when a FILTER over a pattern of one record's triples
 * requires a key's variable to equal a constant: `?v = c`, `sameTerm(?v, c)` or `STR(?v) = "text"`,
 * either way round, among the conjuncts of the FILTER, where a mandatory pattern binds `?v` as the
 * object of a keyed predicate. Sound for the same reason as a name prefix (ADR 38): every solution's
 * triples come from the record whose key the FILTER tests, and the engine still applies the FILTER.
 * `=` between a plain string or an IRI and another term is true only for the same term (anything
 * else is false or a type error, which a FILTER drops); `STR()` of a key's literal is its text, of
 * a company's IRI the IRI.
 */
export const keyedOf = (algebra: Algebra.Operation): Keyed | "none" | undefined => underFilter(algebra, keyOver);

function keyOver(tree: Tree, e: Expr): Keyed | "none" | undefined {
  const patterns = mandatory(tree);
  const subjects = new Set(patterns.filter((p) => p.subject.termType === "Variable").map((p) => p.subject.value));
  if (![...subjects].some((root) => recordLocal(tree, root, new Set([root])))) return undefined;
  for (const c of conjuncts(e)) {
    if (c.subType !== "operator" || (c.operator !== "=" && c.operator !== "sameterm") || c.args?.length !== 2) continue;
    const [a, b] = c.args;
    const [v, k] = variableOf(a) ? [variableOf(a)!, b] : [variableOf(b), a];
    const constant = k?.subType === "term" ? k.term : undefined;
    if (!v || !constant || (v.str && c.operator !== "=")) continue;
    const bound = patterns.find(
      (p) => keyedPredicate(p.predicate.value) && p.object.termType === "Variable" && p.object.value === v.name,
    );
    if (!bound) continue;
    if (!v.str) {
      const key = lookupKeyOf(bound.predicate.value, constant);
      if (key) return key;
      continue;
    }
    // STR(?v) = "text": true only when the text is a simple literal equal to the key's text or IRI.
    const text = simple(k);
    if (text === undefined) return "none";
    if (KEYED[bound.predicate.value]!.iri) return lookupKeyOf(bound.predicate.value, DataFactory.namedNode(text));
    return { kind: KEYED[bound.predicate.value]!.kind, value: text };
  }
  return undefined;
}
