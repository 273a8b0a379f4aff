/**
 * What changed between the approved version of a record and the one waiting in the queue, field by
 * field: each top-level field of the initiative whose value differs, with both values.
 */
import type { Initiative } from "../domain/initiative.ts";

export interface FieldChange {
  field: string;
  /** Absent when the field is new. */
  before?: unknown;
  /** Absent when the field was removed. */
  after?: unknown;
}

const empty = (v: unknown) => v === undefined || v === null || v === "" || (Array.isArray(v) && v.length === 0);

/** Canonical JSON (keys sorted) so that equal values compare equal whatever their key order. */
function canonical(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(canonical).join(",")}]`;
  if (v && typeof v === "object")
    return `{${Object.keys(v)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${canonical((v as Record<string, unknown>)[k])}`)
      .join(",")}}`;
  return JSON.stringify(v);
}

/** Field-by-field changes from `before` (undefined: nothing approved yet) to `after`. */
export function diffInitiatives(before: Initiative | undefined, after: Initiative): FieldChange[] {
  const b = (before ?? {}) as unknown as Record<string, unknown>;
  const a = after as unknown as Record<string, unknown>;
  const fields = [...new Set([...Object.keys(b), ...Object.keys(a)])].filter((f) => f !== "id").sort();
  const out: FieldChange[] = [];
  for (const field of fields) {
    const x = b[field];
    const y = a[field];
    if (empty(x) && empty(y)) continue;
    if (!empty(x) && !empty(y) && canonical(x) === canonical(y)) continue;
    out.push({ field, ...(empty(x) ? {} : { before: x }), ...(empty(y) ? {} : { after: y }) });
  }
  return out;
}
