/**
 * docker-compose.yml cannot be run here (no Docker engine), so it is checked as data: it parses,
 * every essfed service is configured the way essfed's own config loader accepts, the demo has its
 * three networks (the aggregator split into web and worker processes) on separate schemas.
 */
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "@jest/globals";
import { parse } from "yaml";
import { loadConfig } from "../../src/config.ts";
import { schemaFromUrl } from "../../src/store/postgres/store.postgres.ts";

const file = fileURLToPath(new URL("../../docker-compose.yml", import.meta.url));
type Service = {
  build?: string;
  image?: string;
  profiles?: string[];
  environment?: Record<string, string>;
  depends_on?: Record<string, unknown>;
  deploy?: { replicas?: number };
  ports?: string[];
  network_mode?: string;
  healthcheck?: { disable?: boolean };
};
const compose = parse(readFileSync(file, "utf8"), { merge: true }) as { services: Record<string, Service> };
/** Compose's ${VAR:-default} and ${VAR:?message} as a shell would expand them with nothing set. */
const expand = (v: string) =>
  v.replace(/\$\{[A-Z_]+:-([^}]*)\}/g, "$1").replace(/\$\{[A-Z_]+:\?[^}]*\}/g, "set-by-the-operator-0123456789");

describe("docker-compose.yml", () => {
  const essfed = Object.entries(compose.services).filter(([, s]) => s.build === ".");

  it("runs essfed with PostgreSQL by default.", () => {
    expect(compose.services.postgres!.image).toMatch(/^postgres:/);
    expect(compose.services.essfed!.profiles).toBeUndefined();
    expect(compose.services.essfed!.depends_on).toHaveProperty("postgres");
  });

  it("configures every essfed service in a way essfed's configuration accepts.", () => {
    expect(essfed.length).toBeGreaterThanOrEqual(5);
    for (const [name, s] of essfed) {
      const env = Object.fromEntries(Object.entries(s.environment ?? {}).map(([k, v]) => [k, expand(String(v))]));
      const config = loadConfig(env);
      expect([name, config.databaseUrl]).toEqual([
        name,
        expect.stringMatching(/^postgres:\/\/essfed:essfed@postgres:5432\/essfed/),
      ]);
    }
  });

  it("has a demo profile with local, national and a scaled-out aggregator, each in its own schema.", () => {
    const demo = essfed.filter(([, s]) => s.profiles?.includes("demo"));
    expect(demo.map(([n]) => n).sort()).toEqual(["aggregator-web", "aggregator-worker", "local", "national"]);
    const roles = Object.fromEntries(demo.map(([n, s]) => [n, s.environment?.ESSFED_ROLE ?? "all"]));
    expect(roles).toEqual({ local: "all", national: "all", "aggregator-web": "web", "aggregator-worker": "worker" });
    expect(compose.services["aggregator-worker"]!.deploy?.replicas).toBe(2);
    const schemas = demo.map(([, s]) => schemaFromUrl(s.environment!.DATABASE_URL!));
    expect(new Set(schemas)).toEqual(new Set(["local", "national", "aggregator"]));
  });

  it("gives every web process a URL that works from a browser on the host and from the other instances alike.", () => {
    const listening = new Map<string, Set<number>>();
    for (const [name, s] of essfed) {
      const config = loadConfig(
        Object.fromEntries(Object.entries(s.environment ?? {}).map(([k, v]) => [k, expand(String(v))])),
      );
      if (config.role === "worker") {
        // A worker listens on nothing: the image's HTTP health check would only ever fail.
        expect([name, s.healthcheck?.disable]).toEqual([name, true]);
        continue;
      }
      const url = new URL(config.url);
      const port = Number(url.port || 80);
      // The host's browser reaches the published port on localhost; the process listens on that very port.
      expect([name, url.hostname, config.port]).toEqual([name, "localhost", port]);
      // Instances sharing a network namespace reach each other on localhost:port too; its owner publishes the ports.
      const owner = s.network_mode?.replace(/^service:/, "") ?? name;
      expect([name, compose.services[owner]?.ports ?? []]).toEqual([name, expect.arrayContaining([`${port}:${port}`])]);
      const ports = listening.get(owner) ?? new Set<number>();
      expect([name, ports.has(port)]).toEqual([name, false]);
      listening.set(owner, ports.add(port));
    }
    expect([...listening.values()].reduce((n, p) => n + p.size, 0)).toBe(4);
  });
});
