/**
 * Records whose own name is exactly one string (`Store.listNamed`, ADR 36), from the name index
 * `initiative_name (plain, (name COLLATE "C"), seq)` (ADR 30): each part (translated or not) is one
 * seek to the name, read in change order. The name is compared under the index's own collation, so
 * that PostgreSQL reads the index (for equality every deterministic collation compares bytes).
 * Records holding a lookup key (`Store.listKeyed`, ADR 42) come from the keys' inverted index.
 */
import type pg from "pg";
import { lookupKey, pageKeyed, type LookupKind } from "../lookup-keys.ts";
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

// The keys' inverted index finds the few rows holding the key; they are then put in change order.
const KEYED = `SELECT seq, record, NULL AS signed FROM initiative
  WHERE lookup_keys IS NOT NULL AND lookup_keys @> $1::jsonb AND seq > $2 ORDER BY seq LIMIT $3`;

/** Records holding a lookup key (`Store.listKeyed`, ADR 42), from the inverted index `initiative_lookup`. */
export async function listKeyedPostgres(
  pool: pg.Pool,
  kind: LookupKind,
  value: string,
  o: { cursor?: string; limit: number },
): Promise<Page<StoredInitiative>> {
  const key = JSON.stringify([lookupKey(kind, value)]);
  const { rows, next } = await pageKeyed(
    o.cursor,
    o.limit,
    async (after, n) => (await pool.query<Row>(KEYED, [key, after, n])).rows,
  );
  const items = rows.map(toStored);
  return next ? { items, next } : { items };
}
