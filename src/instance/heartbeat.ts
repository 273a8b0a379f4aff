/**
 * Running processes of an instance leave a short-lived mark in the store every few seconds, so
 * that a command run beside them can tell whether anyone will send what it queues (`essfed
 * follow`).
 */
import { hostname } from "node:os";
import { Temporal } from "@js-temporal/polyfill";
import type { KvStore } from "@fedify/fedify";
import { ignoreFailure } from "../logging.ts";

export type Role = "web" | "worker";

export interface LiveProcess {
  role: Role;
  host: string;
  pid: number;
  /** When it last said it was alive (ISO 8601). */
  at: string;
}

const PREFIX = ["essfed", "process"] as const;
const EVERY_MS = 10_000;
/** A mark outlives three missed beats, then it expires by itself (a killed process leaves no lasting trace). */
const TTL = Temporal.Duration.from({ milliseconds: EVERY_MS * 3 });

/** Marks this process as running in `role` until the returned function is called. */
export function startHeartbeat(kv: KvStore, role: Role): () => Promise<void> {
  const key = [...PREFIX, role, `${hostname()}:${process.pid}`] as const;
  const beat = () =>
    kv
      .set(key, { role, host: hostname(), pid: process.pid, at: new Date().toISOString() } satisfies LiveProcess, {
        ttl: TTL,
      })
      // A store that is briefly unreachable only makes this process look absent until the next beat.
      .catch(ignoreFailure("heartbeat-beat"));
  let last = beat();
  const timer = setInterval(() => {
    last = beat();
  }, EVERY_MS).unref();
  return async () => {
    clearInterval(timer);
    await last;
    // Left behind, the heartbeat expires by itself and the process stops looking present.
    await kv.delete(key).catch(ignoreFailure("heartbeat-delete"));
  };
}

/** The processes seen alive within the last half minute, optionally only those in one role. */
export async function liveProcesses(kv: KvStore, role?: Role): Promise<LiveProcess[]> {
  const out: LiveProcess[] = [];
  for await (const entry of kv.list(role ? ([...PREFIX, role] as const) : PREFIX)) out.push(entry.value as LiveProcess);
  return out;
}
