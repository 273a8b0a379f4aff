/**
 * SPARQL figures (issues 5 and 15) over N generated initiatives on SQLite and PostgreSQL, run in a
 * separate process that only opens the store, with the endpoint's own limits (10 s to start
 * answering, then streaming): lookups (by name, postcode, registration), names under a prefix
 * (STRSTARTS, an anchored REGEX), CONTAINS, the 100 northernmost (ORDER BY with LIMIT), counts,
 * GROUP BY, every initiative's name and coordinates, and the map client's query unnested and
 * nested. Prints the median time to the first piece of the answer and to its end, the median and
 * 95th percentile CPU time of the query process for it (on a loaded machine the figure to compare:
 * a slow run with little CPU waited for a core), the rows, and the query process's RSS.
 *
 * With --compare (on by default up to 100,000), the same queries also run through an independent
 * engine, Oxigraph, over the N-Quads dump of the same store (with the vocabularies), and each
 * answer is checked equal to essfed's (same solutions; same order where the query orders them).
 *
 *   node bench/sparql.ts [--sizes 10000,100000] [--stores sqlite,postgres] [--runs 3] [--only count,group]
 *     (kinds: lookup, postcode, registration, prefix, contains, order, count, group, all, map)
 *     [--compare auto|yes|no] [--keep DIR]
 *
 * With --keep DIR, the SQLite file of each size is DIR/sparql-N.sqlite and the PostgreSQL data of each size is schema
 * essfed_bs_N, and both are kept: a later run with the same DIR opens them (running any new migrations) instead of
 * filling them again, which matters at 1,000,000 records. PostgreSQL data is VACUUM ANALYZEd after the fill, as
 * autovacuum would after a bulk load.
 */
import { fork } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, renameSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { makeIris } from "../src/directory/ids.ts";
import { versionOf } from "../src/domain/version.ts";
import { loadTaxonomies } from "../src/linkeddata/vocabulary.ts";
import { SparqlService } from "../src/query/sparql.ts";
import { warmUp } from "../src/query/sparql-warm.ts";
import { PostgresStore } from "../src/store/postgres/store.postgres.ts";
import { SqliteStore } from "../src/store/sqlite/store.sqlite.ts";
import type { Store } from "../src/store/store.ts";
import { generateRow, rng } from "./generate.ts";
import { oxigraphOver, sameAnswers, type Answer } from "./sparql-compare.ts";
import { MAP_QUERY, MAP_QUERY_NESTED, PREFIXES } from "./sparql-queries.ts";

const { values } = parseArgs({
  options: {
    sizes: { type: "string", default: "10000,100000" },
    stores: { type: "string", default: process.env.POSTGRES_URL ? "sqlite,postgres" : "sqlite" },
    runs: { type: "string", default: "3" },
    only: { type: "string" },
    compare: { type: "string", default: "auto" },
    keep: { type: "string" },
    child: { type: "string" },
    target: { type: "string" },
    size: { type: "string" },
  },
});
const S = "https://lod.coop/essglobal/2.1/standard/";

async function open(target: string): Promise<Store> {
  const s = target.startsWith("postgres") ? new PostgresStore(target, { max: 4 }) : new SqliteStore(target);
  await s.initialize();
  return s;
}

async function fill(target: string, n: number) {
  const s = await open(target);
  const r = rng(1);
  const release = s.deferIndexing?.();
  for (let k = 0; k < n; k += 5000) {
    await s.putInitiatives(
      Array.from({ length: Math.min(5000, n - k) }, (_, j) => {
        const g = generateRow(k + j, r);
        const initiative = {
          id: `https://bench.example/initiatives/${g.id}`,
          name: g.name,
          description: g.description,
          homepage: g.website,
          organisationalStructure: [`${S}organisational-structure/${g.structure}`],
          legalForm: [],
          activities: [],
          qualifiers: [],
          sameAs: [],
          primaryActivity: `${S}activities-ica/${g.primary}`,
          country: `${S}countries-iso/${g.country}`,
          baseMembershipType: `${S}base-membership-type/${g.membership}`,
          ...((k + j) % 5 === 0 ? { companiesHouseNumber: `IP${30000 + k + j}` } : {}),
          ...((k + j) % 7 === 0 ? { registrations: [{ register: "GB-CHC", number: String(1_000_000 + k + j) }] } : {}),
          address: {
            streetAddress: `${k + j} High Street`,
            locality: g.locality,
            postcode: g.postcode,
            lat: g.lat,
            long: g.long,
          },
        };
        return {
          initiative,
          published: "2025-01-01T00:00:00.000Z",
          updated: "2025-01-01T00:00:00.000Z",
          version: versionOf(initiative),
        };
      }),
    );
  }
  release?.();
  await s.search.catchUp();
  if (s instanceof PostgresStore) await s.pool.query("VACUUM ANALYZE");
  await s.close();
}

