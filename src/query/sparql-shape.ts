/**
 * Recognises SELECT queries over the initiative shape (ADR 20): a graph pattern of basic graph
 * patterns, joins and OPTIONALs (nested or not) rooted at one variable typed
 * `essglobal:SSEInitiative` (or, untyped, whose name, postcode or registration is looked up), where
 * every triple pattern starts from that initiative or from a node of its own (its address, telephone, email, accounts)
 * reached in the same pattern or already bound around it. Such a pattern only ever matches
 * triples of one record, so it can be answered record by record, without joining across the
 * whole dataset. On top: projection, DISTINCT,
 * ORDER BY variables, LIMIT/OFFSET, GROUP BY with COUNT, and a FILTER that fixes variables to
 * constants (`sparql-equal.ts`). Anything else is not recognised and goes to the general engine.
 */
import type * as RDF from "@rdfjs/types";
import { Algebra } from "@traqula/algebra-transformations-1-1";
import type { Term } from "n3";
import { AS, ESS, FOAF, GR, OWL, RDF as RDFNS, VCARD } from "../linkeddata/namespaces.ts";
import { equalitiesOf } from "./sparql-equal.ts";
import { keyedPredicate } from "./sparql-keyed.ts";

/** Predicates whose object is a node of the record itself (`id#Address`, `id#Telephone`…). */
const OWN_NODE_LINKS = new Set([ESS.hasAddress, VCARD.hasTelephone, VCARD.hasEmail, FOAF.account]);

export type Tree =
  | { kind: "bgp"; patterns: RDF.Quad[] }
  | { kind: "join"; inputs: Tree[] }
  | { kind: "optional"; left: Tree; right: Tree };

export interface Count {
  as: string;
  of?: string;
  distinct: boolean;
}

export interface ShapedQuery {
  root: string;
  tree: Tree;
  /** Grouping (with counts), when the query aggregates. */
  group?: { by: string[]; counts: Count[] };
  /** Extends of the form (?alias := ?aggregateVariable), applied after grouping. */
  renames: [string, string][];
  order: { variable: string; descending: boolean }[];
  /** Variables a FILTER fixes to a term (`sparql-equal.ts`): each is bound by a mandatory pattern. */
  fixed: Map<string, Term>;
  distinct: boolean;
  vars: string[];
  offset: number;
  limit?: number;
}

type Op = Algebra.Operation & Record<string, unknown>;
type Expr = {
  type: string;
  subType: string;
  term?: RDF.Term;
  operator?: string;
  args?: Expr[];
  aggregator?: string;
  expression?: Expr;
  distinct?: boolean;
  variable?: RDF.Variable;
};

const variableOf = (e: Expr | undefined): string | undefined =>
  e?.subType === "term" && e.term?.termType === "Variable" ? e.term.value : undefined;

/** The query as a shape, or undefined when it is not one (then the engine answers it). */
export function recogniseShape(algebra: Algebra.Operation): ShapedQuery | undefined {
  let op = algebra as Op;
  const q: Partial<ShapedQuery> & { renames: [string, string][]; order: ShapedQuery["order"] } = {
    renames: [],
    order: [],
    distinct: false,
    offset: 0,
  };
  if (op.type === Algebra.Types.SLICE) {
    q.offset = op.start ?? 0;
    if (op.length !== undefined) q.limit = op.length;
    op = op.input as Op;
  }
  if (op.type === Algebra.Types.DISTINCT) {
    q.distinct = true;
    op = op.input as Op;
  }
  if (op.type !== Algebra.Types.PROJECT) return undefined;
  q.vars = op.variables.map((v) => v.value);
  op = op.input as Op;
  if (op.type === Algebra.Types.ORDER_BY) {
    for (const e of op.expressions as Expr[]) {
      const descending = e.subType === "operator" && e.operator === "desc";
      const v = variableOf(descending ? e.args?.[0] : e);
      if (!v) return undefined;
      q.order.push({ variable: v, descending });
    }
    op = op.input as Op;
  }
  while (op.type === Algebra.Types.EXTEND) {
    const from = variableOf(op.expression);
    if (!from) return undefined;
    q.renames.unshift([op.variable.value, from]);
    op = op.input as Op;
  }
  if (op.type === Algebra.Types.GROUP) {
    const counts: Count[] = [];
    for (const a of op.aggregates as Expr[]) {
      if (a.aggregator !== "count") return undefined;
      const e = a.expression;
      const of = e?.subType === "wildcard" ? undefined : variableOf(e);
      if (e?.subType !== "wildcard" && !of) return undefined;
      counts.push({ as: a.variable!.value, ...(of ? { of } : {}), distinct: !!a.distinct });
    }
    q.group = { by: op.variables.map((v) => v.value), counts };
    op = op.input as Op;
  } else if (q.renames.length) return undefined;
  let fixed = new Map<string, Term>();
  if (op.type === Algebra.Types.FILTER) {
    const found = equalitiesOf(op.expression);
    if (!found) return undefined;
    fixed = found;
    op = op.input as Op;
  }
  const tree = treeOf(op);
  if (!tree) return undefined;
  const root = rootOf(tree, fixed);
  if (!root || !recordLocal(tree, root, new Set([root]))) return undefined;
  // A fixed variable must be bound in every solution (else the FILTER would drop those without it).
  const bound = new Set(
    mandatory(tree).flatMap((p) => [p.subject, p.object].filter((t) => t.termType === "Variable").map((t) => t.value)),
  );
  for (const [v, t] of fixed) if (!bound.has(v) || (v === root && t.termType !== "NamedNode")) return undefined;
  return { ...q, root, tree, fixed } as ShapedQuery;
}

