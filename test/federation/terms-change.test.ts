/**
 * A change of the network's licence reaches its followers without the records changing: restarted
 * with another ESSFED_LICENSE, the origin re-signs its own records (those without terms of their
 * own) and sends an Update of each through the delivery queue, in batches that keep their place in
 * the store; the follower's mirrors then carry the new licence, and the mirror's page footer shows
 * the owner's licence, not the follower's. On both stores (the origin's).
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import { loadConfig } from "../../src/config.ts";
import { compose, type Instance } from "../../src/compose.ts";
import { announceTermsChange, TERMS_KEY } from "../../src/federation/terms-change.ts";
import { ADMIN_TOKEN, auth, startInstance, type TestInstance } from "../support/instance.ts";
import { eventually, freePort, initiativeBody } from "../support/process.ts";
import { databaseUrl, dropSchema, POSTGRES_URL, randomSchema } from "../support/postgres.ts";

const CC_BY = "https://creativecommons.org/licenses/by/4.0/";
const ODBL = "https://opendatacommons.org/licenses/odbl/1-0/";

/** The origin, started again on the same data and port with another licence. */
async function startOrigin(where: Record<string, string>, port: number, licence: string): Promise<Instance> {
  const config = loadConfig({
    ...where,
    PORT: String(port),
    ESSFED_BIND: "127.0.0.1",
    ESSFED_URL: `http://127.0.0.1:${port}`,
    ESSFED_HANDLE: "origin",
    ESSFED_ADMIN_TOKEN: ADMIN_TOKEN,
    ESSFED_ALLOW_PRIVATE: "true",
    ESSFED_LOG_LEVEL: "error",
    ESSFED_RATE_LIMIT_API: "1000000",
    ESSFED_RATE_LIMIT_INBOX: "1000000",
    ESSFED_LICENSE: licence,
  });
  const instance = await compose(config);
  await instance.listen();
  instance.startWorkers();
  return instance;
}

const stores: { name: string; where: () => Record<string, string>; cleanup: () => Promise<void> }[] = [];
{
  const dir = mkdtempSync(join(tmpdir(), "essfed-terms-"));
  stores.push({
    name: "SQLite",
    where: () => ({ ESSFED_DATA: dir }),
    cleanup: () => Promise.resolve(rmSync(dir, { recursive: true, force: true })),
  });
  if (POSTGRES_URL) {
    const schema = randomSchema("terms");
    stores.push({
      name: "PostgreSQL",
      where: () => ({ DATABASE_URL: databaseUrl(schema), ESSFED_DATA: dir }),
      cleanup: () => dropSchema(schema),
    });
  }
}

