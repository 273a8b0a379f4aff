/**
 * Normalisers for telling whether two listings are one organisation: names without their legal
 * form, case, accents and punctuation; websites as host and path; emails; phone numbers as their
 * subscriber digits; postcodes. Every input is cut to a bounded length first, so a hostile record
 * costs no more than an ordinary one.
 */

/** Longest name, website or address read (longer input is cut: no real name is longer). */
export const MAX_INPUT = 300;

/**
 * Legal forms and their abbreviations as they end (or start) names, in the languages of the
 * networks essfed serves, as token sequences after {@link nameTokens} (dots and hyphens removed,
 * accents folded, lower case).
 */
const LEGAL_FORMS: readonly string[][] = [
  // English
  "ltd",
  "limited",
  "plc",
  "llp",
  "llc",
  "inc",
  "incorporated",
  "cic",
  "cio",
  "co",
  "company",
  "cooperative",
  "coop",
  "community interest company",
  "co operative",
  "cooperative limited",
  "workers cooperative",
  "worker cooperative",
  "workers coop",
  "worker coop",
  "industrial provident society",
  "community benefit society",
  "cooperative society",
  "company limited by guarantee",
  "ips",
  "bencom",
  // French
  "scop",
  "scic",
  "sa",
  "sarl",
  "sas",
  "sasu",
  "cae",
  "societe cooperative",
  "cooperative ouvriere de production",
  "societe cooperative de production",
  "societe cooperative interet collectif",
  "societe cooperative et participative",
  "scop sa",
  "scop sarl",
  "scop sas",
  "scic sa",
  "scic sarl",
  "scic sas",
  "association",
  "asbl",
  // German
  "ev",
  "eg",
  "gmbh",
  "ggmbh",
  "ug",
  "ag",
  "eingetragene genossenschaft",
  "eingetragener verein",
  "genossenschaft",
  // Spanish, Catalan, Portuguese, Italian
  "scoop",
  "s coop",
  "scoopl",
  "sccl",
  "sl",
  "slu",
  "coop",
  "cooperativa",
  "sociedad cooperativa",
  "cooperativa de trabajo",
  "cooperativa de trabajo asociado",
  "crl",
  "ipss",
  "lda",
  "scarl",
  "srl",
  "spa",
  "scs",
  "societa cooperativa",
  "cooperativa sociale",
  "onlus",
  "aps",
]
  .map((f) => f.split(" "))
  .sort((a, b) => b.length - a.length);

/** Words joining names that vary between listings ("&", "and", "et", "y", "und"…): dropped. */
const JOINERS = new Set(["and", "et", "y", "e", "i", "und", "en", "the", "a"]);
/** Leading articles dropped ("The Green Bay", "La Coopérative"). */
const ARTICLES = new Set([
  "the",
  "la",
  "le",
  "les",
  "el",
  "los",
  "las",
  "der",
  "die",
  "das",
  "il",
  "lo",
  "o",
  "os",
  "as",
]);

/** Lower case, accents folded, ligatures spelled out; cut to {@link MAX_INPUT}. */
export function fold(s: string): string {
  return s
    .slice(0, MAX_INPUT)
    .normalize("NFKD")
    .replace(/\p{M}+/gu, "")
    .replace(/ß/g, "ss")
    .replace(/æ/gi, "ae")
    .replace(/œ/gi, "oe")
    .replace(/ø/gi, "o")
    .replace(/ł/gi, "l")
    .toLowerCase();
}

/**
 * The words of a name as compared: folded, elisions dropped (l', d'), "&" dropped, dots and
 * hyphens removed inside words (e.V. → ev, Co-operative → cooperative), other punctuation a space.
 */
