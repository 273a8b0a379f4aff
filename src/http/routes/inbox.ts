/**
 * The inbox over HTTP (`POST /inbox`, `POST /actors/{handle}/inbox`): reads the body (at most
 * `INBOX_LIMIT` bytes), counts the request against the rate limits, and hands it to the inbox use
 * case (`federation/inbox/receive.ts`), whose result becomes a 202 and whose refusals, thrown as
 * `HttpError`s, become problem+json. Every method but POST gets 405 with `Allow: POST`.
 */
import express, { Router, type Request, type RequestHandler, type Response } from "express";
import { HttpError } from "../../errors.ts";
import { INBOX_LIMIT, type Inbox } from "../../federation/inbox/receive.ts";
import { logger } from "../../logging.ts";

const log = logger("federation", "inbox");

/** The inbox's rate limits (see `http/middleware/rate-limit.ts`); absent: none. */
export interface InboxLimits {
  inboxAddress: RequestHandler;
  inboxHost(req: Request, res: Response, host: string): Promise<void>;
}

/**
 * @param base the instance's public URL (the signature covers the URL as the sender addressed it)
 * @param paths the inbox paths (`federation/inbox/paths.ts`)
 */
export function inboxRoutes(inbox: Inbox, base: string, paths: string[], limits?: InboxLimits): Router {
  const router = Router();
  const raw = express.raw({ type: () => true, limit: INBOX_LIMIT });

  const receive = async (req: Request, res: Response) => {
    const body = Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
    const headers = new Headers();
    for (const [k, v] of Object.entries(req.headers)) if (typeof v === "string") headers.set(k, v);
    const received = await inbox.receive(
      { url: new URL(req.originalUrl, base), headers, body },
      {
        signed: async (activityType, host) => {
          res.locals.activityType = activityType;
          await limits?.inboxHost(req, res, host);
        },
      },
    );
    res
      .status(202)
      .type("application/json")
      .send(JSON.stringify({ status: received.status }));
  };

  for (const path of paths) {
    router.post(path, ...(limits ? [limits.inboxAddress] : []), raw, async (req, res, next) => {
      try {
        await receive(req, res);
      } catch (e) {
        // Unknown failures are logged once, by the problem handler; refusals are expected outcomes.
        if (HttpError.isInstance(e))
          log.debug("Inbox refused {code}: {message}", { code: e.code, message: e.message, client: req.ip ?? "" });
        next(e);
      }
    });
  }
  // An inbox takes POST only; anything else is told so, not answered as a missing page.
  const known = new Set(paths);
  router.use((req, res, next) => {
    if (req.method === "POST" || !known.has(req.path)) return next();
    res.setHeader("Allow", "POST");
    next(new HttpError(405, "method-not-allowed", "an inbox takes POST only"));
  });
  return router;
}
