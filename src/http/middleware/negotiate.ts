/**
 * Content negotiation over the Accept header (RFC 9110 §12.5.1), with `?format=` as an override for
 * people and scripts. Media-type parameters other than q (such as the ActivityStreams `profile`)
 * are ignored when matching, so `application/ld+json; profile="…activitystreams"` gets JSON-LD.
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
  q: number;
  order: number;
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
      out.push({ type, subtype, q, order });
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
      const [type, subtype] = t.split(";")[0]!.split("/");
      for (const r of ranges) {
        const spec =
          r.type === type && r.subtype === subtype
            ? 2
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
          best = { key: o.key, type: spec === 2 ? t : o.types[0]!, q: r.q, spec, order: r.order, offer: offerIndex };
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
