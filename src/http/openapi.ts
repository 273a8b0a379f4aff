/**
 * The OpenAPI 3.1 description of essfed's HTTP API, served at /openapi.json. A test holds it to
 * the routes the app really has, both ways.
 */
import type { Config } from "../config.ts";
import { FACET_NAMES } from "../store/search.ts";
import { consolePaths } from "../web/console/openapi.ts";
import { curationPaths } from "./curation-openapi.ts";
import { duplicatePaths } from "./routes/duplicates.ts";
import { peoplePaths } from "./routes/people.ts";
import { linksetPaths } from "./routes/linkset.ts";

const problem = {
  description: "Problem details (RFC 9457)",
  content: { "application/problem+json": { schema: { $ref: "#/components/schemas/Problem" } } },
};
const ok = (description: string, ...types: string[]) => ({
  description,
  content: Object.fromEntries(types.map((t) => [t, {}])),
});
const RDF_TYPES = [
  'application/ld+json; profile="https://www.w3.org/ns/activitystreams"',
  "application/activity+json",
  "text/turtle",
  "application/n-triples",
  "text/html",
];
const initiativeBody = {
  required: true,
  description: "One essglobal:SSEInitiative, as JSON-LD with any correct context (no remote contexts) or Turtle.",
  content: { "application/ld+json": {}, "application/activity+json": {}, "application/json": {}, "text/turtle": {} },
};
const qp = (name: string, description: string, schema: object = { type: "string" }) => ({
  name,
  in: "query",
  description,
  schema,
});
const pp = (name: string, description: string) => ({
  name,
  in: "path",
  required: true,
  description,
  schema: { type: "string" },
});
const SEARCH_PARAMS = [
  qp("q", "Words that must all occur in the name or description (prefix match); at most 200 characters."),
  qp("bbox", "minLon,minLat,maxLon,maxLat in decimal degrees."),
  qp("near", "lat,lon: with radius, initiatives within that distance."),
  qp("radius", "Distance in km for near (default 25, at most 20000).", { type: "number" }),
  ...FACET_NAMES.map((f) =>
    qp(
      f,
      f === "source"
        ? "Source network: an actor IRI, or 'local' for this instance's own. Comma-separated values: any of them."
        : `Concept IRI (any ESSGLOBAL base), code or label; comma-separated values: any of them.`,
    ),
  ),
  qp("updatedSince", "ISO 8601 date or date-time.", { type: "string", format: "date-time" }),
  qp("located", "true: only initiatives with coordinates; false: only those without (which a map cannot show).", {
    type: "boolean",
  }),
  qp(
    "collapse",
    "sameAs: listings an admin confirmed to be one organisation come and count once, as the listing standing for " +
      "them (this network's own, else the first held), which names every listing and its network (essfed:listings in " +
      "JSON-LD, a Listings column in CSV, a listings property in GeoJSON). none: every listing. Default none, but " +
      "sameAs for the map (/api/clusters, /map/list).",
    { type: "string", enum: ["sameAs", "none"] },
  ),
];
const admin = [{ bearer: [] as string[] }];

