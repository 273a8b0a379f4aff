/**
 * Records whose own name is exactly one string (`Store.listNamed`, ADR 36), from the name index
 * `initiative_name (plain, name, seq)` (ADR 30): each part (translated or not) is one seek to the
 * name, read in change order, so a lookup costs the same at any size; records holding a lookup key
 * (`Store.listKeyed`, ADR 42) likewise from `initiative_key (key, seq)`.
 */
import type { InitiativeRecord } from "../../domain/initiative.ts";
import { lookupKey, pageKeyed, type LookupKind } from "../lookup-keys.ts";
import { pageNamed } from "../named.ts";
import type { Page, StoredInitiative } from "../store.ts";
import type { SqliteDatabase } from "./database.ts";

const NAMED_BY = "SELECT seq, record FROM initiative INDEXED BY initiative_name ";
const NAMED_WHERE = "WHERE plain = ? AND name = ? AND seq > ? ORDER BY seq LIMIT ?";

/**
 * From the name index, named so that the plan cannot change; while an import defers the index (ADR 47), from the
 * records as the planner reads them: slower, and as right.
 */
function readNamed(db: SqliteDatabase, plain: 0 | 1, name: string, after: number, n: number) {
  try {
    return db.prepare(NAMED_BY + NAMED_WHERE).all(plain, name, after, n);
  } catch (e) {
    if (!/no such index: initiative_name/.test(String(e))) throw e;
    return db.prepare("SELECT seq, record FROM initiative " + NAMED_WHERE).all(plain, name, after, n);
  }
}

export async function listNamedSqlite(
  db: SqliteDatabase,
  name: string,
  o: { cursor?: string; limit: number },
): Promise<Page<StoredInitiative>> {
  const { rows, next } = await pageNamed(
    o.cursor,
    o.limit,
    (plain, after, n) => readNamed(db, plain, name, after, n) as { seq: number; record: string }[],
  );
  const items = rows.map((r): StoredInitiative => ({ ...(JSON.parse(r.record) as InitiativeRecord), seq: r.seq }));
  return next ? { items, next } : { items };
}

const KEYED = `SELECT i.seq, i.record FROM initiative_key k JOIN initiative i ON i.seq = k.seq
  WHERE k.key = ? AND k.seq > ? ORDER BY k.seq LIMIT ?`;

/** Records holding a lookup key (`Store.listKeyed`, ADR 42): one seek into the keys' index, each row by its change. */
export async function listKeyedSqlite(
  db: SqliteDatabase,
  kind: LookupKind,
  value: string,
  o: { cursor?: string; limit: number },
): Promise<Page<StoredInitiative>> {
  const read = db.prepare(KEYED);
  const key = lookupKey(kind, value);
  const { rows, next } = await pageKeyed(
    o.cursor,
    o.limit,
    (after, n) => read.all(key, after, n) as { seq: number; record: string }[],
  );
  const items = rows.map((r): StoredInitiative => ({ ...(JSON.parse(r.record) as InitiativeRecord), seq: r.seq }));
  return next ? { items, next } : { items };
}
