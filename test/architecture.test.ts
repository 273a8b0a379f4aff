/**
 * The dependency rules ("dependencies point inward", see README's layout), checked on the source itself so
 * that `npm test` fails when a layer reaches outward. ESLint (`npm run lint`) reports the same.
 */
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "@jest/globals";

const SRC = fileURLToPath(new URL("../src/", import.meta.url));

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((f) => {
    const p = join(dir, f);
    return statSync(p).isDirectory() ? files(p) : p.endsWith(".ts") && !p.endsWith(".test.ts") ? [p] : [];
  });
}
function imports(file: string): string[] {
  return [
    ...readFileSync(file, "utf8").matchAll(
      /^\s*(?:import|export)[^'"]*?from\s+["']([^"']+)["']|^\s*import\s+["']([^"']+)["']|import\(\s*["']([^"']+)["']\s*\)/gm,
    ),
  ].map((m) => m[1] ?? m[2] ?? m[3]!);
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
