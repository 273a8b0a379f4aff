/**
 * Duplicates on PostgreSQL: `dup_pending` (filled by triggers on `initiative`), `dup_key` and
 * `dup_pair` (migration 8). A round is applied in a handful of statements whatever its size.
 */
import type pg from "pg";
import {
  adoptedFromRow,
  pairFromRow,
  splitPairCursor,
  type AdoptedLink,
  type DuplicatePair,
  type DuplicateStore,
  type PairRow,
  type FinderBatch,
  type PairQuery,
  type PairState,
  type PendingRecord,
} from "../duplicates.ts";
import type { Page } from "../store.ts";
import { withTransaction } from "./tx.ts";

export class PostgresDuplicateStore implements DuplicateStore {
  readonly #pool: pg.Pool;
  readonly #changed: () => Promise<void>;
  /** @param changed tells every process, after commit, that groups changed (collapsed answers are kept until then) */
  constructor(pool: pg.Pool, changed: () => Promise<void>) {
    this.#pool = pool;
    this.#changed = changed;
  }

  async pending(limit: number): Promise<PendingRecord[]> {
    const { rows } = await this.#pool.query<{ id: string; n: string }>(
      "SELECT id, n FROM dup_pending ORDER BY noted LIMIT $1",
      [limit],
    );
    return rows.map((r) => ({ id: r.id, stamp: Number(r.n) }));
  }

  async pendingCount(): Promise<number> {
    return Number((await this.#pool.query<{ n: string }>("SELECT count(*) AS n FROM dup_pending")).rows[0]!.n);
  }

  async keyMembers(keys: string[], limit: number): Promise<Map<string, string[]>> {
    const unique = [...new Set(keys)];
    const out = new Map<string, string[]>(unique.map((k) => [k, []]));
    if (!unique.length) return out;
    const { rows } = await this.#pool.query<{ key: string; id: string }>(
      `SELECT k.key, d.id FROM unnest($1::text[]) AS k(key)
       CROSS JOIN LATERAL (SELECT id FROM dup_key WHERE dup_key.key = k.key LIMIT $2) d`,
      [unique, limit + 1],
    );
    for (const r of rows) out.get(r.key)!.push(r.id);
    return out;
  }

  async apply(batch: FinderBatch): Promise<DuplicatePair[]> {
    const ids = batch.done.map((d) => d.id);
    const keyRows: [string, string][] = [];
    for (const [id, keys] of batch.keys) for (const k of keys) keyRows.push([k, id]);
    keyRows.sort((x, y) => (x[0] < y[0] ? -1 : x[0] > y[0] ? 1 : x[1] < y[1] ? -1 : 1));
    const pairs = [...batch.pairs].sort((x, y) => (x.a < y.a ? -1 : x.a > y.a ? 1 : x.b < y.b ? -1 : 1));
    return withTransaction(this.#pool, async (c) => {
      // One round at a time per database: rounds of several processes never deadlock on each other's rows.
      await c.query("SELECT pg_advisory_xact_lock(hashtext('essfed_duplicates:' || current_schema()))");
      await c.query("DELETE FROM dup_key WHERE id = ANY($1)", [ids]);
      await c.query("DELETE FROM dup_pair WHERE a = ANY($1) AND state = 'candidate'", [ids]);
      await c.query("DELETE FROM dup_pair WHERE b = ANY($1) AND state = 'candidate'", [ids]);
      if (keyRows.length) {
        await c.query(
          "INSERT INTO dup_key (key, id) SELECT * FROM unnest($1::text[], $2::text[]) ON CONFLICT DO NOTHING",
          [keyRows.map((r) => r[0]), keyRows.map((r) => r[1])],
        );
      }
      let confirmed: DuplicatePair[] = [];
      if (pairs.length) {
        await c.query(
          `INSERT INTO dup_pair (a, b, score, reasons, state, updated)
           SELECT a, b, score, reasons, 'candidate', $5
           FROM unnest($1::text[], $2::text[], $3::float8[], $4::jsonb[]) AS t(a, b, score, reasons)
           ON CONFLICT (a, b)
           DO UPDATE SET score = excluded.score, reasons = excluded.reasons, updated = excluded.updated`,
          [
            pairs.map((p) => p.a),
            pairs.map((p) => p.b),
            pairs.map((p) => p.score),
            pairs.map((p) => JSON.stringify(p.reasons)),
            batch.at,
          ],
        );
        if (batch.auto) {
          const { rows } = await c.query<PairRow>(
            `UPDATE dup_pair SET state = 'confirmed', decided_by = $3, decided_at = $4
             FROM unnest($1::text[], $2::text[]) AS t(a, b)
             WHERE dup_pair.a = t.a AND dup_pair.b = t.b AND dup_pair.state = 'candidate' AND dup_pair.score >= $5
             RETURNING dup_pair.*`,
            [pairs.map((p) => p.a), pairs.map((p) => p.b), batch.auto.by, batch.auto.at, batch.auto.score],
          );
          confirmed = rows.map(pairFromRow);
        }
      }
      await c.query(
        "DELETE FROM dup_pending p USING unnest($1::text[], $2::bigint[]) AS t(id, n) WHERE p.id = t.id AND p.n = t.n",
        [ids, batch.done.map((d) => d.stamp)],
      );
      return confirmed;
    });
  }

  async getPair(a: string, b: string): Promise<DuplicatePair | undefined> {
    const { rows } = await this.#pool.query<PairRow>("SELECT * FROM dup_pair WHERE a = $1 AND b = $2", [a, b]);
    return rows.length ? pairFromRow(rows[0]!) : undefined;
  }

  async listPairs(q: PairQuery): Promise<Page<DuplicatePair>> {
    const offset = q.cursor === undefined ? 0 : Number(q.cursor);
    if (!Number.isSafeInteger(offset) || offset < 0) return { items: [] };
    const where: string[] = [];
    const params: (string | number)[] = [];
    if (q.state) {
      params.push(q.state);
      where.push(`state = $${params.length}`);
    }
    if (q.id) {
      params.push(q.id);
      where.push(`(a = $${params.length} OR b = $${params.length})`);
    }
    params.push(q.limit + 1, offset);
    const { rows } = await this.#pool.query<PairRow>(
      `SELECT * FROM dup_pair${where.length ? ` WHERE ${where.join(" AND ")}` : ""}
      ORDER BY score DESC, a COLLATE "C", b COLLATE "C" LIMIT $${params.length - 1} OFFSET $${params.length}`,
      params,
    );
    const items = rows.slice(0, q.limit).map(pairFromRow);
    return rows.length > q.limit ? { items, next: String(offset + q.limit) } : { items };
  }

  async decide(a: string, b: string, state: PairState, by: string, at: string): Promise<DuplicatePair | undefined> {
    const { rows } =
      state === "candidate"
        ? await this.#pool.query<PairRow>(
            "UPDATE dup_pair SET state = 'candidate', decided_by = NULL, decided_at = NULL " +
              "WHERE a = $1 AND b = $2 RETURNING *",
            [a, b],
          )
        : await this.#pool.query<PairRow>(
            "UPDATE dup_pair SET state = $1, decided_by = $2, decided_at = $3 WHERE a = $4 AND b = $5 RETURNING *",
            [state, by, at, a, b],
          );
    return rows.length ? pairFromRow(rows[0]!) : undefined;
  }

  async confirmedPairs(limit: number, cursor?: string): Promise<Page<DuplicatePair>> {
    const after = splitPairCursor(cursor) ?? ["", ""];
    const { rows } = await this.#pool.query<PairRow>(
      `SELECT * FROM dup_pair
      WHERE state = 'confirmed' AND (a COLLATE "C", b COLLATE "C") > ($1 COLLATE "C", $2 COLLATE "C")
       ORDER BY a COLLATE "C", b COLLATE "C" LIMIT $3`,
      [after[0], after[1], limit + 1],
    );
    const items = rows.slice(0, limit).map(pairFromRow);
    const last = items[items.length - 1];
    return rows.length > limit && last ? { items, next: `${last.a} ${last.b}` } : { items };
  }

  async setGroup(members: string[], shown: string | undefined): Promise<void> {
    const grp = [...members].sort()[0];
    await withTransaction(this.#pool, async (c) => {
      await c.query("DELETE FROM dup_member WHERE id = ANY($1::text[])", [members]);
      if (members.length >= 2)
        await c.query(
          `INSERT INTO dup_member (id, grp, shown, seq)
           SELECT m, $2, CASE WHEN m = $3 THEN 1 ELSE 0 END, (SELECT seq FROM initiative WHERE id = m)
           FROM unnest($1::text[]) AS m ORDER BY m`,
          [members, grp, shown ?? null],
        );
    });
    await this.#changed();
  }

  async forget(ids: string[]): Promise<DuplicatePair[]> {
    if (!ids.length) return [];
    const { rows } = await this.#pool.query<PairRow>(
      "DELETE FROM dup_pair " +
        "WHERE (a = ANY($1::text[]) OR b = ANY($1::text[])) AND state IN ('candidate', 'confirmed') RETURNING *",
      [ids],
    );
    return rows.map(pairFromRow);
  }

  async adopt(l: AdoptedLink): Promise<void> {
    await this.#pool.query(
      `INSERT INTO dup_adopted (publisher, linkset, a, b, score, decided_by, decided_at, received_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8) ON CONFLICT (publisher, a, b) DO UPDATE SET linkset = excluded.linkset,
       score = excluded.score, decided_by = excluded.decided_by, decided_at = excluded.decided_at,
       received_at = excluded.received_at`,
      [l.publisher, l.linkset, l.a, l.b, l.score, l.decidedBy, l.decidedAt, l.receivedAt],
    );
  }

  async unadopt(publisher: string, a: string, b: string): Promise<boolean> {
    const r = await this.#pool.query("DELETE FROM dup_adopted WHERE publisher = $1 AND a = $2 AND b = $3", [
      publisher,
      a,
      b,
    ]);
    return (r.rowCount ?? 0) > 0;
  }

  async adoptedLinks(limit: number, cursor?: string): Promise<Page<AdoptedLink>> {
    const [p, a, b] = (cursor ?? "").split(" ");
    const { rows } = await this.#pool.query(
      `SELECT * FROM dup_adopted
       WHERE (publisher COLLATE "C", a COLLATE "C", b COLLATE "C") > ($1 COLLATE "C", $2 COLLATE "C", $3 COLLATE "C")
       ORDER BY publisher COLLATE "C", a COLLATE "C", b COLLATE "C" LIMIT $4`,
      [p ?? "", a ?? "", b ?? "", limit + 1],
    );
    const items = rows.slice(0, limit).map(adoptedFromRow);
    const last = items[items.length - 1];
    return rows.length > limit && last ? { items, next: `${last.publisher} ${last.a} ${last.b}` } : { items };
  }

  async adoptedLinksOf(id: string, limit: number): Promise<AdoptedLink[]> {
    const { rows } = await this.#pool.query(
      `SELECT * FROM (SELECT * FROM dup_adopted WHERE a = $1 UNION SELECT * FROM dup_adopted WHERE b = $1) l
       ORDER BY publisher COLLATE "C", a COLLATE "C", b COLLATE "C" LIMIT $2`,
      [id, limit],
    );
    return rows.map(adoptedFromRow);
  }

  async groupsOf(ids: string[]): Promise<Map<string, string[]>> {
    const out = new Map<string, string[]>();
    if (!ids.length) return out;
    const { rows } = await this.#pool.query<{ id: string; members: string[] }>(
      `SELECT m.id, g.members FROM dup_member m CROSS JOIN LATERAL (
         SELECT array_agg(x.id ORDER BY x.id COLLATE "C") AS members
         FROM (SELECT id FROM dup_member WHERE grp = m.grp ORDER BY id COLLATE "C" LIMIT 200) x) g
       WHERE m.id = ANY($1::text[])`,
      [[...new Set(ids)]],
    );
    for (const r of rows) out.set(r.id, r.members);
    return out;
  }
}
