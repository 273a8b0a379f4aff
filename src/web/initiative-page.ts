/**
 * The page of one initiative for people: every field the record holds, where it came from, and
 * the tags that make previews (OpenGraph, Twitter cards: Mastodon reads og:title, og:description,
 * og:image, og:type) and search engines (schema.org `Organization` as JSON-LD) understand it.
 */
import type { Initiative } from "../domain/initiative.ts";
import { shareable } from "../domain/sharing.ts";
import { registerName, registrationPage } from "../domain/registrations.ts";
import type { Taxonomies } from "../domain/taxonomy.ts";
import { summarise } from "../linkeddata/summary.ts";
import type { Tombstone } from "../domain/initiative.ts";
import type { StoredInitiative } from "../store/store.ts";
import { kindOf } from "./cards.ts";
import type { NetworkName } from "./names.ts";
import { json, render, type PageContext } from "./render.ts";

interface Value {
  text: string;
  href?: string;
  rel?: string;
  /** Put before this value instead of ", ". */ sep?: string;
}
interface Row {
  label: string;
  values: Value[];
}

const OG_LOCALE = { en: "en_GB", fr: "fr_FR", es: "es_ES", pt: "pt_PT" } as const;
/** The UK register's page for a company number. */
const COMPANIES_HOUSE_PAGE = "https://find-and-update.company-information.service.gov.uk/company/";

export interface InitiativePageData {
  rec: StoredInitiative;
  taxonomies: Taxonomies;
  origin: NetworkName;
  via: NetworkName[];
  /** When the network we received it from was last reconciled with (mirrored records). */
  reconciledAt?: string;
  /** The asset URL of the preview image. */
  imageUrl: string;
  canEdit: boolean;
  /** Visitors may propose a correction (an own record, and the network takes suggestions). */
  canSuggest?: boolean;
  /** Other listings this network confirmed to be the same organisation (issue 16). */
  alsoListed?: { href: string; name: string; network: NetworkName }[];
  /**
   * Listings networks we follow linked this one to, in the links adopted from them (issue 16):
   * by deciding network; a listing not held here is shown by its IRI, with no network.
   */
  linkedBy?: { publisher: NetworkName; listings: { href: string; name: string; network?: NetworkName }[] }[];
  /** The licence (IRI and short name) and attribution the record is published under by its owner. */
  terms?: { licence?: { iri: string; label: string }; attribution?: string };
  /** The record is withheld (hidden or its source blocked): the page is for the team, with a banner. */
  withheld?: { state: "hidden" | "blocked"; reason?: string; at: string; href: string };
}

const mapFilter = (facet: string, iri: string) => `/?${facet}=${encodeURIComponent(iri)}`;

function details(i: Initiative, tx: Taxonomies, ctx: PageContext): Row[] {
  const { t, locale } = ctx;
  const labels = (facet: string | undefined, iris: string[]): Value[] =>
    iris.map((iri) => ({
      text: tx.label(iri, locale) ?? iri,
      ...(facet ? { href: mapFilter(facet, iri) } : { href: iri }),
    }));
  const rows: Row[] = [
    { label: t("field.organisationalStructure"), values: labels("structure", i.organisationalStructure) },
    // The register's own words for the legal form follow the concepts it matched, if any.
    {
      label: t("field.legalForm"),
      values: [...labels(undefined, i.legalForm), ...(i.legalFormText ? [{ text: i.legalFormText, sep: " · " }] : [])],
    },
    { label: t("field.sector"), values: i.sector ? [{ text: i.sector }] : [] },
    { label: t("field.sicCodes"), values: (i.sicCodes ?? []).map((c) => ({ text: c })) },
    { label: t("field.ownership"), values: i.ownership ? [{ text: i.ownership }] : [] },
    { label: t("field.primaryActivity"), values: labels("activity", i.primaryActivity ? [i.primaryActivity] : []) },
    { label: t("field.activities"), values: labels("activity", i.activities) },
    { label: t("field.qualifiers"), values: labels("qualifier", i.qualifiers) },
    {
      label: t("field.baseMembershipType"),
      values: labels("membership", i.baseMembershipType ? [i.baseMembershipType] : []),
    },
    { label: t("field.territory"), values: labels(undefined, i.territory ? [i.territory] : []) },
    {
      label: t("field.companiesHouseNumber"),
      values: i.companiesHouseNumber
        ? [{ text: i.companiesHouseNumber, href: COMPANIES_HOUSE_PAGE + encodeURIComponent(i.companiesHouseNumber) }]
        : [],
    },
    {
      label: t("field.registrations"),
      values: (i.registrations ?? []).map((r) => {
        const page = registrationPage(r);
        return { text: `${registerName(r.register)} ${r.number}`, ...(page ? { href: page } : {}) };
      }),
    },
  ];
  return rows.filter((r) => r.values.length);
}

