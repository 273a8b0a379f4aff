import { describe, expect, it } from "@jest/globals";
import type { SourceTerms } from "../store/store.ts";
import { termsSummary } from "./terms-summary.ts";

function countingStore() {
  const s = {
    n: 1,
    scans: 0,
    fail: false,
    changeNumber: () => Promise.resolve(s.n),
    countTerms: (): Promise<SourceTerms[]> => {
      s.scans++;
      if (s.fail) return Promise.reject(new Error("store down"));
      return Promise.resolve([{ count: s.n }]);
    },
  };
  return s;
}

describe("The per-source terms summary", () => {
  it("scans once per minute at most, however often the data changes and the pages are asked for.", async () => {
    const store = countingStore();
    let clock = 0;
    const summary = termsSummary(store, 60_000, () => clock);
    await Promise.all([summary(), summary(), summary()]);
    for (let i = 0; i < 100; i++) {
      store.n++;
      clock += 500;
      await summary();
    }
    expect(store.scans).toBe(1);
    clock = 60_000;
    expect((await summary())[0]!.count).toBe(store.n);
    expect(store.scans).toBe(2);
  });

  it("does not scan again after a minute when nothing changed, and forgets a failed scan.", async () => {
    const store = countingStore();
    let clock = 0;
    const summary = termsSummary(store, 60_000, () => clock);
    await summary();
    clock = 120_000;
    await summary();
    expect(store.scans).toBe(1);
    store.fail = true;
    store.n++;
    await expect(summary()).rejects.toThrow("store down");
    store.fail = false;
    await expect(summary()).resolves.toHaveLength(1);
    expect(store.scans).toBe(3);
  });
});
