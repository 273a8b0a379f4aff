/**
 * The public pages: the map at `/` with the list of what is in view, the network's own page, and
 * the initiative page that `GET /initiatives/:id` sends to browsers. JSON for the map's script
 * (`/map/list`, `/map/card`) carries labels in the reader's language and who published what.
 */
import { Router, type Request, type Response } from "express";
import { FACET_NAMES, LOCAL_SOURCE, type FacetName } from "../store/search.ts";
import { BadRequestHttpError, NotFoundHttpError } from "../errors.ts";
import { parseSearch } from "../http/search-params.ts";
import { cardsOf, provenanceActors } from "./cards.ts";
import { alsoListed, linkedBy } from "../duplicates/decisions.ts";
import type { PeoplePages } from "../http/deps.ts";
import type { WebDeps } from "./deps.ts";
import { extentOf } from "./extent.ts";
import { initiativePage, gonePage, type InitiativePageData } from "./initiative-page.ts";
import type { Withheld } from "../store/curation.ts";
import type { StoredInitiative } from "../store/store.ts";
import { recordTerms } from "../linkeddata/licences.ts";
import type { NetworkName } from "./names.ts";
import { json, pageContext, render, sendPage, termsLine, type PageContext } from "./render.ts";

/** Facets in the order the map's form shows them, with their message keys. */
const FORM_FACETS: FacetName[] = ["structure", "activity", "country", "membership", "qualifier", "source"];
const LIST_PAGE = 20;

/** What the banner on a withheld record's page says, and where the team releases it. */
function withheldBanner(w: Withheld): NonNullable<InitiativePageData["withheld"]> {
  const id = w.record.initiative.id;
  return {
    state: w.state,
    at: w.at,
    ...(w.reason ? { reason: w.reason } : {}),
    // A hidden record is restored from the withheld list; a blocked one by lifting its source's block.
    href: w.state === "hidden" ? `/console/withheld?id=${encodeURIComponent(id)}` : "/console/sources",
  };
}

