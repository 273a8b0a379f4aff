/**
 * Parses a SPARQL request into algebra once (the same parser and options Comunica uses, so the
 * engine can be handed the algebra) and refuses, by an explicit walk over that algebra, everything
 * that would make this endpoint reach outside the data it holds: `SERVICE`, `FROM`/`FROM NAMED`
 * naming graphs we do not hold, and every update (`LOAD` fetches a URL). The check does not rely
 * on the engine lacking a component: an engine upgrade that adds one must not open a door.
 */
import type * as RDF from "@rdfjs/types";
import { toAlgebra } from "@traqula/algebra-sparql-1-2";
import type { Algebra } from "@traqula/algebra-transformations-1-1";
import { Parser } from "@traqula/parser-sparql-1-2";
import { AstFactory } from "@traqula/rules-sparql-1-2";
import { DataFactory } from "rdf-data-factory";
import { HELD_GRAPHS, remoteRefusal as remote, type SparqlRefusal as Refusal } from "./sparql-types.ts";

const UPDATES = new Set(["compositeupdate", "deleteinsert", "load", "clear", "create", "drop", "add", "move", "copy"]);
const parser = new Parser();
export const dataFactory = new DataFactory();

/** Parses a query; a syntax error comes back as a refusal naming it. */
export function parseQuery(text: string): { ok: true; algebra: Algebra.Operation } | Refusal {
  try {
    const ast = parser.parse(text, { astFactory: new AstFactory() });
    return { ok: true, algebra: toAlgebra(ast, { quads: true, blankToVariable: true, dataFactory }) };
  } catch (e) {
    return {
      ok: false,
      status: 400,
      code: "invalid-query",
      message: `the query is not valid SPARQL 1.1: ${(e as Error).message}`,
    };
  }
}

/**
 * Walks every operation and expression of the algebra (including those inside EXISTS, subqueries
 * and OPTIONALs) and returns the first refusal, or undefined when the query stays local.
 */
export function refuseRemote(algebra: Algebra.Operation): Refusal | undefined {
  const stack: unknown[] = [algebra];
  let steps = 0;
  while (stack.length) {
    const node = stack.pop();
    // Algebra of a 10,000-character query is small; the cap only guards against a cycle.
    if (++steps > 1_000_000)
      return { ok: false, status: 400, code: "invalid-query", message: "the query is too complex" };
    if (Array.isArray(node)) {
      stack.push(...(node as unknown[]));
      continue;
    }
    if (!node || typeof node !== "object" || "termType" in node) continue;
    const op = node as { type?: string } & Record<string, unknown>;
    if (op.type === "service") {
      const name = op.name as RDF.Term;
      return {
        ok: false,
        status: 400,
        code: "service-refused",
        message:
          `SERVICE ${name.termType === "Variable" ? `?${name.value}` : `<${name.value}>`} is not allowed: ` +
          "this endpoint never queries other endpoints",
      };
    }
    if (op.type && UPDATES.has(op.type)) {
      const source = op.type === "load" ? ` (LOAD <${(op.source as RDF.NamedNode).value}>)` : "";
      return {
        ok: false,
        status: 400,
        code: "not-a-query",
        message: `updates are not accepted; this endpoint answers queries${source}`,
      };
    }
    if (op.type === "from") {
      for (const g of op.default as RDF.NamedNode[]) if (!HELD_GRAPHS.has(g.value)) return remote("FROM", g.value);
      for (const g of op.named as RDF.NamedNode[]) if (!HELD_GRAPHS.has(g.value)) return remote("FROM NAMED", g.value);
    }
    for (const value of Object.values(op)) if (value && typeof value === "object") stack.push(value);
  }
  return undefined;
}
