import { describe, expect, it } from "@jest/globals";
import { WordLists } from "./word-lists.ts";

/** Matches of a pretend index: every change number in (after, at] divisible by `step`. */
function reader(step: number, calls: [number, number][]) {
  return (after: number, at: number) => {
    calls.push([after, at]);
    const out: number[] = [];
    for (let n = Math.max(0, after + 1); n <= at; n++) if (n % step === 0) out.push(n);
    return out.join(",");
  };
}

describe("WordLists", () => {
  it("reads a list once, then only the change numbers above the one it was read at.", () => {
    const lists = new WordLists();
    const calls: [number, number][] = [];
    expect(lists.get("q", 10, reader(3, calls))).toBe("0,3,6,9");
    expect(lists.get("q", 10, reader(3, calls))).toBe("0,3,6,9");
    expect(lists.get("q", 16, reader(3, calls))).toBe("0,3,6,9,12,15");
    expect(lists.get("q", 17, reader(3, calls))).toBe("0,3,6,9,12,15"); // nothing new matched
    expect(calls).toEqual([
      [-1, 10],
      [10, 16],
      [16, 17],
    ]);
  });

  it("starts from an empty list as well as it extends one.", () => {
    const lists = new WordLists();
    expect(lists.get("q", 2, reader(5, []))).toBe("0");
    expect(lists.get("r", 4, () => "")).toBe("");
    expect(lists.get("r", 6, reader(5, []))).toBe("5");
  });

  it("reads again when asked about an earlier state than the one it keeps.", () => {
    const lists = new WordLists();
    const calls: [number, number][] = [];
    lists.get("q", 10, reader(2, calls));
    expect(lists.get("q", 4, reader(2, calls))).toBe("0,2,4");
    expect(calls).toEqual([
      [-1, 10],
      [-1, 4],
    ]);
  });

  it("keeps at most so many lists and characters, dropping the least recently used first.", () => {
    const lists = new WordLists(2, 30);
    const calls: [number, number][] = [];
    lists.get("a", 5, reader(1, calls));
    lists.get("b", 5, reader(1, calls));
    lists.get("a", 5, reader(1, calls)); // a is now the most recent
    lists.get("c", 5, reader(1, calls)); // two lists at most: b goes
    calls.length = 0;
    lists.get("a", 5, reader(1, calls));
    lists.get("b", 5, reader(1, calls));
    expect(calls).toEqual([[-1, 5]]);
    // 30 characters in all: a long list leaves alone, the others go.
    lists.get("long", 20, reader(1, calls));
    calls.length = 0;
    lists.get("b", 5, reader(1, calls));
    expect(calls).toEqual([[-1, 5]]);
  });
});
