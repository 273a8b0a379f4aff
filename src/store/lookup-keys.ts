/**
 * The values a SPARQL lookup finds a record by, besides its name (ADR 42): its address's postcode
 * (`vcard:postal-code`), each registration's identifier (`org:identifier`, `GB-CHC-1123456`) and its
 * Companies House number (`rov:hasRegisteredOrganization`), as the strings `initiativeToQuads` writes
 * them. Each store keeps them in a plain column beside the record (written with it, like the other
 * plain columns, `shape-columns.ts`) and an index of each key to the records holding it.
 */
import type { InitiativeRecord } from "../domain/initiative.ts";
import { orgId } from "../domain/registrations.ts";

/** What a record is looked up by. */
export type LookupKind = "postcode" | "identifier" | "company";

const TAG: Record<LookupKind, string> = { postcode: "p", identifier: "i", company: "c" };

/** A key as the stores index it: the kind's letter, a colon and the value as the record's triple has it. */
export const lookupKey = (kind: LookupKind, value: string): string => `${TAG[kind]}:${value}`;

/**
 * The record's keys as a JSON array of distinct strings, or null when it has none. Taken from the
 * record as stored (fields a sharing level hides from the public are still keys: a lookup reads a
 * few more records, and each is still matched against its public triples).
 */
export function lookupKeys(r: InitiativeRecord): string | null {
  const i = r.initiative;
  const keys = new Set<string>();
  if (typeof i.address?.postcode === "string") keys.add(lookupKey("postcode", i.address.postcode));
  for (const reg of i.registrations ?? []) keys.add(lookupKey("identifier", orgId(reg)));
  if (i.companiesHouseNumber) keys.add(lookupKey("company", i.companiesHouseNumber));
  return keys.size ? JSON.stringify([...keys]) : null;
}

/** The cursor of `Store.listKeyed`: the change number the last page ended at, or undefined when not one it wrote. */
export function readKeyedCursor(text: string | undefined): number | undefined {
  if (text === undefined) return -1;
  if (!/^(0|[1-9][0-9]{0,15})$/.test(text)) return undefined;
  const seq = Number(text);
  return Number.isSafeInteger(seq) ? seq : undefined;
}

/** One page of `Store.listKeyed` from rows read one past the limit (the limit kept within 1–10,000). */
export async function pageKeyed<R extends { seq: number | string }>(
  cursor: string | undefined,
  requested: number,
  read: (after: number, n: number) => R[] | Promise<R[]>,
): Promise<{ rows: R[]; next?: string }> {
  const limit = Math.max(1, Math.min(requested, 10_000));
  const after = readKeyedCursor(cursor);
  if (after === undefined) return { rows: [] };
  const rows = await read(after, limit + 1);
  if (rows.length <= limit) return { rows };
  const page = rows.slice(0, limit);
  return { rows: page, next: String(page[page.length - 1]!.seq) };
}
