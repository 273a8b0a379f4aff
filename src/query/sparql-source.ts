/**
 * The dataset the SPARQL endpoint answers over, as an RDF/JS source for Comunica: every held
 * initiative (own and mirrored) as `initiativeToQuads` gives it, plus the shipped vocabularies.
 * Nothing is materialised: a triple pattern is answered from the record it names, from the name
 * index when it asks for a name, from the search index when it asks for a taxonomy value, and
 * otherwise by streaming through the store a page at a time — stopping as soon as the query is
 * cancelled or out of time.
 */
import { Readable } from "node:stream";
import {
  DataFactory,
  Store as N3Store,
  type Quad,
  type Quad_Graph,
  type Quad_Object,
  type Quad_Subject,
  type Term,
} from "n3";
import type { Iris } from "../directory/ids.ts";
import type { Taxonomies } from "../domain/taxonomy.ts";
import { initiativeToQuads } from "../linkeddata/initiative-rdf.ts";
import { linksetHeader, linksetIri, pairQuads } from "../linkeddata/linkset.ts";
import { AS, ESS, GEO, GR, RDF, XSD } from "../linkeddata/namespaces.ts";
import { vocabularyQuads } from "../linkeddata/vocabulary.ts";
import type { Store, StoredInitiative } from "../store/store.ts";
import type { FacetName, SearchFilter } from "../store/search.ts";
import { shapeTriples } from "./sparql-columns.ts";
import { keyedRecords, lookupKeyOf, type Keyed } from "./sparql-keyed.ts";
import { prefixed } from "./sparql-prefix.ts";

/** Which facet answers "?s <predicate> <concept>". */
export const FACET_OF: Record<string, FacetName> = {
  [ESS.organisationalStructure]: "structure",
  [ESS.primarySector]: "activity",
  [ESS.economicSector]: "activity",
  [ESS.baseMembershipType]: "membership",
  [ESS.qualifier]: "qualifier",
  [ESS.country_id]: "country",
};
const PAGE = 500;
/** Rows of plain columns are small: more of them a page. */
const COLUMN_PAGE = 5000;
/** Predicates whose every triple the plain columns make, when asked of every record. */
const COLUMN_PREDICATES = new Set([GR.name, AS.name, GEO.lat, GEO.long]);

export interface SourceLimits {
  /** The query must be answered by then (epoch ms); streams end early after it. */
  deadline: number;
  /** Set when the query is abandoned (client gone, result cap reached). */
  signal: AbortSignal;
}

/**
 * Aggregates over every record (counts, counts by a value), by store and name, kept while the
 * store's change stamp stays the same: a count(*) or a GROUP BY is a scan, and the stamp is read
 * from memory (PostgreSQL) or one pragma (SQLite).
 */
const kept = new WeakMap<Store, Map<string, { stamp: string; value: unknown }>>();
export async function keptWhileUnchanged<T>(store: Store, name: string, compute: () => Promise<T>): Promise<T> {
  const stamp = await store.changeStamp();
  let byName = kept.get(store);
  if (!byName) kept.set(store, (byName = new Map<string, { stamp: string; value: unknown }>()));
  const known = byName.get(name);
  if (known?.stamp === stamp) return known.value as T;
  const value = await compute();
  byName.set(name, { stamp, value });
  return value;
}

/** How many records are held, kept while nothing changes. */
export const totalOf = (store: Store): Promise<number> =>
  keptWhileUnchanged(store, "total", () => store.countInitiatives());

export class InitiativeSource {
  readonly #store: Store;
  readonly #taxonomies: Taxonomies;
  readonly #iris: Iris;
  readonly #limits: SourceLimits;
  readonly #vocab: N3Store;
  readonly #namePrefix: string | undefined;
  readonly #keyed: Keyed | "none" | undefined;
  readonly #columns: boolean;

  /**
   * `narrow.namePrefix`: the query's FILTER keeps only solutions of records whose name starts with
   * it (`sparql-prefix.ts`), so records are read from the name index under it, and those with
   * translations. `narrow.keyed`: the query's FILTER keeps only solutions of records holding that
   * lookup key (`sparql-keyed.ts`), so only they are read. `narrow.columns`: patterns the plain
   * columns answer read them (`#fromColumns`).
   */
  constructor(
    store: Store,
    taxonomies: Taxonomies,
    iris: Iris,
    limits: SourceLimits,
    vocab: N3Store,
    narrow: { namePrefix?: string | undefined; keyed?: Keyed | "none" | undefined; columns?: boolean } = {},
  ) {
    this.#store = store;
    this.#taxonomies = taxonomies;
    this.#iris = iris;
    this.#limits = limits;
    this.#vocab = vocab;
    this.#namePrefix = narrow.namePrefix;
    this.#keyed = narrow.keyed;
    this.#columns = narrow.columns ?? false;
  }

