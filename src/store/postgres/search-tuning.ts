/** Thresholds by which PostgreSQL search chooses access paths and bounds aggregates (ADR 6, ADR 8). */

/** How queries choose their access path (see PostgresSearchIndex.search); tests shrink them. */
export interface SearchTuning {
  /** Change numbers walked from the top before the indexes take over (at most ~25 ms of row tests at 1M). */
  window: number;
  /** At most this many points around a box: the box's index drives a page, other conditions tested per row. */
  geoDriven: number;
  /** The same for map clusters, which need every match: reading the box's rows beats a common word's index. */
  geoClusters: number;
  /** Beyond that box, clusters are exact up to this many expected matches… */
  clusterExactMax: number;
  /** …and otherwise counted on a sample of about this many rows. */
  clusterSampleRows: number;
  /** Walk the window first when it is expected to hold this many pages of matches (0: always). */
  pageShare: number;
  /** At most this many: the box's index drives what the window could not find. */
  geoFallback: number;
  /** Facet counts are exact when at most this many records may match… */
  exactMax: number;
  /** …and otherwise estimated from a sample of about this many rows. */
  sampleRows: number;
}
export const TUNING: SearchTuning = {
  window: 100_000,
  geoDriven: 5_000,
  geoClusters: 60_000,
  clusterExactMax: 20_000,
  clusterSampleRows: 20_000,
  pageShare: 2,
  geoFallback: 50_000,
  exactMax: 3_000,
  sampleRows: 15_000,
};
