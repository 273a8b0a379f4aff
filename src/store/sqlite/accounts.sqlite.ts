/**
 * Accounts, sign-in links, sessions and the audit log on SQLite.
 */
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
import type { SqliteDatabase } from "./database.ts";

export class SqliteAccountStore implements AccountStore {
  readonly #db: SqliteDatabase;
  constructor(db: SqliteDatabase) {
    this.#db = db;
  }

  async createAccount(a: Account): Promise<boolean> {
    const r = this.#db
      .prepare(
        "INSERT INTO account (id, name, role, password_hash, created) VALUES (?, ?, ?, ?, ?) ON CONFLICT DO NOTHING",
      )
      .run(a.id, a.name, a.role, a.passwordHash ?? null, a.created);
    return r.changes === 1;
  }

  async getAccount(id: string): Promise<Account | undefined> {
    const r = this.#db.prepare("SELECT * FROM account WHERE id = ?").get(id) as AccountRow | undefined;
    return r ? accountFromRow(r) : undefined;
  }

  async getAccountByName(name: string): Promise<Account | undefined> {
    const r = this.#db.prepare("SELECT * FROM account WHERE name = ? COLLATE NOCASE").get(name) as
      AccountRow | undefined;
    return r ? accountFromRow(r) : undefined;
  }

  async listAccounts(): Promise<Account[]> {
    return (
      this.#db.prepare("SELECT * FROM account ORDER BY name COLLATE NOCASE").all() as unknown as AccountRow[]
    ).map(accountFromRow);
  }

  async updateAccount(id: string, changes: { role?: Role; passwordHash?: string }): Promise<boolean> {
    const r = this.#db
      .prepare("UPDATE account SET role = coalesce(?, role), password_hash = coalesce(?, password_hash) WHERE id = ?")
      .run(changes.role ?? null, changes.passwordHash ?? null, id);
    return r.changes === 1;
  }

  async deleteAccount(id: string): Promise<boolean> {
    return this.#db.transaction(() => {
      this.#db.prepare("DELETE FROM session WHERE account_id = ?").run(id);
      this.#db.prepare("DELETE FROM signin_link WHERE account_id = ?").run(id);
      return this.#db.prepare("DELETE FROM account WHERE id = ?").run(id).changes === 1;
    });
  }

  async getSignInLink(tokenHash: string, now: string): Promise<SignInLink | undefined> {
    const r = this.#db
      .prepare("SELECT account_id, expires FROM signin_link WHERE token_hash = ? AND expires > ?")
      .get(tokenHash, now) as { account_id: string; expires: string } | undefined;
    return r ? { tokenHash, accountId: r.account_id, expires: r.expires } : undefined;
  }

  async putSignInLink(l: SignInLink): Promise<void> {
    this.#db
      .prepare("INSERT INTO signin_link (token_hash, account_id, expires) VALUES (?, ?, ?)")
      .run(l.tokenHash, l.accountId, l.expires);
  }

  async takeSignInLink(tokenHash: string, now: string): Promise<SignInLink | undefined> {
    // DELETE … RETURNING in one statement: a link is taken once, however many ask at the same time.
    const r = this.#db
      .prepare("DELETE FROM signin_link WHERE token_hash = ? RETURNING account_id, expires")
      .get(tokenHash) as { account_id: string; expires: string } | undefined;
    return r && r.expires > now ? { tokenHash, accountId: r.account_id, expires: r.expires } : undefined;
  }

  async createSession(s: Session): Promise<void> {
    this.#db
      .prepare("INSERT INTO session (id, account_id, csrf, created, expires) VALUES (?, ?, ?, ?, ?)")
      .run(s.id, s.accountId, s.csrf, s.created, s.expires);
  }

  async getSession(id: string, now: string): Promise<Session | undefined> {
    const r = this.#db.prepare("SELECT * FROM session WHERE id = ? AND expires > ?").get(id, now) as
      { id: string; account_id: string; csrf: string; created: string; expires: string } | undefined;
    return r ? { id: r.id, accountId: r.account_id, csrf: r.csrf, created: r.created, expires: r.expires } : undefined;
  }

  async extendSession(id: string, expires: string): Promise<void> {
    this.#db.prepare("UPDATE session SET expires = ? WHERE id = ? AND expires < ?").run(expires, id, expires);
  }

  async deleteSession(id: string): Promise<void> {
    this.#db.prepare("DELETE FROM session WHERE id = ?").run(id);
  }

  async deleteSessionsOf(accountId: string): Promise<number> {
    return Number(this.#db.prepare("DELETE FROM session WHERE account_id = ?").run(accountId).changes);
  }

  async pruneExpired(now: string): Promise<number> {
    return this.#db.transaction(
      () =>
        Number(this.#db.prepare("DELETE FROM session WHERE expires <= ?").run(now).changes) +
        Number(this.#db.prepare("DELETE FROM signin_link WHERE expires <= ?").run(now).changes),
    );
  }
}

interface AuditRow {
  seq: number;
  at: string;
  actor: string;
  action: string;
  target: string;
  reason: string | null;
  detail: string | null;
}

export class SqliteAuditLog implements AuditLog {
  readonly #db: SqliteDatabase;
  constructor(db: SqliteDatabase) {
    this.#db = db;
  }

  async append(e: Omit<AuditEntry, "seq">): Promise<AuditEntry> {
    const r = this.#db
      .prepare("INSERT INTO audit (at, actor, action, target, reason, detail) VALUES (?, ?, ?, ?, ?, ?) RETURNING seq")
      .get(
        e.at,
        JSON.stringify(e.actor),
        e.action,
        e.target,
        e.reason ?? null,
        e.detail ? JSON.stringify(e.detail) : null,
      ) as { seq: number };
    return { ...e, seq: r.seq };
  }

  async list(q: AuditQuery): Promise<Page<AuditEntry>> {
    const where: string[] = [];
    const params: (string | number)[] = [];
    if (q.cursor !== undefined) {
      where.push("seq < ?");
      params.push(Number(q.cursor));
    }
    if (q.target !== undefined) {
      where.push("target = ?");
      params.push(q.target);
    }
    if (q.actionPrefix) {
      where.push("substr(action, 1, ?) = ?");
      params.push(q.actionPrefix.length, q.actionPrefix);
    }
    const rows = this.#db
      .prepare(`SELECT * FROM audit${where.length ? ` WHERE ${where.join(" AND ")}` : ""} ORDER BY seq DESC LIMIT ?`)
      .all(...params, q.limit + 1) as unknown as AuditRow[];
    const items = rows.slice(0, q.limit).map((r): AuditEntry => ({
      seq: r.seq,
      at: r.at,
      actor: JSON.parse(r.actor) as AuditEntry["actor"],
      action: r.action,
      target: r.target,
      ...(r.reason !== null ? { reason: r.reason } : {}),
      ...(r.detail !== null ? { detail: JSON.parse(r.detail) as Record<string, unknown> } : {}),
    }));
    return rows.length > q.limit ? { items, next: String(items[items.length - 1]!.seq) } : { items };
  }
}
