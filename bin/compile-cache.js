// Node's module compile cache (Node 22.1 and newer), for this process and the worker threads it starts.
//
// Every essfed process compiles its modules at start, and so does each worker thread (the CSV reading thread of an
// import, the SPARQL and JSON-LD workers): with the compiled code cached on disk, the import's reading thread sent its
// first rows after about 0.29 s instead of 0.43 s (docs/benchmarks.md, thirteenth round). The cache lives in the
// system's temporary folder (Node's default), keyed by each file's content, and is only ever an optimisation: a
// folder that cannot be written leaves things as they were. Plain JavaScript that old Node versions parse, like
// bin/essfed.js.
import module from "node:module";

export function enableCompileCache() {
  if (typeof module.enableCompileCache !== "function") return;
  const cache = module.enableCompileCache();
  // Worker threads do not inherit the main thread's setting, but they read this variable when they start.
  if (cache && cache.directory && !process.env.NODE_COMPILE_CACHE) process.env.NODE_COMPILE_CACHE = cache.directory;
}
