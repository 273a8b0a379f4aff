/**
 * The activities essfed sends, as plain JSON-LD under {@link DOCUMENT_CONTEXT}. They are built and
 * signed here, not through Fedify's vocabulary classes, because those drop every property they do
 * not model and the whole point is to carry ESSGLOBAL data intact.
 */
import { DOCUMENT_CONTEXT } from "../linkeddata/context.ts";
import { PUBLIC } from "../linkeddata/namespaces.ts";
import type { Iris } from "../directory/ids.ts";

export type Json = Record<string, unknown>;

/** An embedded object without its own @context is read under its container's (JSON-LD scoping). */
export function withContext(object: unknown, outer: Json): unknown {
  return object &&
    typeof object === "object" &&
    !Array.isArray(object) &&
    !("@context" in object) &&
    outer["@context"] !== undefined
    ? { "@context": outer["@context"], ...object }
    : object;
}

/** Addressing shared by public activities: everyone, and this network's followers. */
function publicAddressing(iris: Iris): Json {
  return { to: [PUBLIC], cc: [`${iris.actor}/followers`] };
}

/** Create or Update of one of our initiatives; `object` is the signed initiative document. */
export function createOrUpdate(iris: Iris, kind: "Create" | "Update", object: Json, version: string): Json {
  const localId = iris.localId(String(object.id)) ?? "x";
  return {
    "@context": DOCUMENT_CONTEXT,
    id: `${iris.base}/activities/${kind.toLowerCase()}/${localId}/${version}`,
    type: kind,
    actor: iris.actor,
    published: object.updated,
    ...publicAddressing(iris),
    object,
  };
}

/** Delete of one of our initiatives (signed by the caller, so relays can forward it verifiably). */
export function deleteActivity(iris: Iris, objectId: string, deleted: string): Json {
  const localId = iris.localId(objectId) ?? "x";
  return {
    "@context": DOCUMENT_CONTEXT,
    id: `${iris.base}/activities/delete/${localId}/${Date.parse(deleted).toString(36)}`,
    type: "Delete",
    actor: iris.actor,
    published: deleted,
    ...publicAddressing(iris),
    object: { id: objectId, type: "Tombstone", formerType: ["Page", "essglobal:SSEInitiative"], deleted },
  };
}

/**
 * A relay: this network re-announces something it received from a network it follows. `object` is
 * the origin's own signed document (an initiative or a Delete) so receivers can verify the origin;
 * `essfed:via` lists the relays it passed through before us.
 */
export function announce(iris: Iris, object: Json, via: string[]): Json {
  return {
    "@context": DOCUMENT_CONTEXT,
    id: iris.activity("announce"),
    type: "Announce",
    actor: iris.actor,
    published: new Date().toISOString(),
    ...publicAddressing(iris),
    "essfed:via": via,
    object,
  };
}

export function follow(iris: Iris, id: string, target: string): Json {
  return { "@context": DOCUMENT_CONTEXT, id, type: "Follow", actor: iris.actor, object: target, to: [target] };
}

export function undoFollow(iris: Iris, followId: string, target: string): Json {
  return {
    "@context": DOCUMENT_CONTEXT,
    id: iris.activity("undo"),
    type: "Undo",
    actor: iris.actor,
    to: [target],
    object: { id: followId, type: "Follow", actor: iris.actor, object: target },
  };
}

export function acceptOrReject(iris: Iris, kind: "Accept" | "Reject", followId: string, follower: string): Json {
  return {
    "@context": DOCUMENT_CONTEXT,
    id: iris.activity(kind),
    type: kind,
    actor: iris.actor,
    to: [follower],
    object: { id: followId, type: "Follow", actor: follower, object: iris.actor },
  };
}
