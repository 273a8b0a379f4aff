/**
 * `essfed move-url` between real processes: an instance followed by another moves from
 * http://127.0.0.1:PORT to http://localhost:PORT (both reach it, as a proxy serving two names
 * would). Its follower receives the Move, verifies it with the old actor's key (still served at the
 * old URL), follows the new actor and holds the records under their new IRIs only; the old URL
 * redirects. Refusals: a running instance, a new URL that does not reach this server.
 */
import { execFile } from "node:child_process";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it, jest } from "@jest/globals";
import { createInitiative, eventually, freePort, spawnInstance, type ProcessInstance } from "../support/process.ts";

jest.setTimeout(240_000);

const BIN = fileURLToPath(new URL("../../bin/essfed.js", import.meta.url));
let origin: ProcessInstance, mirror: ProcessInstance;
let oldActor: string, newBase: string, newActor: string, record: string;

interface Result {
  code: number;
  stdout: string;
  stderr: string;
}
const essfed = (env: Record<string, string>, ...args: string[]) =>
  new Promise<Result>((resolve) => {
    execFile(process.execPath, [BIN, ...args], { env }, (e, stdout, stderr) =>
      resolve({ code: e ? Number(e.code) : 0, stdout, stderr }),
    );
  });
/** The environment without ESSFED_URL: after the first start, the stored URL is the instance's. */
const stored = (inst: ProcessInstance) =>
  Object.fromEntries(Object.entries(inst.env).filter(([k]) => k !== "ESSFED_URL"));

beforeAll(async () => {
  // Listening on every address lets http://localhost reach it whether it resolves to ::1 or 127.0.0.1.
  [origin, mirror] = await Promise.all([spawnInstance("origin", { ESSFED_BIND: "::" }), spawnInstance("mirror")]);
  oldActor = origin.actor;
  newBase = origin.base.replace("127.0.0.1", "localhost");
  newActor = `${newBase}/actors/origin`;
  record = await createInitiative(origin, "Moving Bakery Co-op");
  const followed = await essfed(mirror.env, "follow", origin.actor, "--wait", "120");
  if (!followed.stdout.includes("it accepted"))
    throw new Error(`the follow before the move failed: ${followed.stdout}${followed.stderr}`);
  const store = await mirror.openStoreCached();
  await eventually(async () => store.getInitiative(record), 60_000, "the record mirrored before the move");
});
afterAll(async () => {
  await Promise.all([origin?.destroy(), mirror?.destroy()]);
});

describe("essfed move-url", () => {
  it("refuses while a process of the instance runs.", async () => {
    const r = await essfed(stored(origin), "move-url", newBase);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain("stop every essfed process of this instance first");
  });

  it("refuses a new URL that does not reach this server, changing nothing.", async () => {
    await origin.stop();
    const nowhere = `http://127.0.0.1:${await freePort()}`;
    const r = await essfed(stored(origin), "move-url", nowhere);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(`the new URL ${nowhere} does not reach this server`);
    const status = JSON.parse((await essfed(stored(origin), "status", "--json")).stdout) as { actor: string };
    expect(status.actor).toBe(oldActor);
  });

  it("moves the instance; its follower follows the Move and holds the records under the new IRIs; the old URL redirects.", async () => {
    const r = await essfed(stored(origin), "move-url", newBase);
    expect(r).toMatchObject({
      code: 0,
      stdout: expect.stringContaining(`Moved ${oldActor} to ${newActor}: 1 records`),
    });
    expect(r.stdout).toContain("Queued a Move to 1 follower inboxes");
    // The old ESSFED_URL is now refused, and unset is the new one.
    expect((await essfed(origin.env, "status")).code).toBe(78);
    delete origin.env.ESSFED_URL;
    await origin.start();

    const moved = record.replace(origin.base, newBase);
    const store = await mirror.openStoreCached();
    await eventually(
      async () => (await store.getFollowing(newActor))?.state === "accepted",
      120_000,
      "the mirror following the new actor",
    );
    await eventually(async () => store.getInitiative(moved), 60_000, "the record mirrored under its new IRI");
    expect(await store.getInitiative(record)).toBeUndefined();
    expect(await store.getFollowing(oldActor)).toBeUndefined();

    const redirect = await fetch(record, { redirect: "manual" });
    expect([redirect.status, redirect.headers.get("location")]).toEqual([308, moved]);
    const old = (await (await fetch(oldActor, { headers: { accept: "application/activity+json" } })).json()) as Record<
      string,
      unknown
    >;
    expect(old).toMatchObject({ id: oldActor, movedTo: newActor });
    const current = (await (
      await fetch(newActor, { headers: { accept: "application/activity+json" } })
    ).json()) as Record<string, unknown>;
    expect([current.alsoKnownAs].flat()).toEqual([oldActor]);
    const here = await (await fetch(moved, { headers: { accept: "application/ld+json" } })).text();
    expect(here).toContain("Moving Bakery Co-op");
  });
});
