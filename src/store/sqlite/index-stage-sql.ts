/**
 * The SQL of a bulk import's stage (index-stage.sqlite.ts): its tables, and the statements that build the index tables
 * from it, one range of change numbers at a time.
 */

export const tables = (schema: string) => `
  CREATE TABLE ${schema}.index_stage (seq INTEGER PRIMARY KEY, id TEXT NOT NULL, created INTEGER NOT NULL,
    name TEXT NOT NULL, updated INTEGER NOT NULL, lat REAL, lon REAL, description TEXT NOT NULL, vids TEXT)
    STRICT;
  CREATE TABLE ${schema}.index_stage_batch (upto INTEGER PRIMARY KEY) STRICT;
  CREATE TABLE ${schema}.index_stage_count (upto INTEGER NOT NULL, name TEXT NOT NULL, value TEXT NOT NULL,
    n INTEGER NOT NULL) STRICT;
  CREATE TABLE ${schema}.index_stage_cell (upto INTEGER NOT NULL, lat_idx INTEGER NOT NULL, lon_idx INTEGER NOT NULL,
    n INTEGER NOT NULL) STRICT;`;
export const DROP = `DROP TABLE IF EXISTS temp.index_stage; DROP TABLE IF EXISTS temp.index_stage_batch;
  DROP TABLE IF EXISTS temp.index_stage_count; DROP TABLE IF EXISTS temp.index_stage_cell;`;
/** The stage's schema: temporary tables of the store's connection, or a scratch file attached to it (ADR 49). */
export type Schema = "temp" | "stage";

/** One range (from, to] of staged rows into the text and map tables, unless a thread of its own builds them. */
export const textAndMap = (schema: Schema) => [
  `INSERT INTO search_fts (rowid, name, description)
    SELECT seq, name, description FROM ${schema}.index_stage WHERE seq > ?1 AND seq <= ?2 ORDER BY seq`,
  `INSERT INTO search_geo (seq, min_lat, max_lat, min_lon, max_lon)
    SELECT seq, lat, lat, lon, lon FROM ${schema}.index_stage
    WHERE seq > ?1 AND seq <= ?2 AND lat IS NOT NULL AND lon IS NOT NULL ORDER BY seq`,
];
/** One range (from, to] of staged rows into the other index tables, in key order. */
export const theRest = (schema: Schema) => [
  `INSERT INTO search (seq, id, name, updated, lat, lon)
    SELECT seq, id, name, updated, lat, lon FROM ${schema}.index_stage WHERE seq > ?1 AND seq <= ?2 ORDER BY seq`,
  // In change order, not sorted by value first: each value's rows grow at the end of its run, a few hundred pages the
  // cache holds, and the sort cost 2 of the 5 s this took at a million records (docs/benchmarks.md, ninth round).
  `INSERT INTO facet (vid, seq)
    SELECT f.value, s.seq FROM ${schema}.index_stage s, json_each(s.vids) f
    WHERE s.seq > ?1 AND s.seq <= ?2 AND s.vids IS NOT NULL`,
  `INSERT INTO facet_list (seq, list)
    SELECT seq, vids FROM ${schema}.index_stage WHERE seq > ?1 AND seq <= ?2 AND vids IS NOT NULL ORDER BY seq`,
  `INSERT INTO facet_count (name, value, n)
    SELECT name, value, sum(n) FROM ${schema}.index_stage_count WHERE upto > ?1 AND upto <= ?2 GROUP BY name, value
    ON CONFLICT DO UPDATE SET n = n + excluded.n`,
  `INSERT INTO geo_cell (lat_idx, lon_idx, n)
    SELECT lat_idx, lon_idx, sum(n) FROM ${schema}.index_stage_cell WHERE upto > ?1 AND upto <= ?2
    GROUP BY lat_idx, lon_idx ON CONFLICT DO UPDATE SET n = n + excluded.n`,
];
