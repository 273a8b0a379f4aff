/**
 * Checkpoints a bulk write's write-ahead log from a thread of its own (ADR 48), so that copying the
 * log into the database file and syncing it no longer stop the writing thread: with SQLite's
 * automatic checkpoint every 64 MB of log, a million-row import took 7–9 s longer than with no
 * checkpoint until its end (docs/benchmarks.md, tenth round).
 *
 * The thread (checkpoint-worker.ts) runs a PASSIVE checkpoint after each commit the writing
 * connection reports. A passive checkpoint never takes the write lock, so the log would grow
 * without end: SQLite starts the log over only when a write transaction begins with every frame
 * copied, and the writing thread begins its next transaction at once. So when the log has passed
 * {@link CheckpointerOptions.restartBytes}, the writing thread waits after its next commit until
 * the thread has copied that commit too; its next transaction then writes from the log's start.
 * That wait is the copy of one commit's pages, not of the whole log.
 */
import { Worker } from "node:worker_threads";

/** Slots of the shared array both threads read and write. */
export const Slot = {
  /** Set by the writing thread: the checkpointing thread ends. */
  Stop: 0,
  /** Commits reported by the writing thread. */
  Commits: 1,
  /** The number of commits whose frames have all been copied into the database file. */
  Copied: 2,
  /** Set by the checkpointing thread: the log is longer than the restart size. */
  Long: 3,
  /** Set by the checkpointing thread once it has closed its connection. */
  Done: 4,
} as const;

export interface CheckpointerOptions {
  /** Log size from which the writing thread waits for a commit's copy so the log starts over. */
  restartBytes: number;
  /** How long the writing thread waits for that, at most; it then goes on (the log grows meanwhile). */
  waitMs: number;
}

/** What the checkpointing thread is given. */
export interface CheckpointWorkerData {
  path: string;
  shared: SharedArrayBuffer;
  restartBytes: number;
}

export class Checkpointer {
  readonly #state: Int32Array;
  readonly #waitMs: number;
  /** Resolves once the thread has opened its connection (tests wait for it; the writer need not). */
  readonly ready: Promise<void>;
  /** After a wait that ran out, commits go by without waiting until this many were reported. */
  #calmUntil = 0;

  private constructor(state: Int32Array, waitMs: number, ready: Promise<void>) {
    this.#state = state;
    this.#waitMs = waitMs;
    this.ready = ready;
  }

  /** Starts the thread on the database file at `path` (which a connection of this process has open in WAL mode). */
  static start(path: string, o: CheckpointerOptions): Checkpointer {
    const shared = new SharedArrayBuffer(5 * Int32Array.BYTES_PER_ELEMENT);
    const workerData: CheckpointWorkerData = { path, shared, restartBytes: o.restartBytes };
    const worker = new Worker(new URL("./checkpoint-worker.ts", import.meta.url), { workerData });
    const state = new Int32Array(shared);
    // A thread that fails only stops checkpointing: SQLite's own checkpoints (kept as a backstop) go on.
    worker.on("error", () => {
      Atomics.store(state, Slot.Done, 1);
      Atomics.notify(state, Slot.Done);
    });
    const ready = new Promise<void>((resolve) => {
      worker.once("message", () => resolve());
      worker.once("exit", () => resolve());
    });
    worker.unref();
    return new Checkpointer(state, o.waitMs, ready);
  }

  /** After each commit, in the writing thread: wakes the other thread; when the log is long, waits for its copy. */
  committed(): void {
    const s = this.#state;
    const commits = Atomics.add(s, Slot.Commits, 1) + 1;
    Atomics.notify(s, Slot.Commits);
    if (commits < this.#calmUntil || !Atomics.load(s, Slot.Long) || Atomics.load(s, Slot.Done)) return;
    const deadline = performance.now() + this.#waitMs;
    for (;;) {
      const copied = Atomics.load(s, Slot.Copied);
      if (copied >= commits) break;
      const left = deadline - performance.now();
      // Another process reading an old snapshot can keep frames from being copied: go on without the restart.
      if (left <= 0 || Atomics.load(s, Slot.Done)) return void (this.#calmUntil = commits + 8);
      Atomics.wait(s, Slot.Copied, copied, left);
    }
    // The log starts over at the next write; the thread says again when it is long.
    Atomics.store(s, Slot.Long, 0);
  }

  /** Ends the thread, after it copies what the last commits wrote, and waits until it has closed its connection. */
  stop(): void {
    const s = this.#state;
    Atomics.store(s, Slot.Stop, 1);
    Atomics.notify(s, Slot.Commits);
    Atomics.wait(s, Slot.Done, 0, 10_000);
  }
}
