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
