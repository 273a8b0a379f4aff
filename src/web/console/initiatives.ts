/**
 * Adding, editing and deleting this network's own initiatives in forms. Every change goes through
 * the Directory, as the API's do: the same validation, and the same publication to followers.
 * Each one is also written to the audit log under the person's name.
 */
import { Router, type Response } from "express";
import { mintLocalId } from "../../directory/ids.ts";
import type { InitiativeDraft } from "../../domain/validate.ts";
import { LOCAL_SOURCE, wordsOf } from "../../store/search.ts";
import { BadRequestHttpError, NotFoundHttpError } from "../../errors.ts";
import { placeOf } from "../cards.ts";
import type { ConsoleDeps } from "./context.ts";
import { consoleContext, sendConsolePage } from "./context.ts";
import { draftFromForm, formParts, messagesOf, valuesFromForm, valuesOf, type FormValues } from "./initiative-form.ts";
import { actorOf, field, formBody, formOf, signedIn, type SignedInRequest } from "./session.ts";

const LIST_PAGE = 25;

export function initiativeRoutes(d: ConsoleDeps): Router {
  const { store, directory, iris, taxonomies, sessions } = d;
  const router = Router();
  const audit = (req: SignedInRequest, action: string, target: string, detail?: Record<string, unknown>) =>
    store.audit.append({
      at: new Date().toISOString(),
      actor: actorOf(req),
      action,
      target,
      ...(detail ? { detail } : {}),
    });

  router.get("/console/initiatives", signedIn, async (req: SignedInRequest, res) => {
    const q = typeof req.query.q === "string" ? req.query.q.slice(0, 200) : "";
    const cursor =
      typeof req.query.cursor === "string" && /^\d{1,16}$/.test(req.query.cursor) ? req.query.cursor : undefined;
    const words = wordsOf(q);
    const page = await store.search.search(
      { facets: { source: [LOCAL_SOURCE] }, ...(words.length ? { words } : {}) },
      LIST_PAGE,
      cursor,
    );
    const ctx = await consoleContext(d, req, res);
    const rows = page.items.map((r) => ({
      id: r.initiative.id,
      name: r.initiative.name,
      place: placeOf(r.initiative, taxonomies, ctx.locale),
      updated: r.updated,
    }));
    await sendConsolePage(d, req, res, "console/initiatives", "edit.listTitle", {
      rows,
      q,
      next: page.next,
      notice: typeof req.query.done === "string" && ["deleted"].includes(req.query.done) ? req.query.done : undefined,
    });
  });

  const formPage = async (
    req: SignedInRequest,
    res: Response,
    o: {
      id?: string;
      version?: string;
      values: FormValues;
      errors?: Record<string, string>;
      conflict?: boolean;
      notice?: string;
    },
    status = 200,
  ) => {
    const ctx = await consoleContext(d, req, res);
    await sendConsolePage(
      d,
      req,
      res,
      "console/initiative-form",
      o.id ? "edit.editTitle" : "edit.newTitle",
      {
        ...o,
        errors: o.errors ?? {},
        ...formParts(taxonomies, o.values, ctx, d.config.tileUrl),
      },
      status,
      { styles: ["map.css"], scripts: ["console.js"] },
    );
  };

  /** Writes a draft; shows the form again with messages next to the fields when it is refused. */
  const save = async (req: SignedInRequest, res: Response, draft: InitiativeDraft, existing: boolean) => {
    const [result] = await directory.upsert([draft]);
    if (!result!.ok) {
      return formPage(
        req,
        res,
        {
          ...(existing ? { id: draft.id, version: field(req, "version") } : {}),
          values: valuesFromForm(formOf(req)),
          errors: messagesOf(result!.issues, (await consoleContext(d, req, res)).tr),
        },
        422,
      );
    }
    if (result!.outcome !== "unchanged")
      await audit(req, existing ? "initiative.update" : "initiative.create", draft.id, {
        name: result!.record.initiative.name,
      });
    const done = existing ? (result!.outcome === "unchanged" ? "unchanged" : "saved") : "created";
    res.redirect(303, `/console/initiatives/edit?id=${encodeURIComponent(draft.id)}&done=${done}`);
  };

  router.get("/console/initiatives/new", signedIn, (req: SignedInRequest, res) =>
    formPage(req, res, { values: { name: "" } }),
  );

  router.post("/console/initiatives/new", formBody, signedIn, sessions.csrf, async (req: SignedInRequest, res) => {
    const name = field(req, "name");
    await save(req, res, draftFromForm(iris.initiative(mintLocalId(name)), formOf(req), {}, {}, true), false);
  });

  const own = async (id: unknown) => {
    if (typeof id !== "string" || !id || id.length > 2000)
      throw new BadRequestHttpError("give the initiative's IRI as ?id=", "invalid-id");
    const rec = await directory.get(id);
    if (!rec)
      throw new NotFoundHttpError(
        "this network publishes no such initiative (records from other networks are changed by them)",
      );
    return rec;
  };

  router.get("/console/initiatives/edit", signedIn, async (req: SignedInRequest, res) => {
    const rec = await own(req.query.id);
    const done =
      typeof req.query.done === "string" && ["saved", "created", "unchanged"].includes(req.query.done)
        ? req.query.done
        : undefined;
    await formPage(req, res, {
      id: rec.initiative.id,
      version: rec.version,
      values: valuesOf(rec.initiative),
      ...(done ? { notice: done } : {}),
    });
  });

  router.post("/console/initiatives/edit", formBody, signedIn, sessions.csrf, async (req: SignedInRequest, res) => {
    const form = formOf(req);
    const rec = await own(req.query.id ?? form.id);
    // Someone else saved it since this form was opened: show their version rather than overwrite it.
    if (typeof form.version === "string" && form.version && form.version !== rec.version) {
      return formPage(
        req,
        res,
        { id: rec.initiative.id, version: rec.version, values: valuesOf(rec.initiative), conflict: true },
        409,
      );
    }
    await save(
      req,
      res,
      draftFromForm(rec.initiative.id, form, rec.initiative.translations, rec.initiative, true),
      true,
    );
  });

  router.post("/console/initiatives/delete", formBody, signedIn, sessions.csrf, async (req: SignedInRequest, res) => {
    const rec = await own(formOf(req).id);
    if (await directory.delete(rec.initiative.id))
      await audit(req, "initiative.delete", rec.initiative.id, { name: rec.initiative.name });
    res.redirect(303, "/console/initiatives?done=deleted");
  });

  return router;
}
