/**
 * The JSON-LD budget's limits as environment variables (read by `config.ts`, the only reader of
 * the environment): `ESSFED_JSONLD_<LIMIT>` for what strangers send or serve, and
 * `ESSFED_IMPORT_JSONLD_<LIMIT>` for imports. An import limit left unset is the import default where
 * imports have their own (the size limits, depth, deadline, heap), else the strangers' value, so a
 * lowered shape limit holds for imports too.
 */
import { BUILT_IN_BUDGET, BUILT_IN_IMPORT_BUDGET, type JsonLdBudget } from "./jsonld-budget.ts";

/** Each limit's variable suffix and the range a value must be in. */
export const BUDGET_VARIABLES: Readonly<Record<keyof JsonLdBudget, readonly [string, number, number]>> = {
  maxDepth: ["MAX_DEPTH", 4, 1_000],
  maxValues: ["MAX_VALUES", 10, 1_000_000_000],
  maxArrayItems: ["MAX_ARRAY_ITEMS", 2, 1_000_000_000],
  maxContextChars: ["MAX_CONTEXT_CHARS", 1_024, 100_000_000],
  maxTermDefinitions: ["MAX_TERM_DEFINITIONS", 10, 1_000_000],
  maxScopedContextDepth: ["MAX_SCOPED_CONTEXT_DEPTH", 0, 100],
  maxIriLength: ["MAX_IRI_LENGTH", 64, 1_000_000],
  maxQuads: ["MAX_QUADS", 10, 1_000_000_000],
  maxOutputChars: ["MAX_OUTPUT_CHARS", 1_024, 4 * 1024 * 1024 * 1024],
  timeoutMs: ["TIMEOUT_MS", 100, 3_600_000],
  memoryMb: ["MEMORY_MB", 32, 65_536],
};

type Env = Record<string, string | undefined>;

/** One line naming the variable and what it expects. */
export class BudgetSettingError extends Error {}

function read(env: Env, name: string, min: number, max: number): number | undefined {
  const text = env[name]?.trim();
  if (!text) return undefined;
  const n = Number(text.replaceAll("_", ""));
  if (!Number.isInteger(n) || n < min || n > max)
    throw new BudgetSettingError(`${name} must be a whole number from ${min} to ${max} (got "${text}")`);
  return n;
}

/** The budgets `env` sets (built-in values for what it leaves unset). */
export function budgetsFrom(env: Env): { stranger: JsonLdBudget; imports: JsonLdBudget } {
  const stranger = { ...BUILT_IN_BUDGET };
  const imports = { ...BUILT_IN_IMPORT_BUDGET };
  for (const [key, [suffix, min, max]] of Object.entries(BUDGET_VARIABLES) as [
    keyof JsonLdBudget,
    readonly [string, number, number],
  ][]) {
    const own = read(env, `ESSFED_JSONLD_${suffix}`, min, max);
    if (own !== undefined) {
      stranger[key] = own;
      // Imports follow a stranger's limit where they have no larger one of their own.
      if (BUILT_IN_IMPORT_BUDGET[key] === BUILT_IN_BUDGET[key]) imports[key] = own;
    }
    const forImports = read(env, `ESSFED_IMPORT_JSONLD_${suffix}`, min, max);
    if (forImports !== undefined) imports[key] = forImports;
  }
  return { stranger, imports };
}
