/**
 * Registrations of an organisation in official registers (company, charity, co-operative, tax),
 * as (register, number) pairs. Registers are named by codes in the style of org-id.guide: the
 * country's ISO code, a hyphen and the register's short name (`GB-COH`, `FR-SIREN`). Numbers are
 * normalised per known register so that two listings write one registration alike; an unknown
 * register's number is only trimmed of spaces and upper-cased. See ADR 32.
 */

export interface Registration {
  /** Register code, e.g. `FR-SIREN`. */
  register: string;
  /** The number as that register writes it, normalised. */
  number: string;
}

interface Register {
  /** Its name, for people (the initiative page). */
  name: string;
  /** The normalised number, or undefined when the text cannot be a number of this register. */
  normalise(raw: string): string | undefined;
  /** What two listings must share to be one organisation, when not the number itself (SIRET → SIREN). */
  matchAs?(n: string): string;
  /** A public page of the registration. */
  page?(n: string): string;
}

/** Spaces, dots and hyphens removed, upper case. */
const compact = (s: string) => s.replace(/[\s.\-/]/g, "").toUpperCase();
const digits = (min: number, max: number) => (raw: string) => {
  const n = compact(raw);
  return new RegExp(`^\\d{${min},${max}}$`).test(n) ? n : undefined;
};

/**
 * A Companies House number in its eight characters: digits left-padded with zeros, or a one- or
 * two-letter prefix (SC, NI, OC, R…) and its digits padded after it (SC123 → SC000123), a
 * registered society's closing letter kept (IP123R → IP00123R). Zeros
 * written before the prefix are dropped, so the "000SC123" an earlier normaliser stored reads as
 * SC000123. The one normaliser for the record's `companiesHouseNumber`, a GB-COH registration
 * and the duplicate signals. Undefined when the text cannot be such a number.
 */
export function normaliseCompaniesHouse(raw: string): string | undefined {
  const n = compact(raw).replace(/^0+(?=[A-Z])/, "");
  if (/^\d{1,8}$/.test(n)) return n.padStart(8, "0");
  const m = /^([A-Z]{1,2})(\d{1,7})([A-Z]?)$/.exec(n);
  if (!m) return undefined;
  const [, prefix, digits, suffix] = m as unknown as [string, string, string, string];
  if (prefix.length + digits.length + suffix.length > 8) return undefined;
  return prefix + digits.padStart(8 - prefix.length - suffix.length, "0") + suffix;
}

/** The registers whose numbers essfed normalises and checks, by code. */
export const REGISTERS: Readonly<Record<string, Register>> = {
  "GB-COH": {
    name: "Companies House",
    normalise: (raw) => normaliseCompaniesHouse(raw),
    // Stored numbers are read through the normaliser again, so that what older versions stored matches.
    matchAs: (n) => `GB-COH:${normaliseCompaniesHouse(n) ?? n}`,
    page: (n) => `https://find-and-update.company-information.service.gov.uk/company/${n}`,
  },
  "GB-CHC": {
    name: "Charity Commission for England and Wales",
    normalise: digits(6, 8),
    page: (n) => `https://register-of-charities.charitycommission.gov.uk/charity-search/-/charity-details/${n}`,
  },
  "GB-SC": {
    name: "Scottish Charity Regulator",
    normalise: (raw) => {
      const m = /^(?:SC)?(\d{1,6})$/.exec(compact(raw));
      return m ? `SC${m[1]!.padStart(6, "0")}` : undefined;
    },
  },
  "GB-NIC": {
    name: "Charity Commission for Northern Ireland",
    normalise: (raw) => digits(5, 7)(raw.replace(/^NIC/i, "")),
  },
  "GB-MPR": {
    name: "FCA Mutuals Public Register",
    // Society numbers: digits and a suffix such as R or RS (24524R, 1951RS), or IP and digits.
    normalise: (raw) => {
      const n = compact(raw);
      return /^(IP)?\d{1,6}[A-Z]{0,2}$/.test(n) ? n : undefined;
    },
  },
  "GB-COOP": {
    name: "Co-operatives UK",
    normalise: (raw) => (/^[A-Z]?\d{1,8}$/.test(compact(raw)) ? compact(raw) : undefined),
  },
  "FR-SIREN": {
    name: "SIREN (INSEE)",
    normalise: digits(9, 9),
    page: (n) => `https://annuaire-entreprises.data.gouv.fr/entreprise/${n}`,
  },
  "FR-SIRET": {
    name: "SIRET (INSEE)",
    normalise: digits(14, 14),
    // An establishment's SIRET begins with its organisation's SIREN: listings of two premises are one organisation.
    matchAs: (n) => `FR-SIREN:${n.slice(0, 9)}`,
    page: (n) => `https://annuaire-entreprises.data.gouv.fr/etablissement/${n}`,
  },
  "FR-RNA": {
    name: "Répertoire national des associations",
    normalise: (raw) => (/^W\d{9}$/.test(compact(raw)) ? compact(raw) : undefined),
  },
  "DE-CR": {
    name: "Handels-, Genossenschafts- und Vereinsregister",
    // The court and the register's number, as the common register portal writes them: "Hamburg GnR 1234".
    normalise: (raw) => {
      const m = /^(?:Amtsgericht\s+)?(.+?)\s+(HRA|HRB|GnR|VR|PR|GsR)\s*(\d{1,7})\s*([A-Z]{0,2})$/i.exec(raw.trim());
      if (!m) return undefined;
      const type = m[2]!.toUpperCase().replace("GNR", "GnR").replace("GSR", "GsR");
      return `${m[1]!.replace(/\s+/g, " ")} ${type} ${m[3]}${m[4] ? ` ${m[4].toUpperCase()}` : ""}`;
    },
  },
  "ES-NIF": {
    name: "Número de identificación fiscal",
    normalise: (raw) => {
      const n = compact(raw).replace(/^ES(?=[A-Z0-9]{9}$)/, "");
      return /^[A-Z0-9]\d{7}[A-Z0-9]$/.test(n) ? n : undefined;
    },
  },
  "US-EIN": { name: "Employer Identification Number (IRS)", normalise: digits(9, 9) },
};

