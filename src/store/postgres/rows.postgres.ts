/**
 * Rows of the PostgreSQL adapter's tables as the port's types, and the schema a connection string
 * selects.
 */
import type { InitiativeRecord } from "../../domain/initiative.ts";
import type { Follower, Following, StoredInitiative } from "../store.ts";

export interface Row {
  seq: string;
  record: InitiativeRecord;
  signed: string | null;
}
export const toStored = (r: Row): StoredInitiative => ({
  ...r.record,
  seq: Number(r.seq),
  ...(r.signed ? { signed: r.signed } : {}),
});

/** The schema a connection string selects with `options=-c search_path=…`, if any. */
export function schemaFromUrl(url: string): string | undefined {
  try {
    const options = new URL(url).searchParams.get("options") ?? "";
    return /(?:^|\s)-c\s*search_path=([a-z_][a-z0-9_]*)/.exec(options)?.[1];
  } catch {
    return undefined;
  }
}

/**
 * The connection string with more server settings appended to its `options` (later `-c` settings
 * win over earlier ones). Settings given at connection start hold before any query runs, unlike a
 * SET sent from the pool's connect event, which races the first query on that client.
 */
export function withSettings(url: string, settings: Record<string, string>): string {
  const extra = Object.entries(settings).map(([k, v]) => `-c ${k}=${v}`);
  try {
    const u = new URL(url);
    u.searchParams.set("options", [u.searchParams.get("options"), ...extra].filter(Boolean).join(" "));
    return u.href;
  } catch {
    return url;
  }
}

export function toFollower(r: Record<string, string | null>): Follower {
  return {
    actor: r.actor!,
    inbox: r.inbox!,
    followId: r.follow_id!,
    state: r.state as Follower["state"],
    since: r.since!,
    ...(r.shared_inbox ? { sharedInbox: r.shared_inbox } : {}),
  };
}

export function toFollowing(r: Record<string, string | null>): Following {
  return {
    actor: r.actor!,
    inbox: r.inbox!,
    followId: r.follow_id!,
    state: r.state as Following["state"],
    since: r.since!,
    ...(r.directory ? { directory: r.directory } : {}),
    ...(r.reconciled_at ? { reconciledAt: r.reconciled_at } : {}),
  };
}
