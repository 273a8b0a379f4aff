/**
 * Probes for whoever runs the instance: `/healthz` (the process answers: no store, no work) and
 * `/readyz` (it can serve: store, schema, search index; 503 problem+json naming what is not
 * ready). Neither is rate limited nor cached.
 */
import { Router } from "express";
import type { Health } from "../../ops/health.ts";
import { HttpError } from "../errors.ts";

export function opsRoutes(health: Health): Router {
  const router = Router();
  router.get("/healthz", (_req, res) => {
    res.setHeader("Cache-Control", "no-store");
    res.type("application/json").send('{"status":"alive"}');
  });
  router.get("/readyz", async (_req, res, next) => {
    res.setHeader("Cache-Control", "no-store");
    const r = await health.readiness();
    if (!r.ready) {
      const failing = Object.entries(r.checks).filter(([, c]) => !c.ok).map(([name, c]) => `${name}: ${c.detail}`);
      return next(new HttpError(503, "not-ready", `not ready: ${failing.join("; ")}`, { checks: r.checks, retryAfter: 5 }));
    }
    res.type("application/json").send(JSON.stringify({ status: "ready", checks: r.checks, indexLag: r.indexLag }));
  });
  return router;
}
