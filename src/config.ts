/**
 * The only reader of `process.env`, so that every setting is validated in one place at start. A
 * bad value fails with a message that names the variable and what it expects; the result is a
 * frozen {@link Config}.
 */
import { resolve } from "node:path";
import { isIP } from "node:net";
import { LicenceError, parseLicence, type Licence } from "./linkeddata/licences.ts";
import { EssfedError } from "./errors.ts";
import type { SharingLevel } from "./domain/sharing.ts";
import type { JsonLdBudget } from "./linkeddata/jsonld-budget.ts";
import { BudgetSettingError, budgetsFrom } from "./linkeddata/jsonld-settings.ts";

export interface Config {
  /**
   * Public base URL, no trailing slash (`ESSFED_URL`). Every IRI this instance mints starts with it.
   * An instance stores its URL and handle when it is created; `compose()` replaces both with the
   * stored ones (see src/instance/identity.ts).
   */
  readonly url: string;
  /** TCP port to listen on (`PORT`; 0 = any free port, for tests). */
  readonly port: number;
  /** Address to bind (`ESSFED_BIND`). */
  readonly bind: string;
  /** Data directory holding the SQLite file (`ESSFED_DATA`). */
  readonly dataDir: string;
  /** PostgreSQL connection string (`DATABASE_URL`); absent = embedded SQLite. */
  readonly databaseUrl?: string;
  /** The network actor's handle (`ESSFED_HANDLE`), as in acct:handle@host. */
  readonly handle: string;
  /**
   * Whether the environment set `url` and `handle` (otherwise they are defaults): a set value that
   * differs from the instance's stored one is refused, a default gives way to it.
   */
  readonly given: { readonly url: boolean; readonly handle: boolean };
  /** The network's display name (`ESSFED_NAME`). */
  readonly name: string;
  /** A line about the network shown on its profile (`ESSFED_SUMMARY`). */
  readonly summary: string;
  /** Bearer token for the admin API (`ESSFED_ADMIN_TOKEN`); absent = admin API disabled. */
  readonly adminToken?: string;
  /** Federate with loopback and private addresses (`ESSFED_ALLOW_PRIVATE`): tests and local demos only. */
  readonly allowPrivate: boolean;
  /** Which parts of the program this process runs (`ESSFED_ROLE`). */
  readonly role: "web" | "worker" | "all";
  /** Follow requests: accepted at once or held for the admin (`ESSFED_FOLLOW_APPROVAL`). */
  readonly followApproval: "auto" | "manual";
  /** What happens to a source's mirrored records on unfollow (`ESSFED_UNFOLLOW_MIRRORS`). */
  readonly unfollowMirrors: "delete" | "keep";
  /** Log level (`ESSFED_LOG_LEVEL`). */
  readonly logLevel: "debug" | "info" | "warning" | "error";
  /** Map tile URL template for the map page (`ESSFED_TILE_URL`). */
  readonly tileUrl: string;
  /** Hours between reconciliations of followed networks (`ESSFED_RECONCILE_HOURS`; 0 = never). */
  readonly reconcileHours: number;
  /**
   * How long a delivery being sent stays hidden from other workers (`ESSFED_DELIVERY_LEASE_SECONDS`);
   * after a worker dies, what it was sending is retried once this runs out.
   */
  readonly deliveryLeaseMs: number;
  /** Worker threads that run SPARQL queries (`ESSFED_SPARQL_WORKERS`); one client may hold half of them. */
  readonly sparqlWorkers: number;
  /** SPARQL queries that may wait for a worker (`ESSFED_SPARQL_QUEUE`); one client may hold a quarter. */
  readonly sparqlQueue: number;
  /** How long a SPARQL query may take to start answering (`ESSFED_SPARQL_TIMEOUT_SECONDS`). */
  readonly sparqlTimeoutMs: number;
  /** The window the request rate limits count in (`ESSFED_RATE_LIMIT_WINDOW_SECONDS`). */
  readonly rateLimitWindowMs: number;
  /** Requests per window per client address to everything but the inbox (`ESSFED_RATE_LIMIT_API`; 0 = no limit). */
  readonly rateLimitApi: number;
  /** Inbox POSTs per window per signing actor's host (`ESSFED_RATE_LIMIT_INBOX`; 0 = no limit). */
  readonly rateLimitInbox: number;
  /** Public suggestions one address may send per hour (0: the network takes no suggestions). */
  readonly suggestionsPerHour: number;
  /**
   * Which proxies' `X-Forwarded-For` to believe (`ESSFED_TRUST_PROXY`), as Express's "trust proxy":
   * false (the default: the TCP peer is the client), a number of hops, or addresses, subnets and
   * the names `loopback`, `linklocal`, `uniquelocal`.
   */
  readonly trustProxy: false | number | string[];
  /** Bearer token that opens `/metrics` on the main port (`ESSFED_METRICS_TOKEN`). */
  readonly metricsToken?: string;
  /** `host:port` of a separate listener that serves `/metrics` only (`ESSFED_METRICS_BIND`). */
  readonly metricsBind?: { host: string; port: number };
  /** How far behind the search index may be before `/readyz` says not ready (`ESSFED_READY_INDEX_LAG_SECONDS`). */
  readonly readyIndexLagMs: number;
  /**
   * Duplicate pairs scoring at least this are confirmed without asking (`ESSFED_SAMEAS_AUTO`, 0.5-1); absent = never.
   */
  readonly sameAsAuto?: number;
  /** Keep the sameAs links that followed networks send (`ESSFED_SAMEAS_ADOPT`), served with their provenance. */
  readonly sameAsAdopt: boolean;
  /** The licence of the network's own data (`ESSFED_LICENSE`, an SPDX id or an IRI); absent = none declared. */
  readonly licence?: Licence;
  /**
   * The sharing level of a contact field (email, phone, street address) a written record gives
   * none (`ESSFED_DEFAULT_SHARING`): public, network (this network only) or none (the team only).
   */
  readonly defaultSharing: SharingLevel;
  /** How reusers are asked to credit the data (`ESSFED_ATTRIBUTION`; default: the network's name). */
  readonly attribution: string;
  /**
   * The JSON-LD budget (ADR 18): for what strangers send or serve (`ESSFED_JSONLD_*`) and for
   * imports (`ESSFED_IMPORT_JSONLD_*`); see src/linkeddata/jsonld-settings.ts.
   */
  readonly jsonLd: { readonly stranger: Readonly<JsonLdBudget>; readonly imports: Readonly<JsonLdBudget> };
}

