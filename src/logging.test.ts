/**
 * The log throttles: a stranger who sets off the same record again and again (from one host or
 * from many) gets a bounded number of lines, and a line saying how many were suppressed.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "@jest/globals";
import { reset, type LogRecord } from "@logtape/logtape";
import { LOG_THROTTLE, ignoreFailure, ignoredFailures, logger, setupLogging } from "./logging.ts";

const records: LogRecord[] = [];
let now = 1_000_000;
const log = logger("test");
const messages = () => records.map((r) => r.message.map(String).join(""));

beforeAll(async () => {
  await setupLogging("debug", { sink: (r) => void records.push(r), clock: () => now });
});
afterAll(async () => {
  await reset();
});
beforeEach(() => {
  records.length = 0;
  now += 10 * LOG_THROTTLE.windowMs;
});

describe("Log throttling", () => {
  it("writes a bounded number of records per template and host, then says how many it suppressed.", () => {
    for (let k = 0; k < 50; k++)
      log.warning("Delivery to {inbox} failed: {error}", { inbox: "https://flood.example/inbox", error: `error ${k}` });
    expect(records).toHaveLength(LOG_THROTTLE.perHost);
    // Another host is not silenced by the first one's flood.
    log.warning("Delivery to {inbox} failed: {error}", { inbox: "https://quiet.example/inbox", error: "once" });
    expect(records).toHaveLength(LOG_THROTTLE.perHost + 1);
    expect(messages().at(-1)).toContain("quiet.example");

    now += LOG_THROTTLE.windowMs + 1;
    log.warning("Delivery to {inbox} failed: {error}", { inbox: "https://flood.example/inbox", error: "later" });
    const summary = records.at(-2)!;
    expect(summary.category).toEqual(["essfed", "log"]);
    expect(summary.level).toBe("warning");
    expect(summary.properties).toMatchObject({ suppressed: 40, remote: "flood.example" });
    expect(messages().at(-2)).toMatch(
      /^Suppressed 40 similar records in \d+ s \(Delivery to \{inbox\} failed: \{error\} from flood\.example\)$/,
    );
    expect(messages().at(-1)).toContain("later");
  });

  it("bounds a template over many hosts too.", () => {
    for (let k = 0; k < 1000; k++)
      log.info("Refused {method} {path} from {client}", {
        method: "GET",
        path: "/x",
        client: `10.0.${k >> 8}.${k & 255}`,
      });
    expect(records).toHaveLength(LOG_THROTTLE.perTemplate);
    now += LOG_THROTTLE.windowMs + 1;
    log.info("Refused {method} {path} from {client}", { method: "GET", path: "/x", client: "10.9.9.9" });
    expect(messages()).toContain(
      "Suppressed 900 similar records in 60 s (Refused {method} {path} from {client} from all hosts)",
    );
  });

  it("keeps records about different templates apart, and those without a remote party under their template.", () => {
    for (let k = 0; k < 30; k++) log.error("Periodic maintenance failed: {error}", { error: String(k) });
    for (let k = 0; k < 30; k++) log.info("Listening on {port}", { port: k });
    expect(records).toHaveLength(2 * LOG_THROTTLE.perHost);
  });

  it("does not count records below the configured level.", async () => {
    await setupLogging("warning", { sink: (r) => void records.push(r), clock: () => now });
    records.length = 0;
    try {
      for (let k = 0; k < 100; k++) log.debug("Noise {k}", { k });
      log.warning("Signal");
      expect(messages()).toEqual(["Signal"]);
    } finally {
      await setupLogging("debug", { sink: (r) => void records.push(r), clock: () => now });
    }
  });
});

describe("Ignored failures", () => {
  it("are counted by place and logged, never dropped silently.", async () => {
    const before = ignoredFailures().get("test-place") ?? 0;
    await Promise.reject(new Error("connection lost")).catch(ignoreFailure("test-place"));
    ignoreFailure("test-place", "debug")("not an Error");
    expect(ignoredFailures().get("test-place")).toBe(before + 2);
    expect(messages()).toEqual([
      "Ignored a failure in test-place: connection lost",
      "Ignored a failure in test-place: not an Error",
    ]);
    expect(records.map((r) => r.level)).toEqual(["warning", "debug"]);
  });
});
