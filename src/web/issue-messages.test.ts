import { describe, expect, it } from "@jest/globals";
import { ISSUE_MESSAGES, said, type IssueKey } from "../domain/issue-messages.ts";
import { LOCALES, translator } from "./i18n.ts";

const SAMPLE = {
  max: 200,
  value: "OS99",
  schemes: "Organisational Structure",
  rest: "http://b.example",
  row: 7,
  type: "Polygon",
  format: "GeoJSON",
  detail: "Unexpected token",
  syntax: "Turtle",
  line: 12,
  columns: "Identifier, Name",
  n: 3,
};

describe("Import issue messages", () => {
  it("are worded in the console's English exactly as the command line says them, with the same parameters.", () => {
    const en = translator("en");
    for (const key of Object.keys(ISSUE_MESSAGES) as IssueKey[])
      expect([key, en.t(`importIssue.${key}`, SAMPLE)]).toEqual([key, said(key, SAMPLE).message]);
    expect(en.t("importIssue.leftOut")).toBe("; left out");
  });

  it("have a translation in every console language that uses the message's parameters.", () => {
    for (const locale of LOCALES) {
      const tr = translator(locale);
      for (const key of [...Object.keys(ISSUE_MESSAGES), "leftOut"]) {
        const text = tr.t(`importIssue.${key}`, SAMPLE);
        expect([locale, key, text === `importIssue.${key}`]).toEqual([locale, key, false]);
        for (const [name, v] of Object.entries(SAMPLE))
          if ((ISSUE_MESSAGES as Record<string, string>)[key]?.includes(`{${name}}`))
            expect([locale, key, text.includes(String(v))]).toEqual([locale, key, true]);
      }
    }
  });
});
