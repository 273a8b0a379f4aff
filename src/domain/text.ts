/**
 * Text that every store holds (ADR 19). essfed keeps only characters that XML 1.0 allows: no
 * control characters other than tab, line feed and carriage return, no unpaired surrogate halves,
 * no U+FFFE or U+FFFF. PostgreSQL refuses U+0000 and unpaired surrogates outright (in `text` and
 * `jsonb`), while SQLite would keep them, so the two stores could not hold the same data; the other
 * controls and the two non-characters cannot be written in the SPARQL XML results, pages or feeds
 * essfed serves. Such text is refused, never changed: a signed document must stay as it was signed.
 *
 * IRIs are also bounded in UTF-8 bytes, since they are keys of unique indexes and PostgreSQL's
 * btree refuses entries over about 2.7 kB.
 */

/**
 * Characters essfed does not store: the complement of XML 1.0's `Char`. Under the `u` flag a
 * surrogate pair is one code point, so `[\uD800-\uDFFF]` matches only unpaired halves.
 */
// eslint-disable-next-line no-control-regex
const UNSTORABLE_ONE = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uD800-\uDFFF\uFFFE\uFFFF]/u;
const UNSTORABLE_ALL = new RegExp(UNSTORABLE_ONE.source, "gu");
/**
 * The same characters and every surrogate, paired or not: without the `u` flag the test runs twice as fast, and text
 * it passes holds no unstorable character (only text with surrogates needs the exact test).
 */
const UNSTORABLE_OR_SURROGATE = new RegExp(UNSTORABLE_ONE.source);

/** The most UTF-8 bytes an IRI may take (a key of unique indexes on both stores). */
export const MAX_IRI_BYTES = 2000;

/** Where in a string the first character essfed does not store is, and which it is. */
export interface UnstorableChar {
  /** 0-based index in UTF-16 code units. */
  index: number;
  /** `U+0000`, `U+D800`, … */
  codePoint: string;
}

const hex = (c: number) => `U+${c.toString(16).toUpperCase().padStart(4, "0")}`;

/** The first character of `s` that essfed does not store, or undefined when all are fine. */
export function unstorableChar(s: string): UnstorableChar | undefined {
  const m = UNSTORABLE_ONE.exec(s);
  return m ? { index: m.index, codePoint: hex(m[0].charCodeAt(0)) } : undefined;
}

/** True when every character of `s` is one essfed stores. */
export function isStorable(s: string): boolean {
  return !UNSTORABLE_OR_SURROGATE.test(s) || !UNSTORABLE_ONE.test(s);
}

/** Says why `s` cannot be stored, or undefined: "contains U+0000 at character 3, …". */
export function unstorableReason(s: string): string | undefined {
  const bad = unstorableChar(s);
  if (!bad) return undefined;
  return (
    `contains ${bad.codePoint} at character ${bad.index + 1}, which essfed does not store (control characters ` +
    "other than tab and line breaks, unpaired surrogates, U+FFFE and U+FFFF)"
  );
}

/** `s` with every character essfed does not store written as `\uXXXX`, for messages and logs. */
export function visible(s: string): string {
  return s.replace(UNSTORABLE_ALL, (c) => `\\u${c.charCodeAt(0).toString(16).toUpperCase().padStart(4, "0")}`);
}

/** Where a JSON document holds text essfed does not store (a path like `object["gr:name"][0]`), and why. */
export interface UnstorableText {
  path: string;
  reason: string;
}

const segment = (k: string) => (/^[A-Za-z_$][\w$]*$/.test(k) ? `.${k}` : `["${visible(k.replace(/["\\]/g, "\\$&"))}"]`);

/**
 * Walks parsed JSON (strings, keys, arrays, objects) for text essfed does not store. Iterative, so
 * a deeply nested document costs no stack; `maxNodes` bounds the work (a document over it is left
 * to the size and nesting limits of whoever parsed it).
 * @param root the name of the document in paths (`""` for none)
 */
export function findUnstorableText(doc: unknown, root = "", maxNodes = 1_000_000): UnstorableText | undefined {
  const stack: { v: unknown; path: string }[] = [{ v: doc, path: root }];
  for (let n = 0; stack.length && n < maxNodes; n++) {
    const { v, path } = stack.pop()!;
    if (typeof v === "string") {
      const reason = unstorableReason(v);
      if (reason) return { path: path || "(the document)", reason };
    } else if (Array.isArray(v)) {
      for (let i = v.length - 1; i >= 0; i--) stack.push({ v: v[i], path: `${path}[${i}]` });
    } else if (v !== null && typeof v === "object") {
      for (const [k, x] of Object.entries(v)) {
        const reason = unstorableReason(k);
        if (reason) return { path: `${path}${segment(k)} (the key)`, reason };
        stack.push({ v: x, path: `${path}${segment(k)}` });
      }
    }
  }
  return undefined;
}

/** True when the IRI fits {@link MAX_IRI_BYTES}. */
export function iriFits(iri: string): boolean {
  // Cheap bound first: a UTF-16 code unit takes at most 3 UTF-8 bytes.
  return iri.length * 3 <= MAX_IRI_BYTES || Buffer.byteLength(iri, "utf8") <= MAX_IRI_BYTES;
}

/**
 * The draft without the strings essfed does not store, each reported to `bad` under its model field
 * (`name`, `address.locality`, `activities`, `translations.fr.name`): the validator then treats the
 * field as absent, so a strict caller refuses the record and a lenient one leaves the value out.
 */
export function screenDraft<D extends object>(
  draft: D,
  bad: (field: string, message: string, value?: unknown) => void,
): D {
  // Nearly every draft is clean: look first without building a field name for every value.
  if (allStorable(draft)) return draft;
  const screen = (v: unknown, field: string): unknown => {
    if (typeof v === "string") {
      const reason = unstorableReason(v);
      if (!reason) return v;
      bad(field, reason, visible(v));
      return undefined;
    }
    if (Array.isArray(v)) {
      const kept = v.map((x) => screen(x, field)).filter((x) => x !== undefined);
      return kept.length === v.length ? v : kept;
    }
    if (v === null || typeof v !== "object") return v;
    let out: Record<string, unknown> | undefined;
    for (const [k, x] of Object.entries(v)) {
      const keyReason = unstorableReason(k);
      if (keyReason) {
        bad(field || k, keyReason, visible(k));
        delete (out ??= { ...(v as Record<string, unknown>) })[k];
        continue;
      }
      const y = screen(x, field ? `${field}.${k}` : k);
      if (y !== x) (out ??= { ...(v as Record<string, unknown>) })[k] = y;
    }
    return out ?? v;
  };
  return screen(draft, "") as D;
}

/** True when every string (and key) in a draft is one essfed stores. */
function allStorable(v: unknown): boolean {
  if (typeof v === "string") return isStorable(v);
  if (Array.isArray(v)) {
    for (const x of v) if (!allStorable(x)) return false;
    return true;
  }
  if (v === null || typeof v !== "object") return true;
  for (const k in v) {
    if (!Object.hasOwn(v, k)) continue;
    if (!isStorable(k) || !allStorable((v as Record<string, unknown>)[k])) return false;
  }
  return true;
}