function contact(i: Initiative, t: PageContext["t"]): Row[] {
  const social = (v: string, site: string): Value => ({
    text: v,
    href: /^https?:\/\//.test(v) ? v : `https://${site}/${v.replace(/^@/, "")}`,
    rel: "nofollow noopener",
  });
  const rows: Row[] = [
    {
      label: t("field.homepage"),
      values: i.homepage ? [{ text: i.homepage, href: i.homepage, rel: "nofollow noopener" }] : [],
    },
    { label: t("field.email"), values: i.email ? [{ text: i.email, href: `mailto:${i.email}` }] : [] },
    {
      label: t("field.phone"),
      values: i.phone ? [{ text: i.phone, href: `tel:${i.phone.replace(/[^+\d]/g, "")}` }] : [],
    },
    { label: t("field.twitter"), values: i.twitter ? [social(i.twitter, "twitter.com")] : [] },
    { label: t("field.facebook"), values: i.facebook ? [social(i.facebook, "www.facebook.com")] : [] },
    { label: t("field.sameAs"), values: i.sameAs.map((s) => ({ text: s, href: s, rel: "nofollow noopener" })) },
  ];
  return rows.filter((r) => r.values.length);
}

/** The address as written, one line each, with the country in the reader's language. */
function addressLines(i: Initiative, tx: Taxonomies, locale: string): string[] {
  const a = i.address;
  const country = i.country ? tx.label(i.country, locale) : a?.countryName;
  return [a?.streetAddress, a?.locality, a?.region, a?.postcode, country].filter((x): x is string => Boolean(x));
}

/** schema.org markup for search engines. */
function schemaOrg(i: Initiative, tx: Taxonomies, description: string): Record<string, unknown> {
  const a = i.address;
  const country = i.country ? tx.get(i.country)?.code : undefined;
  const address =
    a && (a.streetAddress || a.locality || a.region || a.postcode || country)
      ? {
          "@type": "PostalAddress",
          streetAddress: a.streetAddress,
          addressLocality: a.locality,
          addressRegion: a.region,
          postalCode: a.postcode,
          addressCountry: country ?? a.countryName,
        }
      : undefined;
  const lat = a?.lat ?? a?.geoContainerLat;
  const lon = a?.long ?? a?.geoContainerLong;
  const identifiers = [
    ...(i.companiesHouseNumber ? [{ propertyID: "Companies House", value: i.companiesHouseNumber }] : []),
    ...(i.registrations ?? []).map((r) => ({ propertyID: r.register, value: r.number })),
  ].map((v) => ({ "@type": "PropertyValue", ...v }));
  return {
    "@context": "https://schema.org",
    "@type": "Organization",
    "@id": i.id,
    name: i.name,
    url: i.homepage ?? i.id,
    mainEntityOfPage: i.id,
    ...(description ? { description } : {}),
    ...(address ? { address } : {}),
    ...(lat !== undefined && lon !== undefined
      ? { geo: { "@type": "GeoCoordinates", latitude: lat, longitude: lon } }
      : {}),
    ...(i.email ? { email: i.email } : {}),
    ...(i.phone ? { telephone: i.phone } : {}),
    ...(identifiers.length ? { identifier: identifiers.length === 1 ? identifiers[0] : identifiers } : {}),
    ...(i.legalForm.length ? { legalForm: i.legalForm.map((l) => tx.label(l, "en")) } : {}),
    ...(i.sameAs.length ? { sameAs: i.sameAs } : {}),
  };
}

