/**
 * End to end over real HTTP: two networks list overlapping worker co-ops (the second copy with
 * identifiers removed and names, websites, postcodes and contacts varied as real listings vary),
 * an aggregator follows both, finds the candidates across them, an admin confirms, and the
 * aggregator publishes the links as its own linkset, which a follower of the aggregator receives
 * (signed activities of the aggregator) and adopts with that provenance.
 */
import { createReadStream, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it, jest } from "@jest/globals";
import { parse } from "csv-parse/sync";
import { Parser } from "n3";
import { importCsv } from "../../src/importers/import.ts";
import { auth, startInstance, type TestInstance } from "../support/instance.ts";
import { eventually } from "../support/process.ts";

jest.setTimeout(240_000);

const fixture = (name: string) => fileURLToPath(new URL(`../fixtures/csv/${name}`, import.meta.url));
const identifiers = (name: string) =>
  parse<Record<string, string>>(readFileSync(fixture(name)), { columns: true, relax_column_count: true }).map(
    (r) => r.Identifier!,
  );

let a: TestInstance, b: TestInstance, hub: TestInstance, reader: TestInstance;
const known = new Set<string>();

beforeAll(async () => {
  [a, b, hub, reader] = await Promise.all([
    startInstance({ ESSFED_HANDLE: "city" }),
    startInstance({ ESSFED_HANDLE: "sector" }),
    startInstance({ ESSFED_HANDLE: "national" }),
    startInstance({ ESSFED_HANDLE: "ripess", ESSFED_SAMEAS_ADOPT: "true" }),
  ]);
  await importCsv(createReadStream(fixture("duplicates-network-a.csv")), a.directory, a.iris);
  await importCsv(createReadStream(fixture("duplicates-network-b.csv")), b.directory, b.iris);
  // The first 15 rows of network B are network A's first 15 organisations, listed again.
  const idsA = identifiers("duplicates-network-a.csv");
  const idsB = identifiers("duplicates-network-b.csv");
  for (let k = 0; k < 15; k++) known.add([a.iris.initiative(idsA[k]!), b.iris.initiative(idsB[k]!)].sort().join(" "));
});
afterAll(async () => {
  await Promise.all([a, b, hub, reader].map((i) => i?.stop()));
});

const api = (path: string, body?: unknown, on = hub) =>
  fetch(on.base + path, {
    method: body ? "POST" : "GET",
    headers: { ...auth, ...(body ? { "content-type": "application/json" } : {}) },
    ...(body ? { body: JSON.stringify(body) } : {}),
  });

describe("Duplicates across followed networks", () => {
  it("are found by the aggregator as the networks' records arrive, confirmed, and published as its linkset.", async () => {
    for (const source of [a, b]) expect((await api("/api/follows", { target: source.iris.actor })).status).toBe(202);
    // A wider network follows the aggregator and adopts the links it decides.
    expect((await api("/api/follows", { target: hub.iris.actor }, reader)).status).toBe(202);
    await eventually(
      async () => (await hub.store.getFollower(reader.iris.actor))?.state === "accepted",
      60_000,
      "the reader follows",
    );
    await eventually(async () => (await hub.store.countInitiatives()) === 65, 120_000, "both networks back-filled");
    const page = await eventually(
      async () => {
        const p = (await (await api("/api/duplicates?limit=500")).json()) as {
          items: { a: string; b: string; score: number; reasons: { kind: string }[] }[];
          pending: number;
        };
        return p.pending === 0 && p.items.length >= 15 ? p : undefined;
      },
      60_000,
      "the worker's finder",
    );
    const found = new Set(page.items.map((p) => `${p.a} ${p.b}`));
    const missed = [...known].filter((k) => !found.has(k));
    const extra = [...found].filter((k) => !known.has(k));
    // Every second listing is found; nothing else is paired across these 50 organisations.
    expect(missed).toEqual([]);
    expect(extra).toEqual([]);
    for (const p of page.items) expect(p.reasons.map((r) => r.kind)).toContain("postcode");

    for (const p of page.items) expect((await api("/api/duplicates/confirm", { a: p.a, b: p.b })).status).toBe(200);
    const turtle = await (await fetch(`${hub.base}/linksets/sameas`)).text();
    const links = new Parser()
      .parse(turtle)
      .filter((q) => q.predicate.value === "http://www.w3.org/2002/07/owl#sameAs");
    expect(new Set(links.map((q) => `${q.subject.value} ${q.object.value}`))).toEqual(known);
    // The networks' own records are untouched: their sameAs lists nothing of the other's.
    for (const r of (await a.store.listInitiatives({ limit: 100 })).items) expect(r.initiative.sameAs).toEqual([]);

    // The reader received each confirmation from the aggregator and keeps it as the aggregator's.
    const adopted = async () =>
      new Parser({ format: "N-Quads" }).parse(await (await fetch(`${reader.base}/linksets/adopted?format=nq`)).text());
    const sameAs = (quads: Awaited<ReturnType<typeof adopted>>) =>
      new Set(
        quads
          .filter((q) => q.predicate.value === "http://www.w3.org/2002/07/owl#sameAs")
          .map((q) => `${q.subject.value} ${q.object.value}`),
      );
    const quads = await eventually(
      async () => {
        const q = await adopted();
        return sameAs(q).size === known.size ? q : undefined;
      },
      60_000,
      "the linkset reaching the reader",
    );
    expect(sameAs(quads)).toEqual(known);
    expect(new Set(quads.map((q) => q.graph.value))).toEqual(new Set([`${hub.base}/linksets/sameas`]));
    const attributed = quads.filter((q) => q.predicate.value === "http://www.w3.org/ns/prov#wasAttributedTo");
    expect(attributed).toHaveLength(known.size);
    expect(new Set(attributed.map((q) => q.object.value))).toEqual(new Set([hub.iris.actor]));
    // Nothing in the reader's own linkset: adopting is not deciding.
    expect(sameAs(new Parser().parse(await (await fetch(`${reader.base}/linksets/sameas`)).text())).size).toBe(0);

    // Undone at the aggregator, the link leaves the reader too.
    const [first] = [...known];
    const [x, y] = first!.split(" ");
    expect((await api("/api/duplicates/undo", { a: x, b: y })).status).toBe(200);
    await eventually(async () => !sameAs(await adopted()).has(first!), 60_000, "the Remove reaching the reader");
    expect(sameAs(await adopted()).size).toBe(known.size - 1);
  });
});
