/**
 * `Store.countTerms`: records per source network, licence and attribution, as the dataset
 * description and the dumps index list them — read by one aggregate, largest group first.
 */
import { afterEach, beforeEach, describe, expect, it } from "@jest/globals";
import type { InitiativeRecord } from "../../src/domain/initiative.ts";
import { versionOf } from "../../src/domain/version.ts";
import type { Store } from "../../src/store/store.ts";
import { record } from "./store.contract.ts";

const M = "https://m.example/actors/m";
const BY_SA = "https://creativecommons.org/licenses/by-sa/4.0/";

function withTerms(r: InitiativeRecord, license?: string, attribution?: string): InitiativeRecord {
  const initiative = { ...r.initiative, ...(license ? { license } : {}), ...(attribution ? { attribution } : {}) };
  return { ...r, initiative, version: versionOf(initiative) };
}

export function describeTermsContract(
  name: string,
  make: () => Promise<Store>,
  cleanup: (s: Store) => Promise<void>,
): void {
  describe(`A ${name}'s terms per source`, () => {
    let store: Store;
    beforeEach(async () => {
      store = await make();
    });
    afterEach(async () => {
      await cleanup(store);
    });

    it("counts records per source, licence and attribution, largest group first, empty values left out.", async () => {
      expect(await store.countTerms()).toEqual([]);
      await store.putInitiatives([
        record("https://x.example/initiatives/o1", "O1"),
        record("https://x.example/initiatives/o2", "O2"),
        withTerms(record("https://x.example/initiatives/o3", "O3"), BY_SA),
        withTerms(record("https://m.example/initiatives/m1", "M1", undefined, M), BY_SA, "© M"),
        withTerms(record("https://m.example/initiatives/m2", "M2", undefined, M), BY_SA, "© M"),
        withTerms(record("https://m.example/initiatives/m3", "M3", undefined, M), BY_SA, "© M"),
        withTerms(record("https://m.example/initiatives/m4", "M4", undefined, M), undefined, " "),
      ]);
      const terms = await store.countTerms();
      expect(terms[0]).toEqual({ source: M, license: BY_SA, attribution: "© M", count: 3 });
      expect(terms[1]).toEqual({ count: 2 });
      expect(terms.slice(2)).toEqual(
        expect.arrayContaining([
          { license: BY_SA, count: 1 },
          { source: M, count: 1 },
        ]),
      );
      expect(terms).toHaveLength(4);
    });
  });
}
