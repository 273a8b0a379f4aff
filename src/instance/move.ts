/**
 * Moving an instance to another URL or handle (`essfed move-url`, ADR 10). In one store
 * transaction the instance's own IRIs move (records, tombstones, queued activities); then it queues
 * what tells the others, signed under the old actor's key ids — the same keys, which the old URL
 * keeps serving: an Update of the old actor (now `movedTo` the new one) and a Move to each
 * follower, and an Undo of the old follow and a Follow by the new actor to each network it follows.
 * Last, the new identity is stored, with the old one among its `previous`.
 */
import { createServer } from "node:http";
import { randomBytes } from "node:crypto";
import type { Instance } from "../compose.ts";
import { follow as followActivity, undoFollow, type Json } from "../federation/activities.ts";
import type { Delivery } from "../federation/outbound/delivery.ts";
import { DOCUMENT_CONTEXT } from "../linkeddata/context.ts";
import { makeIris } from "../directory/ids.ts";
import { versionOf } from "../domain/version.ts";
import type { InitiativeRecord } from "../domain/initiative.ts";
import type { RewriteCounts } from "../store/store.ts";
import { actorOf, IDENTITY_KEY, MOVE_KEY, type Identity, type PendingMove } from "./identity.ts";
import { movedActorDocument, rebase, type Previous } from "./moved-actor.ts";

export const PROBE_PATH = "/.well-known/essfed-move-probe/";

/**
 * Whether each URL reaches this machine on `bind:port`: a throwaway server there answers a random
 * token, which each URL must return as it is (no redirect). Run with the instance stopped.
 * @returns a reason per URL that does not reach it
 */
export async function probe(
  bind: string,
  port: number,
  urls: string[],
  timeoutMs = 10_000,
): Promise<Map<string, string>> {
  const token = randomBytes(16).toString("hex");
  const server = createServer((req, res) => {
    res
      .writeHead(req.url === PROBE_PATH + token ? 200 : 404, { "content-type": "text/plain" })
      .end(req.url === PROBE_PATH + token ? token : "");
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, bind, () => resolve());
  });
  const failures = new Map<string, string>();
  try {
    await Promise.all(
      urls.map(async (url) => {
        try {
          const res = await fetch(url + PROBE_PATH + token, {
            redirect: "manual",
            signal: AbortSignal.timeout(timeoutMs),
          });
          const body = await res.text();
          if (res.status >= 300 && res.status < 400)
            failures.set(url, `it redirects to ${res.headers.get("location") ?? "elsewhere"}`);
          else if (res.status !== 200 || body !== token)
            failures.set(url, `another server answers there (HTTP ${res.status})`);
        } catch (e) {
          failures.set(
            url,
            `it cannot be reached (${(e as Error & { cause?: Error }).cause?.message ?? (e as Error).message})`,
          );
        }
      }),
    );
  } finally {
    server.closeAllConnections();
    await new Promise((r) => server.close(r));
  }
  return failures;
}

export interface MoveReport {
  counts: RewriteCounts;
  followers: number;
  following: number;
  identity: Identity;
}

/** Moves the instance (every process of it stopped, both URLs checked) to `to`. */
export async function moveInstance(instance: Instance, to: Previous): Promise<MoveReport> {
  const { store } = instance;
  const from: Previous = { url: instance.identity.url, handle: instance.identity.handle };
  const pending: PendingMove = { from, to, started: new Date().toISOString() };
  // An interrupted move leaves this behind; every process refuses to start until it is finished.
  await store.kv.set(MOVE_KEY, pending);

  const oldActor = actorOf(from);
  const counts = await store.rewriteOwn(from.url, to.url, {
    record(r: InitiativeRecord): InitiativeRecord {
      const initiative = { ...r.initiative, id: rebase(r.initiative.id, from, to) };
      return { ...r, initiative, version: versionOf(initiative) };
    },
    message(queue: string, payload: unknown): unknown {
      if (queue !== "delivery") return payload;
      const d = payload as Delivery;
      const body = JSON.parse(d.body) as Json;
      // A record's Create, Update or Delete carries a proof by the old actor over the old IRIs;
      // followers get the records again by back-fill once they follow the new actor.
      const object = body.object as Json | undefined;
      if (
        body.actor === oldActor &&
        ["Create", "Update", "Delete"].includes(String(body.type)) &&
        (object?.proof || body.proof)
      )
        return undefined;
      return { ...d, activityId: rebase(d.activityId, from, to), body: JSON.stringify(rebaseActivity(body, from, to)) };
    },
  });

  const iris = makeIris(to.url, to.handle);
  const fromIris = instance.iris;
  const keysOf = (activities: Json[], inboxes: string[], signAs?: string): Delivery[] =>
    activities.flatMap((a) =>
      inboxes.map((inbox) => ({
        inbox,
        activityId: String(a.id),
        body: JSON.stringify(a),
        attempts: 0,
        ...(signAs ? { signAs } : {}),
      })),
    );
  const deliveries: Delivery[] = [];

  const followerInboxes = [...new Set((await store.listFollowers("accepted")).map((f) => f.sharedInbox ?? f.inbox))];
  const identity: Identity = {
    url: to.url,
    handle: to.handle,
    since: new Date().toISOString(),
    previous: [...instance.identity.previous, { url: from.url, handle: from.handle, until: new Date().toISOString() }],
  };
  if (followerInboxes.length) {
    const document = await movedActorDocument(from, identity, instance.keys, instance.config.name);
    const update = {
      "@context": document["@context"],
      id: fromIris.activity("update"),
      type: "Update",
      actor: oldActor,
      to: ["https://www.w3.org/ns/activitystreams#Public"],
      object: { ...document, "@context": undefined },
    };
    const move = {
      "@context": DOCUMENT_CONTEXT,
      id: fromIris.activity("move"),
      type: "Move",
      actor: oldActor,
      object: oldActor,
      target: iris.actor,
      to: [`${oldActor}/followers`],
    };
    deliveries.push(...keysOf([JSON.parse(JSON.stringify(update)) as Json, move], followerInboxes, oldActor));
  }
  const followings = await store.listFollowing();
  for (const f of followings) {
    deliveries.push(...keysOf([undoFollow(fromIris, f.followId, f.actor)], [f.inbox], oldActor));
    const followId = iris.activity("follow");
    deliveries.push(...keysOf([followActivity(iris, followId, f.actor)], [f.inbox]));
    await store.putFollowing({ ...f, followId, state: "pending" });
  }
  await store.queue("delivery").enqueueMany(deliveries);

  await store.kv.set(IDENTITY_KEY, identity);
  await store.kv.delete(MOVE_KEY);
  return { counts, followers: followerInboxes.length, following: followings.length, identity };
}

/**
 * An activity of ours with its own IRIs moved; an embedded object with a proof is someone's signed document and stays
 * as it is.
 */
function rebaseActivity(activity: Json, from: Previous, to: Previous): Json {
  const map = (v: unknown): unknown =>
    typeof v === "string" ? rebase(v, from, to) : Array.isArray(v) ? v.map(map) : v;
  const out: Json = { ...activity };
  for (const k of ["id", "actor", "to", "cc", "target"]) if (k in out) out[k] = map(out[k]);
  const object = out.object;
  if (typeof object === "string") out.object = map(object);
  else if (object && typeof object === "object" && !Array.isArray(object) && !(object as Json).proof) {
    const o: Json = { ...(object as Json) };
    for (const k of ["id", "actor", "object"]) if (k in o) o[k] = map(o[k]);
    out.object = o;
  }
  return out;
}
