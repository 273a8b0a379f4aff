/**
 * Lowers the calling thread's scheduling priority, where the system lets a thread have one of its own (Linux: each
 * thread has a nice value, set through its thread id, which `/proc/thread-self` names). The threads that build an
 * import's text and map tables (ADR 49) call it: they and the store's connection want more than two cores' worth
 * after a large import's last record, and the connection's work is the longer; at equal priority the two threads
 * finished seconds before it, and a core then sat idle while it went on alone.
 */
import { readlinkSync } from "node:fs";
import { getPriority, setPriority } from "node:os";

/** The nice value of a building thread: it still gets a share of a busy core (about a tenth), and any idle core. */
export const BUILD_THREAD_NICE = 10;

/** The calling thread's id, where the system names it (Linux), or undefined. */
export function threadId(): number | undefined {
  try {
    const tid = Number(readlinkSync("/proc/thread-self").split("/")[2]);
    return Number.isInteger(tid) && tid > 0 ? tid : undefined;
  } catch {
    return undefined;
  }
}

/** Gives the calling thread the nice value `nice`; returns whether it could (never an error: the work goes on). */
export function lowerThreadPriority(nice = BUILD_THREAD_NICE): boolean {
  const tid = threadId();
  if (tid === undefined) return false;
  try {
    setPriority(tid, Math.max(nice, getPriority(tid)));
    return true;
  } catch {
    return false;
  }
}
