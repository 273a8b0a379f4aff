/**
 * Runs SPARQL 1.1 queries with Comunica over {@link InitiativeSource}, bounded: a query longer than
 * 10,000 characters is refused, evaluation stops at a deadline (the source ends its streams and
 * the result is abandoned), and results stop at a row or triple cap. Errors come back as values
 * the HTTP layer turns into problem details.
 */
import { QueryEngine } from "@comunica/query-sparql-rdfjs";
import jsonld from "jsonld";
import type { Quad, Store as N3Store, Term } from "n3";
import type { Iris } from "../directory/ids.ts";
import type { Taxonomies } from "../domain/taxonomy.ts";
import { writeQuads } from "../linkeddata/serialize.ts";
import type { Store } from "../store/store.ts";
import { parseQuery, refuseRemote } from "./sparql-guard.ts";
import { InitiativeSource } from "./sparql-source.ts";
import { canonicalizeAlgebra } from "./sparql-alias.ts";
import { answerShaped } from "./sparql-fast.ts";
import { describedIris, describing } from "./sparql-describe.ts";
import "./sparql-collation.ts";
import { recogniseShape } from "./sparql-shape.ts";
import { keyedOf } from "./sparql-keyed-filter.ts";
import { namePrefixOf } from "./sparql-prefix.ts";
import { AnswerBroken } from "./sparql-chunks.ts";
import { selectWriter, writeAsk, type Row, type SelectType, type SelectWriter } from "./sparql-results.ts";
import { SPARQL_LIMITS, type GraphType, type SparqlOutcome } from "./sparql-types.ts";

/** Consumes a Comunica stream up to `cap` items, or fails at the deadline. */
function collect<T>(
  stream: { on(e: string, f: (x: unknown) => void): unknown; destroy?(e?: Error): void },
  cap: number,
  deadline: number,
): Promise<T[] | "cap" | "timeout"> {
  return new Promise((resolve, reject) => {
    const out: T[] = [];
    const timer = setTimeout(
      () => {
        stream.destroy?.();
        resolve("timeout");
      },
      Math.max(0, deadline - Date.now()),
    );
    stream.on("data", (x) => {
      out.push(x as T);
      if (out.length > cap) {
        clearTimeout(timer);
        stream.destroy?.();
        resolve("cap");
      }
    });
    stream.on("end", () => {
      clearTimeout(timer);
      resolve(out);
    });
    stream.on("error", (e) => {
      clearTimeout(timer);
      if (Date.now() >= deadline) resolve("timeout");
      // Comunica's streams fail with Errors; anything else becomes the cause of one.
      else reject(e instanceof Error ? e : new Error("the result stream failed", { cause: e }));
    });
  });
}

export class SparqlService {
  readonly #store: Store;
  readonly #taxonomies: Taxonomies;
  readonly #iris: Iris;
  readonly #engine = new QueryEngine();
  readonly #limits: { timeoutMs: number; streamMs: number; triples: number; shapes: boolean };
  #vocab: N3Store | undefined;

