/**
 * Records whose own name is exactly one string (`Store.listNamed`, ADR 36), from the name index
 * `initiative_name (plain, (name COLLATE "C"), seq)` (ADR 30): each part (translated or not) is one
 * seek to the name, read in change order. The name is compared under the index's own collation, so
 * that PostgreSQL reads the index (for equality every deterministic collation compares bytes).
 */
import type pg from "pg";
import { pageNamed } from "../named.ts";
import type { Page, StoredInitiative } from "../store.ts";
import { toStored, type Row } from "./rows.postgres.ts";

const NAMED = `SELECT seq, record, NULL AS signed FROM initiative
  WHERE plain = $1 AND (name COLLATE "C") = $2::text AND seq > $3 ORDER BY seq LIMIT $4`;

export async function listNamedPostgres(
  pool: pg.Pool,
  name: string,
  o: { cursor?: string; limit: number },
): Promise<Page<StoredInitiative>> {
  const { rows, next } = await pageNamed(
    o.cursor,
    o.limit,
    async (plain, after, n) => (await pool.query<Row>(NAMED, [plain === 1, name, after, n])).rows,
  );
  const items = rows.map(toStored);
  return next ? { items, next } : { items };
}
