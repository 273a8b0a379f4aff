/**
 * Public suggestions: anyone, without an account, can suggest a new initiative or propose a
 * correction to one this network publishes, in the same form the team uses. A suggestion goes to
 * the review queue (kind `suggestion`), never straight to publication: the team approves or
 * rejects it there.
 *
 * Defences, without third-party services: a limit of suggestions per address and hour
 * (`ESSFED_SUGGESTIONS_PER_HOUR`, 0 turns suggestions off), a limit on how many may wait at once, a
 * honeypot field that people never see (a robot that fills it in is thanked and nothing is kept),
 * a small form body, the form's token (double submit, as the sign-in form), and the same validation
 * as every write. The visitor's address is not stored.
 */
import { Router, type Request, type Response } from "express";
import { rateLimit, type RateLimitInfo } from "express-rate-limit";
import { mintLocalId } from "../directory/ids.ts";
import type { Initiative } from "../domain/initiative.ts";
import { shareable } from "../domain/sharing.ts";
import type { InitiativeDraft } from "../domain/validate.ts";
import { HttpError, NotFoundHttpError } from "../errors.ts";
import { clientKey } from "../http/routes/sparql.ts";
import { logger } from "../logging.ts";
import type { ConsoleDeps } from "./console/context.ts";
import { consoleContext, sendConsolePage } from "./console/context.ts";
import {
  draftFromForm,
  formParts,
  messagesOf,
  valuesFromForm,
  valuesOf,
  type FormValues,
} from "./console/initiative-form.ts";
import { formBody } from "./console/session.ts";

/** How many suggestions may wait for the team at once; beyond it, visitors are asked to come back later. */
const log = logger("web", "suggest");

export const MAX_WAITING_SUGGESTIONS = 500;
const MAX_MESSAGE = 2000;
const EMAIL = /^[^\s@]{1,64}@[^\s@]{1,255}\.[^\s@]{2,63}$/;

