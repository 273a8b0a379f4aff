/**
 * The dependency rules ("dependencies point inward", see README's layout), checked on the source itself so
 * that `npm test` fails when a layer reaches outward or two modules import each other, directly or round
 * a loop (type-only imports count: they tie the files together just the same).
 */
import { readdirSync, readFileSync, statSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "@jest/globals";

// What a module imports: `import ... from "x"`, `export ... from "x"`, a bare `import "x"`, a dynamic `import("x")`.
const IMPORT_SPECIFIER = new RegExp(
  [
    String.raw`^\s*(?:import|export)[^'"]*?from\s+["']([^"']+)["']`,
    String.raw`^\s*import\s+["']([^"']+)["']`,
    String.raw`import\(\s*["']([^"']+)["']\s*\)`,
  ].join("|"),
  "gm",
);

const SRC = fileURLToPath(new URL("../src/", import.meta.url));

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((f) => {
    const p = join(dir, f);
    return statSync(p).isDirectory() ? files(p) : p.endsWith(".ts") && !p.endsWith(".test.ts") ? [p] : [];
  });
}
function imports(file: string): string[] {
  return [...readFileSync(file, "utf8").matchAll(IMPORT_SPECIFIER)].map((m) => m[1] ?? m[2] ?? m[3]!);
}

describe("The layering", () => {
  it("keeps src/domain free of I/O and of outer layers.", () => {
    const offenders: string[] = [];
    for (const f of files(join(SRC, "domain"))) {
      for (const i of imports(f)) {
        if (
          /(^|\/)(store|http|federation|cli|query|importers|directory)\//.test(i) ||
          /^(express|pg|node:sqlite|node:fs|node:http|node:net)$/.test(i)
        ) {
          offenders.push(`${relative(SRC, f)} imports ${i}`);
        }
      }
    }
    expect(offenders).toEqual([]);
  });

  it("picks store adapters only in the composition root.", () => {
    const offenders: string[] = [];
    for (const f of files(SRC)) {
      const rel = relative(SRC, f);
      if (rel === "compose.ts" || rel.startsWith("store/") || /^cli\/commands\/migrate/.test(rel)) continue;
      for (const i of imports(f)) if (/store\/(sqlite|postgres)\//.test(i)) offenders.push(`${rel} imports ${i}`);
    }
    expect(offenders).toEqual([]);
  });
});

/** Each file's imports of other files in src/, as paths relative to src/. */
function importGraph(): Map<string, string[]> {
  const graph = new Map<string, string[]>();
  for (const f of files(SRC)) {
    const targets = imports(f)
      .filter((i) => i.startsWith("."))
      .map((i) => relative(SRC, resolve(dirname(f), i)));
    graph.set(relative(SRC, f), targets);
  }
  return graph;
}

/** The import cycles: strongly connected components of more than one file, or a file importing itself. */
function cycles(graph: Map<string, string[]>): string[][] {
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const found: string[][] = [];
  const visit = (v: string) => {
    index.set(v, index.size);
    low.set(v, index.get(v)!);
    stack.push(v);
    onStack.add(v);
    for (const w of graph.get(v) ?? []) {
      if (!graph.has(w)) continue;
      if (!index.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v)!, low.get(w)!));
      } else if (onStack.has(w)) low.set(v, Math.min(low.get(v)!, index.get(w)!));
    }
    if (low.get(v) !== index.get(v)) return;
    const component: string[] = [];
    let w: string;
    do {
      w = stack.pop()!;
      onStack.delete(w);
      component.push(w);
    } while (w !== v);
    if (component.length > 1 || graph.get(v)!.includes(v)) found.push(component.sort());
  };
  for (const v of graph.keys()) if (!index.has(v)) visit(v);
  return found;
}

describe("The import graph", () => {
  it("has no cycles anywhere in src/.", () => {
    const graph = importGraph();
    // The graph is read at all: a parser that found no imports would pass every check vacuously.
    expect(graph.get("compose.ts")).toContain("store/store.ts");
    expect(cycles(graph).map((c) => c.join(" -> "))).toEqual([]);
  });

  it("finds a cycle when there is one (the check can fail).", () => {
    const graph = new Map([
      ["a.ts", ["b.ts"]],
      ["b.ts", ["c.ts"]],
      ["c.ts", ["a.ts", "d.ts"]],
      ["d.ts", []],
    ]);
    expect(cycles(graph)).toEqual([["a.ts", "b.ts", "c.ts"]]);
  });

  it("keeps federation/ and the layers below HTTP from importing http/ (only the composition root does).", () => {
    const offenders = [...importGraph()]
      .filter(([f]) => !/^(http|web|cli)\//.test(f) && f !== "compose.ts" && f !== "routes.ts")
      .flatMap(([f, is]) => is.filter((i) => i.startsWith("http/")).map((i) => `${f} imports ${i}`));
    expect(offenders).toEqual([]);
  });

  it("keeps federation/ free of HTTP frameworks: its use cases (the inbox's receive) are adapted by http/.", () => {
    const offenders: string[] = [];
    for (const f of files(join(SRC, "federation")))
      for (const i of imports(f))
        if (/^(express|express-rate-limit|router|body-parser)(\/|$)/.test(i))
          offenders.push(`${relative(SRC, f)} imports ${i}`);
    // The check reads the folder at all: the inbox use case is there, importing what it uses.
    expect(imports(join(SRC, "federation/inbox/receive.ts"))).toContain("./handlers.ts");
    expect(offenders).toEqual([]);
  });
});
