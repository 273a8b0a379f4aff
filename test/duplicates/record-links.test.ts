/**
 * A record's Turtle, N-Quads and plain JSON-LD as this network serves it carry the network's
 * sameAs links about it and those it adopted from followed networks (with Link headers to the
 * linksets and a new ETag), each attributed to the network that decided it, while the signed
 * ActivityStreams document peers fetch and verify stays byte for byte the same; undoing or
 * forgetting a decision takes its links out again. Both stores.
 */
import { afterAll, beforeAll, expect, it } from "@jest/globals";
import jsonld from "jsonld";
import { Parser, type Quad, type Term } from "n3";
import { auth, type TestInstance } from "../support/instance.ts";
import { listing } from "../contract/duplicates.contract.ts";
import { describeStores } from "../security/ops-helpers.ts";

const YORK = "https://york.example/actors/network";
const YORK_LINKSET = "https://york.example/linksets/sameas";
const PROV_ATTRIBUTED = "http://www.w3.org/ns/prov#wasAttributedTo";
const AS_PROFILE = 'application/ld+json; profile="https://www.w3.org/ns/activitystreams"';
/** What peers send (src/federation/outbound/fetcher.ts). */
const PEER_ACCEPT = `application/activity+json, ${AS_PROFILE};q=0.9, application/json;q=0.5`;

/** A statement as a comparable string: every term with its kind, datatype and language. */
const termKey = (t: Term): string =>
  t.termType === "Literal" ? `"${t.value}"^^${t.datatype.value}@${t.language}` : `${t.termType}:${t.value}`;
