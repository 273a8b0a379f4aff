/**
 * The API description and the explanation behind each problem type URI. (Pages for people are in
 * `src/web/`.)
 */
import { Router } from "express";
import type { HttpDeps } from "../deps.ts";
import { openApi } from "../openapi.ts";
import { esc, layout } from "../html.ts";

export function pageRoutes(deps: HttpDeps): Router {
  const { config } = deps;
  const router = Router();
  router.get("/openapi.json", (_req, res) => {
    res.setHeader("Access-Control-Allow-Origin", "*");
    res.json(openApi(config));
  });
  router.get("/problems/:code", (req, res) => {
    const code = String(req.params.code).replace(/[^a-z0-9-]/g, "");
    res
      .type("text/html")
      .send(
        layout(
          code,
          `<h1>Problem: ${esc(code)}</h1><p>essfed answered with this problem type. ` +
            "The <code>detail</code> member of the response says what was wrong with the request; " +
            "see the API documentation.</p>",
        ),
      );
  });
  return router;
}