for (const store of stores) {
  describe(`A licence change announced to followers (origin on ${store.name})`, () => {
    let origin: Instance, follower: TestInstance;
    let port: number;
    const ids: string[] = [];
    const base = () => `http://127.0.0.1:${port}`;

    beforeAll(async () => {
      port = await freePort();
      [origin, follower] = await Promise.all([
        startOrigin(store.where(), port, "CC-BY-4.0"),
        startInstance({ ESSFED_HANDLE: "follower", ESSFED_LICENSE: "CC0-1.0" }),
      ]);
      for (const name of ["Terms Bakery", "Terms Dairy", "Terms Garage"]) {
        const res = await fetch(`${base()}/initiatives`, {
          method: "POST",
          headers: { ...auth, "content-type": "application/ld+json" },
          body: initiativeBody(name),
        });
        if (res.status !== 201) throw new Error(`create: ${res.status}`);
        ids.push(res.headers.get("location")!);
      }
      // One record with terms of its own: the network's change is not its business.
      const own = await fetch(`${base()}/initiatives`, {
        method: "POST",
        headers: { ...auth, "content-type": "application/ld+json" },
        body: initiativeBody("Terms Own Licence", {
          "@context": {
            gr: "http://purl.org/goodrelations/v1#",
            ess: "https://lod.coop/essglobal/2.1/vocab/",
            dct: "http://purl.org/dc/terms/",
            cc: "http://creativecommons.org/ns#",
          },
          "dct:license": { "@id": "https://creativecommons.org/publicdomain/zero/1.0/" },
          "cc:attributionName": "Its own makers",
        }),
      });
      if (own.status !== 201) throw new Error(`create: ${own.status} ${await own.text()}`);
      ids.push(own.headers.get("location")!);
      const f = await fetch(`${follower.base}/api/follows`, {
        method: "POST",
        headers: { ...auth, "content-type": "application/json" },
        body: JSON.stringify({ target: `${base()}/actors/origin` }),
      });
      if (f.status !== 202) throw new Error(`follow: ${f.status}`);
      await eventually(
        async () => (await follower.store.countInitiatives(`${base()}/actors/origin`)) === 4,
        30_000,
        "the follower's back-fill",
      );
    }, 90_000);
    afterAll(async () => {
      await origin?.close();
      await follower?.stop();
      await store.cleanup();
    });

    it("sends an Update of each own record under the new licence after a restart; the mirrors carry it.", async () => {
      for (const id of ids.slice(0, 3))
        expect((await follower.store.getInitiative(id))?.initiative.license).toBe(CC_BY);
      expect(await origin.store.kv.get(TERMS_KEY)).toEqual({ license: CC_BY, attribution: "essfed network" });
      await origin.close();
      origin = await startOrigin(store.where(), port, "ODbL-1.0");
      await eventually(
        async () => {
          for (const id of ids.slice(0, 3))
            if ((await follower.store.getInitiative(id))?.initiative.license !== ODBL) return false;
          return true;
        },
        30_000,
        "the mirrors under the new licence",
      );
      // The record with a licence of its own keeps it.
      expect((await follower.store.getInitiative(ids[3]!))?.initiative.license).toBe(
        "https://creativecommons.org/publicdomain/zero/1.0/",
      );
      await eventually(
        async () =>
          JSON.stringify(await origin.store.kv.get(TERMS_KEY)) ===
          JSON.stringify({ license: ODBL, attribution: "essfed network" }),
        10_000,
        "the pass recorded as done",
      );
      // What the origin serves is signed under the new licence too.
      const doc = (await (await fetch(ids[0]!, { headers: { accept: "application/activity+json" } })).json()) as Record<
        string,
        unknown
      >;
      expect(JSON.stringify(doc)).toContain(ODBL);
      expect(JSON.stringify(doc)).not.toContain(CC_BY);
    }, 90_000);

    it("resumes a pass where it stopped, in batches, and counts what it announced.", async () => {
      const ctx = origin.runtime.ctx;
      const first = await origin.store.listInitiatives({ source: "local", limit: 2 });
      const rest = await origin.store.listInitiatives({ source: "local", limit: 100, cursor: first.next! });
      const taking = rest.items.filter((r) => !(r.initiative.license && r.initiative.attribution)).length;
      const now = { license: ODBL, attribution: "essfed network" };
      await origin.store.kv.set(TERMS_KEY, {
        license: CC_BY,
        attribution: "essfed network",
        pass: { ...now, cursor: first.next, sent: 2, started: new Date().toISOString() },
      });
      expect(await announceTermsChange(ctx, { batch: 1 })).toBe(2 + taking);
      expect(await origin.store.kv.get(TERMS_KEY)).toEqual(now);
      // Nothing changed since: nothing to do.
      expect(await announceTermsChange(ctx)).toBe(0);
    });

    it("puts the owner's licence in a mirrored record's page footer, not the follower's own.", async () => {
      const html = await (
        await fetch(`${follower.base}/initiative?id=${encodeURIComponent(ids[0]!)}`, {
          headers: { accept: "text/html" },
        })
      ).text();
      const footer = /<span class="terms">(.*?)<\/span>/s.exec(html)![1]!;
      expect(footer).toContain(`<a rel="license" href="${ODBL}">`);
      expect(footer).not.toContain("publicdomain/zero");
      // The follower's own pages keep its own licence.
      const home = await (await fetch(`${follower.base}/actors/follower`, { headers: { accept: "text/html" } })).text();
      expect(/<span class="terms">(.*?)<\/span>/s.exec(home)![1]).toContain("publicdomain/zero");
    });
  });
}
