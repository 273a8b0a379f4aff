/**
 * `essfed accounts add NAME --role admin|editor` (prints a one-time sign-in link), `accounts list`,
 * `accounts link NAME` (a new link, for a forgotten password), `accounts remove NAME`. Changes are
 * written to the audit log as made from the command line.
 */
import { AccountError } from "../../accounts/accounts.ts";
import { loadConfig } from "../../config.ts";
import { compose } from "../../compose.ts";
import { CommandError, EXIT, type Io } from "../io.ts";
import type { Parsed } from "../spec.ts";

export async function accountsCommand({ values, positionals }: Parsed, io: Io): Promise<number> {
  const [verb, name] = positionals;
  // The action is checked first: "accounts frob" is an unknown action, not an action missing a NAME.
  if (!["add", "list", "link", "remove"].includes(verb ?? ""))
    throw new CommandError(`unknown action "${verb}": add, list, link or remove`, EXIT.usage);
  if (verb !== "list" && !name) throw new CommandError(`essfed accounts ${verb} needs a NAME`, EXIT.usage);
  const role = typeof values.role === "string" ? values.role : "editor";
  if (role !== "admin" && role !== "editor")
    throw new CommandError(`--role is admin or editor (got "${role}")`, EXIT.usage);
  const instance = await compose(loadConfig(io.env), { create: false });
  const { accounts } = instance;
  const by = { kind: "cli" as const, name: "essfed accounts" };
  const must = async (n: string) => {
    const a = await accounts.byName(n);
    if (!a) throw new CommandError(`there is no account named ${n}`, EXIT.failed);
    return a;
  };
  try {
    switch (verb) {
      case "add": {
        const { account, link } = await accounts.add(name!, role, by);
        io.out(
          `Added ${account.name} (${account.role}). Send them this link to choose a password (valid 72 hours, once):`,
        );
        io.out(link);
        return EXIT.ok;
      }
      case "link": {
        const link = await accounts.link((await must(name!)).id, by);
        io.out(`A new sign-in link for ${name} (valid 72 hours, once):`);
        io.out(link);
        return EXIT.ok;
      }
      case "remove":
        await accounts.remove((await must(name!)).id, by);
        io.out(`Removed ${name}.`);
        return EXIT.ok;
      default:
        for (const a of await accounts.list())
          io.out(`${a.name}\t${a.role}\t${a.passwordHash ? "active" : "invited (no password yet)"}`);
        return EXIT.ok;
    }
  } catch (e) {
    if (e instanceof AccountError) throw new CommandError(e.message, EXIT.failed);
    throw e;
  } finally {
    await instance.close();
  }
}
