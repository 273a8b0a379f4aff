/**
 * Posts hand-made activities to an inbox, signed with a real instance's RSA key (or not signed, or
 * signed wrongly), for tests of what the inbox accepts and refuses.
 */
import { Temporal } from "@js-temporal/polyfill";
import { signRequest } from "@fedify/fedify/sig";
import type { Instance } from "../../src/compose.ts";
import { auth, type TestInstance } from "./instance.ts";
import { eventually } from "./process.ts";

export interface SendOptions {
  spec?: "draft-cavage-http-signatures-12" | "rfc9421";
  /** Sign as if at this time (stale Date tests). */
  signedAt?: Date;
  /** Sign one body and send another (digest mismatch). */
  sendBody?: string;
  /** Sign with this key instead of the sender's own. */
  privateKey?: CryptoKey;
  unsigned?: boolean;
  contentType?: string;
}

export async function postActivity(
  sender: Instance,
  inbox: string,
  activity: unknown,
  o: SendOptions = {},
): Promise<Response> {
  const body = typeof activity === "string" ? activity : JSON.stringify(activity);
  let req = new Request(inbox, {
    method: "POST",
    headers: { "content-type": o.contentType ?? "application/activity+json" },
    body,
  });
  if (!o.unsigned) {
    req = await signRequest(req, o.privateKey ?? sender.keys.rsa.privateKey, new URL(`${sender.iris.actor}#main-key`), {
      spec: o.spec ?? "draft-cavage-http-signatures-12",
      ...(o.signedAt ? { currentTime: Temporal.Instant.fromEpochMilliseconds(o.signedAt.getTime()) } : {}),
    });
  }
  if (o.sendBody !== undefined) {
    req = new Request(inbox, { method: "POST", headers: req.headers, body: o.sendBody });
  }
  return fetch(req);
}

/** A Create of an initiative owned by `owner` (an actor IRI), as essfed would write it. */
export function createActivity(
  actor: string,
  objectId: string,
  owner = actor,
  name = "Hand-made Co-op",
): Record<string, unknown> {
  return {
    "@context": [
      "https://www.w3.org/ns/activitystreams",
      { essglobal: "https://lod.coop/essglobal/2.1/vocab/", gr: "http://purl.org/goodrelations/v1#" },
    ],
    id: `${actor.replace(/\/actors\/.*/, "")}/activities/test-${Math.random().toString(36).slice(2)}`,
    type: "Create",
    actor,
    object: {
      id: objectId,
      type: ["Page", "essglobal:SSEInitiative"],
      name,
      "gr:name": name,
      attributedTo: owner,
      published: new Date().toISOString(),
      updated: new Date().toISOString(),
    },
  };
}

/** Makes `receiver` follow `sender` through its admin API and waits until the follow is accepted. */
export async function followAccepted(receiver: TestInstance, sender: TestInstance, ms = 20_000): Promise<void> {
  const res = await fetch(`${receiver.base}/api/follows`, {
    method: "POST",
    headers: { ...auth, "content-type": "application/json" },
    body: JSON.stringify({ target: sender.iris.actor }),
  });
  if (res.status !== 202) throw new Error(`follow: ${res.status} ${await res.text()}`);
  await eventually(
    async () => (await receiver.store.getFollowing(sender.iris.actor))?.state === "accepted",
    ms,
    "receiver follows sender",
  );
}