const statements = (quads: Quad[]) =>
  quads.map((q) => [q.subject, q.predicate, q.object, q.graph].map(termKey).join(" ")).sort();
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

  /** The statements of a JSON-LD document as the `jsonld` library reads them, in N-Quads. */
  const jsonLdStatements = async (text: string) => {
    const nq = (await jsonld.toRDF(JSON.parse(text) as jsonld.JsonLdDocument, {
      format: "application/n-quads",
    })) as unknown as string;
    return statements(new Parser({ format: "application/n-quads" }).parse(nq));
  };
  const nquadStatements = (text: string) => statements(new Parser({ format: "application/n-quads" }).parse(text));

  it("answers each Accept form: ActivityStreams ones with the signed document, plain JSON-LD with the links.", async () => {
    expect((await decide("confirm")).status).toBe(200);
    const signed = await get(A, "application/activity+json");
    const links = await get(A, "application/ld+json");
    expect(links.text).not.toBe(signed.text);
    const cases: [string | undefined, string, "signed" | "links"][] = [
      [undefined, AS_PROFILE, "signed"],
      ["*/*", AS_PROFILE, "signed"],
      [AS_PROFILE, AS_PROFILE, "signed"],
      ["application/activity+json", "application/activity+json", "signed"],
      ["application/json", "application/json", "signed"],
      [PEER_ACCEPT, "application/activity+json", "signed"],
      ["application/activity+json, application/ld+json", "application/activity+json", "signed"],
      ["application/ld+json", "application/ld+json", "links"],
      ['application/ld+json; profile="http://www.w3.org/ns/json-ld#compacted"', "application/ld+json", "links"],
      [`application/ld+json, ${AS_PROFILE};q=0.5`, "application/ld+json", "links"],
    ];
    for (const [accept, type, doc] of cases) {
      const res = await fetch(A, { headers: accept ? { accept } : {} });
      const text = await res.text();
      expect([accept, res.status, res.headers.get("content-type")]).toEqual([accept, 200, `${type}; charset=utf-8`]);
      expect([accept, text]).toEqual([accept, doc === "signed" ? signed.text : links.text]);
    }
    for (const [format, doc] of [
      ["jsonld", signed],
      ["json", signed],
      ["jsonld-links", links],
    ] as const) {
      const res = await fetch(`${A}?format=${format}`);
      expect([format, await res.text()]).toEqual([format, doc.text]);
    }
  });

  it("serves as JSON-LD the same statements as N-Quads, the links in the linkset's named graph.", async () => {
    const nq = await get(A, "application/n-quads");
    const doc = await get(A, "application/ld+json");
    const linkset = `${inst.base}/linksets/sameas`;
    expect(doc.link).toBe(`<${linkset}>; rel="linkset"; type="text/turtle"`);
    const fromJsonLd = await jsonLdStatements(doc.text);
    expect(fromJsonLd).toEqual(nquadStatements(nq.text));
    const links = (all: string[]) => all.filter((s) => s.split(" ")[1] === `NamedNode:${SAME_AS}`);
    expect(links(fromJsonLd)).toEqual([
      [A, B]
        .sort()
        .map((x) => `NamedNode:${x}`)
        .join(` NamedNode:${SAME_AS} `) + ` NamedNode:${linkset}`,
    ]);
    expect((await decide("undo")).status).toBe(200);
    const after = await get(A, "application/ld+json");
    expect(after.etag).not.toBe(doc.etag);
    expect(links(await jsonLdStatements(after.text))).toEqual([]);
  });

  it("carries the links adopted from a followed network, attributed to it, in every document but the signed one.", async () => {
    const C = "https://leeds.example/initiatives/green-bay";
    const signed = await get(A, AS_PROFILE);
    const before = { ttl: await get(A, "text/turtle"), ld: await get(A, "application/ld+json") };
    await inst.store.duplicates.adopt({
      publisher: YORK,
      linkset: YORK_LINKSET,
      a: A,
      b: C,
      score: 0.91,
      decidedBy: "ana",
      decidedAt: "2026-05-06T10:00:00.000Z",
      receivedAt: "2026-05-06T10:00:01.000Z",
    });
    const ttl = await get(A, "text/turtle");
    expect(ttl.etag).not.toBe(before.ttl.etag);
    expect(ttl.link).toBe(`<${inst.base}/linksets/adopted>; rel="linkset"; type="text/turtle"`);
    expect(sameAs(ttl.text, "text/turtle")).toEqual([`${A} ${C} `]);
    const ttlQuads = new Parser({ format: "text/turtle" }).parse(ttl.text);
    expect(ttlQuads.filter((q) => q.predicate.value === PROV_ATTRIBUTED).map((q) => q.object.value)).toEqual([YORK]);
    expect(
      ttlQuads.filter((q) => q.predicate.value.endsWith("#seeAlso")).map((q) => `${q.subject.value} ${q.object.value}`),
    ).toEqual([`${A} ${YORK_LINKSET}`]);
    const nq = await get(A, "application/n-quads");
    expect(sameAs(nq.text, "application/n-quads")).toEqual([`${A} ${C} ${YORK_LINKSET}`]);
    const nqQuads = new Parser({ format: "application/n-quads" }).parse(nq.text);
    expect(nqQuads.filter((q) => q.predicate.value === PROV_ATTRIBUTED).map((q) => q.graph.value)).toEqual([
      YORK_LINKSET,
    ]);
    const ld = await get(A, "application/ld+json");
    expect(ld.etag).not.toBe(before.ld.etag);
    expect(await jsonLdStatements(ld.text)).toEqual(nquadStatements(nq.text));
    // The signed document does not move.
    const signedAfter = await get(A, AS_PROFILE);
    expect([signedAfter.text, signedAfter.etag, signedAfter.link]).toEqual([signed.text, signed.etag, null]);
    // The dump of adopted links has it in the deciding network's linkset graph.
    const dump = await get(`${inst.base}/dumps/adopted.nq`, "application/n-quads");
    expect(sameAs(dump.text, "application/n-quads")).toEqual([`${A} ${C} ${YORK_LINKSET}`]);
    // The page for people says so too, naming the deciding network (a listing not held here by its IRI).
    const page = await (
      await fetch(`${inst.base}/initiative?id=${encodeURIComponent(A)}`, { headers: { accept: "text/html" } })
    ).text();
    const linked = /<p class="also-listed linked-by">([\s\S]*?)<\/p>/.exec(page)?.[1] ?? "";
    expect(linked).toContain(`<a href="${C}">${C}</a>, according to <a href="${YORK}">network@york.example</a>`);
    // Forgetting it takes it out again.
    expect(await inst.store.duplicates.unadopt(YORK, A, C)).toBe(true);
    const gone = await get(A, "text/turtle");
    expect([gone.etag, gone.link, sameAs(gone.text, "text/turtle")]).toEqual([before.ttl.etag, null, []]);
  });
});
