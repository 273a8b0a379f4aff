/**
 * Content negotiation over the Accept header (RFC 9110 §12.5.1), with `?format=` as an override for
 * people and scripts. Of the media-type parameters only `profile` counts (RFC 6906; JSON-LD 1.1
 * §9.1): a type whose profile agrees with the range's (both absent, or the offer's among the
 * range's; JSON-LD's own form profiles do not count) is preferred to the same type with another,
 * so `application/ld+json; profile="…activitystreams"` gets the ActivityStreams document and plain
 * `application/ld+json` a document offered without a profile when a route has one; otherwise
 * either still matches.
 */
import type { Request } from "express";
import { NotAcceptableHttpError } from "../../errors.ts";

/** A representation a route can produce: its media types (first = the one it answers with). */
export interface Offer<K extends string = string> {
  key: K;
  types: string[];
  /** Short names accepted by `?format=`. */
  formats: string[];
}

interface Range {
  type: string;
  subtype: string;
  /** The profiles the range asks for, JSON-LD's own form profiles (expanded, compacted…) left out. */
  profiles: string[];
  q: number;
  order: number;
}

/** JSON-LD's profiles name a form of the same statements (JSON-LD 1.1 §9.1), not another document. */
const JSONLD_FORMS = "http://www.w3.org/ns/json-ld#";

/** The `profile` parameter of a media type or range, unquoted ("" when absent). */
function profileOf(params: string[]): string {
  for (const p of params) {
    const eq = p.indexOf("=");
    if (eq > 0 && p.slice(0, eq).trim().toLowerCase() === "profile")
      return p
        .slice(eq + 1)
        .trim()
        .replace(/^"(.*)"$/, "$1");
  }
  return "";
}

function parseAccept(header: string): Range[] {
  const out: Range[] = [];
  header
    .split(",")
    .slice(0, 50)
    .forEach((part, order) => {
      const [mt, ...params] = part.trim().split(";");
      const [type, subtype] = (mt ?? "").trim().toLowerCase().split("/");
      if (!type || !subtype) return;
      let q = 1;
      for (const p of params) {
        const [k, v] = p.trim().split("=");
        if (k?.trim().toLowerCase() === "q") q = Math.max(0, Math.min(1, Number(v) || 0));
      }
      const profiles = profileOf(params)
        .split(/\s+/)
        .filter((p) => p && !p.startsWith(JSONLD_FORMS))
        .slice(0, 10);
      out.push({ type, subtype, profiles, q, order });
    });
  return out;
}

/**
 * Picks the offer the client prefers; ties go to the earlier offer. Throws 406 when the client
 * accepts none of them.
 * @returns the chosen offer and the exact media type to answer with
 */
export function negotiate<K extends string>(req: Request, offers: readonly Offer<K>[]): { key: K; type: string } {
  // The same few Accept headers come again and again: remember what each one chose.
  const cacheKey = `${typeof req.query.format === "string" ? req.query.format : ""}\n${req.headers.accept ?? ""}`;
  let memo = memos.get(offers);
  const hit = memo?.get(cacheKey);
  if (hit) return hit as { key: K; type: string };
  const result = choose(req, offers);
  if (!memo) memos.set(offers, (memo = new Map<string, { key: string; type: string }>()));
  if (memo.size > 500) memo.clear();
  memo.set(cacheKey, result);
  return result;
}

const memos = new WeakMap<readonly Offer[], Map<string, { key: string; type: string }>>();

function choose<K extends string>(req: Request, offers: readonly Offer<K>[]): { key: K; type: string } {
  const format = typeof req.query.format === "string" ? req.query.format.toLowerCase() : undefined;
  if (format) {
    const o = offers.find((x) => x.formats.includes(format));
    if (!o) throw new NotAcceptableHttpError(offers.flatMap((x) => x.formats.map((f) => `format=${f}`)));
    return { key: o.key, type: o.types[0]! };
  }
  const header = req.headers.accept;
  if (!header || !header.trim()) return { key: offers[0]!.key, type: offers[0]!.types[0]! };
  const ranges = parseAccept(header);
  let best: { key: K; type: string; q: number; spec: number; order: number; offer: number } | undefined;
  offers.forEach((o, offerIndex) => {
    for (const t of o.types) {
      const [mt, ...params] = t.split(";");
      const [type, subtype] = mt!.split("/");
      const profile = profileOf(params);
      for (const r of ranges) {
        const spec =
          r.type === type && r.subtype === subtype
            ? (profile ? r.profiles.includes(profile) : !r.profiles.length)
              ? 3
              : 2
            : r.type === type && r.subtype === "*"
              ? 1
              : r.type === "*"
                ? 0
                : -1;
        if (spec < 0 || r.q === 0) continue;
        const better =
          !best ||
          r.q > best.q ||
          (r.q === best.q && (spec > best.spec || (spec === best.spec && offerIndex < best.offer)));
        if (better)
          best = { key: o.key, type: spec >= 2 ? t : o.types[0]!, q: r.q, spec, order: r.order, offer: offerIndex };
      }
    }
  });
  if (!best) throw new NotAcceptableHttpError(offers.flatMap((o) => o.types));
  return { key: best.key, type: best.type };
}

export const AS_JSONLD = 'application/ld+json; profile="https://www.w3.org/ns/activitystreams"';

/** The representations of a linked-data resource, in the order we prefer them. */
export const RDF_OFFERS = [
  { key: "jsonld", types: [AS_JSONLD, "application/activity+json", "application/json"], formats: ["jsonld", "json"] },
  { key: "turtle", types: ["text/turtle"], formats: ["ttl", "turtle"] },
  { key: "ntriples", types: ["application/n-triples"], formats: ["nt", "ntriples"] },
  { key: "nquads", types: ["application/n-quads"], formats: ["nq", "nquads"] },
  { key: "html", types: ["text/html", "application/xhtml+xml"], formats: ["html"] },
] as const satisfies readonly Offer[];
export type RdfKey = (typeof RDF_OFFERS)[number]["key"];

/**
 * A record's representations: those of {@link RDF_OFFERS} and, for plain `application/ld+json` or
 * `?format=jsonld-links`, the record's statements as JSON-LD with this network's sameAs links and
 * the adopted ones in their linksets' named graphs (the N-Quads answer's statements). Last, so that
 * a request with no Accept header, or accepting any type, `application/json` or an ActivityStreams
 * type still gets the signed document.
 */
export const RECORD_OFFERS = [
  ...RDF_OFFERS,
  { key: "jsonld-links", types: ["application/ld+json"], formats: ["jsonld-links"] },
] as const satisfies readonly Offer[];
export type RecordKey = (typeof RECORD_OFFERS)[number]["key"];
