/**
 * The checkpointing thread of checkpointer.ts: after each commit of the writing thread, copies the
 * log into the database file with a PASSIVE checkpoint (which neither waits for nor blocks the
 * writer), and tells the writing thread how far it got and whether the log is long.
 */
import { DatabaseSync } from "node:sqlite";
import { parentPort, workerData } from "node:worker_threads";
import { Slot, type CheckpointWorkerData } from "./checkpointer.ts";

const data = workerData as CheckpointWorkerData;
const s = new Int32Array(data.shared);
let db: DatabaseSync | undefined;
try {
  db = new DatabaseSync(data.path);
  // As the store's own connections: a checkpoint syncs the log before copying it and the file after.
  db.exec("PRAGMA synchronous = NORMAL");
  const pageSize = (db.prepare("PRAGMA page_size").get() as { page_size: number }).page_size;
  const checkpoint = db.prepare("PRAGMA wal_checkpoint(PASSIVE)");
  let seen = 0;
  parentPort!.postMessage("ready");
  while (!Atomics.load(s, Slot.Stop)) {
    const commits = Atomics.load(s, Slot.Commits);
    if (commits !== seen) {
      const r = checkpoint.get() as { busy: number; log: number; checkpointed: number };
      // Everything the log held when the count was read is in the file now (unless another
      // checkpoint held the lock, or a reader kept frames: then again at the next commit).
      if (r.busy === 0 && r.checkpointed === r.log) {
        seen = commits;
        Atomics.store(s, Slot.Copied, commits);
        Atomics.notify(s, Slot.Copied);
      }
      if (r.log * pageSize >= data.restartBytes) Atomics.store(s, Slot.Long, 1);
    }
    // Until the next commit; a look now and then in case a copy was held up.
    Atomics.wait(s, Slot.Commits, commits, commits !== seen ? 50 : 1000);
  }
  // The bulk write has ended: what it wrote last goes into the file now rather than at the next checkpoint.
  if (Atomics.load(s, Slot.Commits) !== seen) checkpoint.get();
} finally {
  // Set even when the file could not be opened: the writing thread never waits for a thread that is gone.
  try {
    db?.close();
  } finally {
    Atomics.store(s, Slot.Done, 1);
    Atomics.notify(s, Slot.Done);
  }
}
