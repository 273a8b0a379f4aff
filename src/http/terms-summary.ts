/**
 * The licences and credits per source network (`Store.countTerms`) for the dataset description
 * and the dumps page. The aggregate reads every record, and both pages are open to anyone: at an
 * aggregator whose change number moves every second, recomputing it whenever the data changed
 * would let any visitor start a full scan per request. So a result is kept for at least
 * `minAgeMs` (a minute by default), one computation runs at a time, and a failed one is not kept.
 */
import type { SourceTerms, Store } from "../store/store.ts";

type Summary = () => Promise<SourceTerms[]>;

const shared = new WeakMap<Store, Summary>();

export function termsSummary(
  store: Pick<Store, "countTerms" | "changeNumber">,
  minAgeMs = 60_000,
  now: () => number = Date.now,
): Summary {
  let held: { at: number; n: number; terms: Promise<SourceTerms[]> } | undefined;
  return async () => {
    if (held && now() - held.at < minAgeMs) return held.terms;
    const n = await store.changeNumber();
    if (held && held.n === n) return held.terms;
    const terms = store.countTerms();
    const entry = { at: now(), n, terms };
    held = entry;
    terms.catch(() => {
      if (held === entry) held = undefined;
    });
    return terms;
  };
}

/** One summary per store, shared by the pages that show it. */
export function sharedTermsSummary(store: Store): Summary {
  let summary = shared.get(store);
  if (!summary) shared.set(store, (summary = termsSummary(store)));
  return summary;
}
