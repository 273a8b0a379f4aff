/**
 * The SPARQL 1.1 result formats the endpoint writes: JSON, XML, CSV and TSV for SELECT and ASK
 * (W3C Recommendations "SPARQL 1.1 Query Results JSON/XML/CSV and TSV Formats").
 */
import type { Term } from "n3";
import { csvCell } from "../importers/csv/cells.ts";

export type Row = Map<string, Term>;

const xmlEsc = (s: string) =>
  s.replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&apos;" })[c]!);

const XSD_STRING = "http://www.w3.org/2001/XMLSchema#string";

function jsonTerm(t: Term): Record<string, string> {
  if (t.termType === "NamedNode") return { type: "uri", value: t.value };
  if (t.termType === "BlankNode") return { type: "bnode", value: t.value };
  // Each read of an n3 literal's language or datatype parses it again: read them once.
  const l = t as Term & { language?: string; datatype?: { value: string } };
  const language = l.language;
  if (language) return { type: "literal", value: t.value, "xml:lang": language };
  const datatype = l.datatype?.value;
  if (datatype && datatype !== XSD_STRING) return { type: "literal", value: t.value, datatype };
  return { type: "literal", value: t.value };
}

/** `JSON.stringify(jsonTerm(t))`, written out: a whole dataset's answer is millions of terms. */
function jsonTermText(t: Term): string {
  const value = JSON.stringify(t.value);
  if (t.termType === "NamedNode") return `{"type":"uri","value":${value}}`;
  if (t.termType === "BlankNode") return `{"type":"bnode","value":${value}}`;
  // As jsonTerm, without building its object: each read of an n3 literal's part parses it again.
  const l = t as Term & { language?: string; datatype?: { value: string } };
  const language = l.language;
  if (language) return `{"type":"literal","value":${value},"xml:lang":${JSON.stringify(language)}}`;
  const datatype = l.datatype?.value;
  if (datatype && datatype !== XSD_STRING)
    return `{"type":"literal","value":${value},"datatype":${JSON.stringify(datatype)}}`;
  return `{"type":"literal","value":${value}}`;
}

function xmlTerm(t: Term): string {
  if (t.termType === "NamedNode") return `<uri>${xmlEsc(t.value)}</uri>`;
  if (t.termType === "BlankNode") return `<bnode>${xmlEsc(t.value)}</bnode>`;
  const j = jsonTerm(t);
  const attr = j["xml:lang"]
    ? ` xml:lang="${xmlEsc(j["xml:lang"])}"`
    : j.datatype
      ? ` datatype="${xmlEsc(j.datatype)}"`
      : "";
  return `<literal${attr}>${xmlEsc(t.value)}</literal>`;
}

function tsvTerm(t: Term): string {
  if (t.termType === "NamedNode") return `<${t.value}>`;
  if (t.termType === "BlankNode") return `_:${t.value}`;
  const j = jsonTerm(t);
  // A first character a spreadsheet would take for a formula is written as \uXXXX: the same
  // literal to anything that reads the format, text to a spreadsheet (ADR 19).
  const lex = `"${t.value
    .replace(/\\/g, "\\\\")
    .replace(/"/g, '\\"')
    .replace(/\n/g, "\\n")
    .replace(/\r/g, "\\r")
    .replace(/\t/g, "\\t")
    .replace(/^[=+\-@]/, (c) => `\\u${c.charCodeAt(0).toString(16).toUpperCase().padStart(4, "0")}`)}"`;
  return j["xml:lang"] ? `${lex}@${j["xml:lang"]}` : j.datatype ? `${lex}^^<${j.datatype}>` : lex;
}

export const SELECT_TYPES = [
  "application/sparql-results+json",
  "application/sparql-results+xml",
  "text/csv",
  "text/tab-separated-values",
] as const;
export type SelectType = (typeof SELECT_TYPES)[number];

/** Writes a SELECT answer a row at a time: the head, each row, then the tail. */
export interface SelectWriter {
  head(): string;
  row(r: Row): string;
  tail(): string;
}

export function selectWriter(type: SelectType, vars: string[]): SelectWriter {
  let first = true;
  switch (type) {
    case "application/sparql-results+json": {
      const keys = vars.map((v) => `${JSON.stringify(v)}:`);
      return {
        head: () => `{"head":{"vars":${JSON.stringify(vars)}},"results":{"bindings":[`,
        row: (r) => {
          let out = first ? "{" : ",{";
          first = false;
          let sep = "";
          for (let k = 0; k < vars.length; k++) {
            const t = r.get(vars[k]!);
            if (!t) continue;
            out += sep + keys[k]! + jsonTermText(t);
            sep = ",";
          }
          return out + "}";
        },
        tail: () => "]}}",
      };
    }
    case "application/sparql-results+xml":
      return {
        head: () =>
          `<?xml version="1.0"?>\n<sparql xmlns="http://www.w3.org/2005/sparql-results#">\n<head>${vars.map((v) => `<variable name="${xmlEsc(v)}"/>`).join("")}</head>\n<results>\n`,
        row: (r) =>
          `<result>${vars
            .filter((v) => r.has(v))
            .map((v) => `<binding name="${xmlEsc(v)}">${xmlTerm(r.get(v)!)}</binding>`)
            .join("")}</result>\n`,
        tail: () => "</results>\n</sparql>\n",
      };
    case "text/csv":
      return {
        head: () => vars.join(",") + "\r\n",
        row: (r) => vars.map((v) => csvCell(r.get(v)?.value ?? "")).join(",") + "\r\n",
        tail: () => "",
      };
    case "text/tab-separated-values":
      return {
        head: () => vars.map((v) => `?${v}`).join("\t") + "\n",
        row: (r) => vars.map((v) => (r.has(v) ? tsvTerm(r.get(v)!) : "")).join("\t") + "\n",
        tail: () => "",
      };
  }
}

/** A whole SELECT answer in one string. */
export function writeSelect(type: SelectType, vars: string[], rows: Row[]): string {
  const w = selectWriter(type, vars);
  return w.head() + rows.map((r) => w.row(r)).join("") + w.tail();
}

export function writeAsk(type: SelectType, value: boolean): string {
  switch (type) {
    case "application/sparql-results+xml":
      return `<?xml version="1.0"?>\n<sparql xmlns="http://www.w3.org/2005/sparql-results#"><head/><boolean>${value}</boolean></sparql>\n`;
    case "text/csv":
    case "text/tab-separated-values":
      return `${value}\n`;
    default:
      return JSON.stringify({ head: {}, boolean: value });
  }
}
