/**
 * The cursor of the name-ordered listing (`Store.listByName`, ADR 26), shared by both adapters:
 * where the last page ended, as (translated first, name, change number).
 */
export interface NameCursor {
  /** 0 while listing records with translations, 1 for the others. */
  plain: 0 | 1;
  name: string;
  seq: number;
}

export function writeNameCursor(c: NameCursor): string {
  return JSON.stringify([c.plain, c.name, c.seq]);
}

/** The cursor, or undefined when it is not one this listing wrote. */
export function readNameCursor(text: string): NameCursor | undefined {
  let v: unknown;
  try {
    v = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (!Array.isArray(v) || v.length !== 3) return undefined;
  const [plain, name, seq] = v as unknown[];
  if ((plain !== 0 && plain !== 1) || typeof name !== "string" || !Number.isSafeInteger(seq)) return undefined;
  return { plain, name, seq: seq as number };
}
