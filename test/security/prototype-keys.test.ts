/**
 * Names every JavaScript object inherits (`__proto__`, `constructor`, `toString`, `hasOwnProperty`, `valueOf`) where a
 * stranger puts a key: an activity's type, a dump's name, a format parameter, a legal form. Each is an unknown name
 * like any other: ignored, 404, the default, or text kept as written; never a 5xx or a stopped import
 * (src/domain/own.ts). The inbox fuzzing found the first of these; these pin each one down.
 */
import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import { V4_COLUMNS } from "../../src/importers/csv/columns.ts";
import { bufferSource, importSource } from "../../src/importers/import.ts";
import { auth, startInstance, type TestInstance } from "../support/instance.ts";
import { eventually } from "../support/process.ts";
import { createActivity, followAccepted, postActivity } from "../support/sender.ts";

const KEYS = ["__proto__", "constructor", "toString", "hasOwnProperty", "valueOf"];
let receiver: TestInstance, sender: TestInstance;

beforeAll(async () => {
  [receiver, sender] = await Promise.all([
    startInstance({ ESSFED_HANDLE: "receiver" }),
    startInstance({ ESSFED_HANDLE: "sender" }),
  ]);
  await followAccepted(receiver, sender);
}, 90_000);
afterAll(async () => {
  await Promise.all([receiver, sender].map((i) => i?.stop()));
});

describe("Inherited names as keys from strangers", () => {
  it("the inbox ignores a signed activity whose type is one, and stores nothing.", async () => {
    for (const type of KEYS) {
      const id = `${sender.base}/initiatives/typed-${type.replace(/_/g, "")}`;
      const activity = { ...createActivity(sender.iris.actor, id), type };
      const res = await postActivity(sender, `${receiver.base}/inbox`, activity);
      expect({ type, status: res.status, body: await res.text() }).toEqual({
        type,
        status: 202,
        body: JSON.stringify({ status: "ignored" }),
      });
      expect(await receiver.store.getInitiative(id)).toBeUndefined();
    }
  });

  it("a dump by that name is not found, and a linkset asked in that format is refused as no format.", async () => {
    for (const key of KEYS) {
      for (const [url, status] of [
        [`${receiver.base}/dumps/${key}`, 404],
        [`${receiver.base}/linksets/sameas?format=${key}`, 406],
      ] as const) {
        const res = await fetch(url);
        await res.text();
        expect({ url, status: res.status, type: res.headers.get("content-type") }).toEqual({
          url,
          status,
          type: expect.stringContaining("application/problem+json"),
        });
      }
    }
    for (const [format, type] of [
      ["NT", "application/n-triples; charset=utf-8"],
      ["", "text/turtle; charset=utf-8"],
    ]) {
      const known = await fetch(`${receiver.base}/linksets/sameas?format=${format}`);
      await known.text();
      expect({ format, type: known.headers.get("content-type") }).toEqual({ format, type });
    }
  });

  it("a language tag that is one is no language tag: refused from the inbox, left out of an import.", async () => {
    const texts = (tag: string) => ({
      "gr:name": ["Hand-made Co-op", { "@value": "Coop fait main", "@language": tag }],
      "gr:description": { "@value": "Made by hand", "@language": tag },
    });
    for (const tag of KEYS) {
      const id = `${sender.base}/initiatives/tagged-${tag.replace(/_/g, "")}`;
      const activity = createActivity(sender.iris.actor, id) as { object: Record<string, unknown> };
      Object.assign(activity.object, texts(tag));
      const res = await postActivity(sender, `${receiver.base}/inbox`, activity);
      const body = (await res.json()) as { errors?: { field: string; key: string }[] };
      expect({ tag, status: res.status, errors: body.errors }).toEqual({
        tag,
        status: 422,
        errors: [expect.objectContaining({ field: "translations", key: "notLanguageTag" })],
      });
      expect(await receiver.store.getInitiative(id)).toBeUndefined();
    }
    const doc = {
      "@context": { gr: "http://purl.org/goodrelations/v1#" },
      "@graph": KEYS.map((tag, n) => ({
        "@id": `https://elsewhere.example/initiatives/t${n}`,
        "@type": "https://lod.coop/essglobal/2.1/vocab/SSEInitiative",
        ...texts(tag),
      })),
    };
    const report = await importSource(
      bufferSource("tags.jsonld", JSON.stringify(doc)),
      receiver.directory,
      receiver.iris,
    );
    expect(report).toMatchObject({ read: KEYS.length, created: KEYS.length, refusedRecords: 0 });
    expect(report.warnings.map((w) => w.key)).toEqual(KEYS.map(() => "notLanguageTag"));
  });

  it("a legal form written as one is kept as text: through the API, an activity and an import.", async () => {
    const res = await fetch(`${receiver.base}/initiatives`, {
      method: "POST",
      headers: { ...auth, "content-type": "application/ld+json" },
      body: JSON.stringify({
        "@context": { gr: "http://purl.org/goodrelations/v1#", essfed: "https://w3id.org/essfed/ns#" },
        "@type": "https://lod.coop/essglobal/2.1/vocab/SSEInitiative",
        "gr:name": "Constructor Co-op",
        "essfed:legalFormText": "Constructor",
      }),
    });
    expect(res.status).toBe(201);
    expect((await receiver.store.getInitiative(res.headers.get("location")!))?.initiative).toMatchObject({
      legalForm: [],
      legalFormText: "Constructor",
    });

    const id = `${sender.base}/initiatives/legal-constructor`;
    const activity = createActivity(sender.iris.actor, id) as { object: Record<string, unknown> };
    activity.object["https://w3id.org/essfed/ns#legalFormText"] = "constructor";
    const sent = await postActivity(sender, `${receiver.base}/inbox`, activity);
    expect(sent.status).toBe(202);
    await eventually(async () => (await receiver.store.getInitiative(id)) !== undefined, 10_000, "mirrored");
    expect((await receiver.store.getInitiative(id))?.initiative.legalFormText).toBe("constructor");

    const columns = [...V4_COLUMNS, "Legal Form"];
    const row = (n: number, form: string) =>
      columns.map((c) =>
        c === "Identifier" ? `lf${n}` : c === "Name" ? `Co-op ${n}` : c === "Legal Form" ? form : "",
      );
    const csv = [columns, ...KEYS.map((k, n) => row(n, k))].map((r) => r.join(",")).join("\n");
    const report = await importSource(bufferSource("forms.csv", csv), receiver.directory, receiver.iris);
    expect(report).toMatchObject({ read: KEYS.length, created: KEYS.length, refusedRecords: 0 });
    expect(report.fatal).toBeUndefined();
  });
});
