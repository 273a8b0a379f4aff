/**
 * Requests that reach this instance under an identity it has moved away from (`essfed move-url`),
 * as long as the old URL still points here: the old actor answers with its document (`movedTo` the
 * new actor, the same keys), WebFinger still finds it, activities posted to its inboxes are
 * received, and everything else is permanently redirected to the same path under the current URL.
 */
import { Router } from "express";
import type { ActorKeys } from "../../federation/keys.ts";
import { actorOf, type Identity } from "../../instance/identity.ts";
import { movedActorDocument, type Previous } from "../../instance/moved-actor.ts";

const ACTIVITY_JSON = /application\/(activity\+json|ld\+json)/;

export function movedRoutes(deps: { identity: Identity; keys: ActorKeys; name: string }): Router {
  const router = Router();
  const current = deps.identity;
  const currentHost = new URL(current.url).host;
  const previous = current.previous.filter((p) => actorOf(p) !== actorOf(current));
  if (!previous.length) return router;
  const documents = new Map<Previous, Promise<string>>();
  const documentOf = (p: Previous) => {
    let d = documents.get(p);
    if (!d)
      documents.set(p, (d = movedActorDocument(p, current, deps.keys, deps.name).then((doc) => JSON.stringify(doc))));
    return d;
  };
  const accounts = (p: Previous) => {
    const u = new URL(p.url);
    return new Set([`acct:${p.handle}@${u.host}`, `acct:${p.handle}@${u.hostname}`, actorOf(p)]);
  };

  router.use(async (req, res, next) => {
    const host = req.host;
    for (const p of previous) {
      const oldHost = new URL(p.url).host;
      const onOldHost = host === oldHost && oldHost !== currentHost;
      const atOldActor =
        req.path === `/actors/${p.handle}` && (onOldHost || (host === currentHost && p.handle !== current.handle));
      const reading = req.method === "GET" || req.method === "HEAD";
      if (atOldActor && reading) {
        if (!ACTIVITY_JSON.test(req.get("accept") ?? "")) return res.redirect(308, actorOf(current));
        return void res.type("application/activity+json").send(await documentOf(p));
      }
      if (
        req.path === "/.well-known/webfinger" &&
        reading &&
        typeof req.query.resource === "string" &&
        accounts(p).has(req.query.resource)
      ) {
        return void res.type("application/jrd+json").json({
          subject: `acct:${p.handle}@${new URL(p.url).host}`,
          aliases: [actorOf(p)],
          links: [{ rel: "self", type: "application/activity+json", href: actorOf(p) }],
        });
      }
      if (!onOldHost) continue;
      // Followers that have not moved yet still deliver to the old inboxes; they are this server's.
      if (req.method === "POST" && /^\/(inbox|actors\/[^/]+\/inbox)$/.test(req.path)) return next();
      return res.redirect(308, current.url + req.originalUrl);
    }
    next();
  });
  return router;
}