/** Names and postcodes of the first thousand generated records, as `fill` made them. */
const [NAMES, POSTCODES] = (() => {
  const r = rng(1);
  const rows = Array.from({ length: 1000 }, (_, k) => generateRow(k, r));
  return [rows.map((g) => g.name), rows.map((g) => g.postcode)];
})();
const ORG = "PREFIX org: <http://www.w3.org/ns/org#>\n";
/** A postcode, registration or company number of one of the first thousand records (`fill`). */
const postcode = (r: () => number) => POSTCODES[Math.floor(r() * 1000)]!;
const charity = (r: () => number) => `GB-CHC-${1_000_000 + 7 * Math.floor(r() * 143)}`;
const company = (r: () => number) => `<http://business.data.gov.uk/id/company/IP${30000 + 5 * Math.floor(r() * 200)}>`;

/** [name, query, kind (for --only), ordered-by variable] */
const QUERIES: [string, (r: () => number) => string, string, string?][] = [
  [
    "lookup by name (FILTER)",
    (r) => `${PREFIXES} SELECT ?i WHERE { ?i gr:name ?n FILTER(?n = "${NAMES[Math.floor(r() * 1000)]}") }`,
    "lookup",
  ],
  [
    "lookup by name (literal)",
    (r) => `${PREFIXES} SELECT ?i WHERE { ?i gr:name "${NAMES[Math.floor(r() * 1000)]}" }`,
    "lookup",
  ],
  [
    "lookup by name, typed, OPTIONAL",
    (r) =>
      `${PREFIXES} SELECT ?i ?www WHERE { ?i a essglobal:SSEInitiative ; gr:name "${NAMES[Math.floor(r() * 1000)]}" ` +
      `OPTIONAL { ?i foaf:homepage ?www } }`,
    "lookup",
  ],
  [
    "lookup by postcode (literal, untyped)",
    (r) =>
      `${PREFIXES} SELECT ?i ?n WHERE { ?i essglobal:hasAddress ?a ; gr:name ?n . ` +
      `?a vcard:postal-code "${postcode(r)}" }`,
    "postcode",
  ],
  [
    "lookup by postcode, typed (FILTER)",
    (r) =>
      `${PREFIXES} SELECT ?i ?n WHERE { ?i a essglobal:SSEInitiative ; gr:name ?n ; essglobal:hasAddress ?a . ` +
      `?a vcard:postal-code ?p FILTER(?p = "${postcode(r)}") }`,
    "postcode",
  ],
  [
    "lookup by postcode (STR, general engine)",
    (r) =>
      `${PREFIXES} SELECT ?i ?l WHERE { ?i essglobal:hasAddress ?a . ?a vcard:postal-code ?p ; vcard:locality ?l ` +
      `FILTER(STR(?p) = "${postcode(r)}") }`,
    "postcode",
  ],
  [
    "lookup by registration (literal)",
    (r) => `${PREFIXES}${ORG} SELECT ?i ?n WHERE { ?i org:identifier "${charity(r)}" ; gr:name ?n }`,
    "registration",
  ],
  [
    "lookup by company (FILTER)",
    (r) =>
      `${PREFIXES} SELECT ?i WHERE { ?i a essglobal:SSEInitiative ; rov:hasRegisteredOrganization ?c ` +
      `FILTER(?c = ${company(r)}) }`,
    "registration",
  ],
  [
    "DESCRIBE one initiative",
    (r) => `DESCRIBE <https://bench.example/initiatives/G${Math.floor(r() * 1000)}>`,
    "lookup",
  ],
  [
    "names starting with two words (STRSTARTS)",
    (r) =>
      `${PREFIXES} SELECT ?i ?n WHERE { ?i a essglobal:SSEInitiative ; gr:name ?n ` +
      `FILTER(STRSTARTS(?n, "${NAMES[Math.floor(r() * 1000)]!.split(" Co-op")[0]}")) }`,
    "prefix",
  ],
  [
    "names starting with two words (REGEX ^)",
    (r) =>
      `${PREFIXES} SELECT ?i ?n WHERE { ?i gr:name ?n ` +
      `FILTER(REGEX(?n, "^${NAMES[Math.floor(r() * 1000)]!.split(" Co-op")[0]}")) } LIMIT 50`,
    "prefix",
  ],
  [
    "a name containing a text (CONTAINS LCASE)",
    (r) =>
      `${PREFIXES} SELECT ?i ?n WHERE { ?i a essglobal:SSEInitiative ; gr:name ?n ` +
      `FILTER(CONTAINS(LCASE(?n), "co-op ${Math.floor(r() * 1000)}7")) }`,
    "contains",
  ],
  [
    "100 northernmost (ORDER BY DESC(?lat) LIMIT)",
    () =>
      `${PREFIXES} SELECT ?i ?name ?lat WHERE { ?i a essglobal:SSEInitiative ; gr:name ?name ; ` +
      `essglobal:hasAddress ?a . ?a geo:lat ?lat } ORDER BY DESC(?lat) ?i LIMIT 100`,
    "order",
    "lat",
  ],
  [
    "COUNT of initiatives",
    () => `${PREFIXES} SELECT (COUNT(?i) AS ?n) WHERE { ?i a essglobal:SSEInitiative }`,
    "count",
  ],
  [
    "GROUP BY structure (COUNT)",
    () =>
      `${PREFIXES} SELECT ?s (COUNT(?i) AS ?n) WHERE { ?i a essglobal:SSEInitiative ; ` +
      `essglobal:organisationalStructure ?s } GROUP BY ?s`,
    "group",
  ],
  [
    "GROUP BY primary activity (COUNT)",
    () =>
      `${PREFIXES} SELECT ?a (COUNT(?i) AS ?n) WHERE { ?i a essglobal:SSEInitiative ; essglobal:primarySector ?a } ` +
      `GROUP BY ?a`,
    "group",
  ],
  [
    "name, coordinates of every initiative",
    () =>
      `${PREFIXES} SELECT ?i ?name ?lat ?lng WHERE { ?i a essglobal:SSEInitiative ; gr:name ?name ; ` +
      `essglobal:hasAddress ?a . ?a geo:lat ?lat ; geo:long ?lng }`,
    "all",
  ],
  ["map query nested, LIMIT 100", () => `${MAP_QUERY_NESTED} LIMIT 100`, "map", "name"],
  ["map query nested, all rows", () => MAP_QUERY_NESTED, "map", "name"],
  ["map query unnested, all rows", () => MAP_QUERY, "map", "name"],
];

