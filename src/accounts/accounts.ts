/**
 * The team's accounts: adding people (with a one-time link to choose a password), signing in and
 * out, roles, and the audit entries every change to an account leaves. The CLI, the console and the
 * tests all go through here.
 */
import { createHash, randomBytes, randomUUID } from "node:crypto";
import type { KvStore } from "@fedify/fedify";
import type { Account, AccountStore, AuditActor, AuditLog, Role, Session } from "../store/accounts.ts";
import { SignInLimiter, type LimiterOptions } from "./limiter.ts";
import { decoyHash, hashPassword, passwordProblem, verifyPassword } from "./passwords.ts";
import { EssfedError } from "../errors.ts";

/** How long a sign-in link stays valid. */
const LINK_HOURS = 72;
/** A session ends after this long without use. */
const IDLE_DAYS = 7;
/** A name people sign in with: letters, digits, dot, dash, underscore, @ (an email address will do). */
export const ACCOUNT_NAME = /^[\p{L}\p{N}][\p{L}\p{N}._@+-]{1,63}$/u;

/** A refusal a person can act on; `code` is stable (messages are looked up by it). */
export class AccountError extends EssfedError {
  declare readonly code:
    | "name-invalid"
    | "name-taken"
    | "no-such-account"
    | "last-admin"
    | "link-invalid"
    | "password-short"
    | "password-long"
    | "password-name"
    | "role-invalid";
  constructor(code: AccountError["code"], message: string) {
    super(code, message);
  }
}

export const sha256 = (token: string): string => createHash("sha256").update(token).digest("hex");
const PASSWORD_PROBLEMS = { short: "too short", long: "too long", name: "the same as the name" } as const;

const token = (): string => randomBytes(32).toString("base64url");
const iso = (ms: number): string => new Date(ms).toISOString();

export interface SignedIn {
  account: Account;
  session: Session;
  /** The cookie's value (only its hash is stored). */ token: string;
}
export type SignInResult =
  ({ ok: true } & SignedIn) | { ok: false; reason: "invalid" } | { ok: false; reason: "limited"; retryAfter: number };

export interface AccountsDeps {
  accounts: AccountStore;
  audit: AuditLog;
  kv: KvStore;
  /** The instance's public base URL (links start with it). */
  baseUrl: string;
  limits?: LimiterOptions;
}

export class Accounts {
  readonly #store: AccountStore;
  readonly #audit: AuditLog;
  readonly #base: string;
  readonly limiter: SignInLimiter;

  constructor(d: AccountsDeps) {
    this.#store = d.accounts;
    this.#audit = d.audit;
    this.#base = d.baseUrl;
    this.limiter = new SignInLimiter(d.kv, d.limits);
  }

