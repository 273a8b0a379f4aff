/**
 * The JSON-LD budget (issue 10.1, ADR 18) on the paths where documents arrive in bulk or are
 * fetched: `essfed import` (a browser upload goes through the same code), a followed network's
 * directory pages during back-fill, and an actor document fetched to check a signature. Each
 * hostile document is refused and named (the import's row, the page, the key), nothing of it is
 * stored, the rest of a page is, and an ordinary request made meanwhile is answered. On SQLite and,
 * when POSTGRES_URL is set, on PostgreSQL.
 */
import { createHash } from "node:crypto";
import { createServer, type Server } from "node:http";
import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import { exportSpki } from "@fedify/vocab-runtime";
import { generateCryptoKeyPair, signRequest } from "@fedify/fedify/sig";
import { backfill } from "../../src/federation/backfill.ts";
import { bufferSource, importSource } from "../../src/importers/import.ts";
import type { TestInstance } from "../support/instance.ts";
import { alongside } from "../support/remote-site.ts";
import { BOMBS, bombDoc, type Bomb } from "./jsonld-bombs.ts";
import { describeStores } from "./ops-helpers.ts";

const AS = "https://www.w3.org/ns/activitystreams";
const ESS = { essglobal: "https://lod.coop/essglobal/2.1/vocab/", gr: "http://purl.org/goodrelations/v1#" };

let inst: TestInstance;
let site: Server;
let base = "";
let keys: CryptoKeyPair;
let pem = "";
/** Directory pages the scripted network serves, by name. */
const pages = new Map<string, Record<string, unknown>>();
/** Actor documents it serves, by path. */
const actors = new Map<string, Record<string, unknown>>();

beforeAll(async () => {
  keys = await generateCryptoKeyPair("RSASSA-PKCS1-v1_5");
  pem = await exportSpki(keys.publicKey);
  site = createServer((req, res) => {
    const url = new URL(req.url ?? "/", base);
    const send = (doc: unknown) =>
      void res.writeHead(200, { "content-type": "application/activity+json" }).end(JSON.stringify(doc));
    if (url.pathname === "/directory")
      return send({
        "@context": AS,
        id: url.href,
        type: "OrderedCollection",
        first: `${base}/page?name=${url.searchParams.get("name")}`,
      });
    if (url.pathname === "/page") return send(pages.get(url.searchParams.get("name") ?? "") ?? {});
    const actor = actors.get(url.pathname);
    if (actor) return send(actor);
    res.writeHead(404).end();
  });
  await new Promise<void>((r) => site.listen(0, "127.0.0.1", r));
  base = `http://127.0.0.1:${(site.address() as { port: number }).port}`;
}, 60_000);
afterAll(async () => {
  site.closeAllConnections();
  await new Promise<void>((r) => site.close(() => r()));
});

const item = (local: string) => ({
  "@context": [AS, ESS],
  id: `${base}/initiatives/${local}`,
  type: ["Page", "essglobal:SSEInitiative"],
  name: local,
  "gr:name": local,
  attributedTo: `${base}/actor`,
});