function head(ctx: PageContext, i: Initiative, d: InitiativePageData, summary: string): string {
  const og = (key: string, value: string) => ({ attr: "property", key, value });
  const named = (key: string, value: string) => ({ attr: "name", key, value });
  return render("meta", ctx, {
    links: [
      { rel: "canonical", href: i.id },
      { rel: "alternate", type: "application/ld+json", href: `${i.id}?format=jsonld-links` },
      { rel: "alternate", type: "application/activity+json", href: `${i.id}?format=jsonld` },
      { rel: "alternate", type: "text/turtle", href: `${i.id}?format=ttl` },
      { rel: "alternate", type: "application/n-triples", href: `${i.id}?format=nt` },
    ],
    metas: [
      named("description", summary),
      og("og:type", "website"),
      og("og:title", i.name),
      og("og:url", i.id),
      og("og:site_name", ctx.site.name),
      og("og:locale", OG_LOCALE[ctx.locale]),
      og("og:description", summary),
      og("og:image", d.imageUrl),
      og("og:image:width", "1200"),
      og("og:image:height", "630"),
      og("og:image:alt", ctx.t("initiative.imageAlt", { network: ctx.site.name })),
      named("twitter:card", "summary"),
      named("twitter:title", i.name),
      named("twitter:description", summary),
    ],
    jsonLd: json(schemaOrg(i, d.taxonomies, summary)),
  });
}

/** The name and description in the other languages the record has, each marked with its language. */
function translations(
  i: Initiative,
  ctx: PageContext,
): { lang: string; language: string; name: string; descriptionHtml: string }[] {
  const names = new Intl.DisplayNames([ctx.locale], { type: "language" });
  return Object.entries(i.translations ?? {}).map(([lang, v]) => {
    let language = lang;
    try {
      language = names.of(lang) ?? lang;
    } catch {
      /* a tag Intl does not know: shown as it is */
    }
    // Descriptions were sanitised when stored, as the record's own is.
    return { lang, language, name: v.name ?? "", descriptionHtml: v.description ?? "" };
  });
}

export function initiativePage(ctx: PageContext, page: InitiativePageData): string {
  // A page is this network's own publication: fields kept for the team (`none`) are left out.
  const d = { ...page, rec: { ...page.rec, initiative: shareable(page.rec.initiative, "public") } };
  const i = d.rec.initiative;
  const summary = summarise(i, d.taxonomies);
  const lat = i.address?.lat ?? i.address?.geoContainerLat;
  const lon = i.address?.long ?? i.address?.geoContainerLong;
  const located = lat !== undefined && lon !== undefined;
  const source = d.rec.provenance ? d.rec.provenance.origin : "local";
  const body = render("initiative", ctx, {
    rec: d.rec,
    origin: d.origin,
    via: d.via,
    alsoListed: d.alsoListed ?? [],
    linkedBy: d.linkedBy ?? [],
    kinds: kindOf(i, d.taxonomies, ctx.locale).split(" · ").filter(Boolean),
    // Sanitised when it was stored (only a few harmless tags survive).
    descriptionHtml: i.description ?? "",
    details: details(i, d.taxonomies, ctx),
    translations: translations(i, ctx),
    contact: contact(i, ctx.t),
    addressLines: addressLines(i, d.taxonomies, ctx.locale),
    coordinates: located
      ? { lat: lat.toFixed(5), lon: lon.toFixed(5), approximate: i.address?.lat === undefined }
      : undefined,
    receivedAt: d.rec.provenance?.receivedAt,
    terms: d.terms,
    checkedAt: d.reconciledAt,
    mapHref: located ? `/?at=${lat.toFixed(5)},${lon.toFixed(5)},15` : "/",
    moreHref: `/?source=${encodeURIComponent(source)}`,
    editHref: d.canEdit ? `/console/initiatives/edit?id=${encodeURIComponent(i.id)}` : undefined,
    suggestHref: d.canSuggest && !d.withheld ? `/suggest?about=${encodeURIComponent(i.id)}` : undefined,
    withheld: d.withheld,
  });
  return render("layout", ctx, { title: i.name, head: head(ctx, i, d, summary), body, asset: ctx.asset });
}

/** The page left where a deleted initiative was. */
export function gonePage(ctx: PageContext, tomb: Tombstone): string {
  const body = render("gone", ctx, { tomb });
  return render("layout", ctx, { title: ctx.t("gone.title"), body });
}
