import { describe, expect, it } from "@jest/globals";
import { ConfigError, loadConfig } from "../config.ts";

describe("ESSFED_SAMEAS_AUTO", () => {
  it("is unset by default: duplicates are confirmed only by hand.", () => {
    expect(loadConfig({}).sameAsAuto).toBeUndefined();
    expect(loadConfig({ ESSFED_SAMEAS_AUTO: " " }).sameAsAuto).toBeUndefined();
  });

  it("takes a score from 0.5 to 1.", () => {
    expect(loadConfig({ ESSFED_SAMEAS_AUTO: "0.95" }).sameAsAuto).toBe(0.95);
    expect(loadConfig({ ESSFED_SAMEAS_AUTO: "1" }).sameAsAuto).toBe(1);
  });

  it.each(["0.2", "1.5", "-1", "yes", "NaN", "Infinity"])("refuses %p, naming the variable.", (v) => {
    expect(() => loadConfig({ ESSFED_SAMEAS_AUTO: v })).toThrow(ConfigError);
    expect(() => loadConfig({ ESSFED_SAMEAS_AUTO: v })).toThrow(/ESSFED_SAMEAS_AUTO/);
  });
});
