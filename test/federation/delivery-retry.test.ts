/**
 * The delivery worker follows the one retry policy: a peer that keeps answering 503 is tried as
 * often as the policy says, then given up, and nothing is left in the queue.
 */
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, expect, it } from "@jest/globals";
import { RetryPolicy } from "../../src/store/retry.ts";
import { startInstance, type TestInstance } from "../support/instance.ts";

let inst: TestInstance;
let peer: Server;
let hits = 0;

beforeAll(async () => {
  peer = createServer((req, res) => {
    if (req.method === "POST") hits++;
    req.resume();
    req.on("end", () => res.writeHead(503).end());
  });
  await new Promise<void>((r) => peer.listen(0, "127.0.0.1", r));
  inst = await startInstance(
    {},
    {},
    { delivery: { retry: new RetryPolicy({ baseMs: 20, jitter: 0, maxAttempts: 3 }) } },
  );
});
afterAll(async () => {
  await inst.stop();
  await new Promise((r) => peer.close(r));
});

it("retries a failing peer as the policy says, then gives up and leaves the queue empty.", async () => {
  const outcomes: string[] = [];
  inst.runtime.worker.observer = { attempted: (_inbox, outcome) => void outcomes.push(outcome) };
  const inbox = `http://127.0.0.1:${(peer.address() as AddressInfo).port}/inbox`;
  await inst.store.putFollower({
    actor: "http://127.0.0.1/actors/peer",
    inbox,
    followId: "http://127.0.0.1/follows/1",
    state: "accepted",
    since: new Date().toISOString(),
  });
  await inst.directory.upsert([
    { id: inst.iris.initiative("one"), name: "One", country: "GB", address: { lat: 53.8, long: -1.5 } },
  ]);
  const end = Date.now() + 20_000;
  while (!outcomes.includes("failed") && Date.now() < end) await new Promise((r) => setTimeout(r, 20));
  expect(outcomes).toEqual(["retry", "retry", "failed"]);
  expect(hits).toBe(3);
  // The given-up delivery is acknowledged just after the worker says so.
  while ((await inst.store.queue("delivery").pending()) > 0 && Date.now() < end)
    await new Promise((r) => setTimeout(r, 20));
  expect(await inst.store.queue("delivery").pending()).toBe(0);
});
