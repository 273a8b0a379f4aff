/**
 * `essfed move-url NEW_URL [--handle NEW_HANDLE]`: moves the instance to another URL (or renames
 * its actor) deliberately, or refuses with the reason when that cannot be done safely. See
 * docs/moving.md for the whole procedure.
 */
import { ConfigError, loadConfig } from "../../config.ts";
import { compose } from "../../compose.ts";
import { liveProcesses } from "../../instance/heartbeat.ts";
import { actorOf } from "../../instance/identity.ts";
import { moveInstance, probe } from "../../instance/move.ts";
import { CommandError, EXIT, type Io } from "../io.ts";
import type { Parsed } from "../spec.ts";

export async function moveUrlCommand({ values, positionals }: Parsed, io: Io): Promise<number> {
  // The new URL and handle pass the same checks as ESSFED_URL and ESSFED_HANDLE.
  let target;
  try {
    target = loadConfig({
      ESSFED_URL: positionals[0],
      ...(typeof values.handle === "string" ? { ESSFED_HANDLE: values.handle } : {}),
    });
  } catch (e) {
    if (e instanceof ConfigError)
      throw new CommandError(
        e.message.replace(/^ESSFED_URL/, "NEW_URL").replace(/^ESSFED_HANDLE/, "--handle"),
        EXIT.usage,
      );
    throw e;
  }
  // What moves is the stored identity: ESSFED_URL and ESSFED_HANDLE in the environment play no part.
  const given = loadConfig(io.env);
  const instance = await compose({ ...given, given: { url: false, handle: false } }, { create: false, moving: true });
  try {
    const from = instance.identity;
    const to = { url: target.url, handle: target.given.handle ? target.handle : from.handle };
    if (actorOf(from) === actorOf(to)) {
      io.out(`The instance is ${actorOf(from)} already; nothing to move.`);
      return EXIT.ok;
    }
    const running = await liveProcesses(instance.store.kv);
    if (running.length) {
      throw new CommandError(
        `stop every essfed process of this instance first (running: ` +
          `${running.map((p) => `${p.role} on ${p.host}, pid ${p.pid}`).join("; ")}): ` +
          "they would go on minting and signing under the old identity",
        EXIT.failed,
      );
    }
    // Followers verify the Move with the old actor's key, fetched from the old URL, and old links
    // are redirected from it: both URLs must reach this server now (docs/moving.md).
    let failures;
    try {
      failures = await probe(given.bind, given.port, [...new Set([from.url, to.url])]);
    } catch (e) {
      throw new CommandError(
        `cannot listen on ${given.bind}:${given.port} to check the URLs (${(e as Error).message}): is a server ` +
          `still running?`,
        EXIT.unavailable,
      );
    }
    const old = failures.get(from.url);
    if (old) {
      throw new CommandError(
        `the old URL ${from.url} does not reach this server on port ${given.port}: ${old}. ` +
          "Followers check a Move with the old actor's key, which they fetch from the old URL, and links to the old " +
          "URL can only be redirected from it; point it at this server again (and keep it so for a few weeks after " +
          "the move), then run move-url again",
        EXIT.failed,
      );
    }
    const fresh = failures.get(to.url);
    if (fresh)
      throw new CommandError(
        `the new URL ${to.url} does not reach this server on port ${given.port} yet: ${fresh}. Set up its name and ` +
          `proxy first`,
        EXIT.failed,
      );

    const report = await moveInstance(instance, to);
    io.out(
      `Moved ${actorOf(from)} to ${actorOf(to)}: ${report.counts.records} records and ` +
        `${report.counts.tombstones} tombstones under the new URL, ${report.counts.messages} queued activities ` +
        `rewritten and ${report.counts.dropped} record publications dropped ` +
        "(followers get the records again from the new actor).",
    );
    io.out(
      `Queued a Move to ${report.followers} follower inboxes and a new Follow to ${report.following} followed ` +
        `networks; they go out when the server starts.`,
    );
    io.out(
      `Start the server now (without ESSFED_URL, or with ` +
        `ESSFED_URL=${to.url}${to.handle !== from.handle ? ` and ESSFED_HANDLE=${to.handle}` : ""}), ` +
        `and keep ${from.url} pointing at it: it serves the old actor and redirects the old links.`,
    );
    return EXIT.ok;
  } finally {
    await instance.close();
  }
}