/** Reads an answer whole: ms to its first piece and to its end, and the text. */
async function timed(
  service: SparqlService,
  query: string,
): Promise<{ first: number; all: number; cpu: number; text: string; code?: string }> {
  const t0 = performance.now();
  const c0 = process.cpuUsage();
  const cpu = () => {
    const c = process.cpuUsage(c0);
    return (c.user + c.system) / 1000;
  };
  const res = await service.execute(query, "application/sparql-results+json", "text/turtle");
  if (!res.ok)
    return { first: performance.now() - t0, all: performance.now() - t0, cpu: cpu(), text: "", code: res.code };
  let first = 0;
  const pieces: string[] = [];
  try {
    for await (const c of res.chunks) {
      if (!pieces.length) first = performance.now() - t0;
      pieces.push(c);
    }
  } catch (e) {
    return {
      first,
      all: performance.now() - t0,
      cpu: cpu(),
      text: "",
      code: `broken off: ${(e as { code?: string }).code ?? (e as Error).message}`,
    };
  }
  return { first, all: performance.now() - t0, cpu: cpu(), text: pieces.join("") };
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const p95 = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(xs.length * 0.95))]!;
const ms = (x: number) => `${x.toFixed(0).padStart(6)} ms`;

async function run(target: string, runs: number, size: number) {
  const s = await open(target);
  const service = new SparqlService(s, loadTaxonomies(), makeIris("https://bench.example", "network"));
  const only = values.only?.split(",");
  const compare = values.compare === "yes" || (values.compare === "auto" && size <= 100_000);
  const oxigraph = compare ? await oxigraphOver(s, makeIris("https://bench.example", "network")) : undefined;
  const lines: string[] = [];
  if (oxigraph)
    lines.push(
      `  Oxigraph: ${oxigraph.quads.toLocaleString("en")} quads of the N-Quads dump loaded in ${ms(oxigraph.loadMs)}`,
    );
  // What a query worker runs before it is ready: the engine's first query, and a few thousand rows of the
  // record-by-record answers so that their code is compiled (ADR 39).
  await warmUp(service);
  const r = rng(5);
  for (const [name, make, kind, orderedBy] of QUERIES) {
    if (only && !only.includes(kind)) continue;
    const firsts: number[] = [];
    const alls: number[] = [];
    const cpus: number[] = [];
    let last: Awaited<ReturnType<typeof timed>> = { first: 0, all: 0, cpu: 0, text: "" };
    for (let k = 0; k < (["lookup", "prefix", "postcode", "registration"].includes(kind) ? runs * 4 : runs); k++) {
      last = await timed(service, make(r));
      firsts.push(last.first);
      alls.push(last.all);
      cpus.push(last.cpu);
    }
    const rows =
      last.code ??
      (last.text.startsWith("{")
        ? `${answerOf(last.text).rows.length.toLocaleString("en")} rows`
        : `${last.text.length.toLocaleString("en")} bytes`);
    let line =
      `  ${name.padEnd(38)} first ${ms(median(firsts))}  all p50 ${ms(median(alls))} p95 ` +
      `${ms(p95(alls))}  cpu p50 ${ms(median(cpus))} p95 ${ms(p95(cpus))}  ${rows}`;
    // Lookups and prefixes draw a name each run, and a page without ORDER BY may be any page: not compared.
    if (oxigraph && !["lookup", "prefix", "contains", "postcode", "registration"].includes(kind) && !last.code) {
      const query = make(rng(5));
      const other = oxigraph.time(query);
      const equal = sameAnswers(answerOf(last.text), other.answer, orderedBy);
      const ratio = (other.ms / median(alls)).toFixed(1);
      line += `  | Oxigraph ${ms(other.ms)} (×${ratio}) ${equal ? "equal" : "DIFFERENT"}`;
    }
    lines.push(line);
  }
  process.send!({ lines, rss: process.memoryUsage().rss });
  await s.close();
  process.exit(0);
}

