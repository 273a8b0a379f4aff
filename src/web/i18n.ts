/**
 * The four working languages of the people's side (English, French, Spanish, Portuguese): message
 * catalogues in ICU MessageFormat, formatted with `intl-messageformat` (plural and select rules
 * from the platform's CLDR data), and the choice of language for a request.
 *
 * A request's language is, in order: `?lang=` (the switcher's links; also remembered in a cookie),
 * the `lang` cookie, the best match of `Accept-Language`, English.
 */
import { readFileSync } from "node:fs";
import type { Request, Response } from "express";
import { parseCookie } from "cookie";
import { IntlMessageFormat } from "intl-messageformat";

export const LOCALES = ["en", "fr", "es", "pt"] as const;
export type Locale = (typeof LOCALES)[number];
/** Each language's own name, for the switcher. */
export const LOCALE_NAMES: Record<Locale, string> = { en: "English", fr: "Français", es: "Español", pt: "Português" };

export const LANG_COOKIE = "lang";
type Values = Record<string, string | number | Date | undefined>;

/** A catalogue: message key → ICU message. */
export type Catalogue = Record<string, string>;

const load = (l: Locale): Catalogue =>
  JSON.parse(readFileSync(new URL(`./messages/${l}.json`, import.meta.url), "utf8")) as Catalogue;
export const CATALOGUES: Record<Locale, Catalogue> = Object.fromEntries(LOCALES.map((l) => [l, load(l)])) as Record<
  Locale,
  Catalogue
>;

export function isLocale(v: unknown): v is Locale {
  return typeof v === "string" && (LOCALES as readonly string[]).includes(v);
}

/** Formats messages, dates and numbers in one language. */
export class Translator {
  readonly locale: Locale;
  readonly #formats = new Map<string, IntlMessageFormat>();
  readonly #date: Intl.DateTimeFormat;
  readonly #dateTime: Intl.DateTimeFormat;
  readonly #number: Intl.NumberFormat;

  constructor(locale: Locale) {
    this.locale = locale;
    // Day before month, as most readers of the four languages write dates.
    const intl = locale === "en" ? "en-GB" : locale;
    this.#date = new Intl.DateTimeFormat(intl, { dateStyle: "long", timeZone: "UTC" });
    this.#dateTime = new Intl.DateTimeFormat(intl, { dateStyle: "long", timeStyle: "short", timeZone: "UTC" });
    this.#number = new Intl.NumberFormat(intl);
  }

  /** The message `key` with `values` filled in; English when this language lacks it, the key when both do. */
  t(key: string, values?: Values): string {
    let f = this.#formats.get(key);
    if (!f) {
      const source = CATALOGUES[this.locale][key] ?? CATALOGUES.en[key];
      if (source === undefined) return key;
      f = new IntlMessageFormat(source, this.locale);
      this.#formats.set(key, f);
    }
    return String(f.format(values));
  }

  /** Whether the catalogues have a message for `key`. */
  has(key: string): boolean {
    return key in CATALOGUES.en;
  }

  /** A date (ISO 8601 text or epoch ms) in this language, e.g. "3 mars 2026"; "" when unreadable. */
  date(when: string | number | undefined): string {
    const t = typeof when === "number" ? when : Date.parse(when ?? "");
    return Number.isFinite(t) ? this.#date.format(t) : "";
  }

  dateTime(when: string | number | undefined): string {
    const t = typeof when === "number" ? when : Date.parse(when ?? "");
    return Number.isFinite(t) ? `${this.#dateTime.format(t)} UTC` : "";
  }

  number(n: number): string {
    return this.#number.format(n);
  }

  /** The messages whose keys start with `prefix`, for a page script to format itself. */
  catalogue(prefix: string): Catalogue {
    const out: Catalogue = {};
    for (const [k, v] of Object.entries(CATALOGUES.en))
      if (k.startsWith(prefix)) out[k] = CATALOGUES[this.locale][k] ?? v;
    return out;
  }
}

const translators = new Map<Locale, Translator>(LOCALES.map((l) => [l, new Translator(l)]));
export function translator(locale: Locale): Translator {
  return translators.get(locale)!;
}

/** The value of cookie `name` sent with a request. */
export function cookieValue(req: Request, name: string): string | undefined {
  return req.headers.cookie ? parseCookie(req.headers.cookie)[name] : undefined;
}

/**
 * Chooses the language of a request (see the module comment). A `?lang=` choice is remembered in
 * a cookie for a year, so the next page is in the same language.
 */
export function chooseLocale(req: Request, res: Response): Locale {
  const asked = req.query.lang;
  if (isLocale(asked)) {
    res.append("Set-Cookie", `${LANG_COOKIE}=${asked}; Path=/; Max-Age=31536000; SameSite=Lax`);
    return asked;
  }
  const kept = cookieValue(req, LANG_COOKIE);
  if (isLocale(kept)) return kept;
  const accepted = req.acceptsLanguages(...LOCALES);
  return isLocale(accepted) ? accepted : "en";
}
