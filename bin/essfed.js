#!/usr/bin/env node
// Thin wrapper (STYLE.md §34): the CLI lives in src/cli/main.ts (TypeScript, run by Node's type stripping).
import { main } from "../src/cli/main.ts";

process.on("unhandledRejection", (reason) => {
  console.error("essfed: unhandled rejection:", reason);
  process.exit(70);
});

const io = { out: (l) => console.log(l), err: (l) => console.error(l), env: process.env };
main(process.argv.slice(2), io).then(
  (code) => { process.exitCode = code; },
  (e) => { console.error("essfed:", e); process.exitCode = 70; },
);
