/**
 * A building thread of index-builder.ts: creates one of the store's text and map tables (FTS5 or the R*Tree) in a
 * scratch file and fills it from the import's stage with one `INSERT … SELECT`, in change order; then says how many
 * staged rows (and which, by the sum of their change numbers) it read.
 */
import { DatabaseSync } from "node:sqlite";
import { pathToFileURL } from "node:url";
import { workerData } from "node:worker_threads";
import { DONE, FTS_BUILD_SETTINGS, TOTALS_OFFSET, type IndexBuildWorkerData } from "./index-builder.ts";
import { lowerThreadPriority } from "./thread-priority.ts";

const FILL = {
  search_fts: `INSERT INTO search_fts (rowid, name, description)
    SELECT seq, name, description FROM stage.index_stage ORDER BY seq`,
  search_geo: `INSERT INTO search_geo (seq, min_lat, max_lat, min_lon, max_lon)
    SELECT seq, lat, lat, lon, lon FROM stage.index_stage WHERE lat IS NOT NULL AND lon IS NOT NULL ORDER BY seq`,
};

const data = workerData as IndexBuildWorkerData;
// The store's connection has the longer part of the work meanwhile: it goes first when both cores are busy.
lowerThreadPriority();
const state = new Int32Array(data.shared, 0, 1);
const totals = new Float64Array(data.shared, TOTALS_OFFSET, 2);
let built = false;
let db: DatabaseSync | undefined;
try {
  db = new DatabaseSync(data.path);
  // A scratch file: nothing to recover after a crash, so no journal and no syncs.
  db.exec("PRAGMA journal_mode = OFF; PRAGMA synchronous = OFF");
  // Pages kept in memory: the R*Tree's nodes (about 55 MB at a million points), written all over as points come in
  // change order (with 16 MB a million took 14.8 s instead of about 9); FTS5 writes its segments one after another.
  db.exec(`PRAGMA cache_size = ${data.table === "search_geo" ? -65536 : -16384}`);
  // Read as immutable, without locks: the store's connection no longer writes the stage, and its write transactions
  // (BEGIN IMMEDIATE reserves every attached file) could not commit while this thread held a read lock on it.
  db.prepare("ATTACH DATABASE ? AS stage").run(`${pathToFileURL(data.stage).href}?immutable=1`);
  db.exec(data.create);
  if (data.table === "search_fts")
    for (const [k, v] of FTS_BUILD_SETTINGS) db.exec(`INSERT INTO search_fts (search_fts, rank) VALUES ('${k}', ${v})`);
  db.exec("BEGIN");
  db.exec(FILL[data.table]);
  const t = db.prepare("SELECT count(*) AS n, total(seq) AS s FROM stage.index_stage").get() as {
    n: number;
    s: number;
  };
  db.exec("COMMIT");
  totals[0] = t.n;
  totals[1] = t.s;
  built = true;
} finally {
  try {
    db?.close();
  } finally {
    // Set even when the build failed: the store's thread never waits for a thread that is gone.
    Atomics.store(state, DONE, built ? 1 : 2);
    Atomics.notify(state, DONE);
  }
}
