import { describe, expect, it } from "@jest/globals";
import { regexPrefix } from "./sparql-prefix.ts";

describe("the text every match of a regex starts with", () => {
  it.each([
    ["^Co", "Co"],
    ["^Coop.*", "Coop"],
    ["^Co+p", "Co"],
    ["^Coo?p", "Co"],
    ["^Coo*p", "Co"],
    ["^Coo{0,2}", "Co"],
    ["^C(a|o)", undefined],
    ["^Café Coop$", "Café Coop"],
    ["^\u{1F331}?x", undefined],
    ["^a\u{1F331}?x", "a"],
    ["^\\.", undefined],
    ["^[Cc]oop", undefined],
    ["^*", undefined],
    ["Co", undefined],
    ["^Co|Zo", undefined],
    ["^", undefined],
  ])("%s: %s", (pattern, prefix) => {
    expect(regexPrefix(pattern)).toBe(prefix);
  });
});
