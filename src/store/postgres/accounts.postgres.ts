/**
 * Accounts, sign-in links, sessions and the audit log on PostgreSQL.
 */
import type { Pool } from "pg";
import type {
  Account,
  AccountRow,
  AccountStore,
  AuditEntry,
  AuditLog,
  AuditQuery,
  Role,
  Session,
  SignInLink,
} from "../accounts.ts";
import { accountFromRow } from "../accounts.ts";
import type { Page } from "../store.ts";
import { withTransaction } from "./tx.ts";

export class PostgresAccountStore implements AccountStore {
  readonly #pool: Pool;
  constructor(pool: Pool) {
    this.#pool = pool;
  }

  async createAccount(a: Account): Promise<boolean> {
    const r = await this.#pool.query(
      "INSERT INTO account (id, name, role, password_hash, created) VALUES ($1, $2, $3, $4, $5) ON CONFLICT DO NOTHING",
      [a.id, a.name, a.role, a.passwordHash ?? null, a.created],
    );
    return r.rowCount === 1;
  }

  async getAccount(id: string): Promise<Account | undefined> {
    const { rows } = await this.#pool.query<AccountRow>("SELECT * FROM account WHERE id = $1", [id]);
    return rows[0] ? accountFromRow(rows[0]) : undefined;
  }

  async getAccountByName(name: string): Promise<Account | undefined> {
    const { rows } = await this.#pool.query<AccountRow>("SELECT * FROM account WHERE lower(name) = lower($1)", [name]);
    return rows[0] ? accountFromRow(rows[0]) : undefined;
  }

  async listAccounts(): Promise<Account[]> {
    return (await this.#pool.query<AccountRow>("SELECT * FROM account ORDER BY lower(name)")).rows.map(accountFromRow);
  }

  async updateAccount(id: string, changes: { role?: Role; passwordHash?: string }): Promise<boolean> {
    const r = await this.#pool.query(
      "UPDATE account SET role = coalesce($1, role), password_hash = coalesce($2, password_hash) WHERE id = $3",
      [changes.role ?? null, changes.passwordHash ?? null, id],
    );
    return r.rowCount === 1;
  }

  async deleteAccount(id: string): Promise<boolean> {
    return withTransaction(this.#pool, async (c) => {
      await c.query("DELETE FROM session WHERE account_id = $1", [id]);
      await c.query("DELETE FROM signin_link WHERE account_id = $1", [id]);
      return (await c.query("DELETE FROM account WHERE id = $1", [id])).rowCount === 1;
    });
  }

  async getSignInLink(tokenHash: string, now: string): Promise<SignInLink | undefined> {
    const { rows } = await this.#pool.query<{ account_id: string; expires: string }>(
      "SELECT account_id, expires FROM signin_link WHERE token_hash = $1 AND expires > $2",
      [tokenHash, now],
    );
    return rows[0] ? { tokenHash, accountId: rows[0].account_id, expires: rows[0].expires } : undefined;
  }

  async putSignInLink(l: SignInLink): Promise<void> {
    await this.#pool.query("INSERT INTO signin_link (token_hash, account_id, expires) VALUES ($1, $2, $3)", [
      l.tokenHash,
      l.accountId,
      l.expires,
    ]);
  }

  async takeSignInLink(tokenHash: string, now: string): Promise<SignInLink | undefined> {
    // One statement: of two concurrent takers, the second finds the row gone.
    const { rows } = await this.#pool.query<{ account_id: string; expires: string }>(
      "DELETE FROM signin_link WHERE token_hash = $1 RETURNING account_id, expires",
      [tokenHash],
    );
    const r = rows[0];
    return r && r.expires > now ? { tokenHash, accountId: r.account_id, expires: r.expires } : undefined;
  }

  async createSession(s: Session): Promise<void> {
    await this.#pool.query("INSERT INTO session (id, account_id, csrf, created, expires) VALUES ($1, $2, $3, $4, $5)", [
      s.id,
      s.accountId,
      s.csrf,
      s.created,
      s.expires,
    ]);
  }

  async getSession(id: string, now: string): Promise<Session | undefined> {
    const { rows } = await this.#pool.query<{
      id: string;
      account_id: string;
      csrf: string;
      created: string;
      expires: string;
    }>("SELECT * FROM session WHERE id = $1 AND expires > $2", [id, now]);
    const r = rows[0];
    return r ? { id: r.id, accountId: r.account_id, csrf: r.csrf, created: r.created, expires: r.expires } : undefined;
  }

  async extendSession(id: string, expires: string): Promise<void> {
    await this.#pool.query("UPDATE session SET expires = $1 WHERE id = $2 AND expires < $1", [expires, id]);
  }

  async deleteSession(id: string): Promise<void> {
    await this.#pool.query("DELETE FROM session WHERE id = $1", [id]);
  }

  async deleteSessionsOf(accountId: string): Promise<number> {
    return (await this.#pool.query("DELETE FROM session WHERE account_id = $1", [accountId])).rowCount ?? 0;
  }

  async pruneExpired(now: string): Promise<number> {
    const a = await this.#pool.query("DELETE FROM session WHERE expires <= $1", [now]);
    const b = await this.#pool.query("DELETE FROM signin_link WHERE expires <= $1", [now]);
    return (a.rowCount ?? 0) + (b.rowCount ?? 0);
  }
}

interface AuditRow {
  seq: string;
  at: string;
  actor: AuditEntry["actor"];
  action: string;
  target: string;
  reason: string | null;
  detail: Record<string, unknown> | null;
}

export class PostgresAuditLog implements AuditLog {
  readonly #pool: Pool;
  constructor(pool: Pool) {
    this.#pool = pool;
  }

  async append(e: Omit<AuditEntry, "seq">): Promise<AuditEntry> {
    const { rows } = await this.#pool.query<{ seq: string }>(
      "INSERT INTO audit (at, actor, action, target, reason, detail) VALUES ($1, $2, $3, $4, $5, $6) RETURNING seq",
      [e.at, JSON.stringify(e.actor), e.action, e.target, e.reason ?? null, e.detail ? JSON.stringify(e.detail) : null],
    );
    return { ...e, seq: Number(rows[0]!.seq) };
  }

  async list(q: AuditQuery): Promise<Page<AuditEntry>> {
    const where: string[] = [];
    const params: unknown[] = [];
    if (q.cursor !== undefined) where.push(`seq < $${params.push(Number(q.cursor))}`);
    if (q.target !== undefined) where.push(`target = $${params.push(q.target)}`);
    if (q.actionPrefix)
      where.push(`left(action, $${params.push(q.actionPrefix.length)}) = $${params.push(q.actionPrefix)}`);
    const { rows } = await this.#pool.query<AuditRow>(
      `SELECT * FROM audit${where.length ? ` WHERE ${where.join(" AND ")}` : ""} ` +
        `ORDER BY seq DESC LIMIT $${params.push(q.limit + 1)}`,
      params,
    );
    const items = rows.slice(0, q.limit).map((r): AuditEntry => ({
      seq: Number(r.seq),
      at: r.at,
      actor: r.actor,
      action: r.action,
      target: r.target,
      ...(r.reason !== null ? { reason: r.reason } : {}),
      ...(r.detail !== null ? { detail: r.detail } : {}),
    }));
    return rows.length > q.limit ? { items, next: String(items[items.length - 1]!.seq) } : { items };
  }
}