/** A register code: two letters, a hyphen, two to twelve letters or digits (org-id.guide style). */
export const REGISTER_CODE = /^[A-Z]{2}-[A-Z0-9]{2,12}$/;
/** The longest number kept (a German court's name and number included). */
const MAX_NUMBER = 60;

/** `GB-VAT`, `FR-VAT`… : VAT numbers, the country code of the number naming the register. */
const VAT = /^[A-Z]{2}-VAT$/;

/** The register's number normalised, or why it cannot be one. */
export function normaliseRegistration(
  register: string,
  raw: string,
): { ok: true; registration: Registration } | { ok: false; message: string } {
  const code = register.trim().toUpperCase();
  if (!REGISTER_CODE.test(code))
    return { ok: false, message: `"${register}" is not a register code such as GB-COH or FR-SIREN` };
  const known = REGISTERS[code];
  let n: string | undefined;
  if (known) n = known.normalise(raw);
  else if (VAT.test(code)) {
    const v = compact(raw);
    n = /^[A-Z0-9]{2,14}$/.test(v) ? v.replace(new RegExp(`^${code.slice(0, 2)}(?=.)`), "") : undefined;
  } else {
    const v = raw.trim().replace(/\s+/g, " ").toUpperCase();
    n = /^[A-Z0-9][A-Z0-9 ./-]*$/.test(v) && v.length <= MAX_NUMBER ? v : undefined;
  }
  if (n === undefined || !n.length || n.length > MAX_NUMBER)
    return { ok: false, message: `"${raw.slice(0, 80)}" is not a number of the register ${code}` };
  return { ok: true, registration: { register: code, number: n } };
}

/** What a registration is compared by across listings (`FR-SIREN:552100554`; a SIRET by its SIREN). */
export function matchKey(r: Registration): string {
  return REGISTERS[r.register]?.matchAs?.(r.number) ?? `${r.register}:${r.number}`;
}

/** The register's name for people, or its code. */
export const registerName = (code: string): string => REGISTERS[code]?.name ?? code;
/** A public page of the registration, where one is known. */
export const registrationPage = (r: Registration): string | undefined => REGISTERS[r.register]?.page?.(r.number);

/**
 * A registration as an organisation identifier in org-id.guide's form, register code and number
 * joined by a hyphen (`FR-SIREN-552100554`): what `org:identifier` carries.
 */
export const orgId = (r: Registration): string => `${r.register}-${r.number}`;

/** An org-id.guide-style identifier back into register and number (no register: the number alone). */
export function fromOrgId(id: string): { register: string; number: string } {
  const m = /^\s*([A-Za-z]{2}-[A-Za-z0-9]{2,12})-(.+)$/.exec(id);
  return m ? { register: m[1]!, number: m[2]! } : { register: "", number: id };
}

/** `GB-CHC:1123456; FR-SIREN:552100554` → pairs (text before the first colon is the register). */
export function parseRegistrations(text: string): { register: string; number: string }[] {
  return text
    .split(";")
    .map((p) => p.trim())
    .filter(Boolean)
    .map((p) => {
      const at = p.indexOf(":");
      return at < 0 ? { register: "", number: p } : { register: p.slice(0, at), number: p.slice(at + 1) };
    });
}

/** Pairs as {@link parseRegistrations} reads them. */
export const formatRegistrations = (rs: readonly Registration[]): string =>
  rs.map((r) => `${r.register}:${r.number}`).join("; ");

/**
 * Registrar names as SSE spreadsheets write them (Co-ops UK and Solidarity Economy Association's
 * "Registrar" column) → register codes.
 */
export const REGISTRARS: Readonly<Record<string, string>> = {
  "companies house": "GB-COH",
  fca: "GB-MPR",
  "financial conduct authority": "GB-MPR",
  "charity commission": "GB-CHC",
  oscr: "GB-SC",
  ccni: "GB-NIC",
};

/** OpenStreetMap tags of registrations → register codes (`ref:vatin` is read by its country prefix). */
export const OSM_TAGS: Readonly<Record<string, string>> = {
  "ref:FR:SIREN": "FR-SIREN",
  "ref:FR:SIRET": "FR-SIRET",
  "ref:FR:RNA": "FR-RNA",
};
