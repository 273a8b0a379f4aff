import { describe, expect, it } from "@jest/globals";
import { own } from "./own.ts";

describe("own", () => {
  const table: Record<string, number> = { Create: 1, constructor: 2 };
  it("finds the table's own entries, an own entry named like an inherited one included.", () => {
    expect(own(table, "Create")).toBe(1);
    expect(own(table, "constructor")).toBe(2);
  });
  it("finds nothing for the names every object inherits.", () => {
    const plain: Record<string, number> = { Create: 1 };
    for (const key of ["__proto__", "constructor", "toString", "hasOwnProperty", "valueOf", "isPrototypeOf"]) {
      expect({ key, found: own(plain, key) }).toEqual({ key, found: undefined });
      // What the plain look-up gives instead.
      expect(plain[key]).toBeDefined();
    }
  });
});
