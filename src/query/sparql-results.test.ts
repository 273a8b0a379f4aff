import { describe, expect, it } from "@jest/globals";
import type { Term } from "n3";
import { blankNode, literal, namedNode } from "../linkeddata/terms.ts";
import { writeSelect, type Row } from "./sparql-results.ts";

describe("SPARQL JSON results", () => {
  it("write each term as the format's object, unbound variables left out, text escaped as JSON", () => {
    const rows: Row[] = [
      new Map<string, Term>([
        ["i", namedNode('https://a.example/x?"q"\\')],
        ["name", literal('Coop "Ø"\n\u2028', "fr-BE")],
        ["lat", literal("51.5", namedNode("http://www.w3.org/2001/XMLSchema#decimal"))],
        ["b", blankNode("b0")],
        ["extra", literal("not projected")],
      ]),
      new Map<string, Term>([["name", literal("plain")]]),
      new Map<string, Term>(),
    ];
    const text = writeSelect("application/sparql-results+json", ["i", "name", "lat", "b"], rows);
    expect(JSON.parse(text)).toEqual({
      head: { vars: ["i", "name", "lat", "b"] },
      results: {
        bindings: [
          {
            i: { type: "uri", value: 'https://a.example/x?"q"\\' },
            name: { type: "literal", value: 'Coop "Ø"\n\u2028', "xml:lang": "fr-be" },
            lat: { type: "literal", value: "51.5", datatype: "http://www.w3.org/2001/XMLSchema#decimal" },
            b: { type: "bnode", value: "b0" },
          },
          { name: { type: "literal", value: "plain" } },
          {},
        ],
      },
    });
  });
});
