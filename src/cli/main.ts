/**
 * `essfed COMMAND [options]`: the command line against the {@link COMMANDS} list, then the command.
 * `--help` anywhere before `--` prints the usage and runs nothing; an unknown command or option, or
 * a missing or extra argument, prints the usage on stderr and exits 64.
 */
import { readFileSync } from "node:fs";
import { parseArgs } from "node:util";
import { ConfigError } from "../config.ts";
import { DataAccessError, IdentityError, NoInstanceError } from "../instance/identity.ts";
import { CommandError, EXIT, type Io } from "./io.ts";
import { COMMANDS, type CommandSpec } from "./registry.ts";
import { own } from "../domain/own.ts";

export { CommandError, EXIT, type Io } from "./io.ts";

const HELP = ["-h", "--help"];

/** The overview: every command with its summary. */
export function usage(): string {
  const width = Math.max(...Object.keys(COMMANDS).map((k) => k.length));
  return [
    "usage: essfed COMMAND [options]        essfed COMMAND --help for its options",
    "",
    ...Object.entries(COMMANDS).map(([k, v]) => `  ${k.padEnd(width)}  ${v.summary}`),
    "",
    "  --version  print the version",
    "  --help     print this help",
    "",
    "Configuration is read from the environment (ESSFED_DATA, DATABASE_URL, ...); see README.md.",
  ].join("\n");
}

/** One command's usage: its synopsis, arguments, options and notes. */
export function commandUsage(name: string, spec: CommandSpec): string {
  const args = spec.args ?? [];
  const options = Object.entries(spec.options ?? {});
  const synopsis = [
    "usage: essfed",
    name,
    ...args.map((a) => (a.optional ? `[${a.name}]` : a.name)),
    ...(options.length ? ["[options]"] : []),
  ].join(" ");
  const flag = (n: string, o: { short?: string; value?: string }) =>
    `${o.short ? `-${o.short}, ` : ""}--${n}${o.value ? ` ${o.value}` : ""}`;
  const rows: [string, string][] = [
    ...options.map(([n, o]) => [flag(n, o), o.help] as [string, string]),
    ["-h, --help", "print this help"],
  ];
  const width = Math.max(...rows.map(([f]) => f.length), ...args.map((a) => a.name.length));
  return [
    synopsis,
    "",
    `${spec.summary[0]!.toUpperCase()}${spec.summary.slice(1)}.`,
    ...(args.length ? ["", "arguments:", ...args.map((a) => `  ${a.name.padEnd(width)}  ${a.help}`)] : []),
    "",
    "options:",
    ...rows.map(([f, h]) => `  ${f.padEnd(width)}  ${h}`),
    ...(spec.notes?.length ? ["", ...spec.notes] : []),
  ].join("\n");
}

function version(): string {
  const pkg = JSON.parse(readFileSync(new URL("../../package.json", import.meta.url), "utf8")) as { version: string };
  return `essfed ${pkg.version} (Node.js ${process.versions.node})`;
}

/** The words before a `--`, where `--help` counts. */
const options = (argv: string[]) => (argv.includes("--") ? argv.slice(0, argv.indexOf("--")) : argv);

export async function main(argv: string[], io: Io): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined) {
    io.err(usage());
    return EXIT.usage;
  }
  if (name === "help" || HELP.includes(name)) {
    const topic = name === "help" ? rest[0] : undefined;
    const about = topic === undefined ? undefined : own(COMMANDS, topic);
    if (topic !== undefined && !about) {
      io.err(`essfed: unknown command "${topic}"\n\n${usage()}`);
      return EXIT.usage;
    }
    io.out(topic !== undefined && about ? commandUsage(topic, about) : usage());
    return EXIT.ok;
  }
  if (name === "--version") {
    io.out(version());
    return EXIT.ok;
  }
  const spec = own(COMMANDS, name);
  if (!spec) {
    io.err(`essfed: unknown ${name.startsWith("-") ? "option" : "command"} "${name}"\n\n${usage()}`);
    return EXIT.usage;
  }
  if (options(rest).some((a) => HELP.includes(a))) {
    io.out(commandUsage(name, spec));
    return EXIT.ok;
  }

  let parsed;
  try {
    const config = Object.fromEntries(
      Object.entries(spec.options ?? {}).map(([k, o]) => [k, { type: o.type, ...(o.short ? { short: o.short } : {}) }]),
    );
    parsed = parseArgs({ args: rest, options: config, allowPositionals: true, strict: true });
  } catch (e) {
    // parseArgs explains unknown options and missing values in its own words.
    io.err(`essfed ${name}: ${(e as Error).message.split(". ")[0]}\n\n${commandUsage(name, spec)}`);
    return EXIT.usage;
  }
  const args = spec.args ?? [];
  const required = args.filter((a) => !a.optional).length;
  if (parsed.positionals.length < required || parsed.positionals.length > args.length) {
    const problem =
      parsed.positionals.length < required
        ? `missing ${args
            .slice(parsed.positionals.length, required)
            .map((a) => a.name)
            .join(" and ")}`
        : `unexpected argument "${parsed.positionals[args.length]}"`;
    io.err(`essfed ${name}: ${problem}\n\n${commandUsage(name, spec)}`);
    return EXIT.usage;
  }

  try {
    const run = await spec.load();
    return await run({ values: parsed.values, positionals: parsed.positionals }, io);
  } catch (e) {
    if (e instanceof CommandError) {
      io.err(`essfed ${name}: ${e.message}`);
      if (e.exitCode === EXIT.usage) io.err(`\n${commandUsage(name, spec)}`);
      return e.exitCode;
    }
    if (e instanceof NoInstanceError) {
      io.err(`essfed ${name}: ${e.message}`);
      return EXIT.noInstance;
    }
    if (e instanceof DataAccessError) {
      io.err(`essfed ${name}: ${e.message}`);
      return EXIT.cantCreate;
    }
    if (e instanceof IdentityError) {
      io.err(`essfed ${name}: ${e.message}`);
      return EXIT.config;
    }
    if (e instanceof ConfigError) {
      io.err(`essfed: configuration error: ${e.message}`);
      return EXIT.config;
    }
    throw e;
  }
}
