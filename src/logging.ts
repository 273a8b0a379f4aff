/**
 * The only place that configures log sinks; modules call {@link logger}. Log lines are JSON on
 * stderr. Much of what gets logged is set off by strangers (a refused request, a peer that keeps
 * failing), so every record passes two throttles before it is written: one per message template
 * and remote host, one per message template overall. When a throttle lets records through again
 * it first writes one line saying how many similar records it suppressed.
 */
import { AsyncLocalStorage } from "node:async_hooks";
import {
  configure,
  getConsoleSink,
  getLogger,
  getThrottlingFilter,
  jsonLinesFormatter,
  reset,
  type Filter,
  type Logger,
  type LogRecord,
  type Sink,
  type ThrottlingFilterSummary,
} from "@logtape/logtape";
import type { Config } from "./config.ts";

let configured = false;

/** How many records of one kind are written per window before the rest are counted, not written. */
export const LOG_THROTTLE = {
  /** Per message template and remote host. */
  perHost: 10,
  /** Per message template, all hosts together (strangers can have many hosts). */
  perTemplate: 100,
  windowMs: 60_000,
};

/**
 * Properties that name the remote party of a record, in the order they are looked at. A record
 * whose properties name none is throttled per template only.
 */
const REMOTE_PROPERTIES = ["remote", "client", "host", "inbox", "sender", "actor", "keyId", "target", "url"];

/** The host (or client address) a record is about, from its properties; "" when none. */
export function remoteOf(record: LogRecord): string {
  const p = record.properties;
  for (const name of REMOTE_PROPERTIES) {
    const v = p[name];
    if (typeof v !== "string" || !v) continue;
    try {
      return new URL(v).host.slice(0, 255);
    } catch {
      return v.slice(0, 255);
    }
  }
  return "";
}

/** The raw template, whatever form the message came in (a string or a tagged template). */
function templateOf(record: LogRecord): string {
  const raw = record.rawMessage;
  return (typeof raw === "string" ? raw : raw.join("{}")).slice(0, 500);
}

const summaryLogger = () => logger("log");

/** A throttle whose summary lines name the template and host, not the whole records. */
function throttle(limit: number, perHost: boolean, clock?: () => number): Filter & Disposable {
  const marker = Symbol.for("LogTape.throttlingSummaryRecord");
  const write =
    (level: "debug" | "info" | "warning" | "error" | "fatal" | "trace") =>
    (_message: string, props: Record<string, unknown>) => {
      const s = props as unknown as ThrottlingFilterSummary;
      const remote = perHost ? remoteOf(s.lastRecord) : "";
      summaryLogger()[level]("Suppressed {suppressed} similar records in {seconds} s ({template}{from})", {
        suppressed: s.suppressed,
        seconds: Math.round((s.endTime - s.startTime) / 1000),
        template: templateOf(s.lastRecord),
        from: remote ? ` from ${remote}` : " from all hosts",
        remote,
        reason: s.reason,
        // The throttle recognises its own summaries by this marker and lets them through.
        [marker]: true,
      } as Record<string, unknown>);
    };
  const key = (r: LogRecord) =>
    `${r.category.join(".")}\n${r.level}\n${templateOf(r)}${perHost ? `\n${remoteOf(r)}` : ""}`;
  return getThrottlingFilter({
    limit,
    windowMs: LOG_THROTTLE.windowMs,
    key,
    maxKeys: 1000,
    ...(clock ? { clock } : {}),
    summary: {
      logger: {
        trace: write("trace"),
        debug: write("debug"),
        info: write("info"),
        warning: write("warning"),
        error: write("error"),
        fatal: write("fatal"),
      },
      level: (s) => s.lastRecord.level,
    },
  });
}

export interface LoggingOptions {
  /** Where records go (tests); default: JSON lines on stderr. */
  sink?: Sink;
  /** The throttles' clock (tests). */
  clock?: () => number;
}

/** Configures LogTape once per process: essfed and fedify categories, JSON lines on stderr. */
export async function setupLogging(level: Config["logLevel"], o: LoggingOptions = {}): Promise<void> {
  if (configured) await reset();
  configured = true;
  const console_ = { ...console, log: console.error, info: console.error, debug: console.error };
  await configure({
    sinks: { out: o.sink ?? getConsoleSink({ formatter: jsonLinesFormatter, console: console_ }) },
    filters: {
      // Per host first: one host's flood is stopped before it uses up the template's shared budget.
      perHost: throttle(LOG_THROTTLE.perHost, true, o.clock),
      perTemplate: throttle(LOG_THROTTLE.perTemplate, false, o.clock),
    },
    loggers: [
      { category: ["essfed"], lowestLevel: level, sinks: ["out"], filters: ["perHost", "perTemplate"] },
      {
        category: ["fedify"],
        lowestLevel: level === "debug" ? "info" : "warning",
        sinks: ["out"],
        filters: ["perHost", "perTemplate"],
      },
      // Fedify logs every 4xx it answers at warning: ordinary refusals, which essfed counts in its
      // metrics instead. Its own failures (5xx) stay at error.
      { category: ["fedify", "federation", "http"], lowestLevel: level === "debug" ? "info" : "error" },
      { category: ["logtape", "meta"], lowestLevel: "warning", sinks: ["out"] },
    ],
    contextLocalStorage: new AsyncLocalStorage(),
  });
}

/** Whether {@link setupLogging} ran in this process (the server); CLI commands print their own lines instead. */
export function loggingConfigured(): boolean {
  return configured;
}

/** A logger in the essfed category tree. */
export function logger(...category: string[]): Logger {
  return getLogger(["essfed", ...category]);
}

const ignored = new Map<string, number>();

/**
 * A handler for a failure the caller deliberately does not pass on (closing a connection that is
 * already lost, a background job that runs again soon): the failure is counted by `where` (see
 * {@link ignoredFailures}; the metrics serve the counts) and logged, so that nothing fails silently.
 * `where` is a fixed slug naming the place, never text from outside.
 */
export function ignoreFailure(where: string, level: "debug" | "warning" = "warning"): (e: unknown) => void {
  return (e) => {
    ignored.set(where, (ignored.get(where) ?? 0) + 1);
    logger("ignored")[level]("Ignored a failure in {where}: {error}", {
      where,
      error: e instanceof Error ? e.message : String(e),
    });
  };
}

/** How many failures each place has ignored since the process started. */
export function ignoredFailures(): ReadonlyMap<string, number> {
  return ignored;
}
