/**
 * SPARQL 1.1's ORDER BY over terms (§15.1), shared by the record-by-record answers: unbound
 * first, then blank nodes, IRIs, literals; numbers by value; strings in code point order.
 */
import type { Term } from "n3";
import { XSD } from "../linkeddata/namespaces.ts";

const RANK: Record<string, number> = { BlankNode: 1, NamedNode: 2, Literal: 3 };
const NUMERIC = new Set([
  XSD.integer,
  XSD.decimal,
  "http://www.w3.org/2001/XMLSchema#double",
  "http://www.w3.org/2001/XMLSchema#float",
]);

/** What ORDER BY compares of a term, read once (a literal's parts are parsed on each access). */
export interface SortKey {
  rank: number;
  number?: number;
  tagged: boolean;
  datatype: string;
  value: string;
}

export function sortKey(t: Term | undefined): SortKey | undefined {
  if (!t) return undefined;
  if (t.termType !== "Literal") return { rank: RANK[t.termType] ?? 0, tagged: false, datatype: "", value: t.value };
  const datatype = t.datatype.value;
  return {
    rank: 3,
    tagged: !!t.language,
    datatype,
    value: t.value,
    ...(NUMERIC.has(datatype) ? { number: Number(t.value) } : {}),
  };
}

/**
 * SPARQL 1.1 ORDER BY (§15.1): unbound, blank nodes, IRIs, then literals; numbers by value;
 * language-tagged literals before plain ones, as the general engine orders them.
 */
export function compareKeys(a: SortKey | undefined, b: SortKey | undefined): number {
  if (!a || !b) return a ? 1 : b ? -1 : 0;
  if (a.rank !== b.rank) return a.rank - b.rank;
  if (a.rank === 3) {
    if (a.number !== undefined && b.number !== undefined) return a.number - b.number;
    if (a.tagged !== b.tagged) return a.tagged ? -1 : 1;
    if (a.datatype !== b.datatype) return a.datatype < b.datatype ? -1 : 1;
  }
  return byCodePoints(a.value, b.value);
}

/**
 * Strings in code point order (SPARQL compares simple literals with the code point collation, and
 * the stores' name index orders so): UTF-16 order but for surrogates, which encode code points
 * above U+FFFF and so come after U+E000–U+FFFF.
 */
export function byCodePoints(a: string, b: string): number {
  if (a === b) return 0;
  const n = Math.min(a.length, b.length);
  for (let k = 0; k < n; k++) {
    let x = a.charCodeAt(k);
    let y = b.charCodeAt(k);
    if (x === y) continue;
    if (x >= 0xd800 && y >= 0xd800) {
      x = x >= 0xe000 ? x - 0x800 : x + 0x2000;
      y = y >= 0xe000 ? y - 0x800 : y + 0x2000;
    }
    return x - y;
  }
  return a.length - b.length;
}

/** Compares two terms as ORDER BY does. */
export function compareTerms(a: Term | undefined, b: Term | undefined): number {
  return compareKeys(sortKey(a), sortKey(b));
}

/**
 * The first `keep` items of `input` in `compare`'s order (all of them, sorted, when `keep` is
 * Infinity), holding at most `keep` and a batch: the held ones are sorted and cut back to `keep`
 * whenever the batch fills (a top-k for ORDER BY with LIMIT, whose memory then does not grow with
 * the directory). Items the order ties may come in any order, as SPARQL allows.
 */
export async function firstInOrder<T>(
  input: AsyncIterable<T> | Iterable<T>,
  compare: (a: T, b: T) => number,
  keep: number,
  batch = 10_000,
): Promise<T[]> {
  const cut = keep + Math.max(keep, batch);
  let held: T[] = [];
  for await (const x of input) {
    held.push(x);
    if (held.length >= cut) held = held.sort(compare).slice(0, keep);
  }
  held.sort(compare);
  return held.length > keep ? held.slice(0, keep) : held;
}
