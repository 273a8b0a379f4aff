/**
 * What the console's routes share: the page context of a signed-in person, and an HTML page for
 * refusals (people in a browser get a page in their language; scripts still get problem+json).
 */
import type { ErrorRequestHandler, Request, Response } from "express";
import type { Accounts } from "../../accounts/accounts.ts";
import { HttpError } from "../../errors.ts";
import type { WebDeps } from "../deps.ts";
import { pageContext, render, sendPage, type PageContext } from "../render.ts";
import type { SessionCookies, SignedInRequest } from "./session.ts";

export interface ConsoleDeps extends WebDeps {
  accounts: Accounts;
  sessions: SessionCookies;
}

export async function consoleContext(
  d: ConsoleDeps,
  req: Request,
  res: Response,
  section: PageContext["section"] = "console",
): Promise<PageContext> {
  await d.assets.ready();
  return {
    ...pageContext(req, res, d.config, d.iris.actor, d.assets.url, d.sessions.viewer(req as SignedInRequest)),
    section,
  };
}

/** Renders a console page inside the layout. */
export async function sendConsolePage(
  d: ConsoleDeps,
  req: Request,
  res: Response,
  view: string,
  title: string,
  data: Record<string, unknown> = {},
  status = 200,
  extra: Record<string, unknown> = {},
): Promise<void> {
  const ctx = await consoleContext(d, req, res, (extra.section as PageContext["section"]) ?? "console");
  const body = render(view, ctx, data);
  sendPage(res, ctx, render("layout", ctx, { title: ctx.t(title), body, ...extra }), status);
}

/** Refusals as a page for browsers. */
export function htmlErrors(d: ConsoleDeps): ErrorRequestHandler {
  return (err, req, res, next) => {
    if (!HttpError.isInstance(err) || !req.accepts("html") || res.headersSent) return next(err);
    consoleContext(d, req, res).then((ctx) => {
      const heading = ctx.t(
        err.status === 403
          ? "error.forbidden"
          : err.status === 404
            ? "error.notFound"
            : err.status === 429
              ? "error.tooMany"
              : "error.title",
      );
      const message = ctx.tr.has(`error.code.${err.code}`) ? ctx.t(`error.code.${err.code}`) : err.message;
      sendPage(
        res,
        ctx,
        render("layout", ctx, {
          title: heading,
          body: render("error", ctx, {
            heading,
            message,
            back: req.get("referer")?.startsWith(d.config.url) ? req.get("referer") : "/console",
          }),
        }),
        err.status,
      );
    }, next);
  };
}