/** A configuration problem; the message names the variable. */
export class ConfigError extends EssfedError {
  constructor(message: string, code = "invalid-config") {
    super(code, message);
  }
}

type Env = Record<string, string | undefined>;

function oneOf<T extends string>(env: Env, name: string, values: readonly T[], fallback: T): T {
  const v = env[name]?.trim();
  if (v === undefined || v === "") return fallback;
  if (!(values as readonly string[]).includes(v))
    throw new ConfigError(`${name} must be one of ${values.join(", ")} (got "${v}")`);
  return v as T;
}

function bool(env: Env, name: string): boolean {
  const v = env[name]?.trim().toLowerCase();
  if (v === undefined || v === "") return false;
  if (["1", "true", "yes", "on"].includes(v)) return true;
  if (["0", "false", "no", "off"].includes(v)) return false;
  throw new ConfigError(`${name} must be true or false (got "${env[name]}")`);
}

function integer(env: Env, name: string, fallback: number, min: number, max: number): number {
  const text = env[name]?.trim() || String(fallback);
  const n = Number(text);
  if (!Number.isInteger(n) || n < min || n > max)
    throw new ConfigError(`${name} must be a whole number from ${min} to ${max} (got "${text}")`);
  return n;
}

function sameAsAuto(env: Env): number | undefined {
  const v = env.ESSFED_SAMEAS_AUTO?.trim();
  if (!v) return undefined;
  const n = Number(v);
  if (!Number.isFinite(n) || n < 0.5 || n > 1)
    throw new ConfigError(
      `ESSFED_SAMEAS_AUTO must be a score from 0.5 to 1 (got "${v}"); ` +
        "leave it unset to confirm duplicates only by hand",
    );
  return n;
}

function trustProxy(env: Env): false | number | string[] {
  const v = env.ESSFED_TRUST_PROXY?.trim() ?? "";
  if (["", "0", "false", "no", "off"].includes(v.toLowerCase())) return false;
  if (/^\d+$/.test(v) && Number(v) <= 10) return Number(v);
  const list = v
    .split(",")
    .map((x) => x.trim())
    .filter(Boolean);
  const valid = (x: string) => {
    if (["loopback", "linklocal", "uniquelocal"].includes(x)) return true;
    const [ip = "", bits, extra] = x.split("/");
    const family = isIP(ip);
    return (
      family > 0 &&
      extra === undefined &&
      (bits === undefined || (/^\d+$/.test(bits) && Number(bits) <= (family === 4 ? 32 : 128)))
    );
  };
  if (!list.length || !list.every(valid)) {
    throw new ConfigError(
      `ESSFED_TRUST_PROXY must be false, a number of proxy hops (1-10), or the proxies' addresses or subnets ` +
        `(such as loopback or 10.0.0.0/8), comma-separated (got "${v}"); trusting every address would let any client ` +
        `choose its own`,
    );
  }
  return list;
}

