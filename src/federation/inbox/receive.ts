/**
 * The inbox (`POST /inbox`, `POST /actors/{handle}/inbox`). Before anything is stored, every
 * activity passes these gates, each refused with problem+json and a test: a size cap, JSON, the
 * JSON-LD budget (shipped contexts only; ADR 18), a valid HTTP signature (draft-cavage or RFC 9421,
 * with digest and a Date inside the time window, verified by Fedify) whose key belongs to the
 * activity's actor. The
 * key is looked up through the outbound client (`key-lookup.ts`): signed, under a deadline, never
 * at a refused address. Then only what this network asked for is taken (`admission.ts`), and
 * each activity is handled once.
 */
import express, { Router, type Request } from "express";
import { Temporal } from "@js-temporal/polyfill";
import { verifyRequestDetailed } from "@fedify/fedify/sig";
import { staticDocumentLoader } from "../../linkeddata/context.ts";
import { JsonLdInputError, prescan } from "../../linkeddata/jsonld-budget.ts";
import { logger } from "../../logging.ts";
import {
  BadRequestHttpError,
  ForbiddenHttpError,
  HttpError,
  UnauthorizedHttpError,
  UnprocessableHttpError,
  UnsupportedMediaTypeHttpError,
} from "../../errors.ts";
import { MAX_IRI_BYTES, findUnstorableText, iriFits } from "../../domain/text.ts";
import type { FederationContext } from "../context.ts";
import { idOf } from "../proofs/trust.ts";
import { admission } from "./admission.ts";
import { handleActivity } from "./handlers.ts";
import { inboxPaths } from "./paths.ts";

const log = logger("federation", "inbox");

/** Mastodon refuses activities over 1 MB (MAX_JSON_SIZE); so do we. */
export const INBOX_LIMIT = 1024 * 1024;
const TYPES = ["application/activity+json", "application/ld+json", "application/json"];

/**
 * The JSON-LD budget (ADR 18), before the signature is checked and anything is fetched: a document
 * whose shape is over it is refused with 413 or 422, a context we do not ship with 400.
 */
export function refuseOverBudget(activity: unknown): void {
  try {
    prescan(activity);
  } catch (e) {
    if (e instanceof JsonLdInputError) throw new BadRequestHttpError(e.message, e.code);
    throw e;
  }
}

/**
 * Refuses (422) an activity holding text no store can hold, anywhere in it (it may be relayed and
 * queued whole), or an id or actor IRI too long to be a key (ADR 19). Checked before the signature:
 * it is a property of the document, whoever sent it.
 */
export function refuseUnstorableText(activity: Record<string, unknown>): void {
  const bad = findUnstorableText(activity, "activity");
  if (bad)
    throw new UnprocessableHttpError(
      `${bad.path} ${bad.reason}`,
      [{ field: bad.path, message: bad.reason }],
      "unstorable-text",
    );
  // Ids of the activity, its actor and its objects (nested ones: an Announce of a Delete) become keys.
  const stack: unknown[] = [activity];
  for (let n = 0; stack.length && n < 100_000; n++) {
    const v = stack.pop();
    if (Array.isArray(v)) stack.push(...(v as unknown[]));
    else if (v !== null && typeof v === "object") {
      for (const key of ["id", "@id", "actor", "object"]) {
        const x = (v as Record<string, unknown>)[key];
        if (typeof x === "string" && !iriFits(x)) {
          throw new UnprocessableHttpError(
            `an ${key} of the activity is longer than ${MAX_IRI_BYTES} bytes`,
            [{ field: key, message: `is longer than ${MAX_IRI_BYTES} bytes` }],
            "iri-too-long",
          );
        }
        if (typeof x === "object") stack.push(x);
      }
    }
  }
}

/** The inbox's rate limits (see src/http/middleware/rate-limit.ts); absent: none. */
export interface InboxLimits {
  inboxAddress: express.RequestHandler;
  inboxHost(req: Request, res: express.Response, host: string): Promise<void>;
}

