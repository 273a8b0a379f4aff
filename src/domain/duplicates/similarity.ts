/**
 * How alike two normalised names are, and how far apart two places are. Inputs are already
 * bounded by the normalisers ({@link MAX_INPUT}), so the quadratic Jaro matching stays small.
 */
import { MAX_INPUT } from "./normalise.ts";

/**
 * Jaro-Winkler similarity in [0, 1] (1 = equal): tolerant of typos and of a word added at the end,
 * and weighting a shared beginning, which is where names of one organisation agree most.
 */
export function jaroWinkler(a: string, b: string): number {
  a = a.slice(0, MAX_INPUT);
  b = b.slice(0, MAX_INPUT);
  if (a === b) return 1;
  if (!a.length || !b.length) return 0;
  const window = Math.max(0, Math.floor(Math.max(a.length, b.length) / 2) - 1);
  const aMatch = new Uint8Array(a.length);
  const bMatch = new Uint8Array(b.length);
  let matches = 0;
  for (let i = 0; i < a.length; i++) {
    const lo = Math.max(0, i - window);
    const hi = Math.min(b.length - 1, i + window);
    for (let j = lo; j <= hi; j++) {
      if (!bMatch[j] && a[i] === b[j]) {
        aMatch[i] = 1;
        bMatch[j] = 1;
        matches++;
        break;
      }
    }
  }
  if (!matches) return 0;
  let t = 0;
  for (let i = 0, j = 0; i < a.length; i++) {
    if (!aMatch[i]) continue;
    while (!bMatch[j]) j++;
    if (a[i] !== b[j]) t++;
    j++;
  }
  const jaro = (matches / a.length + matches / b.length + (matches - t / 2) / matches) / 3;
  let prefix = 0;
  while (prefix < 4 && prefix < a.length && prefix < b.length && a[prefix] === b[prefix]) prefix++;
  return jaro + prefix * 0.1 * (1 - jaro);
}

/** Words alike enough to count as one word written two ways (a typo, a plural). */
const WORD_ALIKE = 0.9;

/**
 * How many words of the shorter name the longer one has (each written alike, within a typo), as a
 * share of the shorter name's words: "leeds bakery" / "leeds bakery workers" is 1, but "leeds
 * bakery collective" / "leeds bakery works" is 2/3 however alike their letters are.
 */
export function wordOverlap(a: string[], b: string[]): number {
  const [short, long] = a.length <= b.length ? [a, b] : [b, a];
  if (!short.length) return 0;
  let matched = 0;
  for (const w of short) if (long.some((v) => v === w || jaroWinkler(v, w) >= WORD_ALIKE)) matched++;
  return matched / short.length;
}

/**
 * Similarity of two normalised names: 1 when they are equal without spaces ("Green-Bay" /
 * "Greenbay"), 0.98 with their words in another order; otherwise the best Jaro-Winkler of the
 * names as written, without spaces and with words sorted, but no more than their {@link wordOverlap}:
 * letters alike are not enough when a whole word differs.
 */
export function nameSimilarity(a: string, b: string): number {
  if (a === b) return 1;
  const compactA = a.replace(/ /g, "");
  const compactB = b.replace(/ /g, "");
  if (compactA === compactB) return 1;
  const wordsA = a.split(" ");
  const wordsB = b.split(" ");
  const sortedA = [...wordsA].sort().join(" ");
  const sortedB = [...wordsB].sort().join(" ");
  if (sortedA === sortedB) return 0.98;
  const letters = Math.max(jaroWinkler(a, b), jaroWinkler(compactA, compactB), jaroWinkler(sortedA, sortedB));
  // Names joined differently ("greenbay projects" / "green bay projcts") have no words in common
  // to count; their letters decide.
  if (wordsA.length !== wordsB.length && jaroWinkler(compactA, compactB) >= 0.95) return letters;
  return Math.min(letters, wordOverlap(wordsA.slice(0, 30), wordsB.slice(0, 30)));
}

/** Great-circle distance in kilometres. */
export function distanceKm(lat1: number, lon1: number, lat2: number, lon2: number): number {
  const r = Math.PI / 180;
  const dLat = (lat2 - lat1) * r;
  const dLon = (lon2 - lon1) * r;
  const h = Math.sin(dLat / 2) ** 2 + Math.cos(lat1 * r) * Math.cos(lat2 * r) * Math.sin(dLon / 2) ** 2;
  return 2 * 6371 * Math.asin(Math.min(1, Math.sqrt(h)));
}
