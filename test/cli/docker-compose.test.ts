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
type Service = { build?: string; image?: string; profiles?: string[]; environment?: Record<string, string>; depends_on?: Record<string, unknown>; deploy?: { replicas?: number } };
const compose = parse(readFileSync(file, "utf8"), { merge: true }) as { services: Record<string, Service> };
/** Compose's ${VAR:-default} and ${VAR:?message} as a shell would expand them with nothing set. */
const expand = (v: string) => v.replace(/\$\{[A-Z_]+:-([^}]*)\}/g, "$1").replace(/\$\{[A-Z_]+:\?[^}]*\}/g, "set-by-the-operator-0123456789");

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
      expect([name, config.databaseUrl]).toEqual([name, expect.stringMatching(/^postgres:\/\/essfed:essfed@postgres:5432\/essfed/)]);
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
});
