/**
 * FILTERs that require a name to start with a constant (`STRSTARTS(?n, "Co")`, `REGEX(?n, "^Co")`)
 * narrow the records the general engine reads to those the name-order index holds under that
 * prefix, and the records with translations (whose tagged names the index does not order). The
 * engine still evaluates the FILTER itself on every solution, so the answers are the ones it gave
 * when it read every record: the prefix only has to be implied by the FILTER (ADR 38).
 *
 * Sound only when the whole pattern is one record's (`recordLocal`, ADR 20): every solution's
 * triples then come from the record whose name the FILTER tests, so a record outside the prefix
 * has no solution the FILTER keeps. The FILTER may sit under projection, DISTINCT, ORDER BY,
 * LIMIT/OFFSET, GROUP BY and HAVING, which only see the solutions it keeps.
 *
 * Not narrowed (no sound prefilter from an index the stores keep): `CONTAINS`, `STRENDS`, a regex
 * not anchored at the start, regexes with flags other than `s` (`i` folds case beyond ASCII, `m`
 * anchors at line starts, `q` and `x` change what the pattern means), `LCASE`/`UCASE` of the name,
 * and a FILTER joined by `||`. Those read every record, as before.
 */
import type * as RDF from "@rdfjs/types";
import { Algebra } from "@traqula/algebra-transformations-1-1";
import { AS, GR, XSD } from "../linkeddata/namespaces.ts";
import { writeNameCursor } from "../store/name-order.ts";
import type { Store, StoredInitiative } from "../store/store.ts";
import { mandatory, recordLocal, treeOf, type Tree } from "./sparql-shape.ts";

export interface Expr {
  subType: string;
  operator?: string;
  args?: Expr[];
  term?: RDF.Term;
}
type Op = Algebra.Operation & { input?: Op; expression?: Expr };

/** Operations above the FILTER that only see the solutions it keeps. */
const ABOVE = new Set<string>([
  Algebra.Types.SLICE,
  Algebra.Types.DISTINCT,
  Algebra.Types.REDUCED,
  Algebra.Types.PROJECT,
  Algebra.Types.ORDER_BY,
  Algebra.Types.EXTEND,
  Algebra.Types.GROUP,
  Algebra.Types.FILTER,
]);

/** Characters that end a regex's literal start (XPath and JavaScript metacharacters). */
const META = new Set("\\^$.|?*+()[]{}");
/** Quantifiers that make the character before them optional. */
const OPTIONAL_QUANTIFIER = new Set("?*{");

/**
 * What `over` finds in the first FILTER, below operations that only see the solutions it keeps, whose input is a
 * pattern of records (`treeOf`); undefined when there is no such FILTER. Name prefixes and lookup keys (ADR 38, 42)
 * both narrow what the general engine reads this way.
 */
export function underFilter<T>(algebra: Algebra.Operation, over: (tree: Tree, e: Expr) => T): T | undefined {
  let op = algebra as Op;
  while (ABOVE.has(op.type)) {
    if (op.type === Algebra.Types.FILTER && op.input && op.expression) {
      const tree = treeOf(op.input);
      if (tree) return over(tree, op.expression);
    }
    if (!op.input) return undefined;
    op = op.input;
  }
  return undefined;
}

/** The prefix every solution's name must start with, or undefined when the query implies none. */
export const namePrefixOf = (algebra: Algebra.Operation): string | undefined => underFilter(algebra, prefixOver);

function prefixOver(tree: Tree, e: Expr): string | undefined {
  let best: string | undefined;
  for (const [variable, prefix] of conjuncts(e).flatMap(startOf)) {
    if (best !== undefined && prefix.length <= best.length) continue;
    // The name's subject is the root: every name triple is a record's own (ADR 36).
    const named = mandatory(tree).find(
      (p) =>
        (p.predicate.value === GR.name || p.predicate.value === AS.name) &&
        p.subject.termType === "Variable" &&
        p.object.termType === "Variable" &&
        p.object.value === variable,
    );
    if (named && recordLocal(tree, named.subject.value, new Set([named.subject.value]))) best = prefix;
  }
  return best;
}

