/**
 * The team's side of the store: accounts, their sign-in links and sessions, and the audit log of
 * who changed what. Both adapters implement these ports on their own database (one contract suite,
 * `test/contract/accounts.contract.ts`). Secrets are never stored as given: sign-in links and
 * session tokens are kept as SHA-256 hashes, passwords as memory-hard hashes.
 */
import type { Page } from "./records.ts";

export type Role = "admin" | "editor";
export const ROLES: readonly Role[] = ["admin", "editor"];

/** A member of the network's team. */
export interface Account {
  /** Random, stable id. */
  id: string;
  /** What the person signs in with; unique regardless of case. */
  name: string;
  role: Role;
  /** The password hash (see `accounts/passwords.ts`); absent until the person chose one. */
  passwordHash?: string;
  created: string;
}

/** A one-time link that lets a person choose a password. */
/** An account as both stores keep it: one row of the `account` table. */
export interface AccountRow {
  id: string;
  name: string;
  role: string;
  password_hash: string | null;
  created: string;
}

/** The account a row holds (no password hash when the account signs in by link only). */
export const accountFromRow = (r: AccountRow): Account => ({
  id: r.id,
  name: r.name,
  role: r.role as Role,
  created: r.created,
  ...(r.password_hash ? { passwordHash: r.password_hash } : {}),
});

export interface SignInLink {
  /** SHA-256 (hex) of the token in the link. */
  tokenHash: string;
  accountId: string;
  /** ISO 8601; the link is refused after. */
  expires: string;
}

/** A signed-in browser. */
export interface Session {
  /** SHA-256 (hex) of the token in the cookie. */
  id: string;
  accountId: string;
  /** Token that every form changing something must carry (CSRF). */
  csrf: string;
  created: string;
  /** ISO 8601: idle sessions end (refreshed as the person uses them). */
  expires: string;
}

export interface AccountStore {
  /** Adds an account; false when the name (in any case) is taken. */
  createAccount(account: Account): Promise<boolean>;
  getAccount(id: string): Promise<Account | undefined>;
  /** The account with this name, compared without regard to case. */
  getAccountByName(name: string): Promise<Account | undefined>;
  /** Every account, by name. */
  listAccounts(): Promise<Account[]>;
  /** Changes the role or password hash; false when there is no such account. */
  updateAccount(id: string, changes: { role?: Role; passwordHash?: string }): Promise<boolean>;
  /** Removes an account with its links and sessions; false when there was none. */
  deleteAccount(id: string): Promise<boolean>;

  /** The link with this token hash, while it has not expired at `now` (looking does not use it up). */
  getSignInLink(tokenHash: string, now: string): Promise<SignInLink | undefined>;
  /** Stores a sign-in link (an account's older links stay valid until used or expired). */
  putSignInLink(link: SignInLink): Promise<void>;
  /**
   * Uses up a link: returns it and removes it, once, when it exists and has not expired at `now`.
   * Two concurrent calls for one link: exactly one gets it.
   */
  takeSignInLink(tokenHash: string, now: string): Promise<SignInLink | undefined>;

  createSession(session: Session): Promise<void>;
  /** The session, when it exists and has not expired at `now`. */
  getSession(id: string, now: string): Promise<Session | undefined>;
  /** Moves a session's expiry (a person still at work). */
  extendSession(id: string, expires: string): Promise<void>;
  deleteSession(id: string): Promise<void>;
  /** Ends every session of an account (sign out everywhere); returns how many. */
  deleteSessionsOf(accountId: string): Promise<number>;
  /** Forgets sessions and links that expired before `now`; returns how many. */
  pruneExpired(now: string): Promise<number>;
}

/** Who did something: a team account, the bearer token of scripts, or the program itself. */
export interface AuditActor {
  kind: "account" | "token" | "cli" | "system";
  /** The account's name, or a name for the token or command. */
  name: string;
  /** The account's id (accounts only). */
  id?: string;
}

/** One decision or change, as the audit log keeps it. */
export interface AuditEntry {
  /** Position in the log: larger is later. */
  seq: number;
  at: string;
  actor: AuditActor;
  /** What was done, as `thing.verb`: `account.create`, `initiative.update`, `follow.create`… */
  action: string;
  /** What it was done to: an account name, an initiative or actor IRI. */
  target: string;
  /** Why, in the words of whoever did it (curation decisions ask for one). */
  reason?: string;
  /** Facts worth keeping with it (a role before and after, the fields changed). */
  detail?: Record<string, unknown>;
}

/** Reading the audit log, newest first, a page at a time. */
export interface AuditQuery {
  limit: number;
  /** Opaque cursor from a previous page. */
  cursor?: string;
  /** Only entries about this target. */
  target?: string;
  /** Only actions starting with this (`account.` for every account change). */
  actionPrefix?: string;
}

export interface AuditLog {
  /** Appends an entry and returns it with its place in the log. */
  append(entry: Omit<AuditEntry, "seq">): Promise<AuditEntry>;
  list(query: AuditQuery): Promise<Page<AuditEntry>>;
}
