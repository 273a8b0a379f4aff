/**
 * What every command shares: where it writes, the error that carries an exit code, and the exit
 * codes themselves (listed in the README). Kept apart from `main.ts` so that commands do not
 * import the dispatcher that loads them.
 */
import { EssfedError } from "../errors.ts";

/** Where a command writes and what environment it reads; tests pass their own. */
export interface Io {
  out(line: string): void;
  err(line: string): void;
  env: Record<string, string | undefined>;
}

/**
 * Exit codes. 1 and 2 keep their meaning from before the CLI used the BSD `sysexits.h` codes
 * (64 and up) for the rest, so scripts written against `essfed import` still work.
 */
export const EXIT = {
  ok: 0,
  /** The command ran but did not do all it was asked (rows refused, not following, refused follow). */
  failed: 1,
  /** An input file could not be read or is not in a format essfed reads. */
  unreadable: 2,
  /** EX_USAGE: unknown command or option, missing or extra argument. */
  usage: 64,
  /** EX_NOINPUT: the data directory or database holds no essfed instance. */
  noInstance: 66,
  /** EX_UNAVAILABLE: something essfed needs is not there (a recent Node, a free port). */
  unavailable: 69,
  /** EX_CANTCREAT: the data directory cannot be written. */
  cantCreate: 73,
  /** EX_SOFTWARE: a bug; the message says where. */
  software: 70,
  /** EX_CONFIG: the configuration is invalid or disagrees with the instance's stored identity. */
  config: 78,
} as const;

/** A failure the user can act on; `exitCode` is what the process exits with. */
export class CommandError extends EssfedError {
  readonly exitCode: number;
  constructor(message: string, exitCode: number = EXIT.failed) {
    super("command-failed", message);
    this.exitCode = exitCode;
  }
}
