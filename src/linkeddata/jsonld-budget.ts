/**
 * The JSON-LD budget (ADR 18): what one document from outside may cost before it is expanded.
 * `prescan` walks the parsed JSON once, cheaply, and refuses a document whose shape alone could
 * make expansion costly: too deep, too many values, inline contexts too large or with too many
 * term definitions, scoped contexts nested too deeply, IRIs too long, or a context that is not one
 * the static loader ships (`@import` included). What passes is then expanded in a worker under a
 * deadline, a heap limit and a cap on the quads it yields (`jsonld-pool.ts`): the pre-scan makes
 * the usual bombs cheap to refuse, the worker bounds whatever the pre-scan cannot foresee.
 */
import { RemoteContextError, isShippedContext } from "./context.ts";
import { EssfedError, HttpError } from "../errors.ts";

export interface JsonLdBudget {
  /** Nesting of objects and arrays in the document (contexts included). */
  maxDepth: number;
  /** JSON values of the document: objects, arrays, strings, numbers, booleans and nulls. */
  maxValues: number;
  /**
   * Items of one array: jsonld.js keeps the values of a property free of duplicates by comparing
   * each new value with those before it, so one long array costs time quadratic in its length.
   */
  maxArrayItems: number;
  /** Characters of JSON that all inline contexts take together. */
  maxContextChars: number;
  /** Term definitions in all inline contexts together (scoped ones included). */
  maxTermDefinitions: number;
  /** Contexts inside term definitions inside contexts (property- and type-scoped contexts). */
  maxScopedContextDepth: number;
  /** Length of an IRI a context maps a term, `@vocab` or `@base` to. */
  maxIriLength: number;
  /** Quads the expansion may yield. */
  maxQuads: number;
  /** Characters of the terms in those quads together. */
  maxOutputChars: number;
  /** How long the expansion may take, from the moment a worker takes it. */
  timeoutMs: number;
  /** Heap of the worker that expands. */
  memoryMb: number;
}

/**
 * For everything a stranger sends or serves: inbox activities, admin API bodies, fetched actors and
 * objects, directory pages' items. Real ActivityStreams, Mastodon and ESSGLOBAL documents use a few
 * percent of it (docs/jsonld-budget.md).
 */
export const BUILT_IN_BUDGET: Readonly<JsonLdBudget> = Object.freeze({
  maxDepth: 32,
  maxValues: 20_000,
  maxArrayItems: 1_000,
  maxContextChars: 64 * 1024,
  maxTermDefinitions: 1_000,
  maxScopedContextDepth: 4,
  maxIriLength: 2_048,
  maxQuads: 10_000,
  maxOutputChars: 8 * 1024 * 1024,
  timeoutMs: 3_000,
  memoryMb: 128,
});

/**
 * For `essfed import` and uploads: the document may be large (a whole directory), so the sizes
 * scale; the shape limits (contexts, depth, IRIs) are a stranger's.
 */
export const BUILT_IN_IMPORT_BUDGET: Readonly<JsonLdBudget> = Object.freeze({
  ...BUILT_IN_BUDGET,
  maxDepth: 64,
  maxValues: 50_000_000,
  maxArrayItems: 50_000_000,
  maxQuads: 10_000_000,
  maxOutputChars: 2 * 1024 * 1024 * 1024,
  timeoutMs: 10 * 60_000,
  memoryMb: 4_096,
});

/**
 * The budgets in force: the built-in ones unless the environment sets others (`ESSFED_JSONLD_*`,
 * `ESSFED_IMPORT_JSONLD_*`, read and validated by `config.ts`). They belong to the process, like the
 * expanding workers: `compose()` sets them from its configuration with {@link useBudgets} before
 * anything is read, and every reader takes them as its default.
 */
export let DEFAULT_BUDGET: Readonly<JsonLdBudget> = BUILT_IN_BUDGET;
export let IMPORT_BUDGET: Readonly<JsonLdBudget> = BUILT_IN_IMPORT_BUDGET;

/** Puts `budgets` in force for this process (see {@link DEFAULT_BUDGET}). */
export function useBudgets(budgets: { stranger: Readonly<JsonLdBudget>; imports: Readonly<JsonLdBudget> }): void {
  DEFAULT_BUDGET = Object.freeze({ ...budgets.stranger });
  IMPORT_BUDGET = Object.freeze({ ...budgets.imports });
}

