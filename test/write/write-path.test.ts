/**
 * The one write path, end to end on a real instance (SQLite file, real signatures): a change to an
 * own record is stored signed with its deliveries queued in the same write; reads write nothing.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { createServer, type AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "@jest/globals";
import { loadConfig } from "../../src/config.ts";
import { compose, type Instance } from "../../src/compose.ts";
import type { InitiativeDraft } from "../../src/domain/validate.ts";

/** A port free now (the instance's URL names it before it listens). */
function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = createServer();
    s.listen(0, "127.0.0.1", () => {
      const port = (s.address() as AddressInfo).port;
      s.close(() => resolve(port));
    });
  });
}

const FOLLOWER = "https://peer.example/actors/peer";
let inst: Instance;
let dir: string;

beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), "essfed-write-"));
  const port = await freePort();
  inst = await compose(
    loadConfig({
      PORT: String(port),
      ESSFED_BIND: "127.0.0.1",
      ESSFED_URL: `http://127.0.0.1:${port}`,
      ESSFED_DATA: dir,
      ESSFED_LOG_LEVEL: "error",
    }),
  );
  // No delivery worker: what the writes queue stays in the queue to be read.
});
afterEach(async () => {
  await inst.close();
  rmSync(dir, { recursive: true, force: true });
});

const draft = (name: string): InitiativeDraft => ({
  id: inst.iris.initiative("bakery"),
  name,
  country: "GB",
  address: { locality: "Leeds", lat: 53.8, long: -1.5 },
});

/** Takes every queued delivery off the delivery queue (this instance runs no worker to send them). */
async function queued(): Promise<{ type: string; object: unknown; inbox: string }[]> {
  const q = inst.store.queue("delivery", { concurrency: 100 });
  const got: { type: string; object: unknown; inbox: string }[] = [];
  const controller = new AbortController();
  const listening = q.listen(
    (d: { body: string; inbox: string }) => {
      const a = JSON.parse(d.body) as { type: string; object: unknown };
      got.push({ type: a.type, object: a.object, inbox: d.inbox });
    },
    { signal: controller.signal },
  );
  // A deadline, not a count of polls: on a loaded machine 200 polls of 10 ms end before the queue is read.
  const end = Date.now() + 20_000;
  while ((await q.pending()) > 0 && Date.now() < end) await new Promise((r) => setTimeout(r, 10));
  controller.abort();
  await listening;
  return got;
}

describe("The write path", () => {
  it("stores a changed own record signed, and queues its Create/Update/Delete in the same write.", async () => {
    await inst.store.putFollower({
      actor: FOLLOWER,
      inbox: `${FOLLOWER}/inbox`,
      sharedInbox: "https://peer.example/inbox",
      followId: "https://peer.example/follows/1",
      state: "accepted",
      since: new Date().toISOString(),
    });
    const [created] = await inst.directory.upsert([draft("Bakery")]);
    expect(created).toMatchObject({ ok: true, outcome: "created" });
    const stored = await inst.store.getInitiative(draft("x").id);
    const signed = JSON.parse(stored!.signed!) as { proof: { verificationMethod: string } };
    expect(signed.proof.verificationMethod).toBe(`${inst.iris.actor}#multikey-2`);
    const first = await queued();
    expect(first.map((d) => [d.type, d.inbox])).toEqual([["Create", "https://peer.example/inbox"]]);
    expect(first[0]!.object).toEqual(signed);

    await inst.directory.upsert([draft("Bakery")]);
    expect(await queued()).toEqual([]);

    await inst.directory.upsert([draft("Bakery and cafe")]);
    expect((await queued()).map((d) => d.type)).toEqual(["Update"]);

    expect(await inst.directory.delete(draft("x").id)).toBe(true);
    const deleted = await queued();
    expect(deleted.map((d) => d.type)).toEqual(["Delete"]);
    expect(deleted[0]!.object).toMatchObject({ id: draft("x").id, type: "Tombstone" });
  });

  it("queues nothing and signs nothing in the store while nobody follows; serving a page writes nothing.", async () => {
    await inst.directory.upsert([draft("Bakery")]);
    expect((await inst.store.getInitiative(draft("x").id))!.signed).toBeUndefined();
    expect(await queued()).toEqual([]);
    await inst.listen();
    const stamp = await inst.store.changeStamp();
    const change = await inst.store.changeNumber();
    const res = await fetch(`${inst.iris.directory}?page=true`, { headers: { accept: "application/activity+json" } });
    expect(res.status).toBe(200);
    const page = (await res.json()) as { orderedItems: { id: string; proof?: { verificationMethod: string } }[] };
    expect(page.orderedItems[0]!.proof?.verificationMethod).toBe(`${inst.iris.actor}#multikey-2`);
    expect(await inst.store.changeStamp()).toBe(stamp);
    expect(await inst.store.changeNumber()).toBe(change);
    expect((await inst.store.getInitiative(draft("x").id))!.signed).toBeUndefined();
  });
});
