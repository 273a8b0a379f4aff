/**
 * `essfed follow TARGET`, `essfed unfollow TARGET`, `essfed status`, `essfed followers accept|reject ACTOR`.
 * They work on the instance's store directly and queue what they send; a running server's delivery
 * worker (which polls the queue, so it may be another process) sends it, signed as the instance's
 * stored actor. Each says whether a worker is running, so nobody takes "queued" for "sent".
 */
import { loadConfig } from "../../config.ts";
import { compose, type Instance } from "../../compose.ts";
import { FetchError } from "../../federation/outbound/fetcher.ts";
import { answerFollower, follow, SelfFollowError, unfollow } from "../../federation/follows.ts";
import { federationStatus } from "../../federation/status.ts";
import { totalOf } from "../../federation/dropped.ts";
import { liveProcesses } from "../../instance/heartbeat.ts";
import { CommandError, EXIT, type Io } from "../io.ts";
import type { Parsed } from "../spec.ts";

async function withInstance<T>(io: Io, fn: (i: Instance) => Promise<T>): Promise<T> {
  const instance = await compose(loadConfig(io.env), { create: false });
  try {
    return await fn(instance);
  } finally {
    await instance.close();
  }
}

/** What happens to a queued activity: sent by a running worker, or waiting for one. */
async function queuedNote(i: Instance, what: string): Promise<{ running: boolean; note: string }> {
  const running = (await liveProcesses(i.store.kv, "worker")).length > 0;
  return {
    running,
    note: running
      ? `The ${what} is queued; the running server sends it.`
      : `The ${what} is queued but not sent: no essfed server (or worker) is running for this instance. Start one ` +
        `(essfed serve) and it goes out.`,
  };
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export async function followCommand({ values, positionals }: Parsed, io: Io): Promise<number> {
  const waitText = typeof values.wait === "string" ? values.wait : "10";
  const wait = Number(waitText);
  if (!/^\d+(\.\d+)?$/.test(waitText) || wait > 3600)
    throw new CommandError(`--wait must be a number of seconds from 0 to 3600 (got "${waitText}")`, EXIT.usage);
  const target = positionals[0]!;
  return withInstance(io, async (i) => {
    let f;
    try {
      f = await follow(i.runtime.ctx, target);
    } catch (e) {
      if (e instanceof FetchError) throw new CommandError(`could not reach ${target}: ${e.message}`);
      if (e instanceof SelfFollowError) throw new CommandError(`${target} is this instance's own actor`, EXIT.usage);
      throw e;
    }
    const { running, note } = await queuedNote(i, `Follow to ${f.actor} (from ${i.iris.actor})`);
    if (f.state === "accepted") {
      io.out(`Already following ${f.actor} (accepted). ${note}`);
      return EXIT.ok;
    }
    if (!running || wait === 0) {
      io.out(`${note} essfed status shows the answer.`);
      return EXIT.ok;
    }
    for (const until = Date.now() + wait * 1000; Date.now() < until; await sleep(200)) {
      const now = await i.store.getFollowing(f.actor);
      if (now?.followId !== f.followId) break; // unfollowed or followed again meanwhile
      if (now.state === "accepted") {
        io.out(`Following ${f.actor}: it accepted. The running server back-fills its directory.`);
        return EXIT.ok;
      }
      if (now.state === "rejected") throw new CommandError(`${f.actor} rejected the follow`);
    }
    io.out(
      `${note} No answer within ${wait} s (the other network may hold follow requests for its admin, or be slow to ` +
        `reach); essfed status shows it when it comes.`,
    );
    return EXIT.ok;
  });
}

export async function unfollowCommand({ positionals }: Parsed, io: Io): Promise<number> {
  const target = positionals[0]!;
  return withInstance(io, async (i) => {
    const done = await unfollow(i.runtime.ctx, target);
    if (!done) throw new CommandError(`not following ${target}`);
    const { note } = await queuedNote(i, `Undo of the follow`);
    io.out(`Unfollowed ${done.following.actor}; removed ${done.removed} mirrored records. ${note}`);
    return EXIT.ok;
  });
}

export async function statusCommand({ values }: Parsed, io: Io): Promise<number> {
  return withInstance(io, async (i) => {
    const s = {
      ...(await federationStatus(i.runtime.ctx)),
      url: i.identity.url,
      handle: i.identity.handle,
      processes: await liveProcesses(i.store.kv),
    };
    if (values.json) {
      io.out(JSON.stringify(s, null, 2));
      return EXIT.ok;
    }
    io.out(`actor      ${s.actor}`);
    const processes = s.processes.map((p) => `${p.role} (${p.host}, pid ${p.pid})`);
    io.out(`processes  ${processes.length ? processes.join(", ") : "none running"}`);
    io.out(`records    ${s.initiatives.own} own, ${s.initiatives.mirrored} mirrored`);
    io.out(`followers  ${s.followers.length}`);
    for (const f of s.followers) io.out(`  ${f.state.padEnd(9)} ${f.actor}  (since ${f.since})`);
    io.out(`following  ${s.following.length}`);
    for (const f of s.following) {
      const reconciled = f.reconciledAt ? `, reconciled ${f.reconciledAt}` : "";
      io.out(`  ${f.state.padEnd(9)} ${f.actor}  (since ${f.since}${reconciled})`);
      const drops = s.dropped.find((p) => p.peer === f.actor);
      if (drops) {
        const reasons = Object.entries(drops.counts).map(([reason, n]) => `${n} ${reason}`);
        io.out(`            ${totalOf(drops)} records dropped (${reasons.join(", ")})`);
        io.out(`            latest ${drops.last.at}: ${drops.last.id}: ${drops.last.message}`);
      }
    }
    const d = s.deliveries;
    const pending = `${d.pending} pending (${d.ready} ready, ${d.retrying} waiting to retry)`;
    io.out(`deliveries ${d.pending ? pending : "none pending"}`);
    for (const r of s.deliveries.refused) io.out(`  dropped   ${r.inbox}  (since ${r.since}: ${r.reason})`);
    return EXIT.ok;
  });
}

export async function followersCommand({ positionals }: Parsed, io: Io): Promise<number> {
  const [verb, actor] = positionals as [string, string];
  if (verb !== "accept" && verb !== "reject")
    throw new CommandError(`the answer must be accept or reject (got "${verb}")`, EXIT.usage);
  return withInstance(io, async (i) => {
    const f = await answerFollower(i.runtime.ctx, actor, verb === "accept");
    if (!f) throw new CommandError(`${actor} has not asked to follow`);
    const { note } = await queuedNote(i, verb === "accept" ? "Accept" : "Reject");
    io.out(`${verb === "accept" ? "Accepted" : "Rejected"} ${actor}. ${note}`);
    return EXIT.ok;
  });
}