export type BudgetLimit = keyof JsonLdBudget | "memory";

/** 413 for what is too large, 422 for what is too intricate; `limit` names the budget item. */
export class JsonLdBudgetError extends HttpError {
  declare readonly status: 413 | 422 | 503;
  declare readonly code: "jsonld-too-large" | "jsonld-too-complex" | "jsonld-busy";
  readonly limit: BudgetLimit | "queue";
  constructor(limit: BudgetLimit | "queue", message: string, max?: number) {
    const status = limit === "queue" ? 503 : LARGE.has(limit) ? 413 : 422;
    const code = limit === "queue" ? "jsonld-busy" : status === 413 ? "jsonld-too-large" : "jsonld-too-complex";
    // Problem extension members (RFC 9457): the limit and its value.
    super(status, code, message, {
      limit,
      ...(max !== undefined ? { max } : {}),
      ...(limit === "queue" ? { retryAfter: 5 } : {}),
    });
    this.limit = limit;
  }
}
const LARGE = new Set<string>([
  "maxValues",
  "maxArrayItems",
  "maxContextChars",
  "maxQuads",
  "maxOutputChars",
  "memory",
]);

/** The body is not JSON-LD we can read (syntax, structure or a refused context). */
export class JsonLdInputError extends EssfedError {
  declare readonly code: "remote-context" | "invalid-jsonld";
  constructor(message: string, code: "remote-context" | "invalid-jsonld", options?: ErrorOptions) {
    super(code, message, options);
  }
}

/** What a document takes of each shape limit (for the documentation and its test). */
export interface Usage {
  depth: number;
  values: number;
  arrayItems: number;
  contextChars: number;
  termDefinitions: number;
  scopedContextDepth: number;
  iriLength: number;
}

interface Tally {
  values: number;
  array: number;
  contextChars: number;
  terms: number;
  depth: number;
  scoped: number;
  iri: number;
}

type Obj = Record<string, unknown>;

/**
 * Refuses `doc` (throws {@link JsonLdBudgetError}, or {@link JsonLdInputError} for a context that is not shipped) when
 * its shape is over `budget`. Linear in the document's size; never expands anything.
 */
export function prescan(doc: unknown, budget: Readonly<JsonLdBudget> = DEFAULT_BUDGET): void {
  new Scan(budget).node(doc, 0);
}

/** How much of each shape limit `doc` takes (it must be within `budget`). */
export function measure(doc: unknown, budget: Readonly<JsonLdBudget> = DEFAULT_BUDGET): Usage {
  const scan = new Scan(budget);
  scan.node(doc, 0);
  const t = scan.t;
  return {
    depth: t.depth,
    values: t.values,
    arrayItems: t.array,
    contextChars: t.contextChars,
    termDefinitions: t.terms,
    scopedContextDepth: t.scoped,
    iriLength: t.iri,
  };
}

/** Checks one `@context` value alone (a directory page's, shared by all its items). */
export function prescanContext(context: unknown, budget: Readonly<JsonLdBudget> = DEFAULT_BUDGET): void {
  new Scan(budget).context(context, 0, 0);
}

class Scan {
  readonly b: Readonly<JsonLdBudget>;
  readonly t: Tally = { values: 0, array: 0, contextChars: 0, terms: 0, depth: 0, scoped: 0, iri: 0 };
  constructor(b: Readonly<JsonLdBudget>) {
    this.b = b;
  }

  node(v: unknown, depth: number): void {
    if (++this.t.values > this.b.maxValues) {
      throw new JsonLdBudgetError(
        "maxValues",
        `the document has more than ${this.b.maxValues} JSON values`,
        this.b.maxValues,
      );
    }
    if (typeof v !== "object" || v === null) return;
    this.deep(depth);
    if (Array.isArray(v)) {
      if (v.length > this.t.array) this.t.array = v.length;
      if (v.length > this.b.maxArrayItems) {
        throw new JsonLdBudgetError(
          "maxArrayItems",
          `an array of the document has more than ${this.b.maxArrayItems} items (${v.length})`,
          this.b.maxArrayItems,
        );
      }
      for (const x of v) this.node(x, depth + 1);
      return;
    }
    for (const k of Object.keys(v)) {
      const x = (v as Obj)[k];
      if (k === "@context") this.context(x, 0, depth + 1);
      else this.node(x, depth + 1);
    }
  }