/** The query's graph pattern as a tree of basic patterns, joins and OPTIONALs, or undefined when it is more. */
export function treeOf(operation: Algebra.Operation): Tree | undefined {
  const op = operation as Op;
  if (op.type === Algebra.Types.BGP) {
    const patterns = op.patterns as (RDF.Quad & { type: string })[];
    if (
      patterns.some(
        (p) =>
          p.graph.termType !== "DefaultGraph" ||
          p.subject.termType !== "Variable" ||
          p.predicate.termType !== "NamedNode" ||
          // The default graph also holds the network's sameAs linkset: links a record's own triples do not have.
          p.predicate.value === OWL.sameAs ||
          (p.object.termType !== "Variable" && p.object.termType !== "NamedNode" && p.object.termType !== "Literal"),
      )
    )
      return undefined;
    return { kind: "bgp", patterns };
  }
  if (op.type === Algebra.Types.JOIN) {
    const inputs = (op.input as unknown as Op[]).map(treeOf);
    return inputs.every((t) => t) ? { kind: "join", inputs: inputs as Tree[] } : undefined;
  }
  if (op.type === Algebra.Types.LEFT_JOIN && !op.expression) {
    const [l, r] = (op.input as unknown as Op[]).map(treeOf);
    return l && r ? { kind: "optional", left: l, right: r } : undefined;
  }
  return undefined;
}

/** Triple patterns that must match for any solution (not inside an OPTIONAL's right side). */
export function mandatory(t: Tree): RDF.Quad[] {
  if (t.kind === "bgp") return t.patterns;
  if (t.kind === "join") return t.inputs.flatMap(mandatory);
  return mandatory(t.left);
}

/**
 * The variable typed essglobal:SSEInitiative in a mandatory pattern; untyped, the variable whose
 * name a mandatory pattern gives as a plain literal or a FILTER fixes (a lookup by name, ADR 36),
 * or whose postcode, registration identifier or company a pattern gives or a FILTER fixes (ADR 42).
 * Every `gr:name` and `as:name` triple of the dataset is a record's own (the vocabularies and the
 * linkset hold none), and every record is an essglobal:SSEInitiative, so the subject of a name is
 * an initiative as if the query had typed it.
 */
function rootOf(t: Tree, fixed: Map<string, Term>): string | undefined {
  const typed = mandatory(t).filter(
    (p) =>
      p.predicate.value === RDFNS.type && p.object.termType === "NamedNode" && p.object.value === ESS.SSEInitiative,
  );
  const named = mandatory(t).filter((p) => {
    if (p.predicate.value !== GR.name && p.predicate.value !== AS.name) return false;
    const o = p.object.termType === "Variable" ? fixed.get(p.object.value) : p.object;
    return o?.termType === "Literal" && !o.language;
  });
  // A postcode, a registration's identifier or a company (ADR 42): every such triple is a record's
  // own too; a postcode is its address node's, whose initiative is the subject linking to it.
  const keyed = mandatory(t).flatMap((p) => {
    const o = p.object.termType === "Variable" ? fixed.get(p.object.value) : p.object;
    if (!o || !keyedPredicate(p.predicate.value)) return [];
    if (p.predicate.value !== VCARD["postal-code"]) return [p.subject.value];
    return mandatory(t)
      .filter((q) => q.predicate.value === ESS.hasAddress && q.object.equals(p.subject))
      .map((q) => q.subject.value);
  });
  const roots = new Set(
    typed.length ? typed.map((p) => p.subject.value) : [...named.map((p) => p.subject.value), ...keyed],
  );
  return roots.size === 1 ? [...roots][0] : undefined;
}

/** Variables every solution of the tree binds to a node of the record (root or own node). */
function boundNodes(t: Tree, root: string, anchored: Set<string>): Set<string> {
  const out = new Set(anchored);
  for (const p of mandatory(t)) {
    if (p.subject.value === root) out.add(root);
    if (out.has(p.subject.value) && OWN_NODE_LINKS.has(p.predicate.value) && p.object.termType === "Variable")
      out.add(p.object.value);
  }
  return out;
}

/**
 * True when every triple pattern's subject is the root or one of the record's own nodes, bound
 * as such in the same basic pattern or by what surrounds it (so no pattern can match another
 * record's triples), and no variable standing for such a node is also used for anything else.
 */
export function recordLocal(t: Tree, root: string, anchored: Set<string>): boolean {
  if (t.kind === "join") {
    const all = t.inputs.reduce((acc, i) => boundNodes(i, root, acc), anchored);
    return t.inputs.every((i) => recordLocal(i, root, all));
  }
  if (t.kind === "optional")
    return recordLocal(t.left, root, anchored) && recordLocal(t.right, root, boundNodes(t.left, root, anchored));
  const nodes = new Set(anchored);
  nodes.add(root);
  // Links within the pattern, followed from the root outwards (a chain is a few steps long).
  for (let changed = true; changed;) {
    changed = false;
    for (const p of t.patterns) {
      if (
        nodes.has(p.subject.value) &&
        OWN_NODE_LINKS.has(p.predicate.value) &&
        p.object.termType === "Variable" &&
        !nodes.has(p.object.value)
      ) {
        nodes.add(p.object.value);
        changed = true;
      }
    }
  }
  return t.patterns.every(
    (p) =>
      nodes.has(p.subject.value) &&
      (p.object.termType !== "Variable" || p.object.value !== root) &&
      (p.object.termType !== "Variable" || !nodes.has(p.object.value) || OWN_NODE_LINKS.has(p.predicate.value)),
  );
}
