/**
 * Matches a pattern over the initiative shape against one record's triples (see
 * `sparql-fast.ts`). The pattern is compiled once per query: variables become positions in an
 * array, so a solution is extended by copying a short array rather than a map, which is most of
 * the work when every record of a large directory is matched.
 */
import type { Term } from "n3";
import { DataFactory } from "n3";
import type { Taxonomies } from "../domain/taxonomy.ts";
import { initiativeToQuads } from "../linkeddata/initiative-rdf.ts";
import type { StoredInitiative } from "../store/store.ts";
import type { ShapedQuery, Tree } from "./sparql-shape.ts";

/** A triple pattern with its variables as positions (`o` is -1 for a constant object). */
interface Step {
  s: number;
  p: string;
  o: number;
  constant?: { equals(t: Term): boolean };
}
type Compiled =
  | { kind: "bgp"; steps: Step[] }
  | { kind: "join"; inputs: Compiled[] }
  | { kind: "optional"; left: Compiled; right: Compiled };
type Partial = (Term | undefined)[];

export interface RecordMatcher {
  /** The variables, by position. */
  names: string[];
  /** The predicates the pattern names: only those of a record's triples are made. */
  predicates: Set<string>;
  tree: Compiled;
  root: number;
  /** Positions a FILTER fixes to a term (the root's is its record's own IRI, not set here). */
  fixed: [number, Term][];
}

const compiled = new WeakMap<ShapedQuery, RecordMatcher>();

export function matcherOf(q: ShapedQuery): RecordMatcher {
  const known = compiled.get(q);
  if (known) return known;
  const names: string[] = [q.root];
  const at = (v: string) => {
    let k = names.indexOf(v);
    if (k < 0) k = names.push(v) - 1;
    return k;
  };
  const predicates = new Set<string>();
  const compile = (t: Tree): Compiled => {
    if (t.kind === "join") return { kind: "join", inputs: t.inputs.map(compile) };
    if (t.kind === "optional") return { kind: "optional", left: compile(t.left), right: compile(t.right) };
    return {
      kind: "bgp",
      steps: t.patterns.map((p) => {
        predicates.add(p.predicate.value);
        return p.object.termType === "Variable"
          ? { s: at(p.subject.value), p: p.predicate.value, o: at(p.object.value) }
          : {
              s: at(p.subject.value),
              p: p.predicate.value,
              o: -1,
              constant: p.object as unknown as { equals(t: Term): boolean },
            };
      }),
    };
  };
  const tree = compile(q.tree);
  const fixed = [...q.fixed].filter(([v]) => v !== q.root).map(([v, t]): [number, Term] => [at(v), t]);
  const m = { names, predicates, tree, root: 0, fixed };
  compiled.set(q, m);
  return m;
}

/** A triple of one record, as the matcher needs it. */
export interface Held {
  subject: Term;
  object: Term;
}
/** One record's triples by subject, then predicate. */
export type Triples = Map<string, Map<string, Held[]>>;
const NONE: Held[] = [];

/** The solutions of the pattern over one record's triples, as maps from variable to term. */
export function matchRecord(
  m: RecordMatcher,
  r: StoredInitiative,
  taxonomies: Taxonomies,
  owner: string,
): Map<string, Term>[] {
  const triples: Triples = new Map();
  for (const quad of initiativeToQuads(r, taxonomies, owner, undefined, m.predicates)) {
    let byPredicate = triples.get(quad.subject.value);
    if (!byPredicate) triples.set(quad.subject.value, (byPredicate = new Map<string, Held[]>()));
    const list = byPredicate.get(quad.predicate.value);
    if (list) list.push(quad);
    else byPredicate.set(quad.predicate.value, [quad]);
  }
  return matchTriples(m, triples, DataFactory.namedNode(r.initiative.id));
}

/** The same over triples already indexed (`root` is the initiative's IRI). */
export function matchTriples(m: RecordMatcher, triples: Triples, root: Term): Map<string, Term>[] {
  const start: Partial = new Array<Term | undefined>(m.names.length);
  start[m.root] = root;
  for (const [k, t] of m.fixed) start[k] = t;
  return evaluate(m.tree, triples, [start]).map((s) => {
    const out = new Map<string, Term>();
    for (let k = 0; k < s.length; k++) if (s[k]) out.set(m.names[k]!, s[k]!);
    return out;
  });
}

/** Solutions of `t` over one record's triples, extending each of `input` (SPARQL join and left join). */
function evaluate(t: Compiled, triples: Triples, input: Partial[]): Partial[] {
  if (t.kind === "join") return t.inputs.reduce((acc, i) => evaluate(i, triples, acc), input);
  if (t.kind === "optional") {
    const out: Partial[] = [];
    for (const s of evaluate(t.left, triples, input)) {
      const ext = evaluate(t.right, triples, [s]);
      if (ext.length) out.push(...ext);
      else out.push(s);
    }
    return out;
  }
  let out = input;
  for (const step of t.steps) {
    const next: Partial[] = [];
    for (const s of out) {
      const subject = s[step.s];
      // Subjects are IRIs of the record's own nodes: the value names one.
      const candidates = subject
        ? subject.termType === "NamedNode"
          ? (triples.get(subject.value)?.get(step.p) ?? NONE)
          : NONE
        : [...triples.values()].flatMap((byPredicate) => byPredicate.get(step.p) ?? NONE);
      for (const quad of candidates) {
        let x = s;
        if (!subject) {
          x = s.slice();
          x[step.s] = quad.subject;
        }
        if (step.o < 0) {
          if (!step.constant!.equals(quad.object)) continue;
        } else {
          const held = x[step.o];
          if (held) {
            if (!held.equals(quad.object)) continue;
          } else {
            if (x === s) x = s.slice();
            x[step.o] = quad.object;
          }
        }
        next.push(x);
      }
    }
    out = next;
    if (!out.length) break;
  }
  return out;
}
