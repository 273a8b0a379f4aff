/**
 * The admin API for curation (bearer token): source policies, hiding and restoring records, the
 * review queue with field-by-field diffs, reports, and the audit log. Decisions are recorded in
 * the audit log under the token's name.
 */
import express, { Router, type Request } from "express";
import { curatorOf, type Curating } from "../../curation/curator.ts";
import type { FederationContext } from "../../federation/context.ts";
import type { Policy, QueueKind, WithheldState } from "../../store/curation.ts";
import { BadRequestHttpError } from "../../errors.ts";
import { requireAdmin } from "../middleware/auth.ts";
import { checkedBody } from "../middleware/text.ts";

/** The audit log's name for whoever holds the admin token. */
export const TOKEN: Curating = { kind: "token", name: "admin token" };

type Body = Record<string, unknown>;

function text(body: Body, key: string, max = 2000): string {
  const v = body[key];
  if (typeof v !== "string" || !v.trim() || v.length > max) {
    throw new BadRequestHttpError(`the body must be JSON with "${key}"`, `invalid-${key}`, {
      errors: [{ field: key, message: "is required" }],
    });
  }
  return v.trim();
}

function query(req: Request, key: string, max = 2000): string | undefined {
  const v = req.query[key];
  if (v === undefined) return undefined;
  if (typeof v !== "string" || v.length > max)
    throw new BadRequestHttpError(`?${key}= must be given once, at most ${max} characters`, "invalid-query");
  return v;
}

function limitOf(req: Request): number {
  const v = query(req, "limit", 8);
  if (v === undefined) return 50;
  const n = Number(v);
  if (!Number.isInteger(n) || n < 1 || n > 500)
    throw new BadRequestHttpError("limit must be an integer from 1 to 500", "invalid-limit");
  return n;
}

function cursorOf(req: Request): string | undefined {
  const v = query(req, "cursor", 20);
  if (v !== undefined && !/^\d{1,16}$/.test(v))
    throw new BadRequestHttpError("cursor must be one given by a previous page", "invalid-cursor");
  return v;
}

function oneOf<T extends string>(req: Request, key: string, values: readonly T[]): T | undefined {
  const v = query(req, key, 40);
  if (v !== undefined && !values.includes(v as T))
    throw new BadRequestHttpError(`${key} must be one of ${values.join(", ")}`, `invalid-${key}`);
  return v as T | undefined;
}

export function curationRoutes(ctx: FederationContext): Router {
  const router = Router();
  const curator = curatorOf(ctx);
  for (const path of ["/api/sources", "/api/records", "/api/queue", "/api/reports", "/api/audit"])
    router.use(path, requireAdmin(ctx.config.adminToken));
  const json = checkedBody(express.json({ limit: 64 * 1024 }));
  const body = (req: Request): Body => {
    if (!req.body || typeof req.body !== "object" || Array.isArray(req.body))
      throw new BadRequestHttpError("the body must be a JSON object", "invalid-body");
    return req.body as Body;
  };

  router.get("/api/sources", async (_req, res) => void res.json({ policies: await ctx.store.curation.listPolicies() }));
  router.put("/api/sources", json, async (req, res) => {
    const b = body(req);
    res.json(await curator.setPolicy(TOKEN, text(b, "source"), text(b, "policy", 10) as Policy, b.reason));
  });
  router.delete("/api/sources", async (req, res) => {
    const source = query(req, "source");
    if (!source) throw new BadRequestHttpError("give the source as ?source=", "invalid-source");
    res.json(await curator.removePolicy(TOKEN, source, query(req, "reason", 4000)));
  });

  router.post("/api/records/hide", json, async (req, res) => {
    const b = body(req);
    const id = text(b, "id");
    await curator.hide(TOKEN, id, b.reason);
    res.json({ id, state: "hidden" });
  });
  router.post("/api/records/restore", json, async (req, res) => {
    const b = body(req);
    const id = text(b, "id");
    await curator.restore(TOKEN, id, b.reason);
    res.json({ id, state: "served" });
  });
  router.get("/api/records/history", async (req, res) => {
    const id = query(req, "id");
    if (!id) throw new BadRequestHttpError("give the record as ?id=", "invalid-id");
    const served = await ctx.store.getInitiative(id);
    const withheld = served ? undefined : await ctx.store.curation.getWithheld(id);
    const state = served ? "served" : (withheld?.state ?? "absent");
    res.json({
      id,
      state,
      ...(withheld?.reason ? { reason: withheld.reason } : {}),
      decisions: await curator.history(id, limitOf(req), cursorOf(req)),
    });
  });
  router.get("/api/records/withheld", async (req, res) => {
    const state = oneOf<WithheldState>(req, "state", ["hidden", "blocked"]);
    const cursor = cursorOf(req);
    const page = await ctx.store.curation.listWithheld({
      limit: limitOf(req),
      ...(cursor ? { cursor } : {}),
      ...(state ? { state } : {}),
    });
    res.json({
      items: page.items.map((w) => ({
        id: w.record.initiative.id,
        name: w.record.initiative.name,
        state: w.state,
        at: w.at,
        ...(w.reason ? { reason: w.reason } : {}),
        ...(w.record.provenance ? { origin: w.record.provenance.origin, via: w.record.provenance.via } : {}),
      })),
      ...(page.next ? { next: page.next } : {}),
    });
  });

  router.get("/api/queue", async (req, res) => {
    const kind = oneOf<QueueKind>(req, "kind", ["change", "report", "suggestion"]);
    const target = query(req, "target");
    const [page, waiting] = await Promise.all([
      curator.queue(limitOf(req), cursorOf(req), kind, target),
      ctx.store.curation.countQueue(kind),
    ]);
    res.json({ waiting, ...page });
  });
  router.post("/api/queue/decide", json, async (req, res) => {
    const b = body(req);
    const items = b.items;
    if (
      !Array.isArray(items) ||
      !items.length ||
      items.length > 1000 ||
      !items.every((n) => Number.isSafeInteger(n) && n > 0)
    ) {
      throw new BadRequestHttpError("items must be a list of 1 to 1000 queue item numbers", "invalid-items");
    }
    const decision = text(b, "decision", 10);
    res.json({ results: await curator.decide(TOKEN, items as number[], decision as "approve" | "reject", b.reason) });
  });

  router.post("/api/reports", json, async (req, res) => {
    const b = body(req);
    const item = await curator.report(text(b, "id"), b.text, TOKEN.name, TOKEN);
    res.status(201).json(item);
  });

  router.get("/api/audit", async (req, res) => {
    const target = query(req, "target");
    const action = query(req, "action", 100);
    const cursor = cursorOf(req);
    res.json(
      await ctx.store.audit.list({
        limit: limitOf(req),
        ...(cursor ? { cursor } : {}),
        ...(target ? { target } : {}),
        ...(action ? { actionPrefix: action } : {}),
      }),
    );
  });
  return router;
}
