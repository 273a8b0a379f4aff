/**
 * Loads the ESSGLOBAL ontology and SKOS schemes shipped in `vocab/` (Turtle, source base
 * http://purl.org/essglobal/), rewrites them to the canonical base and builds {@link Taxonomies}.
 */
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { Parser, type Quad, type Term } from "n3";
import { namedNode, quad } from "./terms.ts";
import { SCHEMES, Taxonomies, type Concept, type SchemeName } from "../domain/taxonomy.ts";
import { RDF, SKOS, STANDARD, canonicalEssIri } from "./namespaces.ts";

/** The folder holding the shipped vocabulary files. */
export const VOCAB_DIR = fileURLToPath(new URL("../../vocab/", import.meta.url));

/** File names (without `.ttl`) of everything served under `/vocab/`. */
export const VOCAB_FILES: readonly string[] = ["essglobal-vocab", ...SCHEMES];

function canonicalTerm<T extends Term>(t: T): T {
  return (t.termType === "NamedNode" ? namedNode(canonicalEssIri(t.value)) : t) as T;
}

/** Parses one shipped file and returns its quads with ESSGLOBAL IRIs on the canonical base. */
export function loadVocabularyFile(name: string): Quad[] {
  if (!VOCAB_FILES.includes(name)) throw new Error(`unknown vocabulary file ${name}`);
  const text = readFileSync(`${VOCAB_DIR}${name}.ttl`, "utf8");
  return new Parser({ format: "text/turtle" })
    .parse(text)
    .map((q) => quad(canonicalTerm(q.subject), canonicalTerm(q.predicate), canonicalTerm(q.object), q.graph));
}

let cached: { quads: Map<string, Quad[]>; taxonomies: Taxonomies } | undefined;

/** All shipped vocabulary quads, by file name (parsed once per process). */
export function vocabularyQuads(): Map<string, Quad[]> {
  return load().quads;
}

/** The shipped taxonomies (parsed once per process). */
export function loadTaxonomies(): Taxonomies {
  return load().taxonomies;
}

function load(): NonNullable<typeof cached> {
  if (cached) return cached;
  const quads = new Map<string, Quad[]>();
  const concepts: Concept[] = [];
  const schemeLabels: [SchemeName, Record<string, string>][] = [];
  for (const name of VOCAB_FILES) {
    const qs = loadVocabularyFile(name);
    quads.set(name, qs);
    if (name === "essglobal-vocab") continue;
    const scheme = name as SchemeName;
    const schemeIri = `${STANDARD}${scheme}/`;
    const bySubject = new Map<string, Quad[]>();
    for (const q of qs) {
      const list = bySubject.get(q.subject.value);
      if (list) list.push(q);
      else bySubject.set(q.subject.value, [q]);
    }
    for (const [subject, props] of bySubject) {
      if (subject === schemeIri) {
        schemeLabels.push([scheme, langMap(props, "http://purl.org/dc/elements/1.1/title")]);
        continue;
      }
      const isConcept = props.some((q) => q.predicate.value === RDF.type && q.object.value === SKOS.Concept);
      if (!isConcept || !subject.startsWith(schemeIri)) continue;
      const broader = props.find((q) => q.predicate.value === SKOS.broader)?.object.value;
      concepts.push({
        iri: subject,
        scheme,
        code: decodeURIComponent(subject.slice(schemeIri.length)),
        labels: langMap(props, SKOS.prefLabel),
        altLabels: props
          .filter((q) => q.predicate.value === SKOS.altLabel && q.object.value)
          .map((q) => q.object.value),
        ...(broader ? { broader } : {}),
      });
    }
  }
  cached = { quads, taxonomies: new Taxonomies(concepts, schemeLabels) };
  return cached;
}

function langMap(props: Quad[], predicate: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const q of props) {
    if (q.predicate.value !== predicate || q.object.termType !== "Literal" || !q.object.value) continue;
    const lang = (q.object as { language?: string }).language || "en";
    out[lang] ??= q.object.value;
  }
  return out;
}
