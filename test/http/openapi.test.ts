/**
 * The OpenAPI description against the real app: it is a valid OpenAPI 3.1 document, every
 * documented path and method answers on a running instance (not 404 or 405), and every route the
 * Express app registers is documented.
 */
import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import { Validator } from "@seriousme/openapi-schema-validator";
import { auth, startInstance, type TestInstance } from "../support/instance.ts";
import { initiativeBody } from "../support/process.ts";

let inst: TestInstance;
let doc: { paths: Record<string, Record<string, unknown>> };
beforeAll(async () => {
  inst = await startInstance({ ESSFED_HANDLE: "documented", ESSFED_METRICS_TOKEN: "documented-metrics-token-0123" });
  await fetch(`${inst.base}/initiatives`, {
    method: "POST",
    headers: { "content-type": "application/ld+json", ...auth },
    body: initiativeBody("Documented Co-op"),
  });
  doc = (await (await fetch(`${inst.base}/openapi.json`)).json()) as typeof doc;
});
afterAll(async () => {
  await inst.stop();
});

const METHODS = ["get", "post", "put", "delete", "patch"];
const SAMPLE: Record<string, string> = {
  handle: "documented",
  name: "essglobal-vocab",
  code: "not-found",
  file: "site.css",
};

describe("The OpenAPI description", () => {
  it("is a valid OpenAPI 3.1 document.", async () => {
    const result = await new Validator().validate(doc);
    expect(result.errors ?? []).toEqual([]);
    expect(result.valid).toBe(true);
  });

  it("documents only routes that exist: each path and method answers (not 404 or 405).", async () => {
    const [first] = (await inst.store.listInitiatives({ limit: 1 })).items;
    const sample: Record<string, string> = { ...SAMPLE, id: inst.iris.localId(first!.initiative.id)! };
    const failures: string[] = [];
    for (const [path, item] of Object.entries(doc.paths)) {
      for (const method of METHODS.filter((m) => m in item)) {
        let url = path.replace(/\{(\w+)\}/g, (_m, p: string) =>
          path.startsWith("/dumps/") ? "initiatives.csv" : (sample[p] ?? p),
        );
        if (path === "/.well-known/webfinger") url += `?resource=acct:documented@${new URL(inst.base).host}`;
        // Mutations go to a record made for it, so the others stay put.
        if (method === "delete" && path === "/initiatives/{id}") url = "/initiatives/made-to-delete";
        if (method === "put") url = "/initiatives/made-to-delete";
        const res = await fetch(inst.base + url, {
          method: method.toUpperCase(),
          headers: {
            ...auth,
            accept: path.startsWith("/actors/") ? "application/activity+json" : "*/*",
            "content-type": path.includes("inbox")
              ? "application/activity+json"
              : path === "/sparql"
                ? "application/sparql-query"
                : path.includes("/api/")
                  ? "application/json"
                  : "application/ld+json",
          },
          ...(method === "get" || method === "delete"
            ? {}
            : {
                body: path.includes("/api/")
                  ? "{}"
                  : path === "/sparql"
                    ? "ASK {}"
                    : path.includes("inbox")
                      ? "{}"
                      : initiativeBody("Made To Delete"),
              }),
        });
        if ((res.status === 404 && !(path.includes("{") && method === "delete")) || res.status === 405)
          failures.push(`${method.toUpperCase()} ${path} → ${res.status}`);
      }
    }
    expect(failures).toEqual([]);
  });

  it("documents every route the app registers.", () => {
    type Layer = { route?: { path: string; methods: Record<string, boolean> }; handle?: { stack?: Layer[] } };
    const routes: string[] = [];
    const walk = (stack: Layer[]) => {
      for (const l of stack) {
        if (l.route)
          for (const m of Object.keys(l.route.methods)) routes.push(`${m} ${l.route.path.replace(/:(\w+)/g, "{$1}")}`);
        else if (l.handle?.stack) walk(l.handle.stack);
      }
    };
    walk((inst.app as unknown as { router: { stack: Layer[] } }).router.stack);
    expect(routes.length).toBeGreaterThan(20);
    const documented = new Set(
      Object.entries(doc.paths).flatMap(([p, item]) => METHODS.filter((m) => m in item).map((m) => `${m} ${p}`)),
    );
    const undocumented = routes
      .map((r) => r.replace(/^(\w+) \/actors\/documented/, "$1 /actors/{handle}"))
      .filter((r) => !documented.has(r));
    expect(undocumented).toEqual([]);
  });
});
