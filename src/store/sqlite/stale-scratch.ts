/**
 * Scratch folders an import leaves beside the database when it cannot clean up after itself (killed, or the machine
 * stopped): its index stage and the building threads' files (ADR 49), up to about 0.6 GB at a million records.
 */
import { readdirSync, rmSync, statSync } from "node:fs";
import { basename, dirname, join } from "node:path";
import { ignoreFailure } from "../../logging.ts";

/**
 * Removes the scratch folders beside the database `path` that an import no longer running left (killed, or the machine
 * stopped): their name holds the id of the process that made them. A folder of a running process, or of an older
 * version (no id), or one written to in the last {@link QUIET_MS} (a process of another container, whose ids this
 * one does not see, may be writing it), is left.
 */
export function removeStale(path: string): void {
  const prefix = `${basename(path)}.index-`;
  try {
    for (const name of readdirSync(dirname(path))) {
      if (!name.startsWith(prefix)) continue;
      const pid = Number(/^(\d+)-/.exec(name.slice(prefix.length))?.[1]);
      if (Number.isInteger(pid) && pid > 0 && !running(pid)) removeQuiet(join(dirname(path), name));
    }
  } catch (e) {
    // The database's folder cannot be listed: nothing is removed.
    ignoreFailure("sqlite-index-stage")(e);
  }
}

/** How long a scratch folder's files must have gone unwritten before it may be removed. */
export const QUIET_MS = 10 * 60_000;

/** Removes `folder` if nothing in it was written for {@link QUIET_MS}; one that cannot be is left for a person. */
function removeQuiet(folder: string): void {
  try {
    if (lastWritten(folder) <= Date.now() - QUIET_MS) rmSync(folder, { recursive: true, force: true });
  } catch (e) {
    ignoreFailure("sqlite-index-stage")(e);
  }
}

/** When a folder or any file in it was last written, in ms since the epoch. */
function lastWritten(folder: string): number {
  return Math.max(
    statSync(folder).mtimeMs,
    ...readdirSync(folder).map((f) => statSync(join(folder, f), { throwIfNoEntry: false })?.mtimeMs ?? 0),
  );
}

/** Whether a process with this id runs (one of another user counts as running). */
function running(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as { code?: string }).code !== "ESRCH";
  }
}