export function publicPages(deps: WebDeps): { router: Router; pages: PeoplePages } {
  const { config, store, taxonomies, iris, assets, names } = deps;
  const self: NetworkName = {
    iri: iris.actor,
    name: config.name,
    handle: `${config.handle}@${new URL(config.url).host}`,
  };
  const router = Router();

  const context = async (req: Request, res: Response, section?: PageContext["section"]): Promise<PageContext> => {
    await assets.ready();
    const viewer = await deps.viewer(req);
    return { ...pageContext(req, res, config, iris.actor, assets.url, viewer), ...(section ? { section } : {}) };
  };

  router.get("/", async (req, res) => {
    const ctx = await context(req, res, "map");
    const query = Object.fromEntries(Object.entries(req.query).filter(([, v]) => typeof v === "string")) as Record<
      string,
      string
    >;
    const [{ counts }, extent] = await Promise.all([
      store.search.facets({ facets: {}, collapse: true }),
      extentOf(store.search),
    ]);
    const sources = await names.getAll(counts.source.map((c) => c.value).filter((v) => v !== LOCAL_SOURCE));
    const facets = FORM_FACETS.map((name) => ({
      name,
      label: ctx.t(`map.facet.${name}`),
      options: counts[name]
        .map((c) => ({
          value: c.value,
          count: c.count,
          selected: query[name] === c.value,
          label:
            name === "source"
              ? c.value === LOCAL_SOURCE
                ? config.name
                : (sources.get(c.value)?.name ?? c.value)
              : (taxonomies.label(c.value, ctx.locale) ?? c.value),
        }))
        .sort((a, b) => (name === "source" ? b.count - a.count : a.label.localeCompare(b.label, ctx.locale))),
    }));
    const clientConfig = {
      tileUrl: config.tileUrl,
      attribution: `© OpenStreetMap contributors | ${ctx.terms}`,
      extent,
      locale: ctx.locale,
      messages: ctx.tr.catalogue("map."),
      facets: FACET_NAMES,
    };
    const body = render("map", ctx, {
      suggest: config.suggestionsPerHour > 0,
      query,
      facets,
      anyFacet: FORM_FACETS.filter((f) => query[f]).length,
      configJson: json(clientConfig),
    });
    const head = render("meta", ctx, {
      links: [{ rel: "alternate", type: "application/activity+json", href: iris.actor }],
      metas: [
        ["og:type", "website"],
        ["og:title", config.name],
        ["og:description", config.summary],
        ["og:url", `${config.url}/`],
        ["og:image", `${config.url}/assets/${assets.url("card.png")}`],
      ]
        .map(([key, value]) => ({ attr: "property", key, value }))
        .concat([{ attr: "name", key: "twitter:card", value: "summary" }]),
    });
    sendPage(
      res,
      ctx,
      render("layout", ctx, {
        body,
        head,
        styles: ["map.css"],
        scripts: ["map.js"],
        bodyClass: "full map-page",
        noFooter: true,
      }),
    );
  });

  /** One page of the list beside the map (what is in view, or what has no coordinates). */
  router.get("/map/list", async (req, res) => {
    const { filter, cursor, lang } = parseSearch(req.query, taxonomies, req.headers["accept-language"], {
      collapse: true,
    });
    const page = await store.search.search(filter, LIST_PAGE, cursor);
    // How many records the same filters find without a place (counted once, on the first page).
    const unlocated =
      cursor === undefined && filter.located === undefined
        ? await store.search.count({ ...filter, bbox: undefined, near: undefined, located: false })
        : undefined;
    res.setHeader("Vary", "Accept-Language");
    res.json({
      items: await cardsOf(page.items, taxonomies, lang, names, self),
      ...(page.next ? { next: page.next } : {}),
      ...(unlocated !== undefined ? { unlocated } : {}),
    });
  });

  /** The popup of one point on the map. */
  router.get("/map/card", async (req, res) => {
    const id = typeof req.query.id === "string" ? req.query.id : "";
    if (!id || id.length > 2000)
      throw new BadRequestHttpError("give the initiative's IRI as ?id=", "invalid-id", {
        errors: [{ param: "id", message: "is required (at most 2000 characters)" }],
      });
    const rec = await store.getInitiative(id);
    if (!rec) throw new NotFoundHttpError(`no initiative ${id.slice(0, 200)}`);
    const { lang } = parseSearch(
      typeof req.query.lang === "string" ? { lang: req.query.lang } : {},
      taxonomies,
      req.headers["accept-language"],
    );
    const [card] = await cardsOf([rec], taxonomies, lang, names, self);
    res.setHeader("Vary", "Accept-Language");
    res.json(card);
  });

  /** A record as held here: the page of a mirrored one (with where it came from), or a redirect to one of ours. */
  router.get("/initiative", async (req, res) => {
    const id = typeof req.query.id === "string" ? req.query.id : "";
    if (!id || id.length > 2000)
      throw new BadRequestHttpError("give the initiative's IRI as ?id=", "invalid-id", {
        errors: [{ param: "id", message: "is required (at most 2000 characters)" }],
      });
    const rec = await store.getInitiative(id);
    if (!rec) {
      const missing = `no initiative ${id.slice(0, 200)} is held here`;
      const withheld = await store.curation.getWithheld(id);
      if (withheld?.record.provenance) return pages.withheld(req, res, withheld, missing);
      throw new NotFoundHttpError(missing);
    }
    if (!rec.provenance) return void res.redirect(303, rec.initiative.id);
    await pages.initiative(req, res, rec);
  });

  router.get(`/actors/${config.handle}`, async (req, res) => {
    const ctx = await context(req, res, "network");
    const [own, all, followers, following] = await Promise.all([
      store.countInitiatives(LOCAL_SOURCE),
      store.countInitiatives(),
      store.listFollowers("accepted"),
      store.listFollowing(),
    ]);
    const accepted = following.filter((f) => f.state === "accepted");
    const known = await names.getAll(accepted.map((f) => f.actor));
    const body = render("network", ctx, {
      own,
      all,
      followers: followers.length,
      following: accepted.map((f) => known.get(f.actor)!),
    });
    sendPage(
      res,
      ctx,
      render("layout", ctx, {
        title: ctx.t("layout.network"),
        body,
        head: render("meta", ctx, {
          links: [{ rel: "alternate", type: "application/activity+json", href: iris.actor }],
        }),
      }),
    );
  });

  const show = async (req: Request, res: Response, rec: StoredInitiative, withheld?: Withheld) => {
    const network = await context(req, res);
    // A mirrored record is published under its owner's terms, not this network's: so says the footer.
    const ctx = rec.provenance
      ? { ...network, terms: termsLine(recordTerms(rec, config), network.tr, "layout.noLicenceMirror") }
      : network;
    const also = await alsoListed(store, rec.initiative.id);
    const linked = await linkedBy(store, rec.initiative.id);
    const known = await names.getAll([
      ...provenanceActors(rec),
      ...also.flatMap((x) => (x.origin ? [x.origin] : [])),
      ...linked.flatMap((l) => [l.publisher, ...l.listings.flatMap((x) => (x.origin ? [x.origin] : []))]),
    ]);
    const p = rec.provenance;
    const nearest = p ? (p.via[p.via.length - 1] ?? p.origin) : undefined;
    const following = nearest ? await store.getFollowing(nearest) : undefined;
    const html = initiativePage(ctx, {
      rec,
      taxonomies,
      origin: p ? known.get(p.origin)! : self,
      via: (p?.via ?? []).map((v) => known.get(v)!),
      ...(following?.reconciledAt ? { reconciledAt: following.reconciledAt } : {}),
      imageUrl: `${config.url}/assets/${assets.url("card.png")}`,
      canEdit: Boolean(ctx.viewer) && !p && !withheld,
      terms: recordTerms(rec, config),
      canSuggest: !p && config.suggestionsPerHour > 0,
      alsoListed: also.map((x) => ({
        href: `/initiative?id=${encodeURIComponent(x.id)}`,
        name: x.name,
        network: x.origin ? known.get(x.origin)! : self,
      })),
      linkedBy: linked.map((l) => ({
        publisher: known.get(l.publisher)!,
        listings: l.listings.map((x) =>
          x.held
            ? {
                href: `/initiative?id=${encodeURIComponent(x.id)}`,
                name: x.name!,
                network: x.origin ? known.get(x.origin)! : self,
              }
            : { href: x.id, name: x.id },
        ),
      })),
      ...(withheld ? { withheld: withheldBanner(withheld) } : {}),
    });
    // Search engines and caches keep no copy of a page shown only to the team.
    if (withheld) res.setHeader("X-Robots-Tag", "noindex");
    res.setHeader("Last-Modified", new Date(rec.updated).toUTCString());
    sendPage(res, ctx, html);
  };
  const pages: PeoplePages = {
    initiative: (req, res, rec) => show(req, res, rec),
    async withheld(req, res, w, notFound) {
      // Strangers get exactly what they get for a record never held: nothing says it exists.
      if (!(await deps.viewer(req))) throw new NotFoundHttpError(notFound);
      const rec = { ...w.record, seq: 0 };
      return show(req, res, rec, w);
    },
    async gone(req, res, tomb) {
      const ctx = await context(req, res);
      sendPage(res, ctx, gonePage(ctx, tomb), 410);
    },
  };
  return { router, pages };
}
