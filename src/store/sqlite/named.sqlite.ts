/**
 * Records whose own name is exactly one string (`Store.listNamed`, ADR 36), from the name index
 * `initiative_name (plain, name, seq)` (ADR 30): each part (translated or not) is one seek to the
 * name, read in change order, so a lookup costs the same at any size.
 */
import type { InitiativeRecord } from "../../domain/initiative.ts";
import { readNamedCursor, writeNamedCursor } from "../named.ts";
import type { Page, StoredInitiative } from "../store.ts";
import type { SqliteDatabase } from "./database.ts";

const NAMED = `SELECT seq, record FROM initiative INDEXED BY initiative_name
  WHERE plain = ? AND name = ? AND seq > ? ORDER BY seq LIMIT ?`;

export function listNamedSqlite(
  db: SqliteDatabase,
  name: string,
  o: { cursor?: string; limit: number },
): Page<StoredInitiative> {
  const limit = Math.max(1, Math.min(o.limit, 10_000));
  const after = o.cursor === undefined ? undefined : readNamedCursor(o.cursor);
  if (o.cursor !== undefined && !after) return { items: [] };
  const rows: { seq: number; record: string; plain: 0 | 1 }[] = [];
  for (let plain = after?.plain ?? 0; plain <= 1 && rows.length <= limit; plain++) {
    const from = after && plain === after.plain ? after.seq : -1;
    const part = db.prepare(NAMED).all(plain, name, from, limit + 1 - rows.length) as { seq: number; record: string }[];
    for (const r of part) rows.push({ ...r, plain });
  }
  const page = rows.slice(0, limit);
  const items = page.map((r): StoredInitiative => ({ ...(JSON.parse(r.record) as InitiativeRecord), seq: r.seq }));
  if (rows.length <= limit) return { items };
  const last = page[page.length - 1]!;
  return { items, next: writeNamedCursor(last.plain, last.seq) };
}
