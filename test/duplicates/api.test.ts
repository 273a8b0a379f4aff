/**
 * Duplicates through the admin API and the command line on a real instance: the worker finds the
 * candidates as records arrive; decisions are taken, listed and written to the audit log.
 */
import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import { Parser } from "n3";
import { main } from "../../src/cli/main.ts";
import { auth, startInstance, type TestInstance } from "../support/instance.ts";
import { listing } from "../contract/duplicates.contract.ts";

const LEEDS = "https://leeds.example/actors/network";
const YORK = "https://york.example/actors/network";
let inst: TestInstance;
let A: string, B: string, C: string;

beforeAll(async () => {
  inst = await startInstance({ ESSFED_NAME: "Aggregator" });
  A = `${inst.base}/initiatives/green-bay`;
  B = "https://york.example/initiatives/gbp";
  C = "https://leeds.example/initiatives/gbp-ltd";
  await inst.store.putInitiatives([
    listing(A, "Green Bay Projects"),
    listing(B, "Green Bay Projects Limited", { homepage: "https://greenbay.example/" }, YORK),
    listing(C, "GREEN BAY PROJECTS LTD", { homepage: "http://www.greenbay.example" }, LEEDS),
    listing("https://leeds.example/initiatives/other", "Kirkstall Bakery", {}, LEEDS),
  ]);
});
afterAll(async () => {
  await inst.stop();
});

type Listed = {
  items: {
    a: string;
    b: string;
    score: number;
    state: string;
    decidedBy?: string;
    reasons: { kind: string }[];
    listings: { id: string; name: string; source?: string }[];
  }[];
  pending: number;
};
const list = async (query = "") => {
  const res = await fetch(`${inst.base}/api/duplicates${query}`, { headers: auth });
  expect(res.status).toBe(200);
  return (await res.json()) as Listed;
};
const decide = (verb: string, body: unknown) =>
  fetch(`${inst.base}/api/duplicates/${verb}`, {
    method: "POST",
    headers: { ...auth, "content-type": "application/json" },
    body: JSON.stringify(body),
  });

