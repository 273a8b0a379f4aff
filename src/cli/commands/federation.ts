/**
 * `essfed follow TARGET`, `essfed unfollow TARGET`, `essfed status`, `essfed followers accept|reject ACTOR`.
 * They work on the instance's store directly; the running server's delivery worker sends what they
 * queue (it polls the queue, so the server and the CLI may be separate processes).
 */
import { loadConfig } from "../../config.ts";
import { compose } from "../../compose.ts";
import { FetchError } from "../../federation/fetcher.ts";
import { answerFollower, follow, unfollow } from "../../federation/follows.ts";
import { federationStatus } from "../../http/routes/admin.ts";
import { CommandError, type Io } from "../main.ts";

async function withInstance<T>(io: Io, fn: (i: Awaited<ReturnType<typeof compose>>) => Promise<T>): Promise<T> {
  const instance = await compose(loadConfig(io.env));
  try {
    return await fn(instance);
  } finally {
    await instance.close();
  }
}

export async function followCommand(args: string[], io: Io): Promise<number> {
  const target = args[0];
  if (!target) throw new CommandError("usage: essfed follow <actor URL | acct:handle@host>", 2);
  return withInstance(io, async (i) => {
    try {
      const f = await follow(i.runtime.ctx, target);
      io.out(`Follow sent to ${f.actor}; it is ${f.state}. The running server delivers it and back-fills on Accept.`);
      return 0;
    } catch (e) {
      if (e instanceof FetchError) throw new CommandError(`could not reach ${target}: ${e.message}`);
      throw e;
    }
  });
}

export async function unfollowCommand(args: string[], io: Io): Promise<number> {
  const target = args[0];
  if (!target) throw new CommandError("usage: essfed unfollow <actor URL | acct:handle@host>", 2);
  return withInstance(io, async (i) => {
    const done = await unfollow(i.runtime.ctx, target);
    if (!done) throw new CommandError(`not following ${target}`);
    io.out(`Unfollowed ${done.following.actor}; removed ${done.removed} mirrored records.`);
    return 0;
  });
}

export async function statusCommand(args: string[], io: Io): Promise<number> {
  return withInstance(io, async (i) => {
    const s = await federationStatus(i.runtime.ctx);
    if (args.includes("--json")) {
      io.out(JSON.stringify(s, null, 2));
      return 0;
    }
    io.out(`actor      ${s.actor}`);
    io.out(`records    ${s.initiatives.own} own, ${s.initiatives.mirrored} mirrored`);
    io.out(`followers  ${s.followers.length}`);
    for (const f of s.followers) io.out(`  ${f.state.padEnd(9)} ${f.actor}  (since ${f.since})`);
    io.out(`following  ${s.following.length}`);
    for (const f of s.following) io.out(`  ${f.state.padEnd(9)} ${f.actor}  (since ${f.since}${f.reconciledAt ? `, reconciled ${f.reconciledAt}` : ""})`);
    io.out(`deliveries ${s.deliveries.pending ? `${s.deliveries.pending} pending (${s.deliveries.ready} ready, ${s.deliveries.retrying} waiting to retry)` : "none pending"}`);
    return 0;
  });
}

export async function followersCommand(args: string[], io: Io): Promise<number> {
  const [verb, actor] = args;
  if ((verb !== "accept" && verb !== "reject") || !actor) throw new CommandError("usage: essfed followers accept|reject <actor URL>", 2);
  return withInstance(io, async (i) => {
    const f = await answerFollower(i.runtime.ctx, actor, verb === "accept");
    if (!f) throw new CommandError(`${actor} has not asked to follow`);
    io.out(`${verb === "accept" ? "Accepted" : "Rejected"} ${actor}.`);
    return 0;
  });
}
