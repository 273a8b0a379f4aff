import { getPriority } from "node:os";
import { Worker } from "node:worker_threads";
import { describe, expect, it } from "@jest/globals";
import { BUILD_THREAD_NICE, threadId } from "./thread-priority.ts";

/**
 * Runs lowerThreadPriority on a thread of its own (first given the nice value `preset`); resolves with what it returned
 * and the thread's nice values.
 */
function onThread(
  preset?: number,
): Promise<{ lowered: boolean; before: number; after: number; tid: number | undefined }> {
  const url = new URL("./thread-priority.ts", import.meta.url).href;
  const code = `
    const { parentPort } = require("node:worker_threads");
    const { getPriority } = require("node:os");
    import(${JSON.stringify(url)}).then((m) => {
      const tid = m.threadId();
      ${preset === undefined ? "" : `require("node:os").setPriority(tid, ${preset});`}
      const before = getPriority(tid);
      const lowered = m.lowerThreadPriority();
      parentPort.postMessage({ lowered, before, after: getPriority(tid), tid });
    });`;
  return new Promise((resolve, reject) => {
    const w = new Worker(code, { eval: true });
    w.once("message", (m) => {
      resolve(m as never);
      void w.terminate();
    });
    w.once("error", reject);
  });
}

const linux = process.platform === "linux";
const name = "A building thread's priority";

(linux ? describe : describe.skip)(linux ? name : `${name} (skipped: only Linux gives a thread a nice value)`, () => {
  it("is lowered for that thread alone (Linux: a nice value of its own).", async () => {
    const main = getPriority();
    const r = await onThread();
    expect(r.lowered).toBe(true);
    expect(r.tid).not.toBe(threadId());
    expect(r.after).toBe(Math.max(BUILD_THREAD_NICE, r.before));
    // The process, and this thread, keep theirs.
    expect(getPriority()).toBe(main);
    expect(getPriority(threadId())).toBe(main);
  });

  it("is left as it is when it is lower already.", async () => {
    const r = await onThread(BUILD_THREAD_NICE + 5);
    expect(r).toMatchObject({ lowered: true, before: BUILD_THREAD_NICE + 5, after: BUILD_THREAD_NICE + 5 });
  });
});
