/**
 * Duplicates on SQLite: what the finder has to look at is the change order above `dup_seq` and
 * `dup_pending` (removals without a tombstone, noted by a trigger on `initiative`); `dup_key` and
 * `dup_pair` (migrations 6 and 9).
 */
import {
  adoptedFromRow,
  pairFromRow,
  splitPairCursor,
  type AdoptedLink,
  type DuplicatePair,
  type DuplicateStore,
  type FinderBatch,
  type PairQuery,
  type PairRow,
  type PairState,
  type PendingRecord,
} from "../duplicates.ts";
import type { Page } from "../store.ts";
import type { SqliteDatabase } from "./database.ts";

type Change = { id: string; seq: number };

export class SqliteDuplicateStore implements DuplicateStore {
  readonly #db: SqliteDatabase;
  constructor(db: SqliteDatabase) {
    this.#db = db;
  }

  /**
   * Notes first (removals without a tombstone), then the change order above `dup_seq`: records and
   * tombstones written since the finder last looked. A change's stamp is its change number, negated
   * so that it is never taken for a note's.
   */
  async pending(limit: number): Promise<PendingRecord[]> {
    const notes = (
      this.#db.prepare("SELECT id, n FROM dup_pending ORDER BY rowid LIMIT ?").all(limit) as { id: string; n: number }[]
    ).map((r) => ({ id: r.id, stamp: r.n }));
    const rest = limit - notes.length;
    if (rest <= 0) return notes;
    const from = this.#seen();
    const changes = [
      ...(this.#db
        .prepare("SELECT id, seq FROM initiative WHERE seq > ? ORDER BY seq LIMIT ?")
        .all(from, rest) as Change[]),
      ...(this.#db
        .prepare("SELECT id, seq FROM tombstone WHERE seq > ? ORDER BY seq LIMIT ?")
        .all(from, rest) as Change[]),
    ]
      .sort((a, b) => a.seq - b.seq)
      .slice(0, rest);
    return [...notes, ...changes.map((c) => ({ id: c.id, stamp: -c.seq }))];
  }

