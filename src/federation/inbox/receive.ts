/**
 * Receiving an activity at the inbox, as a use case with no HTTP framework in it: the HTTP layer
 * (`http/routes/inbox.ts`) hands over the verified-to-be request's bytes and headers and maps the
 * result (or the `HttpError` thrown) to a response. Before anything is stored, every activity
 * passes these gates, each refused with its own error and a test: JSON of an accepted media type,
 * the JSON-LD budget (shipped contexts only; ADR 18), text every store holds (ADR 19), a valid HTTP
 * signature (draft-cavage or RFC 9421, with digest and a Date inside the time window, verified by
 * Fedify) whose key belongs to the activity's actor. The key is looked up through the outbound
 * client (`key-lookup.ts`): signed, under a deadline, never at a refused address. Then only what
 * this network asked for is taken (`admission.ts`), and each activity is handled once.
 */
import { Temporal } from "@js-temporal/polyfill";
import { verifyRequestDetailed } from "@fedify/fedify/sig";
import { staticDocumentLoader } from "../../linkeddata/context.ts";
import { JsonLdInputError, prescan } from "../../linkeddata/jsonld-budget.ts";
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

/** A POST to an inbox, as the HTTP layer received it (the body read whole, at most {@link INBOX_LIMIT} bytes). */
export interface InboxRequest {
  /** The URL it was sent to (the signature covers it). */
  url: URL;
  /** Its headers (the signature covers some of them). */
  headers: Headers;
  body: Uint8Array;
}

/** What the caller is told as soon as the sender is known, before anything is handled. */
export interface InboxHooks {
  /**
   * The signature verified: the activity's type and the signing actor's host. The HTTP layer counts
   * the request against that host's rate limit here, and refuses it by throwing.
   */
  signed?(activityType: string, host: string): Promise<void>;
}

/** What became of an accepted activity (refusals are thrown as `HttpError`s). */
export interface Received {
  /** `created`, `updated`, `unchanged`, `deleted`, `duplicate`, `ignored`… */
  status: string;
}

/** The inbox use case: one per instance (it remembers the latest activity ids it handled). */
export class Inbox {
  readonly #ctx: FederationContext;
  readonly #recent = new Set<string>();

  constructor(ctx: FederationContext) {
    this.#ctx = ctx;
  }

  #remember(id: string): void {
    if (this.#recent.size >= 10_000) this.#recent.clear();
    this.#recent.add(id);
  }

  /** Checks, authenticates and handles one activity; throws an `HttpError` for every refusal. */
  async receive(req: InboxRequest, hooks: InboxHooks = {}): Promise<Received> {
    const ctx = this.#ctx;
    const type = (req.headers.get("content-type") ?? "").split(";")[0]!.trim().toLowerCase();
    if (!TYPES.includes(type)) throw new UnsupportedMediaTypeHttpError(TYPES);
    const body = req.body;
    if (!body.length) throw new BadRequestHttpError("the body is empty", "empty-body");
    let activity: Record<string, unknown>;
    try {
      activity = JSON.parse(Buffer.from(body.buffer, body.byteOffset, body.byteLength).toString("utf8")) as Record<
        string,
        unknown
      >;
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

    const { documentLoader, keyCache } = ctx.keyLookup;
    const request = new Request(req.url, { method: "POST", headers: req.headers, body: new Uint8Array(body) });
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
    await hooks.signed?.(activity.type, new URL(actor).host);
    // Authenticated; now, did this network ask for it?
    const refusal = await admission(ctx, activity, actor);
    if (refusal) throw new ForbiddenHttpError(refusal.message, refusal.code);
    // The same activity by two paths: the second is absorbed (handlers are idempotent as well, by
    // object version, so this is the cheap early exit, not the only guard).
    if (this.#recent.has(activity.id)) return { status: "duplicate" };
    const outcome = await handleActivity(ctx, activity, actor);
    if (outcome.refused) throw new ForbiddenHttpError(outcome.refused, outcome.code ?? "unverifiable-origin");
    this.#remember(activity.id);
    if (!(await ctx.store.markSeen(activity.id))) outcome.status = "duplicate";
    return { status: outcome.status };
  }
}
