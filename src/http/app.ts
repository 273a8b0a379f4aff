/**
 * The Express application's frame: the checks every request passes first, then the routes the
 * composition root hands over (`routes.ts`, the one place routes are mounted), then the 404 and the
 * problem+json error handler. Built by `compose.ts`; no globals.
 */
import express, { type Express } from "express";
import type { Config } from "../config.ts";
import { notFound, problemHandler, refuseMalformedPath } from "./middleware/problem.ts";
import { refuseUnstorableUrl } from "./middleware/text.ts";

export interface AppDeps {
  config: Config;
  /** Counts every request (the metrics); first, so that every answer is counted. */
  measure?: express.RequestHandler;
  /** `/healthz` and `/readyz`, answered before anything else (and never rate limited). */
  probes?: express.Router;
  /** Request rate limits per client address (everything but the inbox, which limits itself). */
  rateLimit?: express.RequestHandler;
  /** Every route, in the order they are tried (see `routes.ts`). */
  routes: express.RequestHandler[];
}

export function createApp(deps: AppDeps): Express {
  const app = express();
  app.disable("x-powered-by");
  // X-Forwarded-For is believed only from the proxies ESSFED_TRUST_PROXY names (none by default).
  app.set("trust proxy", deps.config.trustProxy);
  app.set("query parser", "simple");
  if (deps.measure) app.use(deps.measure);
  app.use(refuseMalformedPath);
  if (deps.probes) app.use(deps.probes);
  if (deps.rateLimit) app.use(deps.rateLimit);
  app.use(refuseUnstorableUrl);
  for (const r of deps.routes) app.use(r);
  app.use(notFound);
  app.use(problemHandler(deps.config.url));
  return app;
}