  deep(depth: number): void {
    if (depth + 1 > this.t.depth) this.t.depth = depth + 1;
    if (depth >= this.b.maxDepth)
      throw new JsonLdBudgetError(
        "maxDepth",
        `the document is nested more than ${this.b.maxDepth} levels deep`,
        this.b.maxDepth,
      );
  }

  /** One `@context` value: a shipped URL, null, an inline context or an array of those. */
  context(c: unknown, scoped: number, depth: number): void {
    if (c === null || c === undefined) return;
    if (typeof c === "string") return this.shipped(c);
    this.deep(depth);
    if (Array.isArray(c)) {
      for (const x of c) this.context(x, scoped, depth + 1);
      return;
    }
    if (typeof c !== "object") return; // not a context: the expansion says so
    this.chars(2);
    for (const k of Object.keys(c)) {
      const def = (c as Obj)[k];
      this.chars(k.length + 4);
      if (k === "@import") {
        if (typeof def === "string") this.shipped(def);
        this.size(def, depth + 1);
      } else if (k === "@vocab" || k === "@base") {
        this.iri(def, k);
        this.size(def, depth + 1);
      } else if (k.startsWith("@")) {
        this.size(def, depth + 1);
      } else {
        if (++this.t.terms > this.b.maxTermDefinitions) {
          throw new JsonLdBudgetError(
            "maxTermDefinitions",
            `the inline contexts define more than ${this.b.maxTermDefinitions} terms`,
            this.b.maxTermDefinitions,
          );
        }
        this.term(k, def, scoped, depth + 1);
      }
    }
  }

  term(name: string, def: unknown, scoped: number, depth: number): void {
    if (typeof def === "string" || def === null) {
      this.iri(def, name);
      return this.size(def, depth);
    }
    if (typeof def !== "object" || Array.isArray(def)) return this.size(def, depth);
    this.deep(depth);
    this.chars(2);
    for (const k of Object.keys(def)) {
      const v = (def as Obj)[k];
      this.chars(k.length + 4);
      if (k === "@context") {
        if (scoped + 1 > this.b.maxScopedContextDepth) {
          throw new JsonLdBudgetError(
            "maxScopedContextDepth",
            `scoped contexts are nested more than ${this.b.maxScopedContextDepth} deep ` +
              `(at term "${name.slice(0, 100)}")`,
            this.b.maxScopedContextDepth,
          );
        }
        if (scoped + 1 > this.t.scoped) this.t.scoped = scoped + 1;
        this.context(v, scoped + 1, depth + 1);
      } else {
        if (k === "@id" || k === "@reverse" || k === "@type") this.iri(v, name);
        this.size(v, depth + 1);
      }
    }
  }

  iri(v: unknown, term: string): void {
    if (typeof v !== "string") return;
    if (v.length > this.t.iri) this.t.iri = v.length;
    if (v.length > this.b.maxIriLength) {
      throw new JsonLdBudgetError(
        "maxIriLength",
        `the context maps "${term.slice(0, 100)}" to an IRI longer than ${this.b.maxIriLength} characters`,
        this.b.maxIriLength,
      );
    }
  }

  shipped(url: string): void {
    if (!isShippedContext(url)) throw new JsonLdInputError(new RemoteContextError(url).message, "remote-context");
  }

  /** Counts the characters of any JSON value inside a context. */
  size(v: unknown, depth: number): void {
    if (typeof v === "string") return this.chars(v.length + 3);
    if (typeof v !== "object" || v === null) return this.chars(6);
    this.deep(depth);
    this.chars(2);
    if (Array.isArray(v)) for (const x of v) this.size(x, depth + 1);
    else
      for (const k of Object.keys(v)) {
        this.chars(k.length + 4);
        this.size((v as Obj)[k], depth + 1);
      }
  }

  chars(n: number): void {
    this.t.contextChars += n;
    if (this.t.contextChars > this.b.maxContextChars) {
      throw new JsonLdBudgetError(
        "maxContextChars",
        `the inline contexts take more than ${this.b.maxContextChars} characters`,
        this.b.maxContextChars,
      );
    }
  }
}
