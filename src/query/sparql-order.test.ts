import { describe, expect, it } from "@jest/globals";
import fc from "fast-check";
import { firstInOrder } from "./sparql-order.ts";

describe("firstInOrder (ORDER BY with LIMIT held as a top-k)", () => {
  it("gives the first items of the whole sort, ties and all, whatever the batch and the number kept", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.tuple(fc.integer({ min: 0, max: 20 }), fc.nat()), { maxLength: 300 }),
        fc.integer({ min: 0, max: 320 }),
        fc.integer({ min: 1, max: 40 }),
        async (items, keep, batch) => {
          const byKey = (a: [number, number], b: [number, number]) => a[0] - b[0];
          const got = await firstInOrder(items, byKey, keep, batch);
          const whole = [...items].sort(byKey).slice(0, keep);
          // Equal keys may come in any order: the keys in place, and the items as a multiset of those kept.
          expect(got.map((x) => x[0])).toEqual(whole.map((x) => x[0]));
          const last = whole.at(-1)?.[0];
          const sure = (xs: [number, number][]) =>
            xs
              .filter((x) => x[0] !== last)
              .map(String)
              .sort();
          expect(sure(got)).toEqual(sure(whole));
          for (const x of got) expect(items).toContainEqual(x);
        },
      ),
      { numRuns: 300 },
    );
  });

  it("sorts everything when nothing limits it", async () => {
    const items = [5, 3, 9, 1, 3];
    expect(await firstInOrder(items, (a, b) => a - b, Infinity, 1)).toEqual([1, 3, 3, 5, 9]);
  });
});
