/**
 * Pages for people: the home page, the network's profile (the actor IRI asked for as HTML) and the
 * explanation behind each problem type URI.
 */
import { Router } from "express";
import type { HttpDeps } from "../deps.ts";
import { openApi } from "../openapi.ts";
import { esc, layout } from "../html.ts";

export function pageRoutes(deps: HttpDeps): Router {
  const { config, store, iris } = deps;
  const router = Router();
  const profile = async () => {
    const [own, all, followers, following] = await Promise.all([
      store.countInitiatives(null), store.countInitiatives(), store.listFollowers("accepted"), store.listFollowing(),
    ]);
    const host = new URL(config.url).host;
    return layout(config.name, `<h1>${esc(config.name)}</h1><p>${esc(config.summary)}</p>
<p>Follow <code>@${esc(config.handle)}@${esc(host)}</code> from Mastodon or any ActivityPub software.</p>
<ul><li>${own} initiatives published here, ${all} in all (with those mirrored from followed networks)</li>
<li>${followers.length} followers, following ${following.filter((f) => f.state === "accepted").length} networks</li></ul>
<p><a href="${esc(iris.directory)}?page=true&amp;format=html">Browse the directory</a> · <a href="/vocab/">Vocabularies</a></p>`,
    `<link rel="alternate" type="application/activity+json" href="${esc(iris.actor)}">`);
  };
  router.get(`/actors/${config.handle}`, async (_req, res) => void res.type("text/html").send(await profile()));
  router.get("/openapi.json", (_req, res) => {
    res.setHeader("Access-Control-Allow-Origin", "*");
    res.json(openApi(config));
  });
  router.get("/problems/:code", (req, res) => {
    const code = String(req.params.code).replace(/[^a-z0-9-]/g, "");
    res.type("text/html").send(layout(code, `<h1>Problem: ${esc(code)}</h1><p>essfed answered with this problem type. The <code>detail</code> member of the response says what was wrong with the request; see the API documentation.</p>`));
  });
  return router;
}