describeStores("The JSON-LD budget on bulk and fetched paths", (kind) => {
  beforeAll(async () => {
    // The 3 s expansion deadline is not what these cases check (the unit test of the budget does): on a
    // loaded machine it could refuse a bomb as too slow (422) before its size limit was reached.
    inst = await kind.start({ ESSFED_JSONLD_TIMEOUT_MS: "60000" });
  }, 60_000);
  afterAll(async () => {
    await inst?.stop();
  });

  describe("The JSON-LD budget in imports", () => {
    // What an import refuses: the shape limits. Sizes scale with the file (an administrator's own).
    const shaped = BOMBS.filter(
      (b) =>
        b.status === 400 ||
        ["maxTermDefinitions", "maxScopedContextDepth", "maxContextChars", "maxIriLength"].includes(b.limit ?? ""),
    );

    it.each(shaped.map((b) => [b.what, b] as const))(
      "refuses a file with %s in its second @graph item, naming it, and stores nothing.",
      async (_what, bomb: Bomb) => {
        const before = await inst.store.countInitiatives();
        const { "@context": ctx, ...rest } = bombDoc(
          bomb,
          "https://import.example/i/2",
          "https://import.example/actor",
        );
        const doc = {
          "@context": { ...ESS },
          "@graph": [
            { "@id": "https://import.example/i/1", "@type": "essglobal:SSEInitiative", "gr:name": "Fine" },
            { "@context": ctx, ...rest },
          ],
        };
        const r = await alongside(inst, () =>
          importSource(bufferSource("bomb.jsonld", JSON.stringify(doc)), inst.directory, inst.iris),
        );
        expect(r.ordinary).toBe(200);
        const fatal = r.hostile.fatal!;
        if (bomb.code === "invalid-jsonld") expect(fatal.message).toMatch(/^the JSON-LD document: invalid JSON-LD/);
        else {
          expect(fatal.row).toBe(2);
          expect(fatal.message).toMatch(/^@graph item 2: /);
        }
        expect(r.hostile.created).toBe(0);
        expect(await inst.store.countInitiatives()).toBe(before);
      },
      60_000,
    );

    it("refuses a file whose shared @context is over budget before reading any item.", async () => {
      const doc = {
        "@context": BOMBS[0]!.context[0],
        "@graph": [
          { "@id": "https://import.example/i/1", "@type": "https://lod.coop/essglobal/2.1/vocab/SSEInitiative" },
        ],
      };
      const report = await importSource(bufferSource("bomb.jsonld", JSON.stringify(doc)), inst.directory, inst.iris);
      expect(report.fatal?.message).toMatch(
        /^the document's @context: the inline contexts define more than 1000 terms/,
      );
      expect(report.read).toBe(0);
    }, 60_000);

    it("refuses a single document nested 100 deep, naming the limit.", async () => {
      let deep: unknown = "x";
      for (let d = 0; d < 100; d++) deep = { "http://example.org/p": deep };
      const doc = {
        "@context": ESS,
        "@id": "https://import.example/i/1",
        "@type": "essglobal:SSEInitiative",
        "gr:name": "Deep",
        "http://example.org/q": deep,
      };
      const report = await importSource(bufferSource("deep.jsonld", JSON.stringify(doc)), inst.directory, inst.iris);
      expect(report.fatal?.message).toMatch(/^the JSON-LD document: the document is nested more than 64 levels deep/);
      expect(report.created).toBe(0);
    }, 60_000);
  });

  describe("The JSON-LD budget during back-fill", () => {
    const following = (name: string) => ({
      actor: `${base}/actor`,
      inbox: `${base}/inbox`,
      followId: `${base}/follows/${name}`,
      state: "accepted" as const,
      since: new Date().toISOString(),
      directory: `${base}/directory?name=${name}`,
    });

    it.each(BOMBS.map((b, n) => [b.what, b, n] as const))(
      "refuses %s in a directory page and stores the rest of the page.",
      async (_what, bomb, n) => {
        const id = `${base}/initiatives/${kind.name}-bomb-${n}`;
        pages.set(`${kind.name}-bomb-${n}`, {
          "@context": AS,
          type: "OrderedCollectionPage",
          orderedItems: [
            item(`${kind.name}-before-${n}`),
            bombDoc(bomb, id, `${base}/actor`),
            item(`${kind.name}-after-${n}`),
          ],
        });
        const r = await alongside(inst, () => backfill(inst.runtime.ctx, following(`${kind.name}-bomb-${n}`)));
        expect(r.ordinary).toBe(200);
        expect(r.hostile).toMatchObject({ items: 3, created: 2, refused: 1 });
        expect(await inst.store.getInitiative(id)).toBeUndefined();
        expect(await inst.store.getInitiative(`${base}/initiatives/${kind.name}-after-${n}`)).toBeDefined();
        expect(await inst.store.queue("delivery").pending()).toBe(0);
      },
      60_000,
    );

    it("stops at a page whose own @context is over budget, naming the page.", async () => {
      pages.set("page-bomb", {
        "@context": [AS, ...BOMBS[0]!.context],
        id: `${base}/page?name=page-bomb`,
        type: "OrderedCollectionPage",
        orderedItems: [item("under-a-bad-page")],
      });
      await expect(backfill(inst.runtime.ctx, following("page-bomb"))).rejects.toThrow(
        /page\?name=page-bomb.*over the JSON-LD budget: the inline contexts define more than 1000 terms/,
      );
      expect(await inst.store.getInitiative(`${base}/initiatives/under-a-bad-page`)).toBeUndefined();
    }, 60_000);
  });

  describe("The JSON-LD budget for fetched actor documents", () => {
    const actorDoc = (path: string, bomb: Bomb) => ({
      ...bombDoc(bomb, `${base}${path}`, `${base}${path}`),
      "@context": [AS, "https://w3id.org/security/v1", ...bomb.context],
      type: "Service",
      inbox: `${base}/inbox`,
      publicKey: { id: `${base}${path}#main-key`, owner: `${base}${path}`, publicKeyPem: pem },
    });

    it.each(
      [BOMBS.find((b) => b.limit === "maxTermDefinitions")!, BOMBS.find((b) => b.limit === "maxQuads")!].map(
        (b) => [b.what, b] as const,
      ),
    )(
      "refuses a signature whose key document holds %s, saying why.",
      async (_what, bomb) => {
        const path = `/actors/${kind.name}-${bomb.limit}`;
        actors.set(path, actorDoc(path, bomb));
        const activity = {
          "@context": AS,
          id: `${base}${path}#follow`,
          type: "Follow",
          actor: `${base}${path}`,
          object: inst.iris.actor,
        };
        const body = JSON.stringify(activity);
        const req = new Request(`${inst.base}/inbox`, {
          method: "POST",
          body,
          headers: {
            "content-type": "application/activity+json",
            digest: `SHA-256=${createHash("sha256").update(body).digest("base64")}`,
          },
        });
        const signed = await signRequest(req, keys.privateKey, new URL(`${base}${path}#main-key`), {
          spec: "draft-cavage-http-signatures-12",
        });
        const r = await alongside(inst, () => fetch(signed));
        expect(r.ordinary).toBe(200);
        expect(r.hostile.status).toBe(401);
        expect(((await r.hostile.json()) as { detail: string }).detail).toContain("over the JSON-LD budget");
        expect(await inst.store.getFollower(`${base}${path}`)).toBeUndefined();
      },
      60_000,
    );
  });
});
