// Two projects: `unit` runs the I/O-free tests next to the code, `integration`
// runs everything under test/ (real SQLite files, real PostgreSQL, real HTTP on 127.0.0.1).
import { availableParallelism } from "node:os";

const transform = {
  "^.+\\.ts$": [
    "@swc/jest",
    {
      jsc: { parser: { syntax: "typescript" }, target: "es2023" },
      module: { type: "es6" },
    },
  ],
};
const common = {
  transform,
  extensionsToTreatAsEsm: [".ts"],
  testEnvironment: "node",
  setupFilesAfterEnv: ["<rootDir>/test/setup.ts"],
};

export default {
  projects: [
    { ...common, displayName: "unit", testMatch: ["<rootDir>/src/**/*.test.ts"] },
    { ...common, displayName: "integration", testMatch: ["<rootDir>/test/**/*.test.ts"] },
  ],
  // Two workers even on 2 cores, where jest's default (cores - 1) is one: most of a file's time is
  // spent waiting on other processes (PostgreSQL, instances, Chromium), so a second file fits
  // beside it. Every file is safe beside another: ports from port 0, its own files and schemas.
  maxWorkers: Math.max(2, availableParallelism() - 1),
  testTimeout: 30000,
  // A handle left open by a failing test must not keep CI waiting forever; tests close what they open.
  forceExit: true,
};
