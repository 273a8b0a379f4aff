/**
 * The directory's dataset description (DCAT + VoID) at `/dataset` and `/.well-known/void`, in
 * Turtle, N-Triples, JSON-LD or HTML by content negotiation, rebuilt only after a change; and the
 * `Link` headers that point from dumps, the query API and SPARQL answers to the licence and to
 * that description.
 */
import { Router, type RequestHandler } from "express";
import type { Config } from "../../config.ts";
import { datasetIri, datasetQuads, writeDataset, DUMP_FILES, type DatasetFormat } from "../../linkeddata/dataset.ts";
import { licenceLink } from "../../linkeddata/licences.ts";
import type { HttpDeps } from "../deps.ts";
import { esc, layout } from "../html.ts";
import { negotiate, type Offer } from "../middleware/negotiate.ts";
import { LOCAL_SOURCE } from "../../store/records.ts";
import { sharedTermsSummary } from "../terms-summary.ts";

const OFFERS = [
  { key: "turtle", types: ["text/turtle"], formats: ["ttl", "turtle"] },
  { key: "jsonld", types: ["application/ld+json", "application/json"], formats: ["jsonld", "json"] },
  { key: "ntriples", types: ["application/n-triples"], formats: ["nt", "ntriples"] },
  { key: "html", types: ["text/html"], formats: ["html"] },
] as const satisfies readonly Offer[];

/** The `Link` header values naming the data's licence (when declared) and its description. */
export function termsLinks(config: Config): string[] {
  return [
    ...(config.licence ? [licenceLink(config.licence)] : []),
    `<${datasetIri(config.url)}>; rel="describedby"; type="text/turtle"`,
  ];
}

/** Adds the terms' `Link` headers to every answer under the given paths. */
export function termsLinkHeaders(config: Config, paths: string[]): RequestHandler {
  const links = termsLinks(config);
  return (req, res, next) => {
    if (paths.some((p) => req.path === p || req.path.startsWith(p + "/"))) res.append("Link", links);
    next();
  };
}

/** The licence and attribution as a line of HTML for pages and the map. */
export function termsHtml(config: Config): string {
  const licence = config.licence
    ? `Data licence: <a rel="license" href="${esc(config.licence.iri)}">${esc(config.licence.label)}</a>`
    : "No data licence declared";
  return `${licence} · Attribution: ${esc(config.attribution)} · <a href="/dataset">About this dataset</a>`;
}

export function datasetRoutes(deps: HttpDeps): Router {
  const { config, store, iris } = deps;
  const termsOf = sharedTermsSummary(store);
  const router = Router();
  router.use(termsLinkHeaders(config, ["/dumps", "/api/initiatives", "/api/facets", "/sparql", "/linksets"]));
  let cached: { n: number; texts: Map<DatasetFormat, Promise<string>> } | undefined;

  const describe = async (n: number, format: DatasetFormat): Promise<string> => {
    if (cached?.n !== n) cached = { n, texts: new Map() };
    let text = cached.texts.get(format);
    if (!text) {
      const texts = cached.texts;
      text = (async () => {
        const [total, own, latest, terms] = await Promise.all([
          store.countInitiatives(),
          store.countInitiatives(LOCAL_SOURCE),
          store.listInitiatives({ limit: 1 }),
          termsOf(),
        ]);
        const modified = latest.items[0]?.updated;
        return writeDataset(
          datasetQuads({
            base: config.url,
            actor: iris.actor,
            name: config.name,
            summary: config.summary,
            attribution: config.attribution,
            total,
            own,
            terms,
            ...(config.licence ? { licence: config.licence } : {}),
            ...(modified ? { modified } : {}),
          }),
          format,
        );
      })();
      text.catch(() => texts.delete(format));
      texts.set(format, text);
    }
    return text;
  };

  const serve: RequestHandler = async (req, res) => {
    const { key, type } = negotiate(req, OFFERS);
    const n = await store.changeNumber();
    const etag = `"${n}-dataset-${key}"`;
    res.setHeader("Vary", "Accept");
    res.setHeader("Access-Control-Allow-Origin", "*");
    res.setHeader("ETag", etag);
    res.setHeader("Cache-Control", "no-cache");
    if (config.licence) res.append("Link", licenceLink(config.licence));
    if (req.headers["if-none-match"] === etag) return void res.status(304).end();
    if (key === "html") {
      const dumps = Object.entries(DUMP_FILES)
        .map(([f, d]) => `<li><a href="/dumps/${f}">${f}</a> (${esc(d.title)})</li>`)
        .join("");
      return void res
        .type("text/html")
        .send(
          layout(
            `${config.name}: dataset`,
            [
              `<h1>${esc(config.name)}</h1><p>${esc(config.summary)}</p>`,
              `<p>${termsHtml(config)}</p>` +
                `<p>Published by <a href="${esc(iris.actor)}">${esc(config.name)}</a>, continuously updated.</p>`,
              `<h2>Get the data</h2><ul>${dumps}<li><a href="/sparql">SPARQL endpoint</a></li>` +
                `<li><a href="/openapi.json">Search API</a> (<code>/api/initiatives</code>)</li></ul>`,
              `<p>This description in <a href="/dataset?format=ttl">Turtle</a>, ` +
                `<a href="/dataset?format=jsonld">JSON-LD</a>, <a href="/dataset?format=nt">N-Triples</a> ` +
                `(DCAT and VoID).</p>`,
            ].join("\n"),
          ),
        );
    }
    res.type(type).send(await describe(n, key));
  };
  router.get("/dataset", serve);
  router.get("/.well-known/void", serve);
  return router;
}
