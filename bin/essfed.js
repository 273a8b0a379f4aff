#!/usr/bin/env node
// Thin wrapper: the CLI lives in src/cli/main.ts (TypeScript, run by Node's type stripping).
//
// The Node version is checked before anything else is loaded. A static `import` of a .ts file
// would fail while the module is linked, before any line here runs, so the CLI is loaded with a
// dynamic import() after the check, and this file sticks to syntax that
// old Node versions parse (no top-level await, no `??` or `?.`).
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { enableCompileCache } from "./compile-cache.js";

const MINIMUM = [22, 18];
const version = process.versions.node.split(".").map(Number);
const recent = version[0] > MINIMUM[0] || (version[0] === MINIMUM[0] && version[1] >= MINIMUM[1]);
// Node 23.0-23.5 (and any Node started with --no-experimental-strip-types) cannot run .ts files.
const stripsTypes = !process.features || process.features.typescript !== false;

if (!recent || !stripsTypes) {
  const pinned = fileURLToPath(new URL("../node_modules/.bin/node", import.meta.url));
  const lines = [
    "essfed needs Node.js " +
      MINIMUM.join(".") +
      " or newer (24 recommended), which runs TypeScript by stripping types;",
    "this is Node.js " +
      process.versions.node +
      " (" +
      process.execPath +
      ")" +
      (recent ? ", started with type stripping turned off." : "."),
    "",
  ];
  if (recent) {
    lines.push("Start it without --no-experimental-strip-types (look in NODE_OPTIONS too).");
  } else {
    lines.push("Ways to get it:");
    if (existsSync(pinned)) {
      lines.push(
        "  - use the Node 24 that `npm install` put in node_modules: npm start, npm test, npm exec essfed -- COMMAND,",
      );
      lines.push("    or " + pinned + " " + fileURLToPath(import.meta.url) + " COMMAND");
    } else {
      lines.push("  - run `npm install` in the essfed checkout: on Linux (x64, arm64) it installs a pinned Node 24,");
      lines.push("    which `npm start`, `npm test` and `npm exec essfed -- COMMAND` then use");
    }
    lines.push(
      "  - or install Node.js 24 from https://nodejs.org/en/download (or with a version manager: nvm install 24)",
    );
  }
  console.error(lines.join("\n"));
  process.exit(69); // EX_UNAVAILABLE: a program essfed needs is not there
}

enableCompileCache();

process.on("unhandledRejection", (reason) => {
  console.error("essfed: unhandled rejection:", reason);
  process.exit(70);
});

import("../src/cli/main.ts")
  .then((cli) => {
    const io = { out: (l) => console.log(l), err: (l) => console.error(l), env: process.env };
    return cli.main(process.argv.slice(2), io);
  })
  .then(
    (code) => {
      process.exitCode = code;
    },
    (e) => {
      console.error("essfed:", e);
      process.exitCode = 70;
    },
  );
