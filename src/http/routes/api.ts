/**
 * The query API for people and programs: `GET /api/initiatives` (JSON-LD, GeoJSON or CSV),
 * `GET /api/facets` (counts with labels) and `GET /api/clusters` (for the map). Parameters are
 * validated up front (400 naming each bad one); paging is by cursor, as deep as one likes.
 */
import { Router, type Request, type Response } from "express";
import { DOCUMENT_CONTEXT } from "../../linkeddata/context.ts";
import { initiativeToJsonLd } from "../../linkeddata/initiative-jsonld.ts";
import { listingsOf, type Listing } from "../../duplicates/groups.ts";
import { csvCell } from "../../importers/csv/cells.ts";
import { datasetTerms } from "../../linkeddata/licences.ts";
import { csvHeader, csvRow, translationLanguages } from "../../exporters/csv.ts";
import { geoJsonFeature } from "../../exporters/geojson.ts";
import { FACET_NAMES, LOCAL_SOURCE } from "../../store/search.ts";
import type { StoredInitiative } from "../../store/store.ts";
import type { HttpDeps } from "../deps.ts";
import { BadRequestHttpError } from "../../errors.ts";
import { negotiate, type Offer } from "../middleware/negotiate.ts";
import { parseSearch } from "../search-params.ts";

const OFFERS = [
  {
    key: "jsonld",
    types: [
      'application/ld+json; profile="https://www.w3.org/ns/activitystreams"',
      "application/activity+json",
      "application/json",
    ],
    formats: ["jsonld", "json"],
  },
  { key: "geojson", types: ["application/geo+json"], formats: ["geojson"] },
  { key: "csv", types: ["text/csv"], formats: ["csv"] },
] as const satisfies readonly Offer[];

/** The request's URL with `cursor` replaced (for `next` links). */
function withCursor(req: Request, base: string, cursor: string): string {
  const url = new URL(req.originalUrl, base);
  url.searchParams.set("cursor", cursor);
  return url.href;
}

export function apiRoutes(deps: HttpDeps): Router {
  const { config, store, taxonomies, iris } = deps;
  const router = Router();
  const ownerOf = (r: StoredInitiative) => r.provenance?.origin ?? iris.actor;
  // This network's own API: fields kept for the team (`none`) are left out, own records name the dataset's terms.
  const terms = datasetTerms(config);

  router.get("/api/initiatives", async (req: Request, res: Response) => {
    const { key, type } = negotiate(req, OFFERS);
    const { filter, limit, cursor } = parseSearch(req.query, taxonomies, req.headers["accept-language"]);
    const page = await store.search.search(filter, limit, cursor);
    // Collapsed: each entry lists every listing of its organisation held here, and who publishes it.
    const listings = filter.collapse ? await listingsOf(store, page.items, iris.actor) : new Map<string, Listing[]>();
    const listed = (r: StoredInitiative) => listings.get(r.initiative.id);
    const next = page.next ? withCursor(req, config.url, page.next) : undefined;
    res.setHeader("Vary", "Accept");
    if (next) res.setHeader("Link", `<${next}>; rel="next"`);
    if (key === "csv") {
      const languages = [...translationLanguages(page.items)].sort();
      return void res
        .type(type)
        .send(
          [
            csvHeader(languages) + (filter.collapse ? ",Listings" : ""),
            ...page.items.map(
              (r) =>
                csvRow(r, iris, taxonomies, languages) +
                (filter.collapse ? `,${csvCell((listed(r) ?? []).map((l) => `${l.id} ${l.network}`).join(";"))}` : ""),
            ),
          ].join("\n") + "\n",
        );
    }
    if (key === "geojson") {
      // A search answer for a map: only records with a position.
      const features = page.items
        .map((r) => {
          const feature = geoJsonFeature(r, taxonomies, iris);
          const l = listed(r);
          return l ? { ...feature, properties: { ...feature.properties, listings: l } } : feature;
        })
        .filter((f) => f.geometry !== null);
      return void res
        .type(type)
        .send(JSON.stringify({ type: "FeatureCollection", features, ...(next ? { next } : {}) }));
    }
    res.type(type).send(
      JSON.stringify({
        "@context": DOCUMENT_CONTEXT,
        id: new URL(req.originalUrl, config.url).href,
        type: "OrderedCollectionPage",
        ...(next ? { next } : {}),
        orderedItems: page.items.map((r) => ({
          ...initiativeToJsonLd(r, taxonomies, { owner: ownerOf(r), context: false, audience: "public", terms }),
          ...(r.provenance ? { "essfed:via": r.provenance.via, "essfed:receivedAt": r.provenance.receivedAt } : {}),
          ...(listed(r)
            ? { "essfed:listings": listed(r)!.map((l) => ({ id: l.id, "essfed:network": { id: l.network } })) }
            : {}),
        })),
      }),
    );
  });

  router.get("/api/facets", async (req, res) => {
    const { filter, lang } = parseSearch(req.query, taxonomies, req.headers["accept-language"]);
    const { counts, total, approximate } = await store.search.facets(filter);
    const facets = Object.fromEntries(
      FACET_NAMES.map((name) => [
        name,
        counts[name].map((c) => ({
          value: c.value,
          label:
            name === "source"
              ? c.value === LOCAL_SOURCE
                ? config.name
                : c.value
              : (taxonomies.label(c.value, lang) ?? c.value),
          count: c.count,
        })),
      ]),
    );
    res.setHeader("Vary", "Accept-Language");
    res.json({ total, ...(approximate ? { approximate } : {}), lang, facets });
  });

  router.get("/api/clusters", async (req, res) => {
    const { zoom, ...rest } = req.query as Record<string, unknown>;
    const z = zoom === undefined ? 2 : Number(zoom);
    if (!Number.isInteger(z) || z < 0 || z > 22) {
      throw new BadRequestHttpError("zoom must be an integer from 0 to 22", "invalid-search", {
        errors: [{ param: "zoom", message: "must be an integer from 0 to 22" }],
      });
    }
    const { filter } = parseSearch(rest, taxonomies, undefined, { collapse: true });
    // Cells of a few dozen pixels at this zoom; single markers from street level on.
    const cell = z >= 15 ? 0 : 360 / 2 ** (z + 3);
    const { clusters, approximate } = await store.search.clusters(filter, cell, 5000);
    res.json({ zoom: z, cellDegrees: cell, ...(approximate ? { approximate } : {}), clusters });
  });

  return router;
}