/** The expressions joined by `&&` (each must hold for the FILTER to keep a solution). */
export function conjuncts(e: Expr): Expr[] {
  return e.subType === "operator" && e.operator === "&&" && e.args?.length === 2
    ? [...conjuncts(e.args[0]!), ...conjuncts(e.args[1]!)]
    : [e];
}

/** A simple literal's text (a plain or `xsd:string` literal without a language). */
export function simple(e: Expr | undefined): string | undefined {
  const t = e?.subType === "term" ? e.term : undefined;
  if (t?.termType !== "Literal" || t.language || t.datatype.value !== XSD.string) return undefined;
  if ((t as { direction?: string }).direction) return undefined;
  return t.value;
}

/** The variable an argument is, directly or as `STR(?v)` (a name is a literal: STR gives its text). */
function variableOf(e: Expr | undefined): string | undefined {
  if (e?.subType === "operator" && e.operator === "str" && e.args?.length === 1) return variableOf(e.args[0]);
  return e?.subType === "term" && e.term?.termType === "Variable" ? e.term.value : undefined;
}

/** [variable, prefix] when the expression is true only for a string starting with a non-empty prefix. */
function startOf(e: Expr): [string, string][] {
  if (e.subType !== "operator") return [];
  const v = variableOf(e.args?.[0]);
  if (!v) return [];
  if (e.operator === "strstarts" && e.args?.length === 2) {
    const prefix = simple(e.args[1]);
    return prefix ? [[v, prefix]] : [];
  }
  if (e.operator === "regex" && (e.args?.length === 2 || e.args?.length === 3)) {
    const pattern = simple(e.args[1]);
    const flags = e.args.length === 3 ? simple(e.args[2]) : "";
    if (pattern === undefined || flags === undefined || !/^s?$/.test(flags)) return [];
    const prefix = regexPrefix(pattern);
    return prefix ? [[v, prefix]] : [];
  }
  return [];
}

/**
 * The text every match of an anchored regex starts with: the characters after `^` up to the first
 * metacharacter, less the last one when a quantifier that allows none of it follows. A `|`
 * anywhere could start an unanchored branch, so such a pattern gives none.
 */
export function regexPrefix(pattern: string): string | undefined {
  if (!pattern.startsWith("^") || pattern.includes("|")) return undefined;
  const chars = [...pattern.slice(1)];
  let k = 0;
  while (k < chars.length && !META.has(chars[k]!)) k++;
  // Whole code points: a quantifier after an astral character drops all of it (in a non-Unicode regex it
  // quantifies the low surrogate alone; a shorter prefix is still implied).
  const text = chars.slice(0, OPTIONAL_QUANTIFIER.has(chars[k] ?? "") ? Math.max(0, k - 1) : k).join("");
  return text || undefined;
}

/** Pages growing from a few records: a prefix few names share costs a few rows read past its end. */
const PAGES = [20, 100, 500];

/**
 * The records that can have a name starting with `prefix`: those with translations (first in the
 * name order, ADR 26) and the others whose own name starts with it, one range of the name index
 * (code point order keeps them together, from the prefix itself on).
 */
export async function* prefixed(
  store: Store,
  prefix: string,
  stopped: () => boolean,
): AsyncGenerator<StoredInitiative[]> {
  const part = async function* (
    first: string | undefined,
    keep: (r: StoredInitiative) => boolean,
  ): AsyncGenerator<StoredInitiative[]> {
    let cursor = first;
    for (let k = 0; ; k++) {
      if (stopped()) return;
      const page = await store.listByName({
        limit: PAGES[Math.min(k, PAGES.length - 1)]!,
        ...(cursor ? { cursor } : {}),
      });
      const kept = page.items.filter(keep);
      if (kept.length) yield kept;
      // Each part is contiguous: the first record outside it ends it.
      if (kept.length < page.items.length || !page.next) return;
      cursor = page.next;
    }
  };
  yield* part(undefined, (r) => r.initiative.translations !== undefined);
  yield* part(writeNameCursor({ plain: 1, name: prefix, seq: -1 }), (r) => r.initiative.name.startsWith(prefix));
}
