/**
 * The data licence a network declares (`ESSFED_LICENSE`): an SPDX licence id, checked against the
 * SPDX licence list (the `spdx-license-ids` package), or an http(s) IRI. An id becomes the IRI
 * that open-data catalogues recognise for it: the issuer's own page for Creative Commons and Open
 * Data Commons licences, the SPDX page for every other id.
 */
import { createRequire } from "node:module";
import { EssfedError } from "../errors.ts";

export interface Licence {
  /** The licence's IRI (what `dcterms:license` and `Link: rel="license"` carry). */
  readonly iri: string;
  /** The SPDX id, when the licence was given as one (or its IRI is a known one). */
  readonly spdx?: string;
  /** A short name for people: the SPDX id, or the IRI. */
  readonly label: string;
}

const require = createRequire(import.meta.url);
const SPDX_IDS = require("spdx-license-ids") as readonly string[];
const BY_LOWER = new Map(SPDX_IDS.map((id) => [id.toLowerCase(), id]));

/** The issuers' IRIs of the licences open data is published under. */
const ISSUER_IRIS: Record<string, string> = {
  "CC0-1.0": "https://creativecommons.org/publicdomain/zero/1.0/",
  "CC-BY-4.0": "https://creativecommons.org/licenses/by/4.0/",
  "CC-BY-SA-4.0": "https://creativecommons.org/licenses/by-sa/4.0/",
  "CC-BY-NC-4.0": "https://creativecommons.org/licenses/by-nc/4.0/",
  "CC-BY-NC-SA-4.0": "https://creativecommons.org/licenses/by-nc-sa/4.0/",
  "CC-BY-ND-4.0": "https://creativecommons.org/licenses/by-nd/4.0/",
  "CC-BY-NC-ND-4.0": "https://creativecommons.org/licenses/by-nc-nd/4.0/",
  "CC-BY-3.0": "https://creativecommons.org/licenses/by/3.0/",
  "CC-BY-SA-3.0": "https://creativecommons.org/licenses/by-sa/3.0/",
  "ODbL-1.0": "https://opendatacommons.org/licenses/odbl/1-0/",
  "ODC-By-1.0": "https://opendatacommons.org/licenses/by/1-0/",
  "PDDL-1.0": "https://opendatacommons.org/licenses/pddl/1-0/",
  "OGL-UK-3.0": "https://www.nationalarchives.gov.uk/doc/open-government-licence/version/3/",
  "etalab-2.0": "https://www.etalab.gouv.fr/licence-ouverte-open-licence/",
};
const BY_IRI = new Map(Object.entries(ISSUER_IRIS).map(([id, iri]) => [iri, id]));

/** The dataset's licence IRI and attribution: the terms of the network's own records that give none. */
export interface DatasetTerms {
  license?: string;
  attribution?: string;
}

/** The dataset terms of a configuration (`ESSFED_LICENSE`, `ESSFED_ATTRIBUTION`). */
export function datasetTerms(config: { licence?: Licence; attribution: string }): DatasetTerms {
  return { ...(config.licence ? { license: config.licence.iri } : {}), attribution: config.attribution };
}

/** Why a licence value was refused, for the configuration error. */
export class LicenceError extends EssfedError {
  constructor(message: string) {
    super("invalid-licence", message);
  }
}

/**
 * Reads a licence given as an SPDX id (any case) or an absolute http(s) IRI.
 * @throws LicenceError naming what is accepted
 */
export function parseLicence(value: string): Licence {
  const v = value.trim();
  if (/^https?:\/\//i.test(v)) {
    let url: URL;
    try {
      url = new URL(v);
    } catch {
      throw new LicenceError(`"${v}" is not a valid IRI`);
    }
    if (v.length > 500 || url.username || url.password || /[\s<>"{}|\\^`]/.test(v))
      throw new LicenceError(`"${v.slice(0, 80)}" is not a usable licence IRI`);
    const spdx =
      BY_IRI.get(url.href) ??
      (url.hostname === "spdx.org"
        ? BY_LOWER.get(
            url.pathname
              .replace(/^\/licenses\//, "")
              .replace(/\.html$/, "")
              .toLowerCase(),
          )
        : undefined);
    return spdx ? { iri: url.href, spdx, label: spdx } : { iri: url.href, label: url.href };
  }
  const id = BY_LOWER.get(v.toLowerCase());
  if (!id) {
    throw new LicenceError(
      `"${v.slice(0, 80)}" is neither an SPDX licence id (such as CC-BY-4.0, ODbL-1.0 or CC0-1.0; see https://spdx.org/licenses/) nor an http(s) IRI`,
    );
  }
  return { iri: ISSUER_IRIS[id] ?? `https://spdx.org/licenses/${id}`, spdx: id, label: id };
}

/** The value of a `Link` header naming the licence (RFC 8288, `license` is a registered relation). */
export function licenceLink(licence: Licence): string {
  return `<${licence.iri}>; rel="license"`;
}

/**
 * The licence (with a short name) and attribution a record is published under: its own, else for
 * the network's own records the dataset's; a mirror shows exactly what its owner sent.
 */
export function recordTerms(
  record: { initiative: { license?: string; attribution?: string }; provenance?: unknown },
  config: { licence?: Licence; attribution: string },
): { licence?: { iri: string; label: string }; attribution?: string } {
  const own = !record.provenance;
  const iri = record.initiative.license ?? (own ? config.licence?.iri : undefined);
  const attribution = record.initiative.attribution ?? (own ? config.attribution : undefined);
  let licence: { iri: string; label: string } | undefined;
  if (iri) {
    try {
      licence = { iri, label: parseLicence(iri).label };
    } catch {
      licence = { iri, label: iri };
    }
  }
  return { ...(licence ? { licence } : {}), ...(attribution ? { attribution } : {}) };
}
