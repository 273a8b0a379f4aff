import { describe, expect, it } from "@jest/globals";
import { emptyInitiative } from "./initiative.ts";
import { stableJson, versionOf } from "./version.ts";

describe("versionOf", () => {
  it("is the same for equal content whatever the key order.", () => {
    const a = { ...emptyInitiative("https://x.example/initiatives/1", "A"), address: { lat: 1, locality: "L" } };
    const b = { address: { locality: "L", lat: 1 }, ...emptyInitiative("https://x.example/initiatives/1", "A") };
    expect(stableJson(a)).toBe(stableJson(b));
    expect(versionOf(a)).toBe(versionOf(b));
  });

  it("changes when any value changes.", () => {
    const a = emptyInitiative("https://x.example/initiatives/1", "A");
    expect(versionOf(a)).not.toBe(versionOf({ ...a, name: "B" }));
    expect(versionOf(a)).not.toBe(versionOf({ ...a, activities: ["x"] }));
    expect(versionOf(a)).toHaveLength(22);
  });
});
