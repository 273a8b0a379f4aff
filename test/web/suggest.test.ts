/**
 * Public suggestions over real HTTP: a visitor without an account suggests a new initiative or a
 * correction to one of the network's own; both wait in the review queue and nothing is published
 * until the team decides. Refusals show the form again with messages next to the fields.
 */
import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import { startInstance, type TestInstance } from "../support/instance.ts";
import { suggest, visitorForm } from "../support/visitor.ts";
import { LOCAL_SOURCE } from "../../src/store/records.ts";

let inst: TestInstance;
let own: string;
beforeAll(async () => {
  inst = await startInstance({ ESSFED_NAME: "Suggestion Test Network" });
  const [r] = await inst.directory.upsert([
    { id: inst.iris.initiative("bakery"), name: "The Bakery Co-op", homepage: "https://bakery.example" },
  ]);
  own = (r as { record: { initiative: { id: string } } }).record.initiative.id;
}, 60_000);
afterAll(async () => {
  await inst?.stop();
});

const queue = async () => (await inst.store.curation.listQueue({ limit: 50 })).items;

describe("A visitor's suggestion", () => {
  it("of a new initiative waits in the review queue, with the message and contact, and is not published.", async () => {
    const before = await inst.store.countInitiatives(LOCAL_SOURCE);
    const res = await suggest(inst, {
      name: "Café Solidaire",
      description: "Un café coopératif.",
      locality: "Nantes",
      message: "I am a member",
      contact: "ana@example.org",
    });
    expect(res.status).toBe(202);
    expect(await res.text()).toContain("Your suggestion has reached the team of Suggestion Test Network");
    const [item] = (await queue()).filter((i) => i.record?.initiative.name === "Café Solidaire");
    expect(item).toEqual(
      expect.objectContaining({ kind: "suggestion", text: "I am a member", from: "visitor <ana@example.org>" }),
    );
    expect(item!.target.startsWith(`${inst.base}/initiatives/`)).toBe(true);
    expect(item!.record!.initiative.address?.locality).toBe("Nantes");
    expect(await inst.store.countInitiatives(LOCAL_SOURCE)).toBe(before);
    expect((await fetch(item!.target, { headers: { accept: "application/ld+json" } })).status).toBe(404);
  });

  it("of a correction to an own initiative starts from its current values and waits in the queue.", async () => {
    const form = await visitorForm(inst, `/suggest?about=${encodeURIComponent(own)}`);
    expect(form.html).toContain("Propose a correction to The Bakery Co-op");
    expect(form.html).toContain('value="https://bakery.example"');
    const res = await suggest(
      inst,
      { about: own, name: "The Bakery Co-op", homepage: "https://bakery.example/new" },
      form,
    );
    expect(res.status).toBe(202);
    const item = (await queue()).find((i) => i.target === own)!;
    expect(item.record!.initiative.homepage).toBe("https://bakery.example/new");
    expect((await inst.directory.get(own))!.initiative.homepage).toBe("https://bakery.example");
    // The page of the initiative offers it.
    const page = await (await fetch(own, { headers: { accept: "text/html" } })).text();
    expect(page).toContain(`/suggest?about=${encodeURIComponent(own)}`);
  });

  it("of a correction never shows a field kept for the team, keeps it, and keeps the record's levels.", async () => {
    const id = inst.iris.initiative("housing");
    await inst.directory.upsert([
      {
        id,
        name: "Hidden Housing Co-op",
        email: "members@housing.example",
        address: { streetAddress: "3 Quiet Lane", locality: "Leeds" },
        sharing: { streetAddress: "none", email: "network" },
      },
    ]);
    const form = await visitorForm(inst, `/suggest?about=${encodeURIComponent(id)}`);
    expect(form.html).not.toContain("3 Quiet Lane");
    expect(form.html).toContain("members@housing.example");
    const res = await suggest(
      inst,
      {
        about: id,
        name: "Hidden Housing Co-op",
        locality: "Leeds",
        email: "members@housing.example",
        homepage: "https://housing.example",
      },
      form,
    );
    expect(res.status).toBe(202);
    const item = (await queue()).find((i) => i.target === id)!;
    expect(item.record!.initiative.address?.streetAddress).toBe("3 Quiet Lane");
    expect(item.record!.initiative.sharing).toEqual({ streetAddress: "none", email: "network" });
  });

  it("that is invalid is shown again with the messages next to the fields, in the visitor's language.", async () => {
    const form = await visitorForm(inst, "/suggest", "fr");
    const res = await suggest(inst, { name: "", homepage: "pas un site", contact: "pas une adresse" }, form, "fr");
    expect(res.status).toBe(422);
    const html = await res.text();
    expect(html).toContain('id="err-name"');
    expect(html).toContain('id="err-homepage"');
    expect(html).toContain('id="err-contact"');
    expect(html).toContain("Proposer une initiative");
  });

  it("that changes nothing is refused with a message.", async () => {
    const n = (await queue()).length;
    const res = await suggest(inst, { about: own, name: "The Bakery Co-op", homepage: "https://bakery.example" });
    expect(res.status).toBe(422);
    expect(await res.text()).toContain("Nothing was changed");
    expect((await queue()).length).toBe(n);
  });

  it("is offered from the map.", async () => {
    expect(await (await fetch(`${inst.base}/`)).text()).toContain('href="/suggest"');
  });
});
