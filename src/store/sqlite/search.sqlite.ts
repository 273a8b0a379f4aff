/**
 * Search on SQLite: FTS5 for words, an R*Tree for places, a facet table, all keyed by change
 * number so that results come newest change first without sorting. Each query starts from the
 * most selective index it can (estimated from FTS5's vocabulary, facet counts and 1° cell counts)
 * and checks the other conditions row by row.
 */
import type { InitiativeRecord } from "../../domain/initiative.ts";
import {
  FACET_NAMES,
  distanceKm,
  emptyFacetCounts,
  exactSummary,
  isUnfiltered,
  locationBox,
  type Cluster,
  type ClusterSummary,
  type FacetName,
  type FacetSummary,
  type SearchFilter,
  type SearchIndex,
} from "../search.ts";
import type { Page, StoredInitiative } from "../store.ts";
import type { SqliteDatabase } from "./database.ts";
import { clustersOfWordsInBox } from "./clusters.sqlite.ts";
import {
  NOT_HIDDEN,
  anyHidden,
  facetCountsLessHidden,
  worldClustersLessHidden,
  hiddenCount,
  withoutHidden,
} from "./collapse.sqlite.ts";
import { catchUp } from "./indexer.sqlite.ts";
import { FacetMemo } from "./facets.sqlite.ts";
import { WordLists } from "./word-lists.ts";

/** Above this many candidates, an unordered (R*Tree) start would mean sorting too much. */
const GEO_DRIVER_MAX = 20_000;

type Driver = "text" | "facet" | "geo" | "scan";
interface Plan {
  sql: string;
  params: (string | number)[];
  ordered: boolean;
}

/** `"word"*` for each word: every word must occur, as a word or the start of one. */
export function ftsQuery(words: string[], whole = false): string {
  return words.map((w) => `"${w.replace(/"/g, "")}"${whole ? "" : "*"}`).join(" ");
}

export class SqliteSearchIndex implements SearchIndex {
  readonly #db: SqliteDatabase;
  /** Facet values in memory for fast counts (loaded on the first filtered count). */
  readonly memo: FacetMemo;
  constructor(db: SqliteDatabase) {
    this.#db = db;
    this.memo = new FacetMemo(db);
    // Great-circle distance for `near` (km), evaluated only on rows inside the circle's box.
    db.defineFunction("dist_km", (lat1, lon1, lat2, lon2) => distanceKm(lat1, lon1, lat2, lon2));
  }

