/**
 * `essfed <command>`: argv → command (STYLE.md §34). Each command lives in `commands/<verb>.ts`
 * and returns an exit code or throws {@link CommandError}.
 */
import { ConfigError } from "../config.ts";

/** Where a command writes; tests pass their own. */
export interface Io {
  out(line: string): void;
  err(line: string): void;
  env: Record<string, string | undefined>;
}

/** A failure the user can act on; `exitCode` is what the process exits with. */
export class CommandError extends Error {
  override readonly name = "CommandError";
  readonly exitCode: number;
  constructor(message: string, exitCode = 1) {
    super(message);
    this.exitCode = exitCode;
  }
}

type Command = (args: string[], io: Io) => Promise<number>;

const COMMANDS: Record<string, { summary: string; load: () => Promise<Command> }> = {
  init: { summary: "create the data directory, database and actor keys", load: async () => (await import("./commands/init.ts")).init },
  serve: { summary: "run the instance (web and/or worker, see ESSFED_ROLE)", load: async () => (await import("./commands/serve.ts")).serve },
};

/** Registers a command (used by the command modules' index). */
export function registerCommand(name: string, summary: string, load: () => Promise<Command>): void {
  COMMANDS[name] = { summary, load };
}

export function usage(): string {
  const width = Math.max(...Object.keys(COMMANDS).map((k) => k.length));
  return ["usage: essfed <command> [options]", "", ...Object.entries(COMMANDS).map(([k, v]) => `  ${k.padEnd(width)}  ${v.summary}`),
    "", "Configuration is read from the environment; see README.md."].join("\n");
}

export async function main(argv: string[], io: Io): Promise<number> {
  await import("./commands/index.ts");
  const [name, ...args] = argv;
  if (!name || name === "help" || name === "--help" || name === "-h") {
    io.out(usage());
    return name ? 0 : 2;
  }
  const command = COMMANDS[name];
  if (!command) {
    io.err(`essfed: unknown command "${name}"\n\n${usage()}`);
    return 2;
  }
  try {
    return await (await command.load())(args, io);
  } catch (e) {
    if (e instanceof CommandError) {
      io.err(`essfed ${name}: ${e.message}`);
      return e.exitCode;
    }
    if (e instanceof ConfigError) {
      io.err(`essfed: configuration error: ${e.message}`);
      return 78; // EX_CONFIG
    }
    throw e;
  }
}
