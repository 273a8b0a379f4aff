/**
 * `ORDER BY ?name` over the initiative shape, streamed (ADR 26): the records are read in the
 * store's name order (`Store.listByName`, from an index), so rows leave as soon as their name is
 * passed instead of after the last record. Records with translations, whose language-tagged names
 * sort before every plain one, come first from the store; their solutions are held, sorted, and
 * merged into the stream of the others, whose only name is the plain one the store orders by.
 * Solutions with equal names are sorted by the query's further keys before they leave.
 * `ORDER BY DESC(?name)` streams the same way: the store reads each part backwards, translated
 * records still first, and their held solutions (tagged names now last) merge in the same way.
 */
import type { Term } from "n3";
import { AS, GR } from "../linkeddata/namespaces.ts";
import type { Iris } from "../directory/ids.ts";
import type { Taxonomies } from "../domain/taxonomy.ts";
import type { Store } from "../store/store.ts";
import { compareTerms } from "./sparql-order.ts";
import { matcherOf, matchRecord } from "./sparql-record.ts";
import { mandatory, type ShapedQuery } from "./sparql-shape.ts";

type Solution = Map<string, Term>;

export interface FastContext {
  store: Store;
  taxonomies: Taxonomies;
  iris: Iris;
  /** True once the query must stop (cancelled or out of time). */
  stopped(): boolean;
}

const FIRST_PAGE = 100;
const PAGE = 1000;

/** True when the query's first sort key is the root's own name (gr:name or as:name), either way. */
export function orderedByName(q: ShapedQuery): boolean {
  const first = q.order[0];
  if (!first || q.group || q.renames.length) return false;
  return mandatory(q.tree).some(
    (p) =>
      p.subject.value === q.root &&
      (p.predicate.value === GR.name || p.predicate.value === AS.name) &&
      p.object.termType === "Variable" &&
      p.object.value === first.variable,
  );
}

/** Every solution of the pattern, in the query's order. */
export async function* solutionsByName(q: ShapedQuery, cx: FastContext): AsyncGenerator<Solution> {
  const matcher = matcherOf(q);
  const { variable: name, descending } = q.order[0]!;
  const byName = descending
    ? (a: Solution, b: Solution) => compareTerms(b.get(name), a.get(name))
    : (a: Solution, b: Solution) => compareTerms(a.get(name), b.get(name));
  const byAll = (a: Solution, b: Solution) => {
    for (const o of q.order) {
      const c = compareTerms(a.get(o.variable), b.get(o.variable));
      if (c) return o.descending ? -c : c;
    }
    return 0;
  };
  // Solutions of equal name, sorted by the other keys once the name changes.
  let run: Solution[] = [];
  function* add(s: Solution): Generator<Solution> {
    if (run.length && byName(run[0]!, s) !== 0) {
      yield* run.sort(byAll);
      run = [];
    }
    run.push(s);
  }
  const early: Solution[] = [];
  let sorted = false;
  let e = 0;
  let cursor: string | undefined;
  let limit = FIRST_PAGE;
  do {
    if (cx.stopped()) throw new Error("stopped");
    const page = await cx.store.listByName({ limit, descending, ...(cursor ? { cursor } : {}) });
    limit = PAGE;
    for (const r of page.items) {
      const found = matchRecord(matcher, r, cx.taxonomies, r.provenance?.origin ?? cx.iris.actor);
      if (r.initiative.translations !== undefined) {
        early.push(...found);
        continue;
      }
      if (!sorted) {
        early.sort(byName);
        sorted = true;
      }
      for (const s of found) {
        while (e < early.length && byName(early[e]!, s) <= 0) yield* add(early[e++]!);
        yield* add(s);
      }
    }
    cursor = page.next;
  } while (cursor);
  if (!sorted) early.sort(byName);
  while (e < early.length) yield* add(early[e++]!);
  yield* run.sort(byAll);
}
