/**
 * Records whose own name is exactly one string (`Store.listNamed`, ADR 36), from the name index
 * `initiative_name (plain, (name COLLATE "C"), seq)` (ADR 30): each part (translated or not) is one
 * seek to the name, read in change order. The name is compared under the index's own collation, so
 * that PostgreSQL reads the index (for equality every deterministic collation compares bytes).
 */
import type pg from "pg";
import { readNamedCursor, writeNamedCursor } from "../named.ts";
import type { Page, StoredInitiative } from "../store.ts";
import { toStored, type Row } from "./rows.postgres.ts";

const NAMED = `SELECT seq, record, NULL AS signed FROM initiative
  WHERE plain = $1 AND (name COLLATE "C") = $2::text AND seq > $3 ORDER BY seq LIMIT $4`;

export async function listNamedPostgres(
  pool: pg.Pool,
  name: string,
  o: { cursor?: string; limit: number },
): Promise<Page<StoredInitiative>> {
  const limit = Math.max(1, Math.min(o.limit, 10_000));
  const after = o.cursor === undefined ? undefined : readNamedCursor(o.cursor);
  if (o.cursor !== undefined && !after) return { items: [] };
  const rows: (Row & { plain: 0 | 1 })[] = [];
  for (let plain = after?.plain ?? 0; plain <= 1 && rows.length <= limit; plain++) {
    const from = after && plain === after.plain ? after.seq : -1;
    const part = await pool.query(NAMED, [plain === 1, name, from, limit + 1 - rows.length]);
    for (const r of part.rows as Row[]) rows.push({ ...r, plain });
  }
  const page = rows.slice(0, limit);
  const items = page.map(toStored);
  if (rows.length <= limit) return { items };
  return { items, next: writeNamedCursor(page[page.length - 1]!.plain, items[items.length - 1]!.seq) };
}
