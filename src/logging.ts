/**
 * The only place that configures log sinks (STYLE.md §18). Modules call `getLogger([...])`.
 */
import { AsyncLocalStorage } from "node:async_hooks";
import { configure, getConsoleSink, getLogger, jsonLinesFormatter, reset, type Logger } from "@logtape/logtape";
import type { Config } from "./config.ts";

let configured = false;

/** Configures LogTape once per process: essfed and fedify categories, JSON lines on stderr. */
export async function setupLogging(level: Config["logLevel"]): Promise<void> {
  if (configured) await reset();
  configured = true;
  await configure({
    sinks: { console: getConsoleSink({ formatter: jsonLinesFormatter, console: { ...console, log: console.error, info: console.error, debug: console.error } as Console }) },
    loggers: [
      { category: ["essfed"], lowestLevel: level, sinks: ["console"] },
      { category: ["fedify"], lowestLevel: level === "debug" ? "info" : "warning", sinks: ["console"] },
      { category: ["logtape", "meta"], lowestLevel: "warning", sinks: ["console"] },
    ],
    contextLocalStorage: new AsyncLocalStorage(),
  });
}

/** A logger in the essfed category tree. */
export function logger(...category: string[]): Logger {
  return getLogger(["essfed", ...category]);
}
