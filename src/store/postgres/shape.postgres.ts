/**
 * The plain columns beside a record's JSON (ADR 30, `../shape-columns.ts`) in PostgreSQL's
 * statements: each write passes them as one array per column, unnested beside the records.
 */
import type { InitiativeRecord } from "../../domain/initiative.ts";
import { shapeColumns } from "../shape-columns.ts";

export const SHAPE_COLUMNS = "name, plain, primary_activity, lat, lng, lookup_keys";
export const SHAPE_UPDATE =
  "name = excluded.name, plain = excluded.plain, primary_activity = excluded.primary_activity, " +
  "lat = excluded.lat, lng = excluded.lng, lookup_keys = excluded.lookup_keys";

/** The array parameters' placeholders, numbered from `first`. */
export const SHAPE_ARRAYS = (first: number): string =>
  ["text", "boolean", "text", "float8", "float8", "jsonb"].map((type, k) => `$${first + k}::${type}[]`).join(", ");

/** One array per column, in {@link SHAPE_COLUMNS}' order. */
export function shapeArrays(records: InitiativeRecord[]): unknown[][] {
  const columns: unknown[][] = [[], [], [], [], [], []];
  for (const r of records) {
    const [name, plain, primary, lat, lng, keys] = shapeColumns(r);
    columns[0]!.push(name);
    columns[1]!.push(plain === 1);
    columns[2]!.push(primary);
    columns[3]!.push(lat);
    columns[4]!.push(lng);
    columns[5]!.push(keys);
  }
  return columns;
}
