/**
 * Who an instance is: the base URL every IRI it mints starts with, and its actor's handle. Both
 * are stored with its data (in the store's key–value table, so in SQLite and PostgreSQL alike, and
 * copied by `migrate-store`) when the instance is created, and read from there afterwards: a
 * command run with another ESSFED_URL would otherwise mint records the server cannot serve, and
 * sign as an actor nobody follows (ADR 10).
 */
import type { Config } from "../config.ts";
import { ConfigError } from "../config.ts";
import type { Store } from "../store/store.ts";
import { EssfedError } from "../errors.ts";
import { LOCAL_SOURCE } from "../store/records.ts";

export interface Identity {
  /** Base URL (an origin, no trailing slash). */
  url: string;
  handle: string;
  /** When this identity was recorded (ISO 8601). */
  since: string;
  /** Identities the instance had before `essfed move-url`, oldest first. */
  previous: { url: string; handle: string; until: string }[];
}

/** A move recorded before its rewrite starts; present only while one is under way or was interrupted. */
export interface PendingMove {
  from: { url: string; handle: string };
  to: { url: string; handle: string };
  started: string;
}

export const IDENTITY_KEY = ["essfed", "identity"] as const;
export const MOVE_KEY = ["essfed", "move"] as const;
/** The actor keys (see federation/keys.ts): present in every instance that has ever started. */
const ACTOR_KEYS = ["essfed", "actor-keys"] as const;

/** The configuration disagrees with the stored identity; the message says both and what to do. */
export class IdentityError extends ConfigError {
  constructor(message: string) {
    super(message, "identity-mismatch");
  }
}

/** The data directory or database holds no instance (and the command does not create one). */
export class NoInstanceError extends EssfedError {
  constructor(message: string) {
    super("no-instance", message);
  }
}

/** The data directory cannot be written by the user essfed runs as. */
export class DataAccessError extends EssfedError {
  constructor(message: string) {
    super("data-access", message);
  }
}

export const actorOf = (i: { url: string; handle: string }) => `${i.url}/actors/${i.handle}`;

/** How to name a move on the command line. */
export const moveCommand = (from: { handle: string }, to: { url: string; handle: string }) =>
  `essfed move-url ${to.url}${to.handle !== from.handle ? ` --handle ${to.handle}` : ""}`;

/**
 * The instance's identity, checked against the configuration. With `create`, an instance without
 * one records the configured URL and handle (a fresh one, or one made before identities were
 * stored, once its records are seen to agree).
 * @param where the data's place, for messages ("/srv/essfed/data", "the PostgreSQL database")
 * @throws IdentityError when ESSFED_URL or ESSFED_HANDLE is set to something else than the stored value
 * @throws NoInstanceError without `create`, when there is no instance
 */
export async function resolveIdentity(
  store: Store,
  config: Config,
  o: { create: boolean; where: string; moving?: boolean },
): Promise<{ identity: Identity; created: boolean }> {
  const move = o.moving ? undefined : await store.kv.get<PendingMove>(MOVE_KEY);
  if (move) {
    throw new IdentityError(
      `a move of the instance in ${o.where} from ${actorOf(move.from)} to ${actorOf(move.to)} was interrupted; ` +
        `finish it (every essfed process stopped) with: ${moveCommand(move.from, move.to)}`,
    );
  }
  const stored = await store.kv.get<Identity>(IDENTITY_KEY);
  if (stored) {
    checkAgainst(stored, config, o.where);
    return { identity: stored, created: false };
  }
  const started = (await store.kv.get(ACTOR_KEYS)) !== undefined;
  if (!o.create) {
    if (started) {
      throw new IdentityError(
        `the instance in ${o.where} was made by an older essfed and has no stored URL and handle yet: ` +
          `run "essfed init" (or start the server) once with its ESSFED_URL and ESSFED_HANDLE to record them`,
      );
    }
    throw new NoInstanceError(
      `${o.where} holds no essfed instance: create one with "essfed init" (or "essfed serve"), ` +
        `or point ${config.databaseUrl ? "DATABASE_URL" : "ESSFED_DATA"} at an instance's data`,
    );
  }
  if (started) await checkOwnRecords(store, config, o.where);
  const fresh: Identity = { url: config.url, handle: config.handle, since: new Date().toISOString(), previous: [] };
  const won = store.kv.cas
    ? await store.kv.cas(IDENTITY_KEY, undefined, fresh)
    : (await store.kv.set(IDENTITY_KEY, fresh), true);
  // Another process starting on the same database recorded one first: hold this one to it.
  if (!won) return resolveIdentity(store, config, o);
  return { identity: fresh, created: true };
}

function checkAgainst(stored: Identity, config: Config, where: string): void {
  if (config.given.url && config.url !== stored.url) {
    throw new IdentityError(
      [
        `ESSFED_URL is ${config.url}, but the instance in ${where} is ${stored.url}: ` +
          `every IRI it has minted starts with that, and it will not run under another URL by accident.`,
        `  - to go on as ${stored.url}, unset ESSFED_URL (the stored URL is used) or set it to ${stored.url};`,
        `  - to move the instance to ${config.url}, stop it and run: ` +
          `${moveCommand(stored, { url: config.url, handle: stored.handle })} (see docs/moving.md).`,
      ].join("\n"),
    );
  }
  if (config.given.handle && config.handle !== stored.handle) {
    throw new IdentityError(
      [
        `ESSFED_HANDLE is "${config.handle}", but the instance in ${where} is the actor ${actorOf(stored)} ` +
          `("${stored.handle}"), which its followers know by that IRI.`,
        `  - to go on as "${stored.handle}", unset ESSFED_HANDLE or set it to "${stored.handle}";`,
        `  - to rename the actor, stop the instance and run: ` +
          `${moveCommand(stored, { url: stored.url, handle: config.handle })} (see docs/moving.md).`,
      ].join("\n"),
    );
  }
}

/** An instance made before identities were stored: its own records tell the URL it minted them under. */
async function checkOwnRecords(store: Store, config: Config, where: string): Promise<void> {
  const [own] = (await store.listInitiatives({ source: LOCAL_SOURCE, limit: 1 })).items;
  if (!own) return;
  const base = new URL(own.initiative.id).origin;
  if (base === config.url) return;
  throw new IdentityError(
    `the instance in ${where} has records minted under ${base} (such as ${own.initiative.id}), but ESSFED_URL is ` +
      `${config.url}${config.given.url ? "" : " (the default)"}: ` +
      `start it once with ESSFED_URL=${base} to record its identity, ` +
      `then move it with essfed move-url if it should live elsewhere`,
  );
}