function metricsBind(env: Env): { host: string; port: number } | undefined {
  const v = env.ESSFED_METRICS_BIND?.trim();
  if (!v) return undefined;
  const m = /^(?:\[([0-9a-f:.]+)\]|([^:[\]]+)):(\d{1,5})$/i.exec(v);
  if (!m || Number(m[3]) > 65535)
    throw new ConfigError(`ESSFED_METRICS_BIND must be host:port, such as 127.0.0.1:9464 (got "${v}")`);
  return { host: m[1] ?? m[2]!, port: Number(m[3]) };
}

function licence(env: Env): Licence | undefined {
  const v = env.ESSFED_LICENSE?.trim();
  if (!v) return undefined;
  try {
    return parseLicence(v);
  } catch (e) {
    if (e instanceof LicenceError)
      throw new ConfigError(`ESSFED_LICENSE must be an SPDX licence id or an http(s) IRI: ${e.message}`);
    throw e;
  }
}

function attribution(env: Env, name: string): string {
  const v = env.ESSFED_ATTRIBUTION?.trim();
  if (!v) return name;
  // eslint-disable-next-line no-control-regex
  if (v.length > 500 || /[\u0000-\u001f\u007f]/.test(v))
    throw new ConfigError("ESSFED_ATTRIBUTION must be one line of at most 500 characters");
  return v;
}