export function nameTokens(name: string): string[] {
  return fold(name)
    .replace(/(^|[^\p{L}\p{N}])[ldjmnst]['’]/gu, "$1")
    .replace(/['’`´]/g, "")
    .replace(/&|\+/g, " and ")
    .replace(/(\p{L})[.\-‐–](?=\p{L})/gu, "$1")
    .replace(/[.]/g, "")
    .split(/[^\p{L}\p{N}]+/u)
    .filter(Boolean);
}

function endsWith(tokens: string[], form: string[]): boolean {
  if (form.length >= tokens.length) return false;
  return form.every((t, i) => tokens[tokens.length - form.length + i] === t);
}
function startsWith(tokens: string[], form: string[]): boolean {
  if (form.length >= tokens.length) return false;
  return form.every((t, i) => tokens[i] === t);
}

/**
 * A name as compared: its words without legal forms at either end, leading articles or joiners,
 * space-separated. "Green Bay Projects Limited" and "green bay projects" give the same; a name
 * that is nothing but a legal form keeps its words.
 */
export function normaliseName(name: string): string {
  let tokens = nameTokens(name);
  for (let changed = true; changed;) {
    changed = false;
    // Longest forms first, and again from the longest after each cut ("workers cooperative ltd").
    for (const f of LEGAL_FORMS) {
      if (endsWith(tokens, f)) {
        tokens = tokens.slice(0, tokens.length - f.length);
        changed = true;
        break;
      }
      if (startsWith(tokens, f)) {
        tokens = tokens.slice(f.length);
        changed = true;
        break;
      }
    }
    if (tokens.length > 1 && ARTICLES.has(tokens[0]!)) {
      tokens = tokens.slice(1);
      changed = true;
    }
  }
  const kept = tokens.filter((t) => !JOINERS.has(t));
  return (kept.length ? kept : tokens).join(" ");
}

/** Hosts that carry many organisations' pages: only a path beyond the bare host names one. */
const SHARED_HOST_NAMES = [
  "facebook.com",
  "instagram.com",
  "twitter.com",
  "x.com",
  "linkedin.com",
  "wordpress.com",
  "blogspot.com",
  "wixsite.com",
  "google.com",
  "sites.google.com",
  "youtube.com",
  "linktr.ee",
];
const SHARED_HOSTS = new RegExp(`(^|\\.)(${SHARED_HOST_NAMES.map((h) => h.replaceAll(".", "\\.")).join("|")})$`);

/**
 * A website as host and path: scheme, "www." and "m.", default ports, query (but a Facebook
 * profile id), fragment, "index.html" and the trailing slash dropped, host lower case.
 * Undefined when it is not a web address or is only the front page of a shared host.
 */
export function normaliseWebsite(url: string): string | undefined {
  let s = url.trim().slice(0, MAX_INPUT);
  if (!/^[a-z][a-z0-9+.-]*:\/\//i.test(s)) s = `http://${s}`;
  let u: URL;
  try {
    u = new URL(s);
  } catch {
    return undefined;
  }
  if ((u.protocol !== "http:" && u.protocol !== "https:") || u.username || u.password) return undefined;
  const host = u.hostname
    .toLowerCase()
    .replace(/^(www\d*|m)\./, "")
    .replace(/\.$/, "");
  if (!host.includes(".")) return undefined;
  let path = decodeSafe(u.pathname)
    .replace(/\/(index|default|home)\.(html?|php|aspx?)$/i, "/")
    .replace(/\/+$/, "");
  const profile = u.searchParams.get("id");
  if (/profile\.php$/.test(path) && profile) path += `?id=${profile}`;
  if (SHARED_HOSTS.test(host) && !path) return undefined;
  return `${host}${path.toLowerCase()}`;
}

function decodeSafe(p: string): string {
  try {
    return decodeURIComponent(p);
  } catch {
    return p;
  }
}

/** An email address, lower case, without "mailto:"; undefined when it is not one. */
export function normaliseEmail(email: string): string | undefined {
  const e = email
    .trim()
    .slice(0, MAX_INPUT)
    .replace(/^mailto:/i, "")
    .toLowerCase();
  return /^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(e) ? e : undefined;
}

/**
 * A phone number as its last nine digits: the same number written nationally (0116 212 3456) and
 * internationally (+44 116 212 3456) gives the same, in every numbering plan whose subscriber
 * numbers have nine digits or more. Undefined for fewer digits (short codes, typos).
 */
export function normalisePhone(phone: string): string | undefined {
  const digits = phone.slice(0, 60).replace(/\D/g, "");
  return digits.length >= 9 && digits.length <= 15 ? digits.slice(-9) : undefined;
}

/** A postcode in capitals without spaces or dashes; undefined when it holds no letter or digit. */
export function normalisePostcode(pc: string): string | undefined {
  const p = fold(pc.slice(0, 20))
    .toUpperCase()
    .replace(/[^A-Z0-9]/g, "");
  return p || undefined;
}
