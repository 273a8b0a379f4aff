/**
 * What a command is, for the one registry (`registry.ts`) and the commands it loads: its arguments,
 * options and help, and what it receives when it runs. Kept apart from the registry so that the
 * commands, which the registry loads, import nothing back from it.
 */
import type { Io } from "./io.ts";

/** An option as node:util parseArgs takes it, plus its help line. */
export interface OptionSpec {
  type: "string" | "boolean";
  short?: string;
  /** What the value looks like in the usage (`FILE`, `SECONDS`). */
  value?: string;
  help: string;
}

/** A positional argument; `optional` ones come last. */
export interface ArgumentSpec {
  name: string;
  help: string;
  optional?: boolean;
}

/** What a command receives: option values by name (strings or booleans) and its positionals. */
export interface Parsed {
  values: Record<string, string | boolean | undefined>;
  positionals: string[];
}

export type Run = (args: Parsed, io: Io) => Promise<number>;

export interface CommandSpec {
  summary: string;
  args?: ArgumentSpec[];
  options?: Record<string, OptionSpec>;
  /** More lines for `essfed COMMAND --help`: exit codes, what the command needs. */
  notes?: string[];
  load(): Promise<Run>;
}
