/** Turns on Node's module compile cache for this process and the worker threads it starts (see compile-cache.js). */
export function enableCompileCache(): void;
