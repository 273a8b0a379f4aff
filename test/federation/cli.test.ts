/**
 * The federation CLI against running servers: `essfed follow` queues a Follow in the store that the
 * server process (a separate process on the same SQLite file) delivers, signed as the instance's
 * stored actor; the command says whether it was answered or only queued; `status` shows the result.
 */
import { execFile } from "node:child_process";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import { createInitiative, eventually, spawnInstance, type ProcessInstance } from "../support/process.ts";

const run = promisify(execFile);
const BIN = fileURLToPath(new URL("../../bin/essfed.js", import.meta.url));
let source: ProcessInstance, follower: ProcessInstance;

beforeAll(async () => {
  [source, follower] = await Promise.all([spawnInstance("source"), spawnInstance("follower")]);
}, 60_000);
afterAll(async () => {
  await Promise.all([source?.destroy(), follower?.destroy()]);
});

/** The instance's environment without ESSFED_URL and ESSFED_HANDLE: the CLI reads them from the data. */
const stored = (inst: ProcessInstance) =>
  Object.fromEntries(Object.entries(inst.env).filter(([k]) => k !== "ESSFED_URL" && k !== "ESSFED_HANDLE"));
const cli = (inst: ProcessInstance, ...args: string[]) => run(process.execPath, [BIN, ...args], { env: stored(inst) });

describe("The federation CLI", () => {
  it("follows a network through the running server and reports it in status.", async () => {
    const id = await createInitiative(source, "CLI Co-op");
    const { stdout } = await cli(follower, "follow", source.actor, "--wait", "60");
    // Accepted: the source verified the Follow's signature as the follower's own actor.
    expect(stdout).toContain(`Following ${source.actor}: it accepted.`);
    const store = await follower.openStoreCached();
    await eventually(async () => store.getInitiative(id), 20_000, "back-fill via the server");
    const status = JSON.parse((await cli(follower, "status", "--json")).stdout) as {
      following: { actor: string; state: string }[];
    };
    expect(status.following).toEqual([expect.objectContaining({ actor: source.actor, state: "accepted" })]);
    const text = (await cli(source, "status")).stdout;
    expect(text).toContain(`accepted  ${follower.actor}`);
  }, 60_000);

  it("unfollows, and refuses to unfollow what it does not follow with a non-zero exit.", async () => {
    const { stdout } = await cli(follower, "unfollow", source.actor);
    expect(stdout).toContain(`Unfollowed ${source.actor}`);
    expect(stdout).toContain("The Undo of the follow is queued; the running server sends it.");
    await expect(cli(follower, "unfollow", source.actor)).rejects.toMatchObject({
      code: 1,
      stderr: expect.stringContaining("not following"),
    });
  }, 60_000);

  it("refuses to follow under another URL than the stored one, queueing nothing.", async () => {
    const env = { ...follower.env, ESSFED_URL: "http://127.0.0.1:9" };
    await expect(run(process.execPath, [BIN, "follow", source.actor], { env })).rejects.toMatchObject({
      code: 78,
      stderr: expect.stringContaining(`but the instance in ${follower.dir} is ${follower.base}`),
    });
    const status = JSON.parse((await cli(follower, "status", "--json")).stdout) as { following: unknown[] };
    expect(status.following).toEqual([]);
  }, 60_000);

  it("says when a follow is only queued because no server runs, and the server sends it when started.", async () => {
    await follower.stop();
    const { stdout } = await cli(follower, "follow", source.actor);
    expect(stdout).toContain(
      `The Follow to ${source.actor} (from ${follower.actor}) is queued but not sent: no essfed server (or worker) ` +
        `is running for this instance.`,
    );
    const status = JSON.parse((await cli(follower, "status", "--json")).stdout) as {
      following: { state: string }[];
      processes: unknown[];
    };
    expect(status).toMatchObject({ following: [{ state: "pending" }], processes: [] });
    await follower.start();
    // Polled in the store, not by starting `essfed status` every 50 ms (each start costs seconds of CPU);
    // the command then shows what the store holds.
    const store = await follower.openStoreCached();
    await eventually(
      async () => (await store.getFollowing(source.actor))?.state === "accepted",
      60_000,
      "the queued Follow sent and accepted once the server runs",
    );
    const now = JSON.parse((await cli(follower, "status", "--json")).stdout) as { following: { state: string }[] };
    expect(now.following).toEqual([expect.objectContaining({ state: "accepted" })]);
    const text = (await cli(follower, "status")).stdout;
    expect(text).toMatch(/processes {2}(web|worker) \(/);
  }, 120_000);
});