export function inboxRoutes(ctx: FederationContext, limits?: InboxLimits): Router {
  const router = Router();
  const { documentLoader, keyCache } = ctx.keyLookup;
  const raw = express.raw({ type: () => true, limit: INBOX_LIMIT });
  const recent = new Set<string>();
  const remember = (id: string) => {
    if (recent.size >= 10_000) recent.clear();
    recent.add(id);
  };

  const receive = async (req: Request, res: express.Response) => {
    const type = (req.headers["content-type"] ?? "").split(";")[0]!.trim().toLowerCase();
    if (!TYPES.includes(type)) throw new UnsupportedMediaTypeHttpError(TYPES);
    const body = req.body as Buffer;
    if (!Buffer.isBuffer(body) || !body.length) throw new BadRequestHttpError("the body is empty", "empty-body");
    let activity: Record<string, unknown>;
    try {
      activity = JSON.parse(body.toString("utf8")) as Record<string, unknown>;
    } catch (e) {
      throw new BadRequestHttpError(`the body is not valid JSON: ${(e as Error).message}`, "invalid-json");
    }
    if (typeof activity !== "object" || activity === null || Array.isArray(activity))
      throw new BadRequestHttpError("the body must be a JSON object", "invalid-activity");
    const actor = idOf(activity.actor);
    if (!actor || typeof activity.id !== "string" || typeof activity.type !== "string") {
      throw new BadRequestHttpError("an activity needs an id, a type and an actor", "invalid-activity");
    }
    refuseOverBudget(activity);
    refuseUnstorableText(activity);

    const headers = new Headers();
    for (const [k, v] of Object.entries(req.headers)) if (typeof v === "string") headers.set(k, v);
    const request = new Request(new URL(req.originalUrl, ctx.config.url), {
      method: "POST",
      headers,
      body: new Uint8Array(body),
    });
    const verified = await verifyRequestDetailed(request, {
      documentLoader,
      contextLoader: staticDocumentLoader,
      keyCache,
      timeWindow: Temporal.Duration.from({ hours: 1 }),
    });
    if (!verified.verified) {
      const r = verified.reason;
      const keyId = "keyId" in r ? r.keyId : undefined;
      // A failure within the last minute is not retried (Fedify caches it): say what it was.
      const failure = keyId ? ctx.keyLookup.failure(keyId) : undefined;
      const reason = failure
        ? `the signing key ${keyId!.href} could not be fetched: ${failure.reason}`
        : r.type === "keyFetchError"
          ? `the signing key ${r.keyId.href} could not be fetched`
          : r.type === "noSignature"
            ? "the request is not signed"
            : "the signature, digest or date does not verify";
      // A key server that is down, slow or rate limiting us says nothing about the signature: 503
      // with Retry-After makes the sender retry (Mastodon drops a delivery answered with 401).
      if (failure?.transient) throw new HttpError(503, "signing-key-unavailable", reason, { retryAfter: 60 });
      throw new UnauthorizedHttpError(reason);
    }
    const owner = verified.key.ownerId?.href;
    if (owner !== actor)
      throw new UnauthorizedHttpError(
        `the request is signed by ${owner ?? "an unknown actor"}, not by the activity's actor ${actor}`,
      );
    // From here on the sender is known: it is counted by its host, not by its address.
    res.locals.activityType = activity.type;
    await limits?.inboxHost(req, res, new URL(actor).host);
    // Authenticated; now, did this network ask for it?
    const refusal = await admission(ctx, activity, actor);
    if (refusal) throw new ForbiddenHttpError(refusal.message, refusal.code);
    // The same activity by two paths: the second is absorbed (handlers are idempotent as well, by
    // object version, so this is the cheap early exit, not the only guard).
    if (recent.has(activity.id)) return void res.status(202).type("application/json").send('{"status":"duplicate"}');
    const outcome = await handleActivity(ctx, activity, actor);
    if (outcome.refused) throw new ForbiddenHttpError(outcome.refused, outcome.code ?? "unverifiable-origin");
    remember(activity.id);
    if (!(await ctx.store.markSeen(activity.id))) outcome.status = "duplicate";
    res
      .status(202)
      .type("application/json")
      .send(JSON.stringify({ status: outcome.status }));
  };

  for (const path of inboxPaths(ctx.config.handle)) {
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
  const paths = new Set(inboxPaths(ctx.config.handle));
  router.use((req, res, next) => {
    if (req.method === "POST" || !paths.has(req.path)) return next();
    res.setHeader("Allow", "POST");
    next(new HttpError(405, "method-not-allowed", "an inbox takes POST only"));
  });
  return router;
}