  constructor(
    store: Store,
    taxonomies: Taxonomies,
    iris: Iris,
    limits: Partial<{ timeoutMs: number; streamMs: number; triples: number; shapes: boolean }> = {},
  ) {
    this.#store = store;
    this.#taxonomies = taxonomies;
    this.#iris = iris;
    const timeoutMs = limits.timeoutMs ?? SPARQL_LIMITS.timeoutMs;
    this.#limits = {
      triples: SPARQL_LIMITS.triples,
      shapes: true,
      streamMs: timeoutMs * SPARQL_LIMITS.streamFactor,
      ...limits,
      timeoutMs,
    };
  }

  async execute(query: string, selectType: SelectType, graphType: GraphType): Promise<SparqlOutcome> {
    if (query.length > SPARQL_LIMITS.queryLength)
      return {
        ok: false,
        status: 413,
        code: "query-too-long",
        message: `the query is longer than ${SPARQL_LIMITS.queryLength} characters`,
      };
    const parsed = parseQuery(query);
    if (!parsed.ok) return parsed;
    const refused = refuseRemote(parsed.algebra);
    if (refused) return refused;
    canonicalizeAlgebra(parsed.algebra);
    const shaped = this.#limits.shapes ? recogniseShape(parsed.algebra) : undefined;
    const started = Date.now();
    const deadline = started + this.#limits.timeoutMs;
    const controller = new AbortController();
    this.#vocab ??= InitiativeSource.vocabulary();
    // The source serves until the whole answer is due: a SELECT streams past the first deadline.
    const streamDeadline = started + this.#limits.streamMs;
    // What a FILTER implies of the records the general engine must read (a name prefix, a lookup key).
    const narrowing = shaped ? {} : { namePrefix: namePrefixOf(parsed.algebra), keyed: keyedOf(parsed.algebra) };
    const source = new InitiativeSource(
      this.#store,
      this.#taxonomies,
      this.#iris,
      { deadline: streamDeadline, signal: controller.signal },
      this.#vocab,
      this.#limits.shapes ? { ...narrowing, columns: true } : {},
    );
    const timedOut = {
      ok: false,
      status: 503,
      code: "query-timeout",
      message:
        `the query did not finish within ${this.#limits.timeoutMs / 1000} s; ` +
        "narrow it (e.g. a LIMIT or more specific patterns)",
    } as const;
    let handedOver = false;
    try {
      if (shaped) {
        const stopped = () => controller.signal.aborted || Date.now() >= streamDeadline;
        const rows = answerShaped(shaped, {
          store: this.#store,
          taxonomies: this.#taxonomies,
          iris: this.#iris,
          stopped,
        });
        // One pass over the records, bounded by their number, not a join: the answer starts at
        // once, and an ORDER BY or GROUP BY over a whole large directory has the answer's whole
        // time to read it (ADR 20).
        handedOver = true;
        return {
          ok: true,
          kind: "select",
          type: selectType,
          chunks: streamSelect(selectWriter(selectType, shaped.vars), undefined, rows, (r) => r, stopped, controller),
        };
      }
      const described = this.#limits.shapes ? describedIris(parsed.algebra) : undefined;
      if (described) return await this.#graph(describing(source, described), deadline, graphType, timedOut);
      const result = await this.#engine.query(parsed.algebra, { sources: [source as never] });
      if (result.resultType === "boolean") {
        const value = await Promise.race([
          result.execute(),
          new Promise<"timeout">((r) => setTimeout(() => r("timeout"), Math.max(0, deadline - Date.now())).unref()),
        ]);
        if (value === "timeout") return timedOut;
        return { ok: true, kind: "ask", chunks: [writeAsk(selectType, value)], type: selectType };
      }
      if (result.resultType === "bindings") {
        // Comunica's metadata lists variables as terms or as { variable, canBeUndef } by version.
        const vars = (
          (await result.metadata()).variables as unknown as ({ value: string } | { variable: { value: string } })[]
        ).map((v) => ("variable" in v ? v.variable.value : v.value));
        const bindings = pull<{ get(v: string): Term | undefined }>((await result.execute()) as never);
        const first = await Promise.race([
          bindings.next(),
          new Promise<"timeout">((r) => setTimeout(() => r("timeout"), Math.max(0, deadline - Date.now())).unref()),
        ]);
        if (first === "timeout") return timedOut;
        const toRow = (b: { get(v: string): Term | undefined }): Row =>
          new Map(
            vars.flatMap((v: string) => {
              const t = b.get(v);
              return t ? [[v, t] as [string, Term]] : [];
            }),
          );
        handedOver = true;
        const late = () => Date.now() >= streamDeadline;
        return {
          ok: true,
          kind: "select",
          type: selectType,
          chunks: streamSelect(
            selectWriter(selectType, vars),
            first.done ? undefined : [first.value],
            first.done ? (async function* () {})() : single(bindings),
            toRow,
            late,
            controller,
          ),
        };
      }
      if (result.resultType === "quads")
        return await this.#graph(await result.execute(), deadline, graphType, timedOut);
      return {
        ok: false,
        status: 400,
        code: "not-a-query",
        message: "updates are not accepted; this endpoint answers queries",
      };
    } catch (e) {
      if (Date.now() >= deadline) return timedOut;
      return {
        ok: false,
        status: 400,
        code: "invalid-query",
        message: `the query is not valid SPARQL 1.1: ${(e as Error).message}`,
      };
    } finally {
      if (!handedOver) controller.abort();
    }
  }

  /** A graph answer (CONSTRUCT, DESCRIBE) collected whole, up to the triple cap, and written. */
  async #graph(
    stream: Parameters<typeof collect>[0],
    deadline: number,
    graphType: GraphType,
    timedOut: SparqlOutcome,
  ): Promise<SparqlOutcome> {
    const quads = await collect<Quad>(stream, this.#limits.triples, deadline);
    if (quads === "timeout") return timedOut;
    if (quads === "cap")
      return {
        ok: false,
        status: 413,
        code: "too-many-results",
        message: `the graph has more than ${this.#limits.triples} triples; narrow the query`,
      };
    if (graphType === "application/ld+json") {
      const doc = await jsonld.fromRDF(writeQuads(quads, "nquads"), { format: "application/n-quads" });
      return { ok: true, kind: "graph", chunks: [JSON.stringify(doc)], type: graphType };
    }
    return {
      ok: true,
      kind: "graph",
      chunks: [writeQuads(quads, graphType === "text/turtle" ? "turtle" : "ntriples")],
      type: graphType,
    };
  }
}