  async catchUp(): Promise<void> {
    catchUp(this.#db, this.memo);
  }

  /** Documents per word, for estimates only: kept until the index has moved on by 5 % of its changes. */
  readonly #wordCounts = new Map<string, number>();
  readonly #lists = new WordLists();
  #wordCountsAt = -1;

  /**
   * How many records have a word (whole, or as a prefix: a range of the vocabulary). FTS5 counts
   * a term's documents by reading its whole doclist (35 ms for "co" in every record of a million),
   * so the figures are kept while the index stays about the same size.
   */
  #wordCount(word: string, whole: boolean): number {
    // The change number the index has reached: it moves with every indexed change.
    const at = (this.#db.prepare("SELECT value FROM meta WHERE key = 'indexed_seq'").get() as { value: number }).value;
    if (
      at - this.#wordCountsAt > Math.max(100, this.#wordCountsAt * 0.05) ||
      at < this.#wordCountsAt ||
      this.#wordCounts.size > 10_000
    ) {
      this.#wordCounts.clear();
      this.#wordCountsAt = at;
    }
    const key = whole ? word : `${word}*`;
    let n = this.#wordCounts.get(key);
    if (n === undefined) {
      const row = (
        whole
          ? this.#db.prepare("SELECT coalesce(sum(doc), 0) AS n FROM search_vocab WHERE term = ?").get(word)
          : this.#db
              .prepare("SELECT coalesce(sum(doc), 0) AS n FROM search_vocab WHERE term >= ? AND term < ?")
              .get(word, word + "\uffff")
      ) as { n: number };
      n = row.n;
      this.#wordCounts.set(key, n);
    }
    return n;
  }

  /** How many rows each possible starting index would give (upper bounds). */
  #estimates(f: SearchFilter): Partial<Record<Driver, number>> {
    const e: Partial<Record<Driver, number>> = {};
    if (f.words?.length) e.text = Math.min(...f.words.map((w) => this.#wordCount(w, f.wholeWords ?? false)));
    for (const [name, values] of Object.entries(f.facets)) {
      if (values?.length) e.facet = Math.min(e.facet ?? Infinity, this.#facetCount(name, values));
    }
    const box = locationBox(f);
    if (box) {
      e.geo = (
        this.#db
          .prepare(
            `SELECT coalesce(sum(n), 0) AS n FROM geo_cell WHERE lat_idx BETWEEN ? AND ? AND lon_idx BETWEEN ? AND ?`,
          )
          .get(
            Math.floor(box.minLat + 90),
            Math.floor(box.maxLat + 90),
            Math.floor(box.minLon + 180),
            Math.floor(box.maxLon + 180),
          ) as { n: number }
      ).n;
    }
    return e;
  }

  /** How many records have any of the values of a facet. */
  #facetCount(name: string, values: string[]): number {
    const get = this.#db.prepare("SELECT n FROM facet_count WHERE name = ? AND value = ?");
    return values.reduce((sum, v) => sum + ((get.get(name, v) as { n: number } | undefined)?.n ?? 0), 0);
  }

  /**
   * The numbers that stand for a facet's values in the facet rows (migration 18); a value no record ever had has none,
   * and -1 (no value's number) keeps the list from being empty.
   */
  #facetIds(name: string, values: string[]): number[] {
    const get = this.#db.prepare("SELECT id FROM facet_value WHERE name = ? AND value = ?");
    const ids = values.flatMap((v) => (get.get(name, v) as { id: number } | undefined)?.id ?? []);
    return ids.length ? ids : [-1];
  }

  /** The query for a filter: the start with the fewest candidates, then every other condition. */
  #plan(f: SearchFilter, columns: string, before?: number): Plan {
    const est = this.#estimates(f);
    const ordered = (["text", "facet"] as const).filter((d) => est[d] !== undefined).sort((a, b) => est[a]! - est[b]!);
    let driver: Driver = ordered[0] ?? "scan";
    if (est.geo !== undefined && est.geo <= GEO_DRIVER_MAX && est.geo < (est[driver as "text" | "facet"] ?? Infinity))
      driver = "geo";
    const params: (string | number)[] = [];
    const where: string[] = [];
    let from = "search s";
    let order = "s.seq DESC";
    // The facet that starts the query (the most selective one).
    let drivingFacet: FacetName | undefined;
    if (driver === "text") {
      from = "search_fts JOIN search s ON s.seq = search_fts.rowid";
      where.push("search_fts MATCH ?");
      params.push(ftsQuery(f.words!, f.wholeWords));
      order = "search_fts.rowid DESC";
      if (before !== undefined) {
        where.push("search_fts.rowid < ?");
        params.push(before);
      }
    } else if (driver === "facet") {
      drivingFacet = (Object.entries(f.facets).filter(([, v]) => v?.length) as [FacetName, string[]][])
        .map(([name, values]) => [name, this.#facetCount(name, values)] as const)
        .sort((a, b) => a[1] - b[1])[0]![0];
      const ids = this.#facetIds(drivingFacet, f.facets[drivingFacet]!);
      from = "facet d JOIN search s ON s.seq = d.seq";
      where.push(`d.vid IN (${ids.map(() => "?").join(",")})`);
      params.push(...ids);
      order = "d.seq DESC";
      if (before !== undefined) {
        where.push("d.seq < ?");
        params.push(before);
      }
    } else if (driver === "geo") {
      const b = locationBox(f)!;
      from = "search_geo g JOIN search s ON s.seq = g.seq";
      where.push("g.min_lat >= ? AND g.max_lat <= ? AND g.min_lon >= ? AND g.max_lon <= ?");
      params.push(b.minLat, b.maxLat, b.minLon, b.maxLon);
      if (before !== undefined) {
        where.push("s.seq < ?");
        params.push(before);
      }
    } else if (before !== undefined) {
      where.push("s.seq < ?");
      params.push(before);
    }
    if (f.words?.length && driver !== "text") {
      // Evaluated once into a temporary index of matching rows, then looked up per row (FTS5 would
      // re-run the whole match for every row if asked for one rowid at a time).
      where.push("s.seq IN (SELECT rowid FROM search_fts WHERE search_fts MATCH ?)");
      params.push(ftsQuery(f.words, f.wholeWords));
    }
    for (const name of FACET_NAMES) {
      const values = f.facets[name];
      if (!values?.length || name === drivingFacet) continue;
      const ids = this.#facetIds(name, values);
      where.push(`EXISTS (SELECT 1 FROM facet x WHERE x.vid IN (${ids.map(() => "?").join(",")}) AND x.seq = s.seq)`);
      params.push(...ids);
    }
    const box = locationBox(f);
    if (box && driver !== "geo") {
      where.push("s.lat BETWEEN ? AND ? AND s.lon BETWEEN ? AND ?");
      params.push(box.minLat, box.maxLat, box.minLon, box.maxLon);
    }
    if (f.near) {
      where.push("dist_km(s.lat, s.lon, ?, ?) <= ?");
      params.push(f.near.lat, f.near.lon, f.near.radiusKm);
    }
    if (f.updatedSince !== undefined) {
      where.push("s.updated >= ?");
      params.push(f.updatedSince);
    }
    if (f.located !== undefined) where.push(f.located ? "s.lat IS NOT NULL" : "s.lat IS NULL");
    if (this.#collapsing(f)) where.push(NOT_HIDDEN);
    return {
      sql: `SELECT ${columns} FROM ${from}${where.length ? ` WHERE ${where.join(" AND ")}` : ""} ORDER BY ${order}`,
      params,
      ordered: driver !== "geo",
    };
  }

  /** Whether this filter collapses duplicates and there are listings to leave out. */
  #collapsing(f: SearchFilter): boolean {
    return f.collapse === true && anyHidden(this.#db);
  }

  async search(f: SearchFilter, limit: number, cursor?: string): Promise<Page<StoredInitiative>> {
    await this.catchUp();
    const plan = this.#plan(f, "s.seq AS seq", cursor === undefined ? undefined : Number(cursor));
    const seqs = (this.#db.prepare(`${plan.sql} LIMIT ?`).all(...plan.params, limit + 1) as { seq: number }[]).map(
      (r) => r.seq,
    );
    const page = seqs.slice(0, limit);
    const get = this.#db.prepare("SELECT seq, record, signed FROM initiative WHERE seq = ?");
    const items = page
      .map((seq) => get.get(seq) as { seq: number; record: string; signed: string | null } | undefined)
      .filter((r) => r !== undefined)
      .map((r) => ({
        ...(JSON.parse(r.record) as InitiativeRecord),
        seq: r.seq,
        ...(r.signed ? { signed: r.signed } : {}),
      }));
    return seqs.length > limit ? { items, next: String(page[page.length - 1]) } : { items };
  }

  async count(f: SearchFilter): Promise<number> {
    await this.catchUp();
    if (isUnfiltered(f))
      return (
        (this.#db.prepare("SELECT count(*) AS n FROM search").get() as { n: number }).n -
        (this.#collapsing(f) ? hiddenCount(this.#db) : 0)
      );
    const plan = this.#plan(f, "s.seq");
    return (this.#db.prepare(`SELECT count(*) AS n FROM (${plan.sql})`).get(...plan.params) as { n: number }).n;
  }

  async facets(f: SearchFilter): Promise<FacetSummary> {
    await this.catchUp();
    if (isUnfiltered(f) && this.#collapsing(f)) return exactSummary(facetCountsLessHidden(this.#db));
    if (isUnfiltered(f)) {
      const out = emptyFacetCounts();
      for (const r of this.#db
        .prepare("SELECT name, value, n FROM facet_count WHERE n > 0 ORDER BY n DESC, value")
        .all() as { name: FacetName; value: string; n: number }[]) {
        out[r.name]?.push({ value: r.value, count: r.n });
      }
      return exactSummary(out);
    }
    // The matching change numbers as one string (156,000 rows as objects cost 5x more), from
    // FTS5 directly for words alone, otherwise from the query plan; counted in the memo.
    if (isUnfiltered(f, "words")) return exactSummary(this.memo.countList(this.#wordMatches(f)));
    const plan = this.#plan(f, "s.seq AS seq");
    const { list } = this.#db.prepare(`SELECT group_concat(seq) AS list FROM (${plan.sql})`).get(...plan.params) as {
      list: string | null;
    };
    return exactSummary(this.memo.countList(list ?? ""));
  }

  /**
   * The change numbers of the records with the filter's words, as one comma-separated list (kept per query, see
   * WordLists).
   */
  #wordMatches(f: SearchFilter): string {
    const list = this.#allWordMatches(f);
    return this.#collapsing(f) ? withoutHidden(this.#db, list) : list;
  }

  #allWordMatches(f: SearchFilter): string {
    const query = ftsQuery(f.words!, f.wholeWords);
    const read = this.#db.prepare(
      "SELECT group_concat(rowid) AS list FROM search_fts WHERE search_fts MATCH ? AND rowid > ? AND rowid <= ?",
    );
    return this.#lists.get(
      query,
      this.memo.sync(),
      (after, at) => (read.get(query, after, at) as { list: string | null }).list ?? "",
    );
  }

  async clusters(f: SearchFilter, cell: number, limit: number): Promise<ClusterSummary> {
    return { clusters: await this.#clusters(f, cell, limit), approximate: false };
  }

  async #clusters(f: SearchFilter, cell: number, limit: number): Promise<Cluster[]> {
    await this.catchUp();
    if (cell >= 1 && isUnfiltered(f, "bbox")) {
      // A whole-world view of everything: the 1° cell counts already hold the answer.
      const b = f.bbox ?? { minLat: -90, maxLat: 90, minLon: -180, maxLon: 180 };
      if (this.#collapsing(f)) return worldClustersLessHidden(this.#db, b, cell, limit);
      return (
        this.#db
          .prepare(
            `SELECT sum(n) AS n, sum(n * (lat_idx - 89.5)) / sum(n) AS lat, sum(n * (lon_idx - 179.5)) / sum(n) AS lon
          FROM geo_cell WHERE n > 0 AND lat_idx BETWEEN ? AND ? AND lon_idx BETWEEN ? AND ?
          GROUP BY CAST(floor((lat_idx - 90) / ?) AS INTEGER), CAST(floor((lon_idx - 180) / ?) AS INTEGER)
          ORDER BY n DESC LIMIT ?`,
          )
          .all(
            Math.floor(b.minLat + 90),
            Math.floor(b.maxLat + 90),
            Math.floor(b.minLon + 180),
            Math.floor(b.maxLon + 180),
            cell,
            cell,
            limit,
          ) as { n: number; lat: number; lon: number }[]
      ).map((r) => ({ lat: r.lat, lon: r.lon, count: r.n }));
    }
    if (f.words?.length && f.bbox && isUnfiltered(f, "words", "bbox"))
      return clustersOfWordsInBox(this.#db, this.memo, this.#wordMatches(f), f.bbox, cell, limit);
    const plan = this.#plan(f, "s.seq AS seq, s.id AS id, s.name AS name, s.lat AS lat, s.lon AS lon");
    const grouped =
      cell > 0
        ? `SELECT CAST(floor(lat / ${cell}) AS INTEGER) AS a, CAST(floor(lon / ${cell}) AS INTEGER) AS b,
        count(*) AS n, avg(lat) AS lat, avg(lon) AS lon, min(id) AS id, min(name) AS name
         FROM (${plan.sql}) WHERE lat IS NOT NULL GROUP BY a, b ORDER BY n DESC LIMIT ?`
        : `SELECT 1 AS n, lat, lon, id, name FROM (${plan.sql}) WHERE lat IS NOT NULL LIMIT ?`;
    return (
      this.#db.prepare(grouped).all(...plan.params, limit) as {
        n: number;
        lat: number;
        lon: number;
        id: string;
        name: string;
      }[]
    ).map((r) =>
      r.n === 1 ? { lat: r.lat, lon: r.lon, count: 1, id: r.id, name: r.name } : { lat: r.lat, lon: r.lon, count: r.n },
    );
  }
}