  /** All vocabulary quads in one store (shared by every query). */
  static vocabulary(): N3Store {
    return new N3Store([...vocabularyQuads().values()].flat());
  }

  #quadsOf(r: StoredInitiative): Quad[] {
    return initiativeToQuads(r, this.#taxonomies, r.provenance?.origin ?? this.#iris.actor);
  }

  /** RDF/JS `match`: a stream of the quads that fit the pattern (variables are undefined). */
  match(s?: Term | null, p?: Term | null, o?: Term | null, g?: Term | null): Readable {
    const fits = (q: Quad) =>
      (!s || q.subject.equals(s)) && (!p || q.predicate.equals(p)) && (!o || q.object.equals(o));
    // Everything lives in the default graph, but for this network's sameAs linkset, which is also
    // in a named graph of its own (issue 16).
    const linkset = linksetIri(this.#iris.base);
    const onlyLinkset = g?.termType === "NamedNode" && g.value === linkset;
    if (g && g.termType !== "DefaultGraph" && g.termType !== "Variable" && !onlyLinkset) return Readable.from([]);
    const linksetGraph =
      g?.termType === "Variable" || onlyLinkset ? DataFactory.namedNode(linkset) : DataFactory.defaultGraph();
    // A cancelled or late query just ends its streams: an error here would reach Comunica's
    // iterators after the query was abandoned, with nobody listening.
    const generate = async function* (this: InitiativeSource): AsyncGenerator<Quad> {
      let n = 0;
      for await (const quads of this.#linkset(linkset, linksetGraph, s)) for (const q of quads) if (fits(q)) yield q;
      if (onlyLinkset) return;
      for (const q of this.#vocab.match(s ?? null, p ?? null, o ?? null)) {
        if (++n % 1000 === 0 && this.#stopped()) return;
        yield q as Quad;
      }
      if (this.#fromColumns(s, p, o)) {
        for await (const quads of this.#columnQuads(p as Term)) for (const q of quads) if (fits(q)) yield q;
        return;
      }
      for await (const records of this.#candidates(s, p, o)) {
        for (const r of records) for (const q of this.#quadsOf(r)) if (fits(q)) yield q;
      }
    };
    return Readable.from(generate.call(this), { objectMode: true });
  }

  /** The linkset's quads, a page of confirmed pairs at a time (only the subject's pairs when it is a record). */
  async *#linkset(linkset: string, graph: Quad_Graph, s?: Term | null): AsyncGenerator<Quad[]> {
    if (!s || s.termType === "Variable" || s.value === linkset) yield linksetHeader(linkset, this.#iris.actor, graph);
    if (s?.termType === "NamedNode" && !s.value.startsWith(`${linkset}#`)) {
      if (s.value === linkset) return;
      const page = await this.#store.duplicates.listPairs({ id: s.value, state: "confirmed", limit: 1000 });
      yield page.items.flatMap((p) => pairQuads(linkset, this.#iris.actor, p, graph));
      return;
    }
    if (s && s.termType !== "Variable" && s.termType !== "NamedNode") return;
    let cursor: string | undefined;
    do {
      if (this.#stopped()) return;
      const page = await this.#store.duplicates.confirmedPairs(1000, cursor);
      yield page.items.flatMap((p) => pairQuads(linkset, this.#iris.actor, p, graph));
      cursor = page.next;
    } while (cursor);
  }

  /** A cheap estimate of how many quads fit (Comunica plans joins with it). */
  async countQuads(s?: Term | null, p?: Term | null, o?: Term | null): Promise<number> {
    const vocab = this.#vocab.countQuads(s ?? null, p ?? null, o ?? null, null);
    if (s?.termType === "NamedNode") return vocab + 30;
    const total = await totalOf(this.#store);
    if (p?.termType === "NamedNode" && o && o.termType !== "Variable") {
      const facet = FACET_OF[p.value];
      if (facet && o.termType === "NamedNode")
        return vocab + (await this.#store.search.count({ facets: { [facet]: [o.value] } }));
      if (p.value === RDF.type) return vocab + (o.value === ESS.SSEInitiative || o.value === AS.Page ? total : 0);
      if (o.termType === "Literal" || lookupKeyOf(p.value, o)) return vocab + 10;
    }
    return vocab + total * (p ? 1 : 40);
  }

  /** The records that can hold quads fitting the pattern, a page at a time. */
  async *#candidates(s?: Term | null, p?: Term | null, o?: Term | null): AsyncGenerator<StoredInitiative[]> {
    if (s?.termType === "NamedNode") {
      // The record itself, or the one whose #Address, #Email… node this is.
      const r = await this.#store.getInitiative(s.value.split("#")[0]!);
      if (r) yield [r];
      return;
    }
    if (s && s.termType !== "Variable") return;
    let filter: SearchFilter | undefined;
    if (p?.termType === "NamedNode" && o?.termType === "NamedNode" && FACET_OF[p.value]) {
      filter = { facets: { [FACET_OF[p.value]!]: [o.value] } };
    } else if (
      p?.termType === "NamedNode" &&
      o?.termType === "Literal" &&
      // A record's own name is its one untagged name; translations' names are tagged literals.
      !o.language &&
      (p.value === GR.name || p.value === AS.name)
    ) {
      // Names are plain strings: a literal of another datatype is no record's name.
      if (o.datatype.value === XSD.string) yield* this.#named(o.value);
      return;
    }
    if (p?.termType === "NamedNode" && o) {
      // A postcode, a registration's identifier or a company: the records holding it (ADR 42).
      const key = lookupKeyOf(p.value, o);
      if (key) {
        yield* keyedRecords(this.#store, key, () => this.#stopped());
        return;
      }
    }
    if (this.#keyed) {
      yield* keyedRecords(this.#store, this.#keyed, () => this.#stopped());
      return;
    }
    if (this.#namePrefix) {
      yield* prefixed(this.#store, this.#namePrefix, () => this.#stopped());
      return;
    }
    if (filter) {
      let cursor: string | undefined;
      do {
        if (this.#stopped()) return;
        const page = await this.#store.search.search(filter, PAGE, cursor);
        yield page.items;
        cursor = page.next;
      } while (cursor);
      return;
    }
    let cursor: string | undefined;
    do {
      if (this.#stopped()) return;
      const page = await this.#store.listInitiatives({ limit: PAGE, ...(cursor ? { cursor } : {}) });
      yield page.items;
      cursor = page.next;
    } while (cursor);
  }

  /**
   * True when the plain columns (ADR 30) hold every triple of the pattern: every record's names,
   * coordinates or its type as an initiative, asked of every record (a FILTER on the name that no
   * index narrows, `CONTAINS(LCASE(?n), "…")`, then reads the columns instead of every record's JSON).
   */
  #fromColumns(s?: Term | null, p?: Term | null, o?: Term | null): boolean {
    if (
      !this.#columns ||
      this.#namePrefix ||
      this.#keyed ||
      (s && s.termType !== "Variable") ||
      p?.termType !== "NamedNode"
    )
      return false;
    if (p.value === RDF.type) return o?.termType === "NamedNode" && o.value === ESS.SSEInitiative;
    return (!o || o.termType === "Variable") && COLUMN_PREDICATES.has(p.value);
  }

  /**
   * The triples of one predicate of every record, from the plain columns (`shapeTriples`, the ones
   * `initiativeToQuads` makes), records with translations from their JSON as before.
   */
  async *#columnQuads(p: Term): AsyncGenerator<Quad[]> {
    const predicates = new Set([p.value]);
    const predicate = DataFactory.namedNode(p.value);
    let cursor: string | undefined;
    do {
      if (this.#stopped()) return;
      const page = await this.#store.listShapes(cursor ? { limit: COLUMN_PAGE, cursor } : { limit: PAGE });
      const out: Quad[] = [];
      for (const r of page.items) {
        if (r.translated) out.push(...this.#quadsOf(r.translated));
        else
          for (const byPredicate of shapeTriples(r, predicates).values())
            for (const h of byPredicate.get(p.value) ?? [])
              out.push(DataFactory.quad(h.subject as Quad_Subject, predicate, h.object as Quad_Object));
      }
      yield out;
      cursor = page.next;
    } while (cursor);
  }

  /** The records whose own name is exactly `name`, from the store's name index (ADR 36). */
  async *#named(name: string): AsyncGenerator<StoredInitiative[]> {
    let cursor: string | undefined;
    do {
      if (this.#stopped()) return;
      const page = await this.#store.listNamed(name, { limit: PAGE, ...(cursor ? { cursor } : {}) });
      yield page.items;
      cursor = page.next;
    } while (cursor);
  }

  #stopped(): boolean {
    return this.#limits.signal.aborted || Date.now() > this.#limits.deadline;
  }
}
