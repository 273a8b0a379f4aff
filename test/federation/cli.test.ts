/**
 * The federation CLI against running servers: `essfed follow` queues a Follow in the store that the
 * server process (a separate process on the same SQLite file) delivers; `status` shows the result.
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
afterAll(async () => { await Promise.all([source?.destroy(), follower?.destroy()]); });

const cli = (inst: ProcessInstance, ...args: string[]) => run(process.execPath, [BIN, ...args], { env: inst.env });

describe("The federation CLI", () => {
  it("follows a network through the running server and reports it in status.", async () => {
    const id = await createInitiative(source, "CLI Co-op");
    const { stdout } = await cli(follower, "follow", source.actor);
    expect(stdout).toContain(`Follow sent to ${source.actor}`);
    const store = await follower.openStoreCached();
    await eventually(async () => store.getInitiative(id), 20_000, "back-fill via the server");
    const status = JSON.parse((await cli(follower, "status", "--json")).stdout) as { following: { actor: string; state: string }[] };
    expect(status.following).toEqual([expect.objectContaining({ actor: source.actor, state: "accepted" })]);
    const text = (await cli(source, "status")).stdout;
    expect(text).toContain(`accepted  ${follower.actor}`);
  }, 60_000);

  it("unfollows, and refuses to unfollow what it does not follow with a non-zero exit.", async () => {
    const { stdout } = await cli(follower, "unfollow", source.actor);
    expect(stdout).toContain(`Unfollowed ${source.actor}`);
    await expect(cli(follower, "unfollow", source.actor)).rejects.toMatchObject({ code: 1, stderr: expect.stringContaining("not following") });
  }, 60_000);
});
