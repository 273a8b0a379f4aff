/**
 * The admin API for the rights of the people concerned: `GET /api/people?email=…|phone=…` exports
 * everything held about one email address or phone number; `POST /api/people/erase` with
 * `{"email": …}` or `{"phone": …}` removes it from the network's own records (an Update follows
 * to every follower). The audit log names the records changed and the field, never the value.
 */
import express, { Router } from "express";
import type { Config } from "../../config.ts";
import type { Directory } from "../../directory/directory.ts";
import { erasePersonalData, exportPersonalData, subjectOf } from "../../people/personal-data.ts";
import type { Store } from "../../store/store.ts";
import { requireAdmin } from "../middleware/auth.ts";
import { checkedBody } from "../middleware/text.ts";

export function peopleRoutes(deps: { config: Config; store: Store; directory: Directory }): Router {
  const router = Router();
  router.use("/api/people", requireAdmin(deps.config.adminToken));
  const json = checkedBody(express.json({ limit: 4 * 1024 }));

  router.get("/api/people", async (req, res) => {
    const subject = subjectOf(req.query);
    res.setHeader("Cache-Control", "no-store");
    res.json(await exportPersonalData(deps.store, subject));
  });

  router.post("/api/people/erase", json, async (req, res) => {
    const subject = subjectOf(req.body);
    res.json(await erasePersonalData(deps.store, deps.directory, subject, { kind: "token", name: "admin API" }));
  });
  return router;
}

const problem = {
  description: "Problem details (RFC 9457)",
  content: { "application/problem+json": { schema: { $ref: "#/components/schemas/Problem" } } },
};
const admin = [{ bearer: [] as string[] }];
const subjectSchema = {
  type: "object",
  description: "Exactly one of email or phone",
  properties: { email: { type: "string", maxLength: 254 }, phone: { type: "string", maxLength: 254 } },
};

/** The OpenAPI description of these routes. */
export function peoplePaths(): Record<string, unknown> {
  const q = (name: string) => ({
    name,
    in: "query",
    description: `The ${name} asked about`,
    schema: { type: "string" },
  });
  return {
    "/api/people": {
      get: {
        summary:
          "Everything held about one email or phone: own and mirrored records, withheld records, the review queue, " +
          "the audit log (admin)",
        security: admin,
        parameters: [q("email"), q("phone")],
        responses: {
          200: { description: "{ subject, records, withheld, queue, audit }", content: { "application/json": {} } },
          400: problem,
          401: problem,
        },
      },
    },
    "/api/people/erase": {
      post: {
        summary:
          "Remove one email or phone from the network's own records; followers receive the Update (admin; in the " +
          "audit log without the value)",
        security: admin,
        requestBody: { required: true, content: { "application/json": { schema: subjectSchema } } },
        responses: {
          200: {
            description: "{ erased: IRIs changed, heldByOthers: mirrored records still holding it }",
            content: { "application/json": {} },
          },
          400: problem,
          401: problem,
          413: problem,
        },
      },
    },
  };
}
