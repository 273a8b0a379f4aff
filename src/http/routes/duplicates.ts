/**
 * The admin API for duplicates (bearer token): list candidate, confirmed and rejected pairs with
 * their scores and reasons; confirm, reject or undo a decision (issue 16).
 */
import express, { Router } from "express";
import type { Config } from "../../config.ts";
import { decidePair, MAX_REASON, viewPairs, type Decision } from "../../duplicates/decisions.ts";
import type { PairState } from "../../store/duplicates.ts";
import type { Store } from "../../store/store.ts";
import { BadRequestHttpError, NotFoundHttpError } from "../../errors.ts";
import { requireAdmin } from "../middleware/auth.ts";

const STATES: readonly PairState[] = ["candidate", "confirmed", "rejected"];
const MAX_IRI = 2000;

function iri(body: Record<string, unknown>, key: string): string {
  const v = body[key];
  if (typeof v !== "string" || v.length > MAX_IRI || !URL.canParse(v) || !/^https?:/.test(v)) {
    throw new BadRequestHttpError(`"${key}" must be the http(s) IRI of a record`, "invalid-pair", {
      errors: [{ field: key, message: "must be an http(s) IRI" }],
    });
  }
  return v;
}

export function duplicateRoutes(deps: { config: Config; store: Store }): Router {
  const router = Router();
  router.use("/api/duplicates", requireAdmin(deps.config.adminToken));
  const json = express.json({ limit: 16 * 1024 });

  router.get("/api/duplicates", async (req, res) => {
    const q = req.query;
    const state = typeof q.state === "string" ? q.state : "candidate";
    if (!(STATES as string[]).includes(state))
      throw new BadRequestHttpError(`state is one of ${STATES.join(", ")}`, "invalid-parameter");
    const limit = q.limit === undefined ? 50 : Number(q.limit);
    if (!Number.isInteger(limit) || limit < 1 || limit > 500)
      throw new BadRequestHttpError("limit is a whole number from 1 to 500", "invalid-parameter");
    const cursor = typeof q.cursor === "string" && /^\d{1,9}$/.test(q.cursor) ? q.cursor : undefined;
    if (q.cursor !== undefined && cursor === undefined)
      throw new BadRequestHttpError("cursor is the next value of a previous answer", "invalid-parameter");
    const id = typeof q.id === "string" ? q.id : undefined;
    if (id !== undefined && (id.length > MAX_IRI || !URL.canParse(id)))
      throw new BadRequestHttpError("id is the IRI of a record", "invalid-parameter");
    const page = await deps.store.duplicates.listPairs({
      limit,
      state: state as PairState,
      ...(cursor ? { cursor } : {}),
      ...(id ? { id } : {}),
    });
    res.json({
      items: await viewPairs(deps.store, page.items),
      ...(page.next ? { next: page.next } : {}),
      // Records written and not yet looked at by the finder (the worker works through them).
      pending: await deps.store.duplicates.pendingCount(),
    });
  });

  for (const decision of ["confirm", "reject", "undo"] as const satisfies Decision[]) {
    router.post(`/api/duplicates/${decision}`, json, async (req, res) => {
      const body = (req.body && typeof req.body === "object" && !Array.isArray(req.body) ? req.body : {}) as Record<
        string,
        unknown
      >;
      const a = iri(body, "a");
      const b = iri(body, "b");
      if (a === b) throw new BadRequestHttpError("a record is not a duplicate of itself", "invalid-pair");
      const reason = body.reason;
      if (reason !== undefined && (typeof reason !== "string" || reason.length > MAX_REASON)) {
        throw new BadRequestHttpError(`"reason" is text of at most ${MAX_REASON} characters`, "invalid-pair", {
          errors: [{ field: "reason", message: "too long or not text" }],
        });
      }
      const pair = await decidePair(deps.store, a, b, decision, { kind: "token", name: "admin token" }, reason);
      if (!pair) throw new NotFoundHttpError("these two records are not a pair the duplicate finder found");
      res.json((await viewPairs(deps.store, [pair]))[0]);
    });
  }
  return router;
}

const problem = {
  description: "Problem details (RFC 9457)",
  content: { "application/problem+json": { schema: { $ref: "#/components/schemas/Problem" } } },
};
const admin = [{ bearer: [] as string[] }];
const qp = (name: string, description: string, schema: object = { type: "string" }) => ({
  name,
  in: "query",
  description,
  schema,
});
const pairBody = {
  required: true,
  content: {
    "application/json": {
      schema: {
        type: "object",
        required: ["a", "b"],
        properties: {
          a: { type: "string", format: "uri" },
          b: { type: "string", format: "uri" },
          reason: { type: "string", maxLength: MAX_REASON },
        },
      },
    },
  },
};

/** The OpenAPI description of these routes. */
export function duplicatePaths(): Record<string, unknown> {
  const decide = (summary: string) => ({
    post: {
      summary,
      security: admin,
      requestBody: pairBody,
      responses: {
        200: { description: "The pair as it is now", content: { "application/json": {} } },
        400: problem,
        401: problem,
        404: problem,
        413: problem,
      },
    },
  });
  return {
    "/api/duplicates": {
      get: {
        summary:
          "Pairs of records that may be one organisation, highest score first, with the reasons and each side's " +
          "name and network (admin)",
        security: admin,
        parameters: [
          qp("state", "candidate (default), confirmed or rejected"),
          qp("id", "Only pairs with this record"),
          qp("limit", "1 to 500 (default 50)", { type: "integer" }),
          qp("cursor", "From the previous answer's next"),
        ],
        responses: {
          200: { description: "{ items, next?, pending }", content: { "application/json": {} } },
          400: problem,
          401: problem,
        },
      },
    },
    "/api/duplicates/confirm": decide("Confirm that two records are one organisation (admin; in the audit log)"),
    "/api/duplicates/reject": decide("Record that two records are different organisations (admin; in the audit log)"),
    "/api/duplicates/undo": decide("Take back a decision: the pair is a candidate again (admin; in the audit log)"),
  };
}
