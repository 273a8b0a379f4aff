/**
 * The Express application: Fedify first (for its own paths only), then essfed's routes, then the
 * problem+json error handler. Built by `compose.ts`; no globals.
 */
import express, { type Express } from "express";
import type { Federation } from "@fedify/fedify";
import type { HttpDeps } from "./deps.ts";
import { federationMiddleware } from "./middleware/federation.ts";
import { notFound, problemHandler, refuseMalformedPath } from "./middleware/problem.ts";
import { initiativeRoutes } from "./routes/initiatives.ts";
import { refuseUnstorableUrl } from "./middleware/text.ts";
import { pageRoutes } from "./routes/pages.ts";
import { vocabRoutes } from "./routes/vocab.ts";

export interface AppDeps extends HttpDeps {
  federation: Federation<void>;
  /** Routers that must see their paths before Fedify does (the inbox). */
  preRouters?: express.Router[];
  /** Counts every request (the metrics); first, so that every answer is counted. */
  measure?: express.RequestHandler;
  /** `/healthz` and `/readyz`, answered before anything else (and never rate limited). */
  probes?: express.Router;
  /** Request rate limits per client address (everything but the inbox, which limits itself). */
  rateLimit?: express.RequestHandler;
  /** Extra routers (admin API, query API) mounted before the 404 handler. */
  routers?: express.Router[];
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
  for (const r of deps.preRouters ?? []) app.use(r);
  app.use(federationMiddleware(deps.federation, deps.config.url));
  app.use(initiativeRoutes(deps));
  app.use(vocabRoutes());
  app.use(pageRoutes(deps));
  for (const r of deps.routers ?? []) app.use(r);
  app.use(notFound);
  app.use(problemHandler(deps.config.url));
  return app;
}
