// Two projects: `unit` runs the I/O-free tests next to the code, `integration`
// runs everything under test/ (real SQLite files, real PostgreSQL, real HTTP on 127.0.0.1).
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
  testTimeout: 30000,
  // A handle left open by a failing test must not keep CI waiting forever; tests close what they open.
  forceExit: true,
};