describe("The duplicates admin API", () => {
  it("lists the candidates the worker found as records arrived, highest score first, with each side's name and network.", async () => {
    let page = await list();
    for (let i = 0; i < 100 && (page.pending > 0 || page.items.length < 3); i++) {
      await new Promise((r) => setTimeout(r, 200));
      page = await list();
    }
    expect(page.pending).toBe(0);
    expect([page.items[0]!.a, page.items[0]!.b]).toEqual([C, B].sort());
    expect(
      page.items
        .slice(1)
        .map((p) => `${p.a} ${p.b}`)
        .sort(),
    ).toEqual([[A, B].sort().join(" "), [A, C].sort().join(" ")].sort());
    const top = page.items[0]!;
    expect(top.reasons.map((r) => r.kind)).toEqual(["website", "name", "postcode", "near"]);
    expect(top.listings.map((l) => l.source).sort()).toEqual([LEEDS, YORK]);
    expect(page.items[1]!.listings.find((l) => l.id === A)).toEqual({
      id: A,
      name: "Green Bay Projects",
      held: true,
    });
  });

  it("confirms, rejects and undoes, in either order of the pair, each in the audit log.", async () => {
    const confirmed = await decide("confirm", { a: B, b: A, reason: "same registration on the register" });
    expect(confirmed.status).toBe(200);
    expect(await confirmed.json()).toMatchObject({ state: "confirmed", decidedBy: "admin token" });
    expect((await decide("reject", { a: A, b: C })).status).toBe(200);
    expect((await list("?state=confirmed")).items.map((p) => p.state)).toEqual(["confirmed"]);
    expect((await list("?state=rejected")).items).toHaveLength(1);
    expect((await list()).items).toHaveLength(1);
    expect(((await (await decide("undo", { a: A, b: C })).json()) as { state: string }).state).toBe("candidate");
    const audit = (await inst.store.audit.list({ limit: 10, actionPrefix: "duplicate." })).items;
    expect(audit.map((e) => [e.action, e.actor.kind, e.reason])).toEqual([
      ["duplicate.undo", "token", undefined],
      ["duplicate.reject", "token", undefined],
      ["duplicate.confirm", "token", "same registration on the register"],
    ]);
    expect(audit[2]!.detail).toMatchObject({ before: "candidate" });
  });

  it("publishes confirmed pairs as this network's linkset: owl:sameAs with who decided and when, in its own named graph and in the dumps.", async () => {
    const res = await fetch(`${inst.base}/linksets/sameas`);
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toMatch(/^text\/turtle/);
    const linkset = `${inst.base}/linksets/sameas`;
    const quads = new Parser({ baseIRI: linkset }).parse(await res.text());
    const has = (s: string, p: string, o?: string) =>
      quads.some((q) => q.subject.value === s && q.predicate.value === p && (o === undefined || q.object.value === o));
    const [a, b] = [A, B].sort() as [string, string];
    expect(has(a, "http://www.w3.org/2002/07/owl#sameAs", b)).toBe(true);
    expect(quads.filter((q) => q.predicate.value === "http://www.w3.org/2002/07/owl#sameAs")).toHaveLength(1); // not the undone or rejected ones
    expect(has(linkset, "http://www.w3.org/1999/02/22-rdf-syntax-ns#type", "http://rdfs.org/ns/void#Linkset")).toBe(
      true,
    );
    expect(has(linkset, "http://purl.org/dc/terms/publisher", inst.iris.actor)).toBe(true);
    const decision = quads.find((q) => q.predicate.value === "http://www.w3.org/1999/02/22-rdf-syntax-ns#subject")!
      .subject.value;
    expect(decision.startsWith(`${linkset}#`)).toBe(true);
    expect(has(decision, "http://www.w3.org/ns/prov#wasAttributedTo", inst.iris.actor)).toBe(true);
    expect(has(decision, "https://w3id.org/essfed/ns#decidedBy", "admin token")).toBe(true);
    expect(has(decision, "http://www.w3.org/ns/prov#generatedAtTime")).toBe(true);
    for (const url of [`${inst.base}/linksets/sameas?format=nq`, `${inst.base}/dumps/sameas.nq`]) {
      const nq = new Parser({ format: "N-Quads" }).parse(await (await fetch(url)).text());
      expect(nq.length).toBe(quads.length);
      expect(new Set(nq.map((q) => q.graph.value))).toEqual(new Set([linkset]));
    }
    expect((await fetch(`${inst.base}/linksets/sameas`, { headers: { accept: "image/png" } })).status).toBe(406);
  });

  it("answers the linkset in SPARQL, in the default graph and in its own named graph.", async () => {
    const linkset = `${inst.base}/linksets/sameas`;
    const select = async (query: string) => {
      const res = await fetch(`${inst.base}/sparql?query=${encodeURIComponent(query)}`, {
        headers: { accept: "application/sparql-results+json" },
      });
      expect(res.status).toBe(200);
      return ((await res.json()) as { results: { bindings: Record<string, { value: string }>[] } }).results.bindings;
    };
    const [a, b] = [A, B].sort() as [string, string];
    const OWL = "http://www.w3.org/2002/07/owl#sameAs";
    expect((await select(`SELECT ?o WHERE { <${a}> <${OWL}> ?o }`)).map((r) => r.o!.value)).toEqual([b]);
    expect(
      (await select(`SELECT ?s ?o WHERE { GRAPH <${linkset}> { ?s <${OWL}> ?o } }`)).map((r) => [
        r.s!.value,
        r.o!.value,
      ]),
    ).toEqual([[a, b]]);
    const who = await select(
      `SELECT ?by ?at WHERE { ?d <http://www.w3.org/1999/02/22-rdf-syntax-ns#subject> <${a}> ; ` +
        `<https://w3id.org/essfed/ns#decidedBy> ?by ; <http://www.w3.org/ns/prov#generatedAtTime> ?at }`,
    );
    expect(who.map((r) => r.by!.value)).toEqual(["admin token"]);
  });

  it("shows on the page of a listing the others confirmed to be the same organisation.", async () => {
    const html = await (await fetch(`${inst.base}/initiative?id=${encodeURIComponent(B)}&lang=en`)).text();
    const also = /<p class="also-listed">([\s\S]*?)<\/p>/.exec(html)?.[1] ?? "";
    expect(also).toContain("Also listed by");
    expect(also).toContain(`href="/initiative?id=${encodeURIComponent(A)}"`);
    expect(also).toContain(
      `<a href="${inst.iris.actor}">Aggregator</a> (<a href="/initiative?id=${encodeURIComponent(A)}">Green Bay ` +
        `Projects</a>)`,
    );
    expect(also).not.toContain(C); // rejected or undecided pairs are not shown
    const fr = await (await fetch(`${inst.base}/initiative?id=${encodeURIComponent(B)}&lang=fr`)).text();
    expect(fr).toContain("Aussi répertoriée par");
  });

  it("is described in the OpenAPI document.", async () => {
    const doc = (await (await fetch(`${inst.base}/openapi.json`)).json()) as { paths: Record<string, unknown> };
    expect(Object.keys(doc.paths).filter((p) => p.startsWith("/api/duplicates") || p.startsWith("/linksets"))).toEqual([
      "/api/duplicates",
      "/api/duplicates/confirm",
      "/api/duplicates/reject",
      "/api/duplicates/undo",
      "/linksets/sameas",
      "/linksets/adopted",
    ]);
  });
});

describe("essfed duplicates", () => {
  const run = async (...args: string[]) => {
    const out: string[] = [];
    const err: string[] = [];
    const code = await main(["duplicates", ...args], {
      out: (l) => out.push(l),
      err: (l) => err.push(l),
      env: { ESSFED_LOG_LEVEL: "error", ESSFED_DATA: inst.dir },
    });
    return { code, out: out.join("\n"), err: err.join("\n") };
  };

  it("lists, decides and refuses a pair the finder never found.", async () => {
    const listed = await run("list");
    expect(listed.code).toBe(0);
    expect(listed.out).toContain("Green Bay Projects Limited");
    expect(listed.out).toContain(YORK);
    const rejected = await run("reject", A, C, "--reason", "two projects of one name");
    expect(rejected).toMatchObject({ code: 0 });
    expect(rejected.out).toContain("rejected");
    expect((await run("list", "--state", "rejected")).out).toContain(C);
    expect(await run("confirm", A, "https://nowhere.example/x")).toMatchObject({ code: 1 });
    expect((await run("confirm", A)).code).toBe(64);
    expect((await run("merge", A, B)).code).toBe(64);
    expect((await run("list", "--state", "maybe")).code).toBe(64);
    const audit = (await inst.store.audit.list({ limit: 1, actionPrefix: "duplicate." })).items[0]!;
    expect(audit).toMatchObject({
      action: "duplicate.reject",
      actor: { kind: "cli" },
      reason: "two projects of one name",
    });
  });
});
