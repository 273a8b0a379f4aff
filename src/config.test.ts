import { describe, expect, it } from "@jest/globals";
import { ConfigError, loadConfig } from "./config.ts";

describe("loadConfig", () => {
  it("gives a working default configuration on an empty environment.", () => {
    const c = loadConfig({});
    expect(c).toEqual(
      expect.objectContaining({
        url: "http://localhost:8080",
        port: 8080,
        handle: "network",
        role: "all",
        allowPrivate: false,
      }),
    );
    expect(c.adminToken).toBeUndefined();
    expect(c.databaseUrl).toBeUndefined();
    expect(Object.isFrozen(c)).toBe(true);
  });

  it("reads every variable.", () => {
    const c = loadConfig({
      ESSFED_URL: "https://coops.example.org",
      PORT: "3000",
      ESSFED_DATA: "/srv/essfed",
      DATABASE_URL: "postgres://u@db/essfed",
      ESSFED_HANDLE: "northwest",
      ESSFED_NAME: "North West Co-ops",
      ESSFED_ADMIN_TOKEN: "0123456789abcdef0123",
      ESSFED_ALLOW_PRIVATE: "true",
      ESSFED_ROLE: "worker",
      ESSFED_FOLLOW_APPROVAL: "manual",
      ESSFED_UNFOLLOW_MIRRORS: "keep",
      ESSFED_RECONCILE_HOURS: "0",
      ESSFED_SPARQL_WORKERS: "4",
      ESSFED_SPARQL_QUEUE: "40",
      ESSFED_SPARQL_TIMEOUT_SECONDS: "30",
    });
    expect(c).toEqual(
      expect.objectContaining({
        url: "https://coops.example.org",
        port: 3000,
        dataDir: "/srv/essfed",
        databaseUrl: "postgres://u@db/essfed",
        handle: "northwest",
        name: "North West Co-ops",
        adminToken: "0123456789abcdef0123",
        allowPrivate: true,
        role: "worker",
        followApproval: "manual",
        unfollowMirrors: "keep",
        reconcileHours: 0,
        sparqlWorkers: 4,
        sparqlQueue: 40,
        sparqlTimeoutMs: 30_000,
      }),
    );
  });

  it.each([
    ["ESSFED_URL", "not a url"],
    ["ESSFED_URL", "ftp://example.org"],
    ["ESSFED_URL", "https://example.org/sub/path"],
    ["PORT", "eighty"],
    ["PORT", "70000"],
    ["DATABASE_URL", "mysql://x"],
    ["ESSFED_HANDLE", "no spaces allowed"],
    ["ESSFED_ADMIN_TOKEN", "short"],
    ["ESSFED_ALLOW_PRIVATE", "perhaps"],
    ["ESSFED_ROLE", "everything"],
    ["ESSFED_FOLLOW_APPROVAL", "sometimes"],
    ["ESSFED_UNFOLLOW_MIRRORS", "shred"],
    ["ESSFED_LOG_LEVEL", "loud"],
    ["ESSFED_SPARQL_WORKERS", "0"],
    ["ESSFED_SPARQL_QUEUE", "many"],
    ["ESSFED_SPARQL_TIMEOUT_SECONDS", "0.5"],
    ["ESSFED_TILE_URL", "https://tiles.example/no-placeholders.png"],
    ["ESSFED_RECONCILE_HOURS", "-1"],
    ["ESSFED_RATE_LIMIT_API", "-5"],
    ["ESSFED_RATE_LIMIT_INBOX", "lots"],
    ["ESSFED_RATE_LIMIT_WINDOW_SECONDS", "0"],
    ["ESSFED_TRUST_PROXY", "true"],
    ["ESSFED_TRUST_PROXY", "10.0.0.300"],
    ["ESSFED_TRUST_PROXY", "10.0.0.0/33"],
    ["ESSFED_TRUST_PROXY", "proxy.example"],
    ["ESSFED_METRICS_TOKEN", "short"],
    ["ESSFED_METRICS_BIND", "9464"],
    ["ESSFED_METRICS_BIND", "127.0.0.1:99999"],
  ])("refuses a bad %s (%s) with a message that names it.", (name, value) => {
    expect(() => loadConfig({ [name]: value })).toThrow(ConfigError);
    expect(() => loadConfig({ [name]: value })).toThrow(name);
  });

  it("reads the rate limits, the trusted proxies and the metrics settings.", () => {
    expect(loadConfig({})).toEqual(
      expect.objectContaining({
        rateLimitApi: 600,
        rateLimitInbox: 1800,
        rateLimitWindowMs: 60_000,
        trustProxy: false,
      }),
    );
    expect(loadConfig({}).metricsToken).toBeUndefined();
    expect(loadConfig({ ESSFED_TRUST_PROXY: "loopback, 10.0.0.0/8,::1" }).trustProxy).toEqual([
      "loopback",
      "10.0.0.0/8",
      "::1",
    ]);
    expect(loadConfig({ ESSFED_TRUST_PROXY: "2" }).trustProxy).toBe(2);
    expect(loadConfig({ ESSFED_TRUST_PROXY: "off" }).trustProxy).toBe(false);
    expect(
      loadConfig({ ESSFED_RATE_LIMIT_API: "0", ESSFED_RATE_LIMIT_INBOX: "50", ESSFED_RATE_LIMIT_WINDOW_SECONDS: "10" }),
    ).toEqual(expect.objectContaining({ rateLimitApi: 0, rateLimitInbox: 50, rateLimitWindowMs: 10_000 }));
    expect(loadConfig({ ESSFED_METRICS_BIND: "[::1]:9464", ESSFED_METRICS_TOKEN: "0123456789abcdef" })).toEqual(
      expect.objectContaining({ metricsBind: { host: "::1", port: 9464 }, metricsToken: "0123456789abcdef" }),
    );
  });

  it("never shows a database password in its error.", () => {
    expect(() => loadConfig({ DATABASE_URL: "mysql://user:secret@db/x" })).toThrow(/user:\*\*\*@/);
  });

  it("reads the data licence as an SPDX id (any case) or an IRI, and the attribution.", () => {
    const none = loadConfig({ ESSFED_NAME: "Leeds SE" });
    expect(none.licence).toBeUndefined();
    expect(none.attribution).toBe("Leeds SE");
    expect(loadConfig({ ESSFED_LICENSE: "odbl-1.0" }).licence).toEqual({
      iri: "https://opendatacommons.org/licenses/odbl/1-0/",
      spdx: "ODbL-1.0",
      label: "ODbL-1.0",
    });
    expect(loadConfig({ ESSFED_LICENSE: "CC-BY-4.0" }).licence?.iri).toBe(
      "https://creativecommons.org/licenses/by/4.0/",
    );
    expect(loadConfig({ ESSFED_LICENSE: "MIT" }).licence?.iri).toBe("https://spdx.org/licenses/MIT");
    expect(loadConfig({ ESSFED_LICENSE: "https://creativecommons.org/publicdomain/zero/1.0/" }).licence?.spdx).toBe(
      "CC0-1.0",
    );
    expect(loadConfig({ ESSFED_LICENSE: "https://example.org/our-terms" }).licence).toEqual({
      iri: "https://example.org/our-terms",
      label: "https://example.org/our-terms",
    });
    expect(loadConfig({ ESSFED_ATTRIBUTION: "© Leeds SE network and contributors" }).attribution).toBe(
      "© Leeds SE network and contributors",
    );
  });

  it.each([
    ["ESSFED_LICENSE", "CC-BY"],
    ["ESSFED_LICENSE", "ODbL"],
    ["ESSFED_LICENSE", "public domain"],
    ["ESSFED_LICENSE", "ftp://example.org/licence"],
    ["ESSFED_LICENSE", "https://user:pw@example.org/l"],
    ["ESSFED_LICENSE", `https://example.org/${"x".repeat(600)}`],
    ["ESSFED_ATTRIBUTION", "two\nlines"],
    ["ESSFED_ATTRIBUTION", "x".repeat(501)],
  ])("refuses a bad %s (case %#) at start with a message naming the variable.", (name, value) => {
    expect(() => loadConfig({ [name]: value })).toThrow(ConfigError);
    expect(() => loadConfig({ [name]: value })).toThrow(name);
  });
});
