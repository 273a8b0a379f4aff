/**
 * Importing a file from the console: the person uploads a CSV (SEA standard) or any file
 * `essfed import` reads, sees its dry run (what would be created, updated, left unchanged or
 * refused, with row, column and reason), then confirms and follows the import's progress. The
 * records are written as by `essfed import` (same validation, same publication to followers); the
 * import is written to the audit log under the person's name.
 */
import { Readable } from "node:stream";
import { Router, type Request, type Response } from "express";
import { BadRequestHttpError, HttpError, NotFoundHttpError, UnsupportedMediaTypeHttpError } from "../../errors.ts";
import { IMPORT_FORMATS, MAX_ISSUES } from "../../importers/import.ts";
import type { ConsoleDeps } from "./context.ts";
import { sendConsolePage } from "./context.ts";
import { ImportJobs, MAX_UPLOAD_BYTES, tooLarge, type ImportJob } from "./import-jobs.ts";
import { actorOf, formBody, signedIn, type SignedInRequest } from "./session.ts";

/** Room for the form's other fields and the multipart framing around the file. */
const FRAMING_BYTES = 64 * 1024;

/** Reads a multipart form (the upload) with the platform's own parser, refusing more than the limit. */
async function uploadedForm(req: Request): Promise<FormData> {
  const type = req.headers["content-type"] ?? "";
  if (!/^multipart\/form-data\s*;/i.test(type)) throw new UnsupportedMediaTypeHttpError(["multipart/form-data"]);
  const limit = MAX_UPLOAD_BYTES + FRAMING_BYTES;
  if (Number(req.headers["content-length"] ?? 0) > limit) throw tooLarge();
  let seen = 0;
  const body = new ReadableStream<Uint8Array>({
    start(controller) {
      req.on("data", (c: Buffer) => {
        seen += c.length;
        if (seen > limit) {
          controller.error(tooLarge());
          req.destroy();
          return;
        }
        controller.enqueue(new Uint8Array(c));
      });
      req.on("end", () => controller.close());
      req.on("error", (e) => controller.error(e));
    },
  });
  try {
    return await new globalThis.Request("http://upload.invalid/", {
      method: "POST",
      headers: { "content-type": type },
      body,
      duplex: "half",
    } as RequestInit).formData();
  } catch (e) {
    if (seen > limit) throw tooLarge();
    throw new BadRequestHttpError(
      "the upload could not be read as a form; choose the file again and send it",
      "bad-upload",
      {},
      { cause: e },
    );
  }
}

/** What the report page shows of a job. */
function view(job: ImportJob) {
  const report = job.report ?? job.dryRun;
  return {
    id: job.id,
    name: job.name,
    size: job.size,
    state: job.state,
    read: job.read,
    total: job.dryRun?.read,
    error: job.error,
    format: job.format,
    report,
    confirmed: Boolean(job.report),
    maxIssues: MAX_ISSUES,
    writes: job.dryRun ? job.dryRun.created + job.dryRun.updated : 0,
  };
}

export function importRoutes(d: ConsoleDeps): Router {
  const { store, directory, iris, sessions } = d;
  const jobs = new ImportJobs(d.config.dataDir, directory, iris);
  const router = Router();
  const maxMb = MAX_UPLOAD_BYTES / 1024 / 1024;

  const uploadPage = (req: SignedInRequest, res: Response, error?: string, status = 200) =>
    sendConsolePage(d, req, res, "console/import", "import.title", { error, maxMb, formats: IMPORT_FORMATS }, status);

  const jobOf = (req: SignedInRequest): ImportJob => {
    const id = String(req.params.id ?? "");
    const job = /^[A-Za-z0-9_-]{16}$/.test(id) ? jobs.get(id, req.account!.id) : undefined;
    if (!job)
      throw new NotFoundHttpError(
        "this import is no longer kept (an hour after it was last looked at); upload the file again",
      );
    return job;
  };

  router.get("/console/import", signedIn, (req: SignedInRequest, res) => uploadPage(req, res));

  router.post("/console/import", signedIn, async (req: SignedInRequest, res) => {
    let form: FormData;
    try {
      form = await uploadedForm(req);
    } catch (e) {
      if (HttpError.isInstance(e) && e.status === 413) return uploadPage(req, res, "tooLarge", 413);
      throw e;
    }
    // The session's token is checked once the form is read: the file and the token come together.
    req.body = { _csrf: form.get("_csrf") };
    await new Promise<void>((resolve, reject) =>
      sessions.csrf(req, res, (err?: unknown) =>
        err ? reject(err instanceof Error ? err : new Error("the form token check failed")) : resolve(),
      ),
    );
    const file = form.get("file");
    if (!(file instanceof File) || file.size === 0)
      return uploadPage(req, res, file instanceof File && file.name ? "empty" : "noFile", 422);
    const job = await jobs.receive(req.account!.id, file.name || "upload", Readable.fromWeb(file.stream() as never));
    res.redirect(303, `/console/import/${job.id}`);
  });

  router.get("/console/import/:id", signedIn, async (req: SignedInRequest, res) => {
    const job = jobOf(req);
    await sendConsolePage(d, req, res, "console/import-report", "import.reportTitle", view(job), 200, {
      scripts: ["console.js"],
    });
  });

  /** For the page's script, which follows a running step without reloading. */
  router.get("/console/import/:id/status", signedIn, (req: SignedInRequest, res) => {
    const job = jobOf(req);
    res.set("cache-control", "no-store").json({ state: job.state, read: job.read, total: job.dryRun?.read ?? null });
  });

  router.post("/console/import/:id/confirm", formBody, signedIn, sessions.csrf, (req: SignedInRequest, res) => {
    const job = jobOf(req);
    const actor = actorOf(req);
    const started = jobs.confirm(job, (r) =>
      store.audit.append({
        at: new Date().toISOString(),
        actor,
        action: "initiative.import",
        target: job.name,
        detail: {
          format: r.format,
          read: r.read,
          created: r.created,
          updated: r.updated,
          unchanged: r.unchanged,
          refused: r.refusedRecords,
        },
      }),
    );
    if (!started && job.state !== "done" && job.state !== "running" && job.state !== "waiting") {
      throw new HttpError(409, "import-not-ready", "this import cannot be confirmed now: wait for its dry run to end");
    }
    res.redirect(303, `/console/import/${job.id}`);
  });

  router.post("/console/import/:id/discard", formBody, signedIn, sessions.csrf, async (req: SignedInRequest, res) => {
    await jobs.discard(jobOf(req));
    res.redirect(303, "/console/import");
  });

  return router;
}
