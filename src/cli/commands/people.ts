/**
 * `essfed people export --email E | --phone P` prints, as JSON, everything this instance holds
 * about one email address or phone number; `essfed people erase …` removes it from the network's
 * own records (followers receive the Update). Issue 17, item 4.
 */
import { loadConfig } from "../../config.ts";
import { compose } from "../../compose.ts";
import { HttpError } from "../../errors.ts";
import { erasePersonalData, exportPersonalData, subjectOf, type Subject } from "../../people/personal-data.ts";
import { CommandError, EXIT, type Io } from "../io.ts";
import type { Parsed } from "../spec.ts";

export async function peopleCommand({ values, positionals }: Parsed, io: Io): Promise<number> {
  const [verb] = positionals;
  if (verb !== "export" && verb !== "erase")
    throw new CommandError(`unknown action "${verb}": export, erase`, EXIT.usage);
  let subject: Subject;
  try {
    subject = subjectOf({ email: values.email, phone: values.phone });
  } catch (e) {
    if (e instanceof HttpError) throw new CommandError(`give --email or --phone: ${e.message}`, EXIT.usage);
    throw e;
  }
  const instance = await compose(loadConfig(io.env), { create: false });
  try {
    if (verb === "export") {
      io.out(JSON.stringify(await exportPersonalData(instance.store, subject), null, 2));
      return EXIT.ok;
    }
    const done = await erasePersonalData(instance.store, instance.directory, subject, {
      kind: "cli",
      name: "essfed people erase",
    });
    for (const id of done.erased) io.out(`erased from ${id}`);
    for (const r of done.heldByOthers) io.out(`still held in ${r.id}, a record of ${r.origin}: ask its network`);
    if (!done.erased.length) io.out("No own record holds it.");
    return EXIT.ok;
  } finally {
    await instance.close();
  }
}
