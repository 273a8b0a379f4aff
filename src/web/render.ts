/**
 * Server-rendered pages: Eta templates in `views/` (every `<%= %>` is HTML-escaped; `<%~ %>`,
 * which is not, is used only for HTML built by other templates or by {@link json}), with the
 * shared data every page's layout needs.
 */
import { fileURLToPath } from "node:url";
import type { Request, Response } from "express";
import { Eta } from "eta";
import type { Config } from "../config.ts";
import { LOCALES, LOCALE_NAMES, chooseLocale, translator, type Locale, type Translator } from "./i18n.ts";

const eta = new Eta({
  views: fileURLToPath(new URL("./views", import.meta.url)),
  cache: true,
  autoEscape: true,
  autoTrim: false,
});

/** Who is signed in, as the layout needs it. */
export interface Viewer {
  name: string;
  role: "admin" | "editor";
  /** The session's CSRF token, put in every form that changes something. */
  csrf: string;
}

/** What every page's layout is given. */
export interface PageContext {
  locale: Locale;
  tr: Translator;
  t: Translator["t"];
  site: { name: string; summary: string; handle: string; host: string; url: string; actor: string };
  /** The data's licence and attribution with a link to the dataset description, as HTML (footers, the map). */
  terms: string;
  /** Links to this same page in each language, for the switcher. */
  languages: { locale: Locale; name: string; href: string; current: boolean }[];
  viewer?: Viewer;
  /** Which top-level section the page belongs to (marks the navigation link). */
  section?: "map" | "network" | "console" | "signin";
  /** The hashed URL name of a bundled asset (`site.css` → `site.Ab12Cd34Ef.css`). */
  asset: (name: string) => string;
}

/** The switcher's links: the current URL with `lang` set (other parameters kept, so a map view survives). */
function languageLinks(req: Request, current: Locale): PageContext["languages"] {
  return LOCALES.map((l) => {
    const url = new URL(req.originalUrl, "http://x");
    url.searchParams.set("lang", l);
    return { locale: l, name: LOCALE_NAMES[l], href: url.pathname + url.search, current: l === current };
  });
}

/** The shared page data for a request (chooses its language). */
export function pageContext(
  req: Request,
  res: Response,
  config: Config,
  actor: string,
  asset: (name: string) => string,
  viewer?: Viewer,
): PageContext {
  const locale = chooseLocale(req, res);
  const tr = translator(locale);
  return {
    locale,
    tr,
    t: tr.t.bind(tr),
    site: {
      name: config.name,
      summary: config.summary,
      handle: config.handle,
      host: new URL(config.url).host,
      url: config.url,
      actor,
    },
    languages: languageLinks(req, locale),
    asset,
    terms: termsLine({ ...(config.licence ? { licence: config.licence } : {}), attribution: config.attribution }, tr),
    ...(viewer ? { viewer } : {}),
  };
}

/**
 * The licence (or that none is declared), the attribution and the dataset description's link,
 * escaped: the network's own on its pages, a mirrored record's owner's on that record's page.
 */
export function termsLine(
  terms: { licence?: { iri: string; label: string }; attribution?: string },
  tr: Translator,
  noLicence = "layout.noLicence",
): string {
  const licence = terms.licence
    ? `${escapeHtml(tr.t("layout.licence"))}: ` +
      `<a rel="license" href="${escapeHtml(terms.licence.iri)}">${escapeHtml(terms.licence.label)}</a>`
    : escapeHtml(tr.t(noLicence));
  const attribution = terms.attribution
    ? ` · ${escapeHtml(tr.t("layout.attribution"))}: ${escapeHtml(terms.attribution)}`
    : "";
  return `${licence}${attribution} · <a href="/dataset">${escapeHtml(tr.t("layout.dataset"))}</a>`;
}

const escapeHtml = (s: string): string =>
  s.replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]!);

/** Renders `views/<name>.eta` with the page context and the page's own data. */
export function render(name: string, ctx: PageContext, data: Record<string, unknown> = {}): string {
  return eta.render(name, { ...ctx, ...data });
}

/** Sends a rendered page; pages depend on the language and on who is signed in. */
export function sendPage(res: Response, ctx: PageContext, html: string, status = 200): void {
  res.status(status).setHeader("Vary", "Accept, Accept-Language, Cookie");
  res.setHeader("Content-Language", ctx.locale);
  res.setHeader("Cache-Control", ctx.viewer ? "private, no-store" : "no-cache");
  res.type("text/html").send(html);
}

/** JSON for a `<script type="application/json">` or JSON-LD block: `<` escaped so no tag can close it. */
export function json(value: unknown): string {
  return JSON.stringify(value)
    .replace(/</g, "\\u003c")
    .replace(/\u2028/g, "\\u2028")
    .replace(/\u2029/g, "\\u2029");
}