function answerOf(text: string): Answer {
  const json = JSON.parse(text) as {
    head: { vars: string[] };
    results: { bindings: Record<string, { type: string; value: string; datatype?: string; "xml:lang"?: string }>[] };
  };
  return { vars: json.head.vars, rows: json.results.bindings };
}

async function admin<T>(work: (s: PostgresStore) => Promise<T>): Promise<T> {
  const s = new PostgresStore(process.env.POSTGRES_URL!, { max: 1 });
  try {
    return await work(s);
  } finally {
    await s.pool.end();
  }
}
const schemaExists = (name: string) =>
  admin(async (s) => (await s.pool.query("SELECT 1 FROM pg_namespace WHERE nspname = $1", [name])).rowCount === 1);
const dropSchema = (name: string) => admin((s) => s.pool.query(`DROP SCHEMA IF EXISTS ${name} CASCADE`));
const renameSchema = (from: string, to: string) => admin((s) => s.pool.query(`ALTER SCHEMA ${from} RENAME TO ${to}`));

if (values.child) {
  await run(values.target!, Number(values.runs), Number(values.size));
} else {
  for (const store of values.stores.split(",")) {
    for (const size of values.sizes.split(",").map(Number)) {
      const dir = mkdtempSync(join(tmpdir(), "essfed-bench-sparql-"));
      const schema = values.keep ? `essfed_bs_${size}` : `essfed_bs_${Math.random().toString(36).slice(2, 8)}`;
      const pgTarget = (name: string) => {
        const u = new URL(process.env.POSTGRES_URL!);
        u.searchParams.set("options", `-c search_path=${name}`);
        return u.href;
      };
      const target =
        store === "postgres"
          ? pgTarget(schema)
          : values.keep
            ? join(values.keep, `sparql-${size}.sqlite`)
            : join(dir, "essfed.sqlite");
      console.log(`\n== SPARQL on ${store}, ${size.toLocaleString("en")} initiatives`);
      try {
        const t0 = performance.now();
        if (values.keep && (store === "sqlite" ? existsSync(target) : await schemaExists(schema))) {
          const s = await open(target); // runs new migrations once, outside the timed process
          await s.close();
          console.log(`  (kept data opened in ${((performance.now() - t0) / 1000).toFixed(0)} s)`);
        } else if (values.keep) {
          mkdirSync(values.keep, { recursive: true });
          // Filled under another name, so a fill broken off is never taken for a whole one by the next run.
          if (store === "sqlite") {
            await fill(`${target}.filling`, size);
            renameSync(`${target}.filling`, target);
          } else {
            await dropSchema(`${schema}_filling`);
            await fill(pgTarget(`${schema}_filling`), size);
            await renameSchema(`${schema}_filling`, schema);
          }
          console.log(`  (filled in ${((performance.now() - t0) / 1000).toFixed(0)} s)`);
        } else {
          await fill(target, size);
          console.log(`  (filled in ${((performance.now() - t0) / 1000).toFixed(0)} s)`);
        }
        const args = [
          "--child",
          "1",
          "--target",
          target,
          "--runs",
          values.runs,
          "--size",
          String(size),
          "--compare",
          values.compare,
          ...(values.only ? ["--only", values.only] : []),
        ];
        const child = fork(fileURLToPath(import.meta.url), args, { execArgv: ["--max-old-space-size=4096"] });
        const { lines, rss } = await new Promise<{ lines: string[]; rss: number }>((res, rej) => {
          child.once("message", (m) => res(m as never));
          child.once("exit", (code) => rej(new Error(`the query process exited (${code})`)));
        });
        for (const line of lines) console.log(line);
        console.log(`  query process RSS ${Math.round(rss / 1048576)} MB`);
      } finally {
        if (store === "postgres" && !values.keep) await dropSchema(schema);
        rmSync(dir, { recursive: true, force: true });
      }
    }
  }
}
