import { describe, expect, it } from "@jest/globals";
import { decidePut, deleteRemoves, planPuts } from "./puts.ts";

const at = (day: number) => `2026-01-${String(day).padStart(2, "0")}T00:00:00.000Z`;
const rec = (id: string, version: string, day: number) => ({ initiative: { id }, version, updated: at(day) });

describe("decidePut", () => {
  it("creates what is not stored and has no tombstone.", () => {
    expect(decidePut(undefined, undefined, { version: "a", updated: at(1) })).toEqual({
      outcome: "created",
      clearTombstone: false,
    });
  });

  it("keeps an equal version unchanged, even when its date is older.", () => {
    expect(decidePut({ version: "a", updated: at(5) }, undefined, { version: "a", updated: at(1) }).outcome).toBe(
      "unchanged",
    );
  });

  it("ignores an older version as stale and takes a newer or same-dated one.", () => {
    const cur = { version: "a", updated: at(5) };
    expect(decidePut(cur, undefined, { version: "b", updated: at(4) }).outcome).toBe("stale");
    expect(decidePut(cur, undefined, { version: "b", updated: at(5) }).outcome).toBe("updated");
    expect(decidePut(cur, undefined, { version: "b", updated: at(6) }).outcome).toBe("updated");
  });

  it("lets a tombstone at least as new as the record win, and a newer record clear it.", () => {
    expect(decidePut(undefined, at(5), { version: "a", updated: at(5) })).toEqual({
      outcome: "stale",
      clearTombstone: false,
    });
    expect(decidePut(undefined, at(5), { version: "a", updated: at(6) })).toEqual({
      outcome: "created",
      clearTombstone: true,
    });
  });

  it("reads a stored record, not the tombstone, when both are given.", () => {
    expect(decidePut({ version: "a", updated: at(1) }, at(9), { version: "b", updated: at(2) }).outcome).toBe(
      "updated",
    );
  });
});

describe("deleteRemoves", () => {
  it("removes a record not newer than the delete, and keeps a newer one.", () => {
    expect(deleteRemoves(at(3), at(3))).toBe(true);
    expect(deleteRemoves(at(2), at(3))).toBe(true);
    expect(deleteRemoves(at(4), at(3))).toBe(false);
  });
});

describe("planPuts", () => {
  it("applies several records for one IRI in order and writes only the last that wins.", () => {
    const plan = planPuts(
      [rec("x", "a", 2), rec("x", "b", 1), rec("x", "c", 3), rec("x", "c", 3)],
      new Map([["x", { version: "z", updated: at(1) }]]),
      new Map(),
    );
    expect(plan.outcomes).toEqual(["updated", "stale", "updated", "unchanged"]);
    expect(plan.writes.map((w) => w.version)).toEqual(["c"]);
    expect(plan.clearTombstones).toEqual([]);
  });

  it("clears a tombstone once and keeps the write order of the last record per IRI.", () => {
    const plan = planPuts(
      [rec("x", "a", 6), rec("y", "b", 1), rec("x", "c", 7), rec("w", "d", 2)],
      new Map(),
      new Map([
        ["x", at(5)],
        ["w", at(2)],
      ]),
    );
    expect(plan.outcomes).toEqual(["created", "created", "updated", "stale"]);
    expect(plan.writes.map((w) => w.initiative.id)).toEqual(["y", "x"]);
    expect(plan.clearTombstones).toEqual(["x"]);
  });

  it("does not change the maps it is given.", () => {
    const existing = new Map([["x", { version: "a", updated: at(1) }]]);
    const tombs = new Map([["y", at(1)]]);
    planPuts([rec("x", "b", 2), rec("y", "c", 2)], existing, tombs);
    expect(existing.get("x")!.version).toBe("a");
    expect(tombs.has("y")).toBe(true);
  });
});