  async pendingCount(): Promise<number> {
    const from = this.#seen();
    const count = (sql: string, ...p: number[]) => (this.#db.prepare(sql).get(...p) as { n: number }).n;
    return (
      count("SELECT count(*) AS n FROM dup_pending") +
      count("SELECT count(*) AS n FROM initiative WHERE seq > ?", from) +
      count("SELECT count(*) AS n FROM tombstone WHERE seq > ?", from)
    );
  }

  /** The change number up to which the finder has looked at every change. */
  #seen(): number {
    return (this.#db.prepare("SELECT value FROM meta WHERE key = 'dup_seq'").get() as { value: number }).value;
  }

  async keyMembers(keys: string[], limit: number): Promise<Map<string, string[]>> {
    const out = new Map<string, string[]>();
    const members = this.#db.prepare("SELECT id FROM dup_key WHERE key = ? LIMIT ?");
    for (const k of new Set(keys))
      out.set(
        k,
        (members.all(k, limit + 1) as { id: string }[]).map((r) => r.id),
      );
    return out;
  }

  async apply(batch: FinderBatch): Promise<DuplicatePair[]> {
    const db = this.#db;
    return db.transaction(() => {
      const dropKeys = db.prepare("DELETE FROM dup_key WHERE id = ?");
      const addKey = db.prepare("INSERT INTO dup_key (key, id) VALUES (?, ?) ON CONFLICT DO NOTHING");
      // Two statements, each on its own index: with OR, SQLite would walk every candidate by state.
      const dropPairsA = db.prepare("DELETE FROM dup_pair WHERE a = ? AND +state = 'candidate'");
      const dropPairsB = db.prepare("DELETE FROM dup_pair WHERE b = ? AND +state = 'candidate'");
      for (const { id } of batch.done) {
        dropKeys.run(id);
        dropPairsA.run(id);
        dropPairsB.run(id);
        for (const k of batch.keys.get(id) ?? []) addKey.run(k, id);
      }
      const upsert =
        db.prepare(`INSERT INTO dup_pair (a, b, score, reasons, state, updated) VALUES (?, ?, ?, ?, 'candidate', ?)
        ON CONFLICT (a, b) DO UPDATE
        SET score = excluded.score, reasons = excluded.reasons, updated = excluded.updated`);
      for (const p of batch.pairs) upsert.run(p.a, p.b, p.score, JSON.stringify(p.reasons), batch.at);
      const confirmed: DuplicatePair[] = [];
      if (batch.auto) {
        const confirm = db.prepare(`UPDATE dup_pair SET state = 'confirmed', decided_by = ?, decided_at = ?
          WHERE a = ? AND b = ? AND +state = 'candidate' AND score >= ? RETURNING *`);
        for (const p of batch.pairs) {
          const row = confirm.get(batch.auto.by, batch.auto.at, p.a, p.b, batch.auto.score) as PairRow | undefined;
          if (row) confirmed.push(pairFromRow(row));
        }
      }
      // A note is cleared unless noted again meanwhile; changes are done up to the newest worked
      // through (pending() lists them in order), and a record written again meanwhile has a newer one.
      const clear = db.prepare("DELETE FROM dup_pending WHERE id = ? AND n = ?");
      let seen = 0;
      for (const d of batch.done) {
        if (d.stamp < 0) seen = Math.max(seen, -d.stamp);
        else clear.run(d.id, d.stamp);
      }
      if (seen) db.prepare("UPDATE meta SET value = max(value, ?) WHERE key = 'dup_seq'").run(seen);
      return confirmed;
    });
  }

  async getPair(a: string, b: string): Promise<DuplicatePair | undefined> {
    const row = this.#db.prepare("SELECT * FROM dup_pair WHERE a = ? AND b = ?").get(a, b) as PairRow | undefined;
    return row ? pairFromRow(row) : undefined;
  }

  async listPairs(q: PairQuery): Promise<Page<DuplicatePair>> {
    const offset = q.cursor === undefined ? 0 : Number(q.cursor);
    if (!Number.isSafeInteger(offset) || offset < 0) return { items: [] };
    const where: string[] = [];
    const params: (string | number)[] = [];
    // With an id, its indexes find the few pairs; the state index would walk every pair of a state.
    if (q.state) {
      where.push(q.id ? "+state = ?" : "state = ?");
      params.push(q.state);
    }
    if (q.id) {
      where.push("(a = ? OR b = ?)");
      params.push(q.id, q.id);
    }
    const rows = this.#db
      .prepare(
        `SELECT * FROM dup_pair${where.length ? ` WHERE ${where.join(" AND ")}` : ""}
      ORDER BY score DESC, a, b LIMIT ? OFFSET ?`,
      )
      .all(...params, q.limit + 1, offset) as unknown as PairRow[];
    const items = rows.slice(0, q.limit).map(pairFromRow);
    return rows.length > q.limit ? { items, next: String(offset + q.limit) } : { items };
  }

  async decide(a: string, b: string, state: PairState, by: string, at: string): Promise<DuplicatePair | undefined> {
    const row = (
      state === "candidate"
        ? this.#db
            .prepare(
              "UPDATE dup_pair SET state = 'candidate', decided_by = NULL, decided_at = NULL " +
                "WHERE a = ? AND b = ? RETURNING *",
            )
            .get(a, b)
        : this.#db
            .prepare("UPDATE dup_pair SET state = ?, decided_by = ?, decided_at = ? WHERE a = ? AND b = ? RETURNING *")
            .get(state, by, at, a, b)
    ) as PairRow | undefined;
    return row ? pairFromRow(row) : undefined;
  }

  async confirmedPairs(limit: number, cursor?: string): Promise<Page<DuplicatePair>> {
    const after = splitPairCursor(cursor) ?? ["", ""];
    const rows = this.#db
      .prepare(
        `SELECT * FROM dup_pair WHERE state = 'confirmed' AND (a > ? OR (a = ? AND b > ?))
      ORDER BY a, b LIMIT ?`,
      )
      .all(after[0], after[0], after[1], limit + 1) as unknown as PairRow[];
    const items = rows.slice(0, limit).map(pairFromRow);
    const last = items[items.length - 1];
    return rows.length > limit && last ? { items, next: `${last.a} ${last.b}` } : { items };
  }

  async setGroup(members: string[], shown: string | undefined): Promise<void> {
    const db = this.#db;
    db.transaction(() => {
      const drop = db.prepare("DELETE FROM dup_member WHERE id = ?");
      for (const id of members) drop.run(id);
      if (members.length < 2) return;
      const grp = [...members].sort()[0]!;
      const add = db.prepare("INSERT INTO dup_member (id, grp, shown) VALUES (?, ?, ?)");
      for (const id of members) add.run(id, grp, id === shown ? 1 : 0);
    });
  }

  async forget(ids: string[]): Promise<DuplicatePair[]> {
    const db = this.#db;
    return db.transaction(() => {
      const out: DuplicatePair[] = [];
      const drop = db.prepare(
        "DELETE FROM dup_pair WHERE (a = ? OR b = ?) AND state IN ('candidate', 'confirmed') RETURNING *",
      );
      for (const id of new Set(ids)) out.push(...(drop.all(id, id) as unknown as PairRow[]).map(pairFromRow));
      return out;
    });
  }

  async adopt(l: AdoptedLink): Promise<void> {
    this.#db
      .prepare(
        `INSERT INTO dup_adopted (publisher, linkset, a, b, score, decided_by, decided_at, received_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (publisher, a, b) DO UPDATE SET linkset = excluded.linkset,
         score = excluded.score, decided_by = excluded.decided_by, decided_at = excluded.decided_at,
         received_at = excluded.received_at`,
      )
      .run(l.publisher, l.linkset, l.a, l.b, l.score, l.decidedBy, l.decidedAt, l.receivedAt);
  }

  async unadopt(publisher: string, a: string, b: string): Promise<boolean> {
    const r = this.#db.prepare("DELETE FROM dup_adopted WHERE publisher = ? AND a = ? AND b = ?").run(publisher, a, b);
    return Number(r.changes) > 0;
  }

  async adoptedLinks(limit: number, cursor?: string): Promise<Page<AdoptedLink>> {
    const [p, a, b] = (cursor ?? "").split(" ");
    const rows = this.#db
      .prepare(`SELECT * FROM dup_adopted WHERE (publisher, a, b) > (?, ?, ?) ORDER BY publisher, a, b LIMIT ?`)
      .all(p ?? "", a ?? "", b ?? "", limit + 1) as Record<string, unknown>[];
    const items = rows.slice(0, limit).map(adoptedFromRow);
    const last = items[items.length - 1];
    return rows.length > limit && last ? { items, next: `${last.publisher} ${last.a} ${last.b}` } : { items };
  }

  async adoptedLinksOf(id: string, limit: number): Promise<AdoptedLink[]> {
    const rows = this.#db
      .prepare(
        `SELECT * FROM dup_adopted WHERE a = ? UNION SELECT * FROM dup_adopted WHERE b = ?
         ORDER BY publisher, a, b LIMIT ?`,
      )
      .all(id, id, limit) as Record<string, unknown>[];
    return rows.map(adoptedFromRow);
  }

  async groupsOf(ids: string[]): Promise<Map<string, string[]>> {
    const out = new Map<string, string[]>();
    const groupOf = this.#db.prepare("SELECT grp FROM dup_member WHERE id = ?");
    const membersOf = this.#db.prepare("SELECT id FROM dup_member WHERE grp = ? ORDER BY id LIMIT 200");
    const groups = new Map<string, string[]>();
    for (const id of new Set(ids)) {
      const grp = (groupOf.get(id) as { grp: string } | undefined)?.grp;
      if (grp === undefined) continue;
      let members = groups.get(grp);
      if (!members) groups.set(grp, (members = (membersOf.all(grp) as { id: string }[]).map((r) => r.id)));
      out.set(id, members);
    }
    return out;
  }
}
