/**
 * Every route of an instance, in the order they are tried: part of the composition root, the one
 * place routes are mounted (`http/app.ts` only wraps them in the request checks before and the
 * problem+json handler after). Order matters where paths meet: the inbox before Fedify, which
 * answers only its own paths, and content negotiation on initiative IRIs before the pages for people.
 */
import type { RequestHandler } from "express";
import type { Federation } from "@fedify/fedify";
import type { Accounts } from "./accounts/accounts.ts";
import type { FederationContext } from "./federation/context.ts";
import { inboxPaths } from "./federation/inbox/paths.ts";
import { Inbox } from "./federation/inbox/receive.ts";
import type { ActorKeys } from "./federation/keys.ts";
import type { HttpDeps } from "./http/deps.ts";
import { federationMiddleware } from "./http/middleware/federation.ts";
import type { RateLimits } from "./http/middleware/rate-limit.ts";
import { adminRoutes } from "./http/routes/admin.ts";
import { apiRoutes } from "./http/routes/api.ts";
import { curationRoutes } from "./http/routes/curation.ts";
import { datasetRoutes } from "./http/routes/dataset.ts";
import { dumpRoutes } from "./http/routes/dumps.ts";
import { duplicateRoutes } from "./http/routes/duplicates.ts";
import { inboxRoutes } from "./http/routes/inbox.ts";
import { initiativeRoutes } from "./http/routes/initiatives.ts";
import { linksetRoutes } from "./http/routes/linkset.ts";
import { movedRoutes } from "./http/routes/moved.ts";
import { pageRoutes } from "./http/routes/pages.ts";
import { peopleRoutes } from "./http/routes/people.ts";
import { sparqlRoutes } from "./http/routes/sparql.ts";
import { vocabRoutes } from "./http/routes/vocab.ts";
import type { Identity } from "./instance/identity.ts";
import type { SparqlPool } from "./query/sparql-pool.ts";
import { consoleRoutes } from "./web/console/index.ts";
import type { SessionCookies } from "./web/console/session.ts";
import type { WebDeps } from "./web/deps.ts";
import type { publicPages } from "./web/public.ts";

export interface RouteParts {
  http: HttpDeps;
  federation: Federation<void>;
  ctx: FederationContext;
  identity: Identity;
  keys: ActorKeys;
  limits: RateLimits;
  sparql: SparqlPool;
  web: WebDeps;
  people: ReturnType<typeof publicPages>;
  accounts: Accounts;
  sessions: SessionCookies;
}

export function routes(p: RouteParts): RequestHandler[] {
  const { http, ctx } = p;
  return [
    // Before Fedify: a moved actor's old paths, and the inbox, which essfed answers itself.
    movedRoutes({ identity: p.identity, keys: p.keys, name: http.config.name }),
    inboxRoutes(new Inbox(ctx), ctx.config.url, inboxPaths(ctx.config.handle), p.limits),
    federationMiddleware(p.federation, http.config.url),
    initiativeRoutes(http),
    vocabRoutes(),
    pageRoutes(http),
    datasetRoutes(http),
    adminRoutes(ctx),
    curationRoutes(ctx),
    apiRoutes(http),
    p.web.assets.routes(),
    p.people.router,
    consoleRoutes({ ...p.web, accounts: p.accounts, sessions: p.sessions, federation: ctx }),
    dumpRoutes(http),
    sparqlRoutes(p.sparql),
    duplicateRoutes(http),
    peopleRoutes(http),
    linksetRoutes(http),
  ];
}