export function openApi(config: Config): Record<string, unknown> {
  return {
    openapi: "3.1.0",
    info: {
      title: `essfed — ${config.name}`,
      version: "0.1.0",
      description:
        "A directory of social and solidarity economy initiatives as ESSGLOBAL linked data, federated over " +
        "ActivityPub. See docs/protocol.md for the federation protocol.",
    },
    servers: [{ url: config.url }],
    components: {
      securitySchemes: {
        bearer: { type: "http", scheme: "bearer", description: "ESSFED_ADMIN_TOKEN" },
        metrics: { type: "http", scheme: "bearer", description: "ESSFED_METRICS_TOKEN" },
      },
      schemas: {
        Problem: {
          type: "object",
          required: ["type", "title", "status"],
          properties: {
            type: { type: "string", format: "uri" },
            title: { type: "string" },
            status: { type: "integer" },
            detail: { type: "string" },
            instance: { type: "string" },
            code: { type: "string" },
            errors: { type: "array", items: { type: "object" } },
          },
        },
      },
    },
    paths: {
      ...consolePaths(),
      ...curationPaths(),
      ...duplicatePaths(),
      ...peoplePaths(),
      ...linksetPaths(),
      "/": { get: { summary: "The map page", responses: { 200: ok("HTML", "text/html") } } },
      "/assets/{file}": {
        get: {
          summary:
            "The pages' scripts, styles and preview image, bundled from npm packages; a name with a content hash " +
            "(map.<hash>.js) is cached for a year",
          parameters: [
            pp("file", "site.css, map.css, map.js, console.js or card.png, or the same with the hash the pages name"),
          ],
          responses: {
            200: ok("The file (gzipped when accepted)", "text/javascript", "text/css", "image/png"),
            304: { description: "Not modified" },
            404: problem,
          },
        },
      },
      "/map/list": {
        get: {
          summary:
            "The map's list: 20 initiatives at a time as cards (name, kind, place, a line of description, who " +
            "published it and via which networks), labels in lang; the first page also counts the matches without " +
            "coordinates",
          parameters: [
            ...SEARCH_PARAMS,
            qp("cursor", "From the previous answer's next."),
            qp("lang", "en, fr, es or pt (default: Accept-Language)."),
          ],
          responses: { 200: ok("{ items, next?, unlocated? }", "application/json"), 400: problem },
        },
      },
      "/initiative": {
        get: {
          summary:
            "The page of a record as held here: a mirrored one with who published it, the networks it came by and " +
            "when it was received and checked; one of ours redirects to its IRI",
          parameters: [
            qp("id", "The initiative's IRI."),
            qp("lang", "en, fr, es or pt (default: cookie, then Accept-Language)."),
          ],
          responses: {
            200: ok("HTML", "text/html"),
            303: { description: "One of this instance's own: see its IRI" },
            400: problem,
            404: problem,
          },
        },
      },
      "/map/card": {
        get: {
          summary: "The card of one initiative, as a map popup shows it",
          parameters: [qp("id", "The initiative's IRI."), qp("lang", "en, fr, es or pt (default: Accept-Language).")],
          responses: { 200: ok("A card", "application/json"), 400: problem, 404: problem },
        },
      },
      "/openapi.json": {
        get: { summary: "This description", responses: { 200: ok("OpenAPI 3.1", "application/json") } },
      },
      "/initiatives": {
        get: {
          summary: "The directory collection (OrderedCollection), newest change first",
          parameters: [
            qp("page", "Any value: answer a page instead of the collection."),
            qp("cursor", "From a page's next link."),
            qp("limit", "Items per page, 1 to 1000.", { type: "integer" }),
            qp("format", "jsonld or html"),
          ],
          responses: {
            200: ok("The collection or a page", RDF_TYPES[0]!, "application/activity+json", "text/html"),
            406: problem,
          },
        },
        post: {
          summary: "Create an initiative (admin)",
          security: admin,
          requestBody: initiativeBody,
          responses: {
            201: { description: "Created; Location is its IRI" },
            400: problem,
            401: problem,
            409: problem,
            413: problem,
            415: problem,
            422: problem,
          },
        },
      },
      "/initiatives/{id}": {
        parameters: [pp("id", "Local id of the initiative")],
        get: {
          summary: "An initiative, by content negotiation",
          description:
            "The ActivityStreams types get the signed document peers verify; plain application/ld+json " +
            "(format=jsonld-links), Turtle, N-Triples and N-Quads carry the sameAs links about it, " +
            "each with its provenance.",
          parameters: [qp("format", "jsonld, jsonld-links, ttl, nt, nq or html")],
          responses: {
            200: ok("The initiative", ...RDF_TYPES, "application/ld+json", "application/n-quads"),
            304: { description: "Not modified" },
            404: problem,
            406: problem,
            410: ok("A Tombstone", "application/ld+json", "text/html"),
          },
        },
        put: {
          summary: "Replace (or create) an initiative (admin)",
          security: admin,
          requestBody: initiativeBody,
          responses: {
            200: { description: "Replaced" },
            201: { description: "Created" },
            400: problem,
            401: problem,
            415: problem,
            422: problem,
          },
        },
        delete: {
          summary: "Delete an initiative (admin); it answers 410 afterwards",
          security: admin,
          responses: { 204: { description: "Deleted" }, 401: problem, 404: problem, 410: problem },
        },
      },
      "/api/initiatives": {
        get: {
          summary: "Search everything held (own and mirrored initiatives), newest change first",
          parameters: [
            ...SEARCH_PARAMS,
            qp("limit", "1 to 1000 (default 100).", { type: "integer" }),
            qp("cursor", "From the previous page's next link."),
            qp("format", "jsonld, geojson or csv"),
          ],
          responses: {
            200: ok(
              "A page; the next page is linked (next member and Link header)",
              RDF_TYPES[0]!,
              "application/geo+json",
              "text/csv",
            ),
            400: problem,
            406: problem,
          },
        },
      },
      "/api/facets": {
        get: {
          summary:
            "Counts per facet value for the same filters, with labels, and their total (approximate: true when " +
            "estimated from a sample)",
          parameters: [...SEARCH_PARAMS, qp("lang", "Label language (default from Accept-Language)")],
          responses: { 200: ok("Counts", "application/json"), 400: problem },
        },
      },
      "/api/clusters": {
        get: {
          summary: "Matching initiatives grouped for a map view",
          parameters: [...SEARCH_PARAMS, qp("zoom", "Map zoom level, 0 to 22.", { type: "integer" })],
          responses: {
            200: ok(
              "Clusters and single points; `approximate: true` when counted on a sample (very many matches in a " +
                "wide view)",
              "application/json",
            ),
            400: problem,
          },
        },
      },
      "/api/status": {
        get: {
          summary: "Federation status (admin)",
          security: admin,
          responses: { 200: ok("Status", "application/json"), 401: problem },
        },
      },
      "/api/follows": {
        get: {
          summary: "Networks this one follows (admin)",
          security: admin,
          responses: { 200: ok("Followings", "application/json"), 401: problem },
        },
        post: {
          summary: "Follow a network (admin)",
          security: admin,
          requestBody: {
            required: true,
            content: {
              "application/json": {
                schema: {
                  type: "object",
                  required: ["target"],
                  properties: { target: { type: "string", description: "Actor URL or acct:handle@host" } },
                },
              },
            },
          },
          responses: { 202: ok("Follow sent", "application/json"), 400: problem, 401: problem, 502: problem },
        },
        delete: {
          summary: "Unfollow a network (admin)",
          security: admin,
          parameters: [qp("actor", "The followed actor's IRI")],
          responses: { 200: ok("Unfollowed", "application/json"), 400: problem, 401: problem, 404: problem },
        },
      },
      "/api/followers": {
        get: {
          summary: "This network's followers (admin)",
          security: admin,
          responses: { 200: ok("Followers", "application/json"), 401: problem },
        },
      },
      "/api/followers/accept": {
        post: {
          summary: "Accept a held follow request (admin)",
          security: admin,
          requestBody: { required: true, content: { "application/json": {} } },
          responses: { 200: ok("Accepted", "application/json"), 400: problem, 401: problem, 404: problem },
        },
      },
      "/api/followers/reject": {
        post: {
          summary: "Reject a held follow request (admin)",
          security: admin,
          requestBody: { required: true, content: { "application/json": {} } },
          responses: { 200: ok("Rejected", "application/json"), 400: problem, 401: problem, 404: problem },
        },
      },
      "/sparql": {
        get: {
          summary: "SPARQL 1.1 Protocol query (or a query form for browsers)",
          parameters: [qp("query", "The query")],
          responses: {
            200: ok(
              "Results",
              "application/sparql-results+json",
              "application/sparql-results+xml",
              "text/csv",
              "text/tab-separated-values",
              "text/turtle",
              "application/n-triples",
              "application/ld+json",
            ),
            400: problem,
            413: problem,
            429: problem,
            503: problem,
          },
        },
        post: {
          summary: "SPARQL 1.1 Protocol query by POST",
          requestBody: {
            required: true,
            content: { "application/sparql-query": {}, "application/x-www-form-urlencoded": {} },
          },
          responses: {
            200: ok("Results", "application/sparql-results+json"),
            400: problem,
            413: problem,
            415: problem,
            429: problem,
            503: problem,
          },
        },
      },
      "/dumps/": { get: { summary: "The list of dumps", responses: { 200: ok("HTML", "text/html") } } },
      "/dumps/sameas.nq": {
        get: {
          summary: "This network's sameAs linkset as N-Quads, in its own named graph (always current)",
          responses: { 200: ok("The linkset", "application/n-quads"), 304: { description: "Not modified" } },
        },
      },
      "/dumps/adopted.nq": {
        get: {
          summary:
            "The sameAs links adopted from the networks this one follows, as N-Quads, each in the named graph " +
            "of its deciding network's linkset (always current)",
          responses: { 200: ok("The adopted links", "application/n-quads") },
        },
      },
      "/dumps/{name}": {
        parameters: [
          pp(
            "name",
            "initiatives.nq, initiatives.csv, initiatives.geojson, or sameas.nq (this network's sameAs linkset, " +
              "always current)",
          ),
        ],
        get: {
          summary: "A full dump (ETag = change number)",
          responses: {
            200: ok("The dump", "application/n-quads", "text/csv", "application/geo+json"),
            304: { description: "Not modified" },
            404: problem,
          },
        },
      },
      "/dataset": {
        get: {
          summary:
            "The directory as a dataset: DCAT and VoID description (licence, attribution, counts, dumps, " +
            "endpoints); ETag = change number",
          parameters: [qp("format", "ttl, jsonld, nt or html (overrides Accept)")],
          responses: {
            200: ok("Dataset description", "text/turtle", "application/ld+json", "application/n-triples", "text/html"),
            304: { description: "Not modified" },
            406: problem,
          },
        },
      },
      "/.well-known/void": {
        get: {
          summary: "The same dataset description, where VoID tools look for it",
          parameters: [qp("format", "ttl, jsonld, nt or html (overrides Accept)")],
          responses: {
            200: ok("Dataset description", "text/turtle", "application/ld+json", "application/n-triples", "text/html"),
            304: { description: "Not modified" },
            406: problem,
          },
        },
      },
      "/vocab/": { get: { summary: "The shipped vocabularies", responses: { 200: ok("HTML", "text/html") } } },
      "/vocab/essglobal-context.jsonld": {
        get: {
          summary: "The ESSGLOBAL JSON-LD context",
          responses: { 200: ok("JSON-LD context", "application/ld+json") },
        },
      },
      "/vocab/{name}": {
        parameters: [pp("name", "essglobal-vocab or a SKOS scheme name, optionally .ttl or .nt")],
        get: {
          summary: "The ontology or a SKOS scheme (canonical base)",
          responses: { 200: ok("RDF", "text/turtle", "application/n-triples"), 404: problem },
        },
      },
      "/problems/{code}": {
        parameters: [pp("code", "A problem type code")],
        get: { summary: "What a problem type means", responses: { 200: ok("HTML", "text/html") } },
      },
      "/actors/{handle}": {
        parameters: [pp("handle", "The network's handle (ESSFED_HANDLE)")],
        get: {
          summary: "The network actor (ActivityPub Organization), or its profile page",
          responses: { 200: ok("Actor", "application/activity+json", "text/html") },
        },
      },
      "/actors/{handle}/inbox": {
        parameters: [pp("handle", "The network's handle")],
        post: {
          summary: "ActivityPub inbox (HTTP-signed activities)",
          requestBody: { required: true, content: { "application/activity+json": {} } },
          responses: {
            202: { description: "Accepted" },
            400: problem,
            401: problem,
            403: problem,
            413: problem,
            415: problem,
            429: problem,
          },
        },
      },
      "/inbox": {
        post: {
          summary: "ActivityPub shared inbox",
          requestBody: { required: true, content: { "application/activity+json": {} } },
          responses: {
            202: { description: "Accepted" },
            400: problem,
            401: problem,
            403: problem,
            413: problem,
            415: problem,
            429: problem,
          },
        },
      },
      "/actors/{handle}/outbox": {
        parameters: [pp("handle", "The network's handle")],
        get: {
          summary: "ActivityPub outbox",
          responses: { 200: ok("OrderedCollection", "application/activity+json") },
        },
      },
      "/actors/{handle}/followers": {
        parameters: [pp("handle", "The network's handle")],
        get: { summary: "Followers collection", responses: { 200: ok("Collection", "application/activity+json") } },
      },
      "/actors/{handle}/following": {
        parameters: [pp("handle", "The network's handle")],
        get: { summary: "Following collection", responses: { 200: ok("Collection", "application/activity+json") } },
      },
      "/.well-known/webfinger": {
        get: {
          summary: "WebFinger (acct:handle@host)",
          parameters: [qp("resource", "acct:handle@host or the actor IRI")],
          responses: { 200: ok("JRD", "application/jrd+json"), 404: { description: "Unknown resource" } },
        },
      },
      "/.well-known/nodeinfo": {
        get: { summary: "NodeInfo discovery", responses: { 200: ok("Links", "application/json") } },
      },
      "/nodeinfo/2.1": { get: { summary: "NodeInfo 2.1", responses: { 200: ok("NodeInfo", "application/json") } } },
      "/healthz": {
        get: {
          summary: "Liveness: the process answers (no store, never rate limited)",
          responses: { 200: ok("Alive", "application/json") },
        },
      },
      "/readyz": {
        get: {
          summary:
            "Readiness: the store answers, its schema is this version's, the search index is caught up within " +
            "ESSFED_READY_INDEX_LAG_SECONDS",
          responses: { 200: ok("Ready, with each check", "application/json"), 503: problem },
        },
      },
      "/metrics": {
        get: {
          summary:
            "Prometheus metrics (text format). Private: on this port only with ESSFED_METRICS_TOKEN set and sent " +
            "as a bearer token (404 when no token is configured), or on the separate ESSFED_METRICS_BIND listener",
          security: [{ metrics: [] as string[] }],
          responses: {
            200: ok("Metrics", "text/plain; version=0.0.4"),
            401: problem,
            404: { description: "Metrics are not served on this port" },
          },
        },
      },
    },
  };
}
