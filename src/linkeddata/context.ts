/**
 * The JSON-LD contexts essfed emits and the static document loader that resolves contexts
 * without the network (contexts are shipped in vocab/ and never fetched at request time).
 */
import { readFileSync } from "node:fs";
import { preloadedContexts } from "@fedify/vocab-runtime";
import { AS_CONTEXT } from "./namespaces.ts";
import { VOCAB_DIR } from "./vocabulary.ts";
import { EssfedError } from "../errors.ts";
import { own } from "../domain/own.ts";

/** The ESSGLOBAL term definitions (the inner object of `vocab/essglobal-context.jsonld`). */
export const ESS_CONTEXT: Readonly<Record<string, unknown>> = Object.freeze(
  (JSON.parse(readFileSync(`${VOCAB_DIR}essglobal-context.jsonld`, "utf8")) as { "@context": Record<string, unknown> })[
    "@context"
  ],
);

/**
 * The IRI under which essfed publishes {@link ESS_CONTEXT}. Every instance preloads it, so a document
 * that names it is read without fetching; documents essfed emits embed the context inline instead,
 * so that any JSON-LD processor can read them offline.
 */
export const ESS_CONTEXT_IRI = "https://w3id.org/essfed/essglobal-context.jsonld";

/** The W3C Data Integrity context, which defines `proof` (FEP-8b32 integrity proofs). */
export const DATA_INTEGRITY_CONTEXT = "https://w3id.org/security/data-integrity/v2";

/**
 * `@context` of every initiative, collection and activity essfed emits: ActivityStreams, Data
 * Integrity (for `proof`) and the ESSGLOBAL terms inline.
 */
export const DOCUMENT_CONTEXT: readonly unknown[] = Object.freeze([AS_CONTEXT, DATA_INTEGRITY_CONTEXT, ESS_CONTEXT]);

/** `JSON.stringify(DOCUMENT_CONTEXT)`, to recognise our own documents cheaply. */
export const DOCUMENT_CONTEXT_JSON = JSON.stringify(DOCUMENT_CONTEXT);

/** Thrown by {@link staticDocumentLoader} for any context it does not ship. */
export class RemoteContextError extends EssfedError {
  readonly url: string;
  constructor(url: string) {
    super(
      "remote-context",
      `remote JSON-LD context ${url.slice(0, 300)} is not allowed; use inline contexts or a preloaded one`,
    );
    this.url = url;
  }
}

const CONTEXTS: Record<string, unknown> = {
  ...preloadedContexts,
  [ESS_CONTEXT_IRI]: { "@context": ESS_CONTEXT },
  // http variant of the AS context seen in the wild
  "http://www.w3.org/ns/activitystreams": preloadedContexts[AS_CONTEXT],
};

/** Every context the static loader ships, by URL (for the worker that expands, which has no imports of its own). */
export const SHIPPED_CONTEXTS: Readonly<Record<string, unknown>> = CONTEXTS;

/** Whether {@link staticDocumentLoader} resolves `url` without the network. */
export function isShippedContext(url: string): boolean {
  return shipped(url) !== undefined;
}

/** The shipped context at `url` (with or without a trailing `#`); a stranger's URL finds no inherited name (ADR 52). */
const shipped = (url: string): unknown => own(CONTEXTS, url) ?? own(CONTEXTS, url.replace(/#$/, ""));

/** A `jsonld` document loader that knows the shipped contexts and refuses everything else. */
export function staticDocumentLoader(
  url: string,
): Promise<{ contextUrl: null; documentUrl: string; document: unknown }> {
  const document = shipped(url);
  if (document === undefined) return Promise.reject(new RemoteContextError(url));
  return Promise.resolve({ contextUrl: null, documentUrl: url, document });
}
