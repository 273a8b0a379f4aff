/**
 * The team console under `/console`: sign-in, the team's accounts, the audit log, and (in their own
 * modules) editing initiatives, importing files and following networks.
 */
import { Router } from "express";
import { htmlErrors } from "./context.ts";
import { authRoutes } from "./auth.ts";
import { curationRoutes } from "./curation.ts";
import { duplicateRoutes } from "./duplicates.ts";
import { federationRoutes, type FederationConsoleDeps } from "./federation.ts";
import { importRoutes } from "./imports.ts";
import { initiativeRoutes } from "./initiatives.ts";
import { teamRoutes } from "./team.ts";
import { suggestRoutes } from "../suggest.ts";

export type { ConsoleDeps } from "./context.ts";

export function consoleRoutes(d: FederationConsoleDeps): Router {
  const router = Router();
  router.use("/console", d.sessions.read);
  router.use(authRoutes(d));
  router.use(teamRoutes(d));
  router.use(initiativeRoutes(d));
  router.use(importRoutes(d));
  router.use(federationRoutes(d));
  router.use(curationRoutes(d));
  router.use(duplicateRoutes(d));
  router.use(suggestRoutes(d));
  router.use(htmlErrors(d));
  return router;
}
