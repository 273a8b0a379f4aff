/**
 * The scorer: how likely two listings are one organisation, with the reasons. Each signal that
 * agrees has a weight in (0, 1); they combine as independent evidence (1 − Π(1 − w)), so two
 * moderate signals make a strong one and no sum passes 1. Signals that disagree lower the score:
 * different registration numbers in one register rule a pair out, places far apart halve it.
 * The weights are explained in ADR 21.
 */
import { distanceKm, nameSimilarity } from "./similarity.ts";
import type { Signals } from "./signals.ts";

export type ReasonKind =
  | "registration"
  | "website"
  | "email"
  | "phone"
  | "name"
  | "similar-name"
  | "postcode"
  | "near"
  | "different-registration"
  | "far-apart";

export interface Reason {
  kind: ReasonKind;
  /** What agreed or disagreed (the shared value, a similarity, a distance in km). */
  detail: string;
  /** Weight of agreeing evidence, or the factor applied for disagreement. */
  weight: number;
}

export interface Score {
  /** In [0, 1]. */
  score: number;
  reasons: Reason[];
}

export const WEIGHTS = {
  registration: 0.95,
  website: 0.7,
  email: 0.7,
  phone: 0.6,
  /** Equal normalised names (alone, not enough for a candidate: a place or a contact must agree too). */
  name: 0.45,
  /** Names at least {@link SIMILAR_NAME} alike. */
  similarName: 0.35,
  postcode: 0.35,
  /** Within {@link NEAR_KM}. */
  near: 0.35,
  /** Within {@link CLOSE_KM}. */
  close: 0.15,
  /** Factor when both have places more than {@link FAR_KM} apart and nothing but names agrees. */
  farApart: 0.5,
} as const;

export const SIMILAR_NAME = 0.9;
export const NEAR_KM = 0.3;
export const CLOSE_KM = 2;
export const FAR_KM = 30;

/** Pairs scoring at least this are kept as candidates. */
export const CANDIDATE_SCORE = 0.5;

/** Scores a pair of listings. */
export function scorePair(a: Signals, b: Signals): Score {
  const reasons: Reason[] = [];
  const agree = (kind: ReasonKind, detail: string, weight: number) => reasons.push({ kind, detail, weight });
  if (a.registrations && b.registrations) {
    const same = a.registrations.find((r) => b.registrations!.includes(r));
    if (same) agree("registration", same, WEIGHTS.registration);
    else {
      // Registered in one register under different numbers: two organisations, whatever else agrees.
      const register = (r: string) => r.slice(0, r.indexOf(":"));
      const x = a.registrations.find((r) => b.registrations!.some((q) => register(q) === register(r)));
      const y = x && b.registrations.find((q) => register(q) === register(x));
      if (x && y) return { score: 0, reasons: [{ kind: "different-registration", detail: `${x} ≠ ${y}`, weight: 0 }] };
    }
  }
  if (a.website && a.website === b.website) agree("website", a.website, WEIGHTS.website);
  if (a.email && a.email === b.email) agree("email", a.email, WEIGHTS.email);
  if (a.phone && a.phone === b.phone) agree("phone", a.phone, WEIGHTS.phone);
  const contact = reasons.length > 0;
  const shortName = a.name.replace(/ /g, "").length < 4 || b.name.replace(/ /g, "").length < 4;
  const similarity = shortName ? (a.name === b.name ? 1 : 0) : nameSimilarity(a.name, b.name);
  if (similarity === 1) agree("name", a.name, WEIGHTS.name);
  else if (similarity >= SIMILAR_NAME) agree("similar-name", similarity.toFixed(2), WEIGHTS.similarName);
  const named = similarity >= SIMILAR_NAME;
  // A place agreeing says something only with a name or contact that does: neighbours differ.
  if (a.postcode && a.postcode === b.postcode && (named || contact)) agree("postcode", a.postcode, WEIGHTS.postcode);
  let factor = 1;
  if (a.lat !== undefined && a.lon !== undefined && b.lat !== undefined && b.lon !== undefined) {
    const km = distanceKm(a.lat, a.lon, b.lat, b.lon);
    if (named || contact) {
      if (km <= NEAR_KM) agree("near", km.toFixed(2), WEIGHTS.near);
      else if (km <= CLOSE_KM) agree("near", km.toFixed(2), WEIGHTS.close);
    }
    if (km > FAR_KM && !contact) {
      factor = WEIGHTS.farApart;
      reasons.push({ kind: "far-apart", detail: km.toFixed(0), weight: factor });
    }
  }
  let rest = 1;
  for (const r of reasons) if (r.kind !== "far-apart") rest *= 1 - r.weight;
  const score = Math.round((1 - rest) * factor * 1000) / 1000;
  return { score, reasons };
}