/** Text pieces of about this size go to the client (one message from the worker each). */
const PIECE = 32 * 1024;

/**
 * A SELECT answer as pieces of text, rows written as the engine gives them (in batches). An answer
 * that runs past its deadline is broken off (never ended as if complete); so is one whose engine
 * fails.
 */
async function* streamSelect<B>(
  w: SelectWriter,
  first: B[] | undefined,
  rows: AsyncGenerator<B[]>,
  toRow: (b: B) => Row,
  late: () => boolean,
  controller: AbortController,
): AsyncGenerator<string> {
  try {
    let piece = w.head();
    for (let next = first ? { done: false, value: first } : await rows.next(); !next.done; next = await rows.next()) {
      for (const b of next.value) {
        piece += w.row(toRow(b));
        if (piece.length >= PIECE) {
          yield piece;
          piece = "";
        }
      }
    }
    if (late())
      throw new AnswerBroken(
        "answer-timeout",
        "the answer did not finish in time; narrow the query or page it with LIMIT and OFFSET",
      );
    yield piece + w.tail();
  } catch (e) {
    if (e instanceof AnswerBroken) throw e;
    throw new AnswerBroken(late() ? "answer-timeout" : "sparql-failed", (e as Error).message);
  } finally {
    controller.abort();
    await rows.return(undefined);
  }
}

/** Each item of a generator as a batch of one. */
async function* single<T>(items: AsyncGenerator<T>): AsyncGenerator<T[]> {
  try {
    for (let next = await items.next(); !next.done; next = await items.next()) yield [next.value];
  } finally {
    await items.return(undefined);
  }
}

/** Pulls the items of an engine's result iterator (`read()` and events) as an async generator. */
async function* pull<T>(it: {
  read(): T | null;
  on(e: string, f: (x?: unknown) => void): unknown;
  done?: boolean;
  destroy?(): void;
}): AsyncGenerator<T> {
  let ended = false;
  let error: Error | undefined;
  let wake: (() => void) | undefined;
  it.on("end", () => {
    ended = true;
    wake?.();
  });
  it.on("error", (e) => {
    error = e as Error;
    wake?.();
  });
  it.on("readable", () => wake?.());
  try {
    for (;;) {
      for (let x = it.read(); x !== null; x = it.read()) yield x;
      if (error) throw error;
      if (ended || it.done) return;
      await new Promise<void>((resolve) => {
        wake = resolve;
      });
      wake = undefined;
    }
  } finally {
    if (!ended) it.destroy?.();
  }
}