/** Reads and validates the configuration from `env` (defaults to `process.env`). */
export function loadConfig(env: Env = process.env, overrides: Partial<Config> = {}): Config {
  const portText = env.PORT?.trim() || "8080";
  const port = Number(portText);
  if (!/^\d+$/.test(portText) || port > 65535)
    throw new ConfigError(`PORT must be an integer from 0 to 65535 (got "${env.PORT}")`);

  const rawUrl = env.ESSFED_URL?.trim() || `http://localhost:${port || 8080}`;
  let url: URL;
  try {
    url = new URL(rawUrl);
  } catch {
    throw new ConfigError(
      `ESSFED_URL must be an absolute http(s) URL such as https://essfed.example.org (got "${rawUrl}")`,
    );
  }
  if (!/^https?:$/.test(url.protocol) || url.search || url.hash || url.username) {
    throw new ConfigError(
      `ESSFED_URL must be a plain http(s) URL without query, fragment or credentials (got "${rawUrl}")`,
    );
  }
  if (url.pathname !== "/")
    throw new ConfigError(`ESSFED_URL must not have a path; essfed serves from the root of its host (got "${rawUrl}")`);

  const handle = env.ESSFED_HANDLE?.trim() || "network";
  if (!/^[a-z0-9_][a-z0-9_.-]{0,62}$/i.test(handle)) {
    throw new ConfigError(`ESSFED_HANDLE must be 1-63 letters, digits, "_", "." or "-" (got "${handle}")`);
  }
  const name = env.ESSFED_NAME?.trim() || "essfed network";
  if (name.length > 200) throw new ConfigError("ESSFED_NAME must be at most 200 characters");

  const adminToken = env.ESSFED_ADMIN_TOKEN?.trim() || undefined;
  if (adminToken !== undefined && adminToken.length < 16) {
    throw new ConfigError(
      "ESSFED_ADMIN_TOKEN must be at least 16 characters (generate one with: openssl rand -hex 24)",
    );
  }

  const databaseUrl = env.DATABASE_URL?.trim() || undefined;
  if (databaseUrl !== undefined && !/^postgres(ql)?:\/\//.test(databaseUrl)) {
    throw new ConfigError(
      `DATABASE_URL must be a postgres:// or postgresql:// connection string (got ` +
        `"${databaseUrl.replace(/:[^:@/]*@/, ":***@")}")`,
    );
  }

  const tileUrl = env.ESSFED_TILE_URL?.trim() || "https://tile.openstreetmap.org/{z}/{x}/{y}.png";
  if (!/^https?:\/\/.*\{z\}.*\{x\}.*\{y\}/.test(tileUrl)) {
    throw new ConfigError(`ESSFED_TILE_URL must be an http(s) URL template with {z}, {x} and {y} (got "${tileUrl}")`);
  }

  const reconcileText = env.ESSFED_RECONCILE_HOURS?.trim() || "6";
  const reconcileHours = Number(reconcileText);
  if (!Number.isFinite(reconcileHours) || reconcileHours < 0 || reconcileHours > 24 * 30) {
    throw new ConfigError(
      `ESSFED_RECONCILE_HOURS must be a number of hours from 0 (never) to 720 (got "${reconcileText}")`,
    );
  }

  const leaseText = env.ESSFED_DELIVERY_LEASE_SECONDS?.trim() || "60";
  const lease = Number(leaseText);
  if (!Number.isFinite(lease) || lease < 1 || lease > 3600) {
    throw new ConfigError(
      `ESSFED_DELIVERY_LEASE_SECONDS must be a number of seconds from 1 to 3600 (got "${leaseText}")`,
    );
  }

  const sparqlWorkers = integer(env, "ESSFED_SPARQL_WORKERS", 2, 1, 64);
  const sparqlQueue = integer(env, "ESSFED_SPARQL_QUEUE", 16, 1, 10_000);
  const sparqlTimeout = integer(env, "ESSFED_SPARQL_TIMEOUT_SECONDS", 10, 1, 300);
  const metricsToken = env.ESSFED_METRICS_TOKEN?.trim() || undefined;
  if (metricsToken !== undefined && metricsToken.length < 16) {
    throw new ConfigError(
      "ESSFED_METRICS_TOKEN must be at least 16 characters (generate one with: openssl rand -hex 24)",
    );
  }
  const bindMetrics = metricsBind(env);
  const auto = sameAsAuto(env);
  const dataLicence = licence(env);
  let jsonLd;
  try {
    jsonLd = budgetsFrom(env);
  } catch (e) {
    if (e instanceof BudgetSettingError) throw new ConfigError(e.message);
    throw e;
  }

  return Object.freeze({
    url: url.origin,
    port,
    bind: env.ESSFED_BIND?.trim() || "0.0.0.0",
    dataDir: resolve(env.ESSFED_DATA?.trim() || "data"),
    ...(databaseUrl ? { databaseUrl } : {}),
    handle,
    given: Object.freeze({ url: Boolean(env.ESSFED_URL?.trim()), handle: Boolean(env.ESSFED_HANDLE?.trim()) }),
    name,
    summary: env.ESSFED_SUMMARY?.trim() || `${name}: a directory of social and solidarity economy initiatives.`,
    ...(adminToken ? { adminToken } : {}),
    allowPrivate: bool(env, "ESSFED_ALLOW_PRIVATE"),
    role: oneOf(env, "ESSFED_ROLE", ["web", "worker", "all"] as const, "all"),
    followApproval: oneOf(env, "ESSFED_FOLLOW_APPROVAL", ["auto", "manual"] as const, "auto"),
    unfollowMirrors: oneOf(env, "ESSFED_UNFOLLOW_MIRRORS", ["delete", "keep"] as const, "delete"),
    logLevel: oneOf(env, "ESSFED_LOG_LEVEL", ["debug", "info", "warning", "error"] as const, "info"),
    tileUrl,
    reconcileHours,
    deliveryLeaseMs: lease * 1000,
    sparqlWorkers,
    sparqlQueue,
    sparqlTimeoutMs: sparqlTimeout * 1000,
    rateLimitWindowMs: integer(env, "ESSFED_RATE_LIMIT_WINDOW_SECONDS", 60, 1, 3600) * 1000,
    rateLimitApi: integer(env, "ESSFED_RATE_LIMIT_API", 600, 0, 10_000_000),
    rateLimitInbox: integer(env, "ESSFED_RATE_LIMIT_INBOX", 1800, 0, 10_000_000),
    suggestionsPerHour: integer(env, "ESSFED_SUGGESTIONS_PER_HOUR", 10, 0, 10_000),
    trustProxy: trustProxy(env),
    ...(metricsToken ? { metricsToken } : {}),
    ...(bindMetrics ? { metricsBind: bindMetrics } : {}),
    readyIndexLagMs: integer(env, "ESSFED_READY_INDEX_LAG_SECONDS", 300, 1, 86_400) * 1000,
    ...(auto !== undefined ? { sameAsAuto: auto } : {}),
    sameAsAdopt: bool(env, "ESSFED_SAMEAS_ADOPT"),
    ...(dataLicence ? { licence: dataLicence } : {}),
    attribution: attribution(env, name),
    defaultSharing: oneOf(env, "ESSFED_DEFAULT_SHARING", ["public", "network", "none"] as const, "public"),
    jsonLd: Object.freeze({ stranger: Object.freeze(jsonLd.stranger), imports: Object.freeze(jsonLd.imports) }),
    ...overrides,
  });
}
