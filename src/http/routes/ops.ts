/**
 * Probes for whoever runs the instance: `/healthz` (the process answers: no store, no work) and
 * `/readyz` (it can serve: store, schema, search index; 503 problem+json naming what is not
 * ready). Neither is rate limited nor cached.
 */
import { createHash, timingSafeEqual } from "node:crypto";
import type { Server } from "node:http";
import express, { Router } from "express";
import type { Health } from "../../ops/health.ts";
import type { Metrics } from "../../ops/metrics.ts";
import { HttpError } from "../../errors.ts";

const digest = (s: string) => createHash("sha256").update(s).digest();

/** The probes, and `/metrics` when it is served on the main port (`metrics`). */
export function opsRoutes(health: Health, metrics?: Router): Router {
  const router = Router();
  if (metrics) router.use(metrics);
  router.get("/healthz", (_req, res) => {
    res.setHeader("Cache-Control", "no-store");
    res.type("application/json").send('{"status":"alive"}');
  });
  router.get("/readyz", async (_req, res, next) => {
    res.setHeader("Cache-Control", "no-store");
    const r = await health.readiness();
    if (!r.ready) {
      const failing = Object.entries(r.checks)
        .filter(([, c]) => !c.ok)
        .map(([name, c]) => `${name}: ${c.detail}`);
      return next(
        new HttpError(503, "not-ready", `not ready: ${failing.join("; ")}`, { checks: r.checks, retryAfter: 5 }),
      );
    }
    res.type("application/json").send(JSON.stringify({ status: "ready", checks: r.checks, indexLag: r.indexLag }));
  });
  return router;
}

/**
 * `GET /metrics` (Prometheus text format). On the main port only with a token (ESSFED_METRICS_TOKEN,
 * as a bearer token); without one it does not exist there (404). The separate listener of
 * ESSFED_METRICS_BIND serves it to whoever can reach that address (and asks for the token too
 * when one is set).
 */
export function metricsRoutes(metrics: Metrics, token: string | undefined): Router {
  const router = Router();
  const expected = token ? digest(token) : undefined;
  router.get("/metrics", async (req, res, next) => {
    if (expected) {
      const m = /^Bearer\s+(\S+)\s*$/i.exec(req.headers.authorization ?? "");
      if (!m || !timingSafeEqual(digest(m[1]!), expected)) {
        res.setHeader("WWW-Authenticate", 'Bearer realm="essfed metrics"');
        return next(
          new HttpError(401, "unauthorized", "the metrics token (ESSFED_METRICS_TOKEN) is required as a bearer token"),
        );
      }
    }
    try {
      const text = await metrics.text();
      res.setHeader("Cache-Control", "no-store");
      res.type(metrics.contentType).send(text);
    } catch (e) {
      next(e);
    }
  });
  return router;
}

/** The separate metrics listener (ESSFED_METRICS_BIND): `/metrics` and nothing else. */
export function listenMetrics(
  metrics: Metrics,
  at: { host: string; port: number },
  token: string | undefined,
): Promise<Server> {
  const app = express();
  app.disable("x-powered-by");
  app.use(metricsRoutes(metrics, token));
  app.use((_req, res) => {
    res.status(404).type("text/plain").send("only /metrics here\n");
  });
  app.use(((err, _req, res, _next) => {
    const status = HttpError.isInstance(err) ? err.status : 500;
    res
      .status(status)
      .type("text/plain")
      .send(status === 401 ? "the metrics token is required\n" : "metrics failed\n");
  }) as express.ErrorRequestHandler);
  return new Promise((resolve, reject) => {
    const server = app.listen(at.port, at.host, (err?: Error) => (err ? reject(err) : resolve(server)));
  });
}