  async #log(by: AuditActor, action: string, target: string, detail?: Record<string, unknown>): Promise<void> {
    await this.#audit.append({
      at: new Date().toISOString(),
      actor: by,
      action,
      target,
      ...(detail ? { detail } : {}),
    });
  }

  list(): Promise<Account[]> {
    return this.#store.listAccounts();
  }

  get(id: string): Promise<Account | undefined> {
    return this.#store.getAccount(id);
  }

  byName(name: string): Promise<Account | undefined> {
    return this.#store.getAccountByName(name);
  }

  /** Adds a person; returns the one-time link with which they choose a password. */
  async add(name: string, role: Role, by: AuditActor): Promise<{ account: Account; link: string }> {
    const n = name.trim();
    if (!ACCOUNT_NAME.test(n))
      throw new AccountError(
        "name-invalid",
        "a name is 2 to 64 letters, digits or . _ @ + - (starting with a letter or digit)",
      );
    if (role !== "admin" && role !== "editor") throw new AccountError("role-invalid", "the role is admin or editor");
    const account: Account = { id: randomUUID(), name: n, role, created: new Date().toISOString() };
    if (!(await this.#store.createAccount(account)))
      throw new AccountError("name-taken", `there is already an account named ${n}`);
    await this.#log(by, "account.create", n, { role });
    return { account, link: await this.#newLink(account) };
  }

  async #newLink(account: Account): Promise<string> {
    const t = token();
    await this.#store.putSignInLink({
      tokenHash: sha256(t),
      accountId: account.id,
      expires: iso(Date.now() + LINK_HOURS * 3600_000),
    });
    return `${this.#base}/console/welcome/${t}`;
  }

  /** A new sign-in link for someone who lost their password (older links keep working until used or expired). */
  async link(accountId: string, by: AuditActor): Promise<string> {
    const account = await this.#must(accountId);
    await this.#log(by, "account.link", account.name);
    return this.#newLink(account);
  }

  /** Whose link this is, while it can still be used (the link is not used up by looking). */
  async linkAccount(t: string): Promise<Account | undefined> {
    const link = await this.#store.getSignInLink(sha256(t), new Date().toISOString());
    return link ? this.#store.getAccount(link.accountId) : undefined;
  }

  /** Uses a link to set a password; every other session of the account ends, and a new one starts. */
  async redeem(t: string, password: string): Promise<SignedIn> {
    const account = await this.linkAccount(t);
    if (!account)
      throw new AccountError("link-invalid", "this link was used already or has expired; ask an admin for a new one");
    const problem = passwordProblem(password, account.name);
    if (problem) throw new AccountError(`password-${problem}`, `the password is ${PASSWORD_PROBLEMS[problem]}`);
    const link = await this.#store.takeSignInLink(sha256(t), new Date().toISOString());
    if (!link)
      throw new AccountError("link-invalid", "this link was used already or has expired; ask an admin for a new one");
    await this.#store.updateAccount(account.id, { passwordHash: await hashPassword(password) });
    await this.#store.deleteSessionsOf(account.id);
    await this.#log({ kind: "account", name: account.name, id: account.id }, "account.password", account.name);
    return this.#startSession(account);
  }

  async #startSession(account: Account): Promise<SignedIn> {
    const t = token();
    const now = Date.now();
    const session: Session = {
      id: sha256(t),
      accountId: account.id,
      csrf: token(),
      created: iso(now),
      expires: iso(now + IDLE_DAYS * 86400_000),
    };
    await this.#store.createSession(session);
    return { account, session, token: t };
  }

  /** Checks a name and password (within the rate limits) and starts a session. */
  async signIn(name: string, password: string, address: string): Promise<SignInResult> {
    const retryAfter = await this.limiter.wait(name, address);
    if (retryAfter > 0) return { ok: false, reason: "limited", retryAfter };
    const account =
      name.length <= 64 && password.length <= 1000 ? await this.#store.getAccountByName(name.trim()) : undefined;
    // An unknown name is checked against a decoy hash, so the answer takes as long either way.
    const ok = await verifyPassword(password.slice(0, 1000), account?.passwordHash ?? (await decoyHash()));
    if (!account?.passwordHash || !ok) {
      await this.limiter.failed(name, address);
      return { ok: false, reason: "invalid" };
    }
    await this.limiter.succeeded(name);
    return { ok: true, ...(await this.#startSession(account)) };
  }

  /** The session and account a cookie's token stands for; extends an idle session in use. */
  async session(t: string): Promise<{ session: Session; account: Account } | undefined> {
    if (!/^[A-Za-z0-9_-]{43}$/.test(t)) return undefined;
    const now = Date.now();
    const session = await this.#store.getSession(sha256(t), iso(now));
    if (!session) return undefined;
    const account = await this.#store.getAccount(session.accountId);
    if (!account) return undefined;
    // At most one write a day per session.
    if (Date.parse(session.expires) - now < (IDLE_DAYS - 1) * 86400_000)
      await this.#store.extendSession(session.id, iso(now + IDLE_DAYS * 86400_000));
    return { session, account };
  }

  async signOut(t: string): Promise<void> {
    await this.#store.deleteSession(sha256(t));
  }

  /** Ends every session of an account. */
  async signOutEverywhere(accountId: string, by: AuditActor): Promise<number> {
    const account = await this.#must(accountId);
    const n = await this.#store.deleteSessionsOf(accountId);
    await this.#log(by, "account.sign-out-everywhere", account.name, { sessions: n });
    return n;
  }

  async setRole(accountId: string, role: Role, by: AuditActor): Promise<Account> {
    if (role !== "admin" && role !== "editor") throw new AccountError("role-invalid", "the role is admin or editor");
    const account = await this.#must(accountId);
    if (account.role === role) return account;
    if (account.role === "admin") await this.#keepAnAdmin(account);
    await this.#store.updateAccount(accountId, { role });
    await this.#log(by, "account.role", account.name, { from: account.role, to: role });
    return { ...account, role };
  }

  async remove(accountId: string, by: AuditActor): Promise<void> {
    const account = await this.#must(accountId);
    if (account.role === "admin") await this.#keepAnAdmin(account);
    await this.#store.deleteAccount(accountId);
    await this.#log(by, "account.delete", account.name, { role: account.role });
  }

  /** Refuses to take away the last admin: nobody could manage accounts any more. */
  async #keepAnAdmin(account: Account): Promise<void> {
    const admins = (await this.#store.listAccounts()).filter((a) => a.role === "admin" && a.id !== account.id);
    if (!admins.length)
      throw new AccountError("last-admin", `${account.name} is the only admin; make someone else admin first`);
  }

  async #must(id: string): Promise<Account> {
    const a = await this.#store.getAccount(id);
    if (!a) throw new AccountError("no-such-account", "there is no such account");
    return a;
  }
}
