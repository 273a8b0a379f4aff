/**
 * Curation from the console over real HTTP: a visitor's suggestion and a report wait in the review
 * queue with what they would change; approving the suggestion publishes it (and tells followers),
 * a record hidden from its page leaves the map and comes back when restored; source policies are
 * for admins. Every decision is in the audit log under the person's name.
 */
import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import { startInstance, type TestInstance } from "../support/instance.ts";
import { personOf, post, type Person } from "../support/console.ts";
import { suggest } from "../support/visitor.ts";

let inst: TestInstance;
let admin: Person;
let editor: Person;
let bakery: string;
beforeAll(async () => {
  inst = await startInstance({ ESSFED_NAME: "Curation Console Network" });
  admin = await personOf(inst, "ana", "admin");
  editor = await personOf(inst, "eli", "editor");
  bakery = inst.iris.initiative("bakery");
  await inst.directory.upsert([{ id: bakery, name: "The Bakery Co-op", homepage: "https://bakery.example" }]);
}, 60_000);
afterAll(async () => {
  await inst?.stop();
});

const page = async (who: Person, path: string) =>
  (await fetch(inst.base + path, { headers: { cookie: who.cookie } })).text();
const onMap = async (q: string) =>
  (
    (await (await fetch(`${inst.base}/map/list?q=${encodeURIComponent(q)}`)).json()) as {
      total?: number;
      items: unknown[];
    }
  ).items.length;

describe("Curation in the console", () => {
  it("shows a suggestion and a correction in the queue with their changes, and publishes the approved one.", async () => {
    expect(
      (await suggest(inst, { name: "Repair Café Co-op", locality: "Leeds", message: "We meet on Saturdays" })).status,
    ).toBe(202);
    expect(
      (await suggest(inst, { about: bakery, name: "The Bakery Co-op", homepage: "https://bakery.example/shop" }))
        .status,
    ).toBe(202);
    const html = await page(editor, "/console/queue?kind=suggestion");
    expect(html).toContain("Repair Café Co-op");
    expect(html).toContain("We meet on Saturdays");
    expect(html).toContain("new: not shown yet");
    // The correction, field by field: what is shown now against what is proposed.
    expect(html).toContain(
      '<th scope="row">Website</th><td class="wrap before">https://bakery.example</td>' +
        '<td class="wrap after">https://bakery.example/shop</td>',
    );
    expect(await page(editor, "/console")).toContain("2 items wait for a decision");
    const items = (await inst.store.curation.listQueue({ limit: 10, kind: "suggestion" })).items;
    const res = await post(inst, editor, "/console/queue/decide", {
      n: String(items.find((i) => i.target !== bakery)!.n),
      decision: "approve",
      reason: "checked with them",
    });
    expect(res.status).toBe(303);
    expect(await onMap("Repair Café")).toBe(1);
    const [entry] = (await inst.store.audit.list({ limit: 1 })).items;
    expect(entry).toEqual(
      expect.objectContaining({
        action: "queue.approve",
        reason: "checked with them",
        actor: expect.objectContaining({ name: "eli" }),
      }),
    );
    // Rejecting the correction leaves the published record as it was.
    await post(inst, editor, "/console/queue/decide", {
      n: String(items.find((i) => i.target === bakery)!.n),
      decision: "reject",
      reason: "the old site is right",
    });
    expect(
      (await inst.directory.get(bakery))?.initiative.homepage ??
        (await inst.store.curation.getWithheld(bakery))?.record.initiative.homepage,
    ).toBe("https://bakery.example");
    expect(await page(editor, "/console/queue")).toContain("Nothing waits for a decision.");
  });

  it("hides a record from its page and restores it from the list of hidden records.", async () => {
    const id = inst.iris.initiative("hideme");
    await inst.directory.upsert([{ id, name: "Hide Me Co-op" }]);
    const own = await (await fetch(id, { headers: { accept: "text/html", cookie: editor.cookie } })).text();
    expect(own).toContain('action="/console/records/hide"');
    // Visitors see no such form.
    expect(await (await fetch(id, { headers: { accept: "text/html" } })).text()).not.toContain("/console/records/hide");
    expect((await post(inst, editor, "/console/records/hide", { id, reason: "" })).status).toBe(400);
    expect((await post(inst, editor, "/console/records/hide", { id, reason: "closed down" })).status).toBe(303);
    expect(await onMap("Hide Me")).toBe(0);
    const list = await page(editor, "/console/withheld");
    expect(list).toContain("Hide Me Co-op");
    expect(list).toContain("closed down");
    expect((await post(inst, editor, "/console/records/restore", { id, reason: "open again" })).status).toBe(303);
    expect(await onMap("Hide Me")).toBe(1);
    const actions = (await inst.store.audit.list({ limit: 5, target: id })).items.map((e) => [
      e.actor.name,
      e.action,
      e.reason,
    ]);
    expect(actions).toEqual([
      ["eli", "record.restore", "open again"],
      ["eli", "record.hide", "closed down"],
    ]);
  });

  it("lets admins set source policies, and shows editors the policies without the forms.", async () => {
    expect(
      (
        await post(inst, admin, "/console/sources", {
          source: "https://spam.example/actors/x",
          policy: "block",
          reason: "spam",
        })
      ).status,
    ).toBe(303);
    expect(await inst.store.curation.listPolicies()).toEqual([
      expect.objectContaining({ source: "https://spam.example/actors/x", policy: "block" }),
    ]);
    const seen = await page(editor, "/console/sources");
    expect(seen).toContain("https://spam.example/actors/x");
    expect(seen).not.toContain('action="/console/sources"');
    expect((await post(inst, editor, "/console/sources", { source: "other.example", policy: "block" })).status).toBe(
      403,
    );
    expect((await post(inst, admin, "/console/sources", { source: "not a source", policy: "block" })).status).toBe(422);
    expect(
      (await post(inst, admin, "/console/sources/remove", { source: "https://spam.example/actors/x" })).status,
    ).toBe(303);
    expect(await inst.store.curation.listPolicies()).toEqual([]);
  });

  it("refuses decisions without a session token (403), and nothing changes.", async () => {
    const before = await inst.store.curation.countQueue();
    await suggest(inst, { name: "Token Co-op" });
    const [item] = (await inst.store.curation.listQueue({ limit: 10, kind: "suggestion" })).items;
    const res = await post(inst, editor, "/console/queue/decide", {
      n: String(item!.n),
      decision: "approve",
      _csrf: "",
    });
    expect(res.status).toBe(403);
    expect(await inst.store.curation.countQueue()).toBe(before + 1);
    expect(await onMap("Token Co-op")).toBe(0);
  });
});
