/**
 * The cursor of `Store.listNamed` (records with one exact name, ADR 36), shared by both adapters:
 * where the last page ended, as (translated first, change number) — the order the name index
 * `initiative_name (plain, name, seq)` holds them in for one name.
 */
export function writeNamedCursor(plain: 0 | 1, seq: number): string {
  return `${plain}:${seq}`;
}

/** The cursor, or undefined when it is not one this listing wrote. */
export function readNamedCursor(text: string): { plain: 0 | 1; seq: number } | undefined {
  const m = /^([01]):(0|[1-9][0-9]{0,15})$/.exec(text);
  if (!m) return undefined;
  const seq = Number(m[2]);
  return Number.isSafeInteger(seq) ? { plain: m[1] === "1" ? 1 : 0, seq } : undefined;
}

/**
 * One page of `Store.listNamed`: reads the name's records part by part (translated ones first,
 * then the others, each in change order after the cursor) until a page and one more are in hand.
 * `readPart(plain, after, n)` reads at most n rows of a part with change numbers above `after` (a
 * PostgreSQL bigint arrives as text).
 */
export async function pageNamed<R extends { seq: number | string }>(
  cursor: string | undefined,
  requested: number,
  readPart: (plain: 0 | 1, after: number, n: number) => R[] | Promise<R[]>,
): Promise<{ rows: R[]; next?: string }> {
  const limit = Math.max(1, Math.min(requested, 10_000));
  const after = cursor === undefined ? undefined : readNamedCursor(cursor);
  if (cursor !== undefined && !after) return { rows: [] };
  const rows: (R & { plain: 0 | 1 })[] = [];
  for (let plain: 0 | 1 = after?.plain ?? 0; rows.length <= limit; plain = 1) {
    const from = after && plain === after.plain ? after.seq : -1;
    for (const r of await readPart(plain, from, limit + 1 - rows.length)) rows.push({ ...r, plain });
    if (plain === 1) break;
  }
  const page = rows.slice(0, limit);
  if (rows.length <= limit) return { rows: page };
  const last = page[page.length - 1]!;
  return { rows: page, next: writeNamedCursor(last.plain, Number(last.seq)) };
}
