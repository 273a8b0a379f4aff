/**
 * JSON-LD and Turtle import: which local IRI each record gets. Re-importing a file changes
 * nothing, blank nodes included, and a record from another site never lands on an unrelated local
 * record that happens to share its last path segment.
 */
import { afterEach, beforeEach, describe, expect, it } from "@jest/globals";
import { importJsonLd, importTurtle } from "../../src/importers/import.ts";
import { startInstance, type TestInstance } from "../support/instance.ts";

const ESS = "https://w3id.org/esspace/ont/essglobal#";
const CONTEXT = {
  ess: "https://lod.coop/essglobal/2.1/vocab/",
  gr: "http://purl.org/goodrelations/v1#",
  dc: "http://purl.org/dc/terms/",
};
const node = (id: string | undefined, name: string, description?: string) => ({
  ...(id ? { "@id": id } : {}),
  "@type": "ess:SSEInitiative",
  "gr:name": name,
  ...(description ? { "dc:description": description } : {}),
});
const doc = (...nodes: object[]) => JSON.stringify({ "@context": CONTEXT, "@graph": nodes });

let inst: TestInstance;
beforeEach(async () => {
  inst = await startInstance();
});
afterEach(async () => {
  await inst.stop();
});

describe("Importing JSON-LD", () => {
  it("never overwrites a local record that shares a foreign IRI's last segment, and re-imports onto the same record.", async () => {
    await inst.directory.upsert([{ id: inst.iris.initiative("abc"), name: "Our Own Co-op" }]);
    const file = doc(
      node("https://elsewhere.example/initiatives/abc", "Their Co-op"),
      node("https://elsewhere.example/initiatives/xyz", "Another"),
    );
    const first = await importJsonLd(file, inst.directory, inst.iris);
    expect([first.created, first.refused]).toEqual([2, []]);
    expect((await inst.directory.get(inst.iris.initiative("abc")))!.initiative.name).toBe("Our Own Co-op");
    expect((await inst.directory.get(inst.iris.initiative("xyz")))!.initiative.sameAs).toEqual([
      "https://elsewhere.example/initiatives/xyz",
    ]);
    const { items } = await inst.store.listInitiatives({ limit: 10 });
    const theirs = items.find((r) => r.initiative.name === "Their Co-op")!.initiative;
    expect(theirs.id).toMatch(new RegExp(`^${inst.iris.initiative("abc")}-[0-9a-f]{10}$`));
    expect(theirs.sameAs).toEqual(["https://elsewhere.example/initiatives/abc"]);

    const again = await importJsonLd(file, inst.directory, inst.iris);
    expect([again.created, again.updated, again.unchanged]).toEqual([0, 0, 2]);
    expect(await inst.store.countInitiatives()).toBe(3);
  });

  it("gives blank nodes the same ids on every import, two records of one name included.", async () => {
    const file = doc(
      node(undefined, "Bakery Co-op", "in Leeds"),
      node(undefined, "Bakery Co-op", "in York"),
      node(undefined, "Café Solidaire"),
    );
    const first = await importJsonLd(file, inst.directory, inst.iris);
    expect(first.created).toBe(3);
    expect(await inst.directory.get(inst.iris.initiative("cafe-solidaire"))).toBeDefined();
    expect((await inst.directory.get(inst.iris.initiative("bakery-co-op")))!.initiative.description).toBe("in Leeds");
    const again = await importJsonLd(file, inst.directory, inst.iris);
    expect([again.created, again.updated, again.unchanged]).toEqual([0, 0, 3]);
    expect(await inst.store.countInitiatives()).toBe(3);
  });

  it("updates the record a blank node landed on when its content changes but its name does not.", async () => {
    await importJsonLd(doc(node(undefined, "Bakery Co-op", "old")), inst.directory, inst.iris);
    const again = await importJsonLd(doc(node(undefined, "Bakery Co-op", "new")), inst.directory, inst.iris);
    expect([again.created, again.updated]).toEqual([0, 1]);
    expect((await inst.directory.get(inst.iris.initiative("bakery-co-op")))!.initiative.description).toBe("new");
  });
});

describe("Importing Turtle", () => {
  it("resolves relative IRIs to this instance's directory.", async () => {
    const ttl = `@prefix ess: <https://lod.coop/essglobal/2.1/vocab/> . @prefix gr: <http://purl.org/goodrelations/v1#> .
      <local-1> a ess:SSEInitiative ; gr:name "Relative One" .
      <${ESS}ignored> gr:name "not an initiative" .`;
    const report = await importTurtle(ttl, inst.directory, inst.iris);
    expect([report.read, report.created]).toEqual([1, 1]);
    const r = await inst.directory.get(inst.iris.initiative("local-1"));
    expect(r!.initiative.sameAs).toEqual([]);
    expect((await importTurtle(ttl, inst.directory, inst.iris)).unchanged).toBe(1);
  });
});
