/**
 * The plain columns each store writes beside a record's JSON at every write (ADR 30): what SPARQL's
 * whole-dataset answers read without parsing records — the name and whether it is the only one (no
 * translations), the primary activity, the coordinates, and the keys lookups find it by (postcode,
 * registration identifiers, Companies House number: `lookup-keys.ts`). Every statement that writes a record's
 * JSON writes these from the same record, through this one function, so they cannot disagree.
 */
import type { InitiativeRecord } from "../domain/initiative.ts";
import { lookupKeys } from "./lookup-keys.ts";

/**
 * The values in column order: name, plain (1 when there are no translations), primary_activity, lat, lng,
 * lookup_keys (a JSON array, or null).
 */
export type ShapeColumns = [string, 0 | 1, string | null, number | null, number | null, string | null];

const coordinate = (v: unknown): number | null => (typeof v === "number" && Number.isFinite(v) ? v : null);

export function shapeColumns(r: InitiativeRecord): ShapeColumns {
  const i = r.initiative;
  return [
    i.name,
    i.translations === undefined ? 1 : 0,
    i.primaryActivity ?? null,
    coordinate(i.address?.lat),
    coordinate(i.address?.long),
    lookupKeys(r),
  ];
}
