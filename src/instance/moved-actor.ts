/**
 * What an instance that moved still says under its earlier identities: the old actor document,
 * with the same keys (so a Move signed in its name can be verified) and `movedTo` naming the new
 * actor, as Mastodon and other servers expect of a moved account; and where everything else under
 * the old URL went. Served by `http/routes/moved.ts` and sent with the Update of a move.
 */
import { CryptographicKey, Endpoints, Multikey, Organization } from "@fedify/vocab";
import type { ActorKeys } from "../federation/keys.ts";
import { actorOf, type Identity } from "./identity.ts";

export interface Previous {
  url: string;
  handle: string;
}

/** The previous identity's actor document (compact JSON-LD) pointing at the current actor. */
export async function movedActorDocument(
  previous: Previous,
  current: Identity,
  keys: ActorKeys,
  name: string,
): Promise<Record<string, unknown>> {
  const id = actorOf(previous);
  const successor = new URL(actorOf(current));
  // The old actor's mail goes to this instance's shared inbox, under its current URL.
  const inbox = new URL(`${current.url}/inbox`);
  const actor = new Organization({
    id: new URL(id),
    preferredUsername: previous.handle,
    name,
    url: successor,
    inbox,
    endpoints: new Endpoints({ sharedInbox: inbox }),
    successor,
    aliases: [successor],
    // The same key pairs as the current actor, under the old actor's key ids (ADR 10).
    publicKeys: [
      new CryptographicKey({ id: new URL(`${id}#main-key`), owner: new URL(id), publicKey: keys.rsa.publicKey }),
      new CryptographicKey({ id: new URL(`${id}#key-2`), owner: new URL(id), publicKey: keys.ed25519.publicKey }),
    ],
    assertionMethods: [
      new Multikey({ id: new URL(`${id}#multikey-2`), controller: new URL(id), publicKey: keys.ed25519.publicKey }),
    ],
  });
  return (await actor.toJsonLd({ format: "compact" })) as Record<string, unknown>;
}

/** Maps an IRI under a previous identity to the current one (the actor, then anything under the base URL). */
export function rebase(iri: string, from: Previous, to: { url: string; handle: string }): string {
  const oldActor = actorOf(from);
  if (iri === oldActor || iri.startsWith(`${oldActor}/`) || iri.startsWith(`${oldActor}#`))
    return actorOf(to) + iri.slice(oldActor.length);
  if (iri.startsWith(`${from.url}/`)) return to.url + iri.slice(from.url.length);
  return iri;
}
