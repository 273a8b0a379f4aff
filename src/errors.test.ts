import { describe, expect, it } from "@jest/globals";
import { BadRequestHttpError, EssfedError, HttpError, NotFoundHttpError } from "./errors.ts";
import { FetchError } from "./federation/outbound/fetcher.ts";
import { SelfFollowError } from "./federation/follows.ts";
import { JsonLdBudgetError } from "./linkeddata/jsonld-budget.ts";

describe("The error family", () => {
  it("names each error by its own class, so a log line says which one it was.", () => {
    expect(new NotFoundHttpError().name).toBe("NotFoundHttpError");
    expect(new BadRequestHttpError("x").name).toBe("BadRequestHttpError");
    expect(new SelfFollowError().name).toBe("SelfFollowError");
    expect(String(new FetchError("https://a.example/", "down", "network"))).toMatch(/^FetchError: /);
  });

  it("tells errors apart by class and code, not by their text.", () => {
    const self = new SelfFollowError();
    expect(self).toBeInstanceOf(EssfedError);
    expect([self.status, self.code]).toEqual([400, "invalid-target"]);
    const busy = new JsonLdBudgetError("queue", "busy");
    expect(HttpError.isInstance(busy)).toBe(true);
    expect([busy.status, busy.code, busy.extensions.retryAfter]).toEqual([503, "jsonld-busy", 5]);
    // A remote server's status on a fetch failure is not the status of our answer.
    expect(HttpError.isInstance(new FetchError("https://a.example/", "teapot", "http", 418))).toBe(false);
    expect(HttpError.isInstance(Object.assign(new Error("x"), { status: 400, code: "bad-request" }))).toBe(false);
  });
});
