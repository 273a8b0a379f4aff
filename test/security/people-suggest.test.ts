/**
 * Hostile use of the public suggestion form: robots filling the honeypot, forms from another site
 * or without the token, floods from one address, oversized bodies, corrections aimed at records of
 * other networks, a suggestion trying to overwrite a published record, a full queue, a network that
 * takes no suggestions. Each is refused (or silently dropped) with nothing published and nothing
 * queued, while an ordinary request made alongside is answered.
 */
import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import { startInstance, type TestInstance } from "../support/instance.ts";
import { FORM, form } from "../support/console.ts";
import { suggest, visitorForm } from "../support/visitor.ts";

let inst: TestInstance;
let own: string;
beforeAll(async () => {
  inst = await startInstance({ ESSFED_SUGGESTIONS_PER_HOUR: "4", ESSFED_TRUST_PROXY: "loopback" });
  await inst.directory.upsert([{ id: inst.iris.initiative("bakery"), name: "The Bakery Co-op" }]);
  own = inst.iris.initiative("bakery");
}, 60_000);
afterAll(async () => {
  await inst?.stop();
});

const ordinary = () => fetch(`${inst.base}/`).then((r) => r.status);
const queued = () => inst.store.curation.countQueue("suggestion");
/** Each case speaks from its own address, so the flood case's limit is its own. */
const from = (n: number) => ({ "x-forwarded-for": `203.0.113.${n}` });

describe("A hostile suggestion", () => {
  it("that fills in the hidden field is thanked and dropped.", async () => {
    const before = await queued();
    const [res, other] = await Promise.all([
      suggest(inst, { name: "Spam Co-op", nickname: "bot" }, undefined, "en", from(1)),
      ordinary(),
    ]);
    expect(res.status).toBe(202);
    expect(other).toBe(200);
    expect(await queued()).toBe(before);
  });

  it("without the form's token is refused (403).", async () => {
    const before = await queued();
    const f = await visitorForm(inst);
    const res = await suggest(inst, { name: "Forged Co-op" }, { ...f, csrf: "x".repeat(32) }, "en", from(2));
    expect(res.status).toBe(403);
    const noCookie = await fetch(`${inst.base}/suggest`, {
      method: "POST",
      headers: { "content-type": FORM, ...from(2) },
      body: form({ _csrf: f.csrf, name: "Forged Co-op" }),
    });
    expect(noCookie.status).toBe(403);
    expect(await queued()).toBe(before);
  });

  it("from another site is refused (403).", async () => {
    const before = await queued();
    const res = await suggest(inst, { name: "Cross Site Co-op" }, undefined, "en", {
      ...from(3),
      origin: "https://evil.example",
    });
    expect(res.status).toBe(403);
    expect(await queued()).toBe(before);
  });

  it("flooding from one address is refused (429 with Retry-After) while another address is heard.", async () => {
    const before = await queued();
    for (let k = 0; k < 4; k++)
      expect((await suggest(inst, { name: `Flood ${k}` }, undefined, "en", from(4))).status).toBe(202);
    const [res, other] = await Promise.all([
      suggest(inst, { name: "Flood 5" }, undefined, "en", from(4)),
      suggest(inst, { name: "Neighbour Co-op" }, undefined, "en", from(5)),
    ]);
    expect(res.status).toBe(429);
    expect(Number(res.headers.get("retry-after"))).toBeGreaterThan(0);
    expect(other.status).toBe(202);
    expect(await queued()).toBe(before + 5);
  });

  it("with an oversized body is refused (413) and nothing is queued.", async () => {
    const before = await queued();
    const [res, other] = await Promise.all([
      suggest(inst, { name: "Big", description: "x".repeat(200_000) }, undefined, "en", from(6)),
      ordinary(),
    ]);
    expect(res.status).toBe(413);
    expect(other).toBe(200);
    expect(await queued()).toBe(before);
  });

  it("correcting a record this network does not publish is refused (404).", async () => {
    const before = await queued();
    for (const about of [
      "https://other.example/initiatives/x",
      `${inst.base}/initiatives/nope`,
      "javascript:alert(1)",
    ]) {
      const res = await suggest(inst, { about, name: "Hijack" }, undefined, "en", from(7));
      expect(res.status).toBe(404);
    }
    expect(await queued()).toBe(before);
  });

  it("cannot publish or overwrite a record: a posted id is ignored, and the record stays as it was.", async () => {
    const res = await suggest(inst, { id: own, name: "Overwritten" }, undefined, "en", from(8));
    expect(res.status).toBe(202);
    const items = (await inst.store.curation.listQueue({ limit: 100, kind: "suggestion" })).items;
    const mine = items.find((i) => i.record?.initiative.name === "Overwritten")!;
    expect(mine.target).not.toBe(own);
    expect((await inst.directory.get(own))!.initiative.name).toBe("The Bakery Co-op");
    expect((await fetch(mine.target, { headers: { accept: "application/ld+json" } })).status).toBe(404);
  });

  it("with a message too long, or text no store can hold, is refused (422).", async () => {
    const before = await queued();
    const long = await suggest(inst, { name: "Chatty Co-op", message: "m".repeat(2001) }, undefined, "en", from(9));
    expect(long.status).toBe(422);
    expect(await long.text()).toContain('id="err-message"');
    // Text no store can hold (NUL; a lone surrogate cannot even be form-encoded) is refused.
    const bad = await suggest(inst, { name: "Nul\u0000 Co-op" }, undefined, "en", from(9));
    expect([400, 422]).toContain(bad.status);
    expect(await queued()).toBe(before);
  });

  it("when the queue is full is refused (503) and nothing more is queued.", async () => {
    const fill = 500 - (await queued());
    for (let k = 0; k < fill; k++)
      await inst.store.curation.enqueue({
        kind: "suggestion",
        target: `${inst.base}/initiatives/fill-${k}`,
        received: new Date().toISOString(),
      });
    const [res, other] = await Promise.all([
      suggest(inst, { name: "One Too Many" }, undefined, "en", from(10)),
      ordinary(),
    ]);
    expect(res.status).toBe(503);
    expect(other).toBe(200);
    expect(await queued()).toBe(500);
  });
});

describe("A network that takes no suggestions", () => {
  let closed: TestInstance;
  beforeAll(async () => {
    closed = await startInstance({ ESSFED_SUGGESTIONS_PER_HOUR: "0" });
  }, 60_000);
  afterAll(async () => {
    await closed?.stop();
  });

  it("has no form and refuses posts (404), and offers no link.", async () => {
    expect((await fetch(`${closed.base}/suggest`)).status).toBe(404);
    const res = await fetch(`${closed.base}/suggest`, {
      method: "POST",
      headers: { "content-type": FORM },
      body: form({ name: "X" }),
    });
    expect(res.status).toBe(404);
    expect(await closed.store.curation.countQueue("suggestion")).toBe(0);
    expect(await (await fetch(`${closed.base}/`)).text()).not.toContain('href="/suggest"');
  });
});