export function suggestRoutes(d: ConsoleDeps): Router {
  const { config, store, directory, iris, taxonomies, sessions } = d;
  const router = Router();
  const perHour = config.suggestionsPerHour;
  const limit = rateLimit({
    windowMs: 3600_000,
    limit: perHour,
    standardHeaders: "draft-6",
    legacyHeaders: false,
    validate: false,
    keyGenerator: (req) => `suggest:${clientKey(req.ip) || "unknown"}`,
    handler: (req, _res, next) => {
      const reset =
        (req as Request & { rateLimit?: RateLimitInfo }).rateLimit?.resetTime?.getTime() ?? Date.now() + 3600_000;
      const retryAfter = Math.max(1, Math.ceil((reset - Date.now()) / 1000));
      next(
        new HttpError(
          429,
          "rate-limited",
          `too many suggestions from this address; try again in ${Math.ceil(retryAfter / 60)} minutes`,
          { retryAfter },
        ),
      );
    },
  });
  const open = (_req: Request, _res: Response, next: (e?: unknown) => void) =>
    next(perHour === 0 ? new NotFoundHttpError("this network does not take suggestions from visitors") : undefined);

  /** The record a correction is about: one this network publishes itself. */
  const aboutOf = async (about: unknown) => {
    if (about === undefined || about === "") return undefined;
    if (typeof about !== "string" || about.length > 2000 || !iris.localId(about))
      throw new NotFoundHttpError("this network publishes no such initiative");
    const rec = await directory.get(about);
    if (!rec) throw new NotFoundHttpError("this network publishes no such initiative");
    return rec;
  };

  const formPage = async (
    req: Request,
    res: Response,
    o: { about?: { id: string; name: string }; values: FormValues; errors?: Record<string, string> },
    status = 200,
  ) => {
    const ctx = await consoleContext(d, req, res);
    await sendConsolePage(
      d,
      req,
      res,
      "console/initiative-form",
      o.about ? "suggest.correctPageTitle" : "suggest.title",
      {
        values: o.values,
        errors: o.errors ?? {},
        suggest: {
          csrf: sessions.preSessionToken(req, res),
          about: o.about?.id,
          aboutName: o.about?.name,
          back: o.about?.id ?? "/",
          backLabel: o.about?.name ?? config.name,
        },
        ...formParts(taxonomies, o.values, ctx, config.tileUrl),
      },
      status,
      { styles: ["map.css"], scripts: ["console.js"] },
    );
  };

  router.get("/suggest", open, async (req, res) => {
    const rec = await aboutOf(req.query.about);
    await formPage(
      req,
      res,
      rec
        ? // Visitors see the record as the public does: fields kept for the team are not in the form.
          {
            about: { id: rec.initiative.id, name: rec.initiative.name },
            values: valuesOf(shareable(rec.initiative, "public")),
          }
        : { values: { name: "" } },
    );
  });

  router.post("/suggest", open, limit, formBody, sessions.preSessionCsrf, async (req, res) => {
    const body = req.body as Record<string, unknown>;
    const thanks = () =>
      sendConsolePage(d, req, res, "suggested", "suggest.thanksTitle", {}, 202, { section: "suggest" });
    // The honeypot: people never see this field; whatever fills it in is thanked and forgotten.
    if (typeof body.nickname === "string" && body.nickname !== "") {
      log.debug("A suggestion filled in the hidden field; dropped");
      return thanks();
    }
    const rec = await aboutOf(body.about);
    const about = rec ? { id: rec.initiative.id, name: rec.initiative.name } : undefined;
    const message = typeof body.message === "string" ? body.message.trim() : "";
    const contact = typeof body.contact === "string" ? body.contact.trim() : "";
    const errors: Record<string, string> = {};
    const ctx = await consoleContext(d, req, res);
    if (message.length > MAX_MESSAGE) errors.message = ctx.t("form.error.tooLong", { max: String(MAX_MESSAGE) });
    if (contact && (contact.length > 320 || !EMAIL.test(contact))) errors.contact = ctx.t("form.error.email");
    const id = rec ? rec.initiative.id : iris.initiative(mintLocalId(typeof body.name === "string" ? body.name : ""));
    const draft = keepUnshown(draftFromForm(id, body, rec?.initiative.translations, rec?.initiative), rec?.initiative);
    const result = (await directory.upsert([draft], new Date().toISOString(), { dryRun: true }))[0]!;
    if (!result.ok) Object.assign(errors, messagesOf(result.issues, ctx.tr));
    if (Object.keys(errors).length)
      return formPage(req, res, { ...(about ? { about } : {}), values: valuesFromForm(body), errors }, 422);
    if (result.ok && result.outcome === "unchanged") {
      return formPage(
        req,
        res,
        { ...(about ? { about } : {}), values: valuesFromForm(body), errors: { name: ctx.t("suggest.unchanged") } },
        422,
      );
    }
    if ((await store.curation.countQueue("suggestion")) >= MAX_WAITING_SUGGESTIONS) {
      throw new HttpError(
        503,
        "suggestions-full",
        "the team has many suggestions to look at already; please try again in a few days",
        { retryAfter: 86400 },
      );
    }
    await store.curation.enqueue({
      kind: "suggestion",
      target: id,
      record: result.ok ? result.record : undefined,
      ...(message ? { text: message } : {}),
      from: contact ? `visitor <${contact}>` : "visitor",
      received: new Date().toISOString(),
    });
    return thanks();
  });

  return router;
}

/**
 * A suggestion's draft with the contact fields the visitor was not shown (kept for the team) put
 * back as the record has them: a correction cannot erase what its author could not see.
 */
function keepUnshown(draft: InitiativeDraft, i: Initiative | undefined): InitiativeDraft {
  if (!i) return draft;
  const shown = shareable(i, "public");
  const out = { ...draft, address: { ...draft.address } };
  if (i.email !== undefined && shown.email === undefined) out.email = i.email;
  if (i.phone !== undefined && shown.phone === undefined) out.phone = i.phone;
  const street = i.address?.streetAddress;
  if (street !== undefined && shown.address?.streetAddress === undefined) out.address.streetAddress = street;
  return out;
}
