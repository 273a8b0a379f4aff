/**
 * A record's Turtle and N-Quads as this network serves it carry the network's sameAs links about
 * it (with a Link header to the linkset and a new ETag), while the JSON-LD peers fetch and verify
 * stays byte for byte the same; undoing the decision takes the links out again. Both stores.
 */
import { afterAll, beforeAll, expect, it } from "@jest/globals";
import { Parser } from "n3";
import { auth, type TestInstance } from "../support/instance.ts";
import { listing } from "../contract/duplicates.contract.ts";
import { describeStores } from "../security/ops-helpers.ts";

const YORK = "https://york.example/actors/network";
const SAME_AS = "http://www.w3.org/2002/07/owl#sameAs";

describeStores("sameAs links in a record's own documents", (kind) => {
  let inst: TestInstance;
  let A: string;
  const B = "https://york.example/initiatives/gbp";
  beforeAll(async () => {
    inst = await kind.start({ ESSFED_NAME: "Aggregator" });
    A = `${inst.base}/initiatives/green-bay`;
    await inst.store.putInitiatives([
      listing(A, "Green Bay Projects", { homepage: "https://greenbay.example/" }),
      listing(B, "Green Bay Projects Limited", { homepage: "https://greenbay.example/" }, YORK),
    ]);
  }, 60_000);
  afterAll(async () => {
    await inst.stop();
  });

  const decide = (verb: string) =>
    fetch(`${inst.base}/api/duplicates/${verb}`, {
      method: "POST",
      headers: { ...auth, "content-type": "application/json" },
      body: JSON.stringify({ a: A, b: B }),
    });
  const get = async (url: string, accept: string) => {
    const res = await fetch(url, { headers: { accept } });
    expect(res.status).toBe(200);
    return { text: await res.text(), etag: res.headers.get("etag"), link: res.headers.get("link") };
  };
  const sameAs = (text: string, format: string) =>
    new Parser({ format })
      .parse(text)
      .filter((q) => q.predicate.value === SAME_AS)
      .map((q) => `${q.subject.value} ${q.object.value} ${q.graph.value}`);

  it("adds the links after a confirmation and removes them after an undo, the JSON-LD unchanged.", async () => {
    for (let i = 0; i < 100; i++) {
      const page = (await (await fetch(`${inst.base}/api/duplicates`, { headers: auth })).json()) as {
        items: unknown[];
      };
      if (page.items.length) break;
      await new Promise((r) => setTimeout(r, 200));
    }
    const [a, b] = [A, B].sort();
    const linkset = `${inst.base}/linksets/sameas`;
    const jsonBefore = await get(A, "application/activity+json");
    const ttlBefore = await get(A, "text/turtle");
    expect(sameAs(ttlBefore.text, "text/turtle")).toEqual([]);
    expect(ttlBefore.link).toBeNull();

    expect((await decide("confirm")).status).toBe(200);
    {
      const ttl = await get(A, "text/turtle");
      expect(sameAs(ttl.text, "text/turtle")).toEqual([`${a} ${b} `]);
      expect(ttl.link).toBe(`<${linkset}>; rel="linkset"; type="text/turtle"`);
      expect(ttl.etag).not.toBe(ttlBefore.etag);
      const seeAlso = new Parser({ format: "text/turtle" })
        .parse(ttl.text)
        .filter((q) => q.predicate.value.endsWith("#seeAlso"));
      expect(seeAlso.map((q) => `${q.subject.value} ${q.object.value}`)).toEqual([`${A} ${linkset}`]);
    }
    const nq = await get(A, "application/n-quads");
    expect(sameAs(nq.text, "application/n-quads")).toEqual([`${a} ${b} ${linkset}`]);
    const jsonAfter = await get(A, "application/activity+json");
    expect(jsonAfter.text).toBe(jsonBefore.text);
    expect(jsonAfter.etag).toBe(jsonBefore.etag);
    expect(jsonAfter.link).toBeNull();

    expect((await decide("undo")).status).toBe(200);
    const ttlAfter = await get(A, "text/turtle");
    expect(sameAs(ttlAfter.text, "text/turtle")).toEqual([]);
    expect(ttlAfter.etag).toBe(ttlBefore.etag);
    expect(ttlAfter.link).toBeNull();
  });
});
