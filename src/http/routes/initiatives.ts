/**
 * The directory collection and the initiatives in it: content-negotiated reads for everyone,
 * POST/PUT/DELETE for the admin (bearer token).
 */
import express, { Router, type Request, type Response } from "express";
import { AS_CONTEXT } from "../../linkeddata/namespaces.ts";
import { DOCUMENT_CONTEXT } from "../../linkeddata/context.ts";
import { FIELD_PROPERTY } from "../../linkeddata/fields.ts";
import { initiativeToJsonLd } from "../../linkeddata/initiative-jsonld.ts";
import { initiativeToQuads } from "../../linkeddata/initiative-rdf.ts";
import { datasetTerms } from "../../linkeddata/licences.ts";
import { ADOPTED_PATH, linksetIri, linksOf, recordLinkQuads, type RecordLinks } from "../../linkeddata/linkset.ts";
import { quadsToJsonLd } from "../../linkeddata/record-jsonld.ts";
import { writeQuads } from "../../linkeddata/serialize.ts";
import type { Issue } from "../../domain/validate.ts";
import type { StoredInitiative } from "../../store/store.ts";
import { mintLocalId } from "../../directory/ids.ts";
import type { HttpDeps } from "../deps.ts";
import { BODY_LIMIT, JSON_TYPES, TURTLE_TYPES, readOneDraft } from "../body.ts";
import { ConflictHttpError, GoneHttpError, NotFoundHttpError, UnprocessableHttpError } from "../../errors.ts";
import { esc, initiativePage, layout } from "../html.ts";
import { requireAdmin } from "../middleware/auth.ts";
import { AS_JSONLD, RDF_OFFERS, RECORD_OFFERS, negotiate, type RecordKey } from "../middleware/negotiate.ts";
import { RepresentationCache, type Representation } from "../representations.ts";
import { ignoreFailure } from "../../logging.ts";

const PAGE_DEFAULT = 100;
const PAGE_MAX = 1000;

export function initiativeRoutes(deps: HttpDeps): Router {
  const { config, store, taxonomies, directory, iris } = deps;
  const router = Router();
  const admin = requireAdmin(config.adminToken);
  const body = [
    express.json({ type: JSON_TYPES, limit: BODY_LIMIT, strict: true }),
    express.text({ type: TURTLE_TYPES, limit: BODY_LIMIT }),
  ];
  const ownerOf = (r: StoredInitiative) => r.provenance?.origin ?? iris.actor;
  // A record's linked-data documents are what other instances fetch (and back-fill reads): the
  // view for peers, the same as the signed document; the team's answers show everything.
  const terms = datasetTerms(config);
  const peers = { audience: "peers", terms } as const;
  const team = { audience: "team", terms } as const;

  const cache = new RepresentationCache();

  /** Renders one record in a representation (the cache keeps the result). */
  // Every document but the signed JSON-LD peers verify carries the sameAs links about the record —
  // this network's and those adopted from followed networks, each with its provenance — with Link
  // headers to the linksets served here (RFC 9264) and the links in the ETag.
  const own = { linkset: linksetIri(config.url), actor: iris.actor };
  const render = async (rec: StoredInitiative, key: RecordKey, type: string, links?: RecordLinks) => {
    const quads = (graphs: boolean) => [
      ...initiativeToQuads(rec, taxonomies, ownerOf(rec), undefined, undefined, "peers", terms),
      ...(links ? recordLinkQuads(own, rec.initiative.id, links, graphs) : []),
    ];
    const text =
      key === "html"
        ? initiativePage(rec, taxonomies, config.name)
        : key === "jsonld"
          ? (rec.signed ?? JSON.stringify(initiativeToJsonLd(rec, taxonomies, { owner: ownerOf(rec), ...peers })))
          : key === "jsonld-links"
            ? await quadsToJsonLd(quads(true))
            : writeQuads(quads(key === "nquads"), key);
    const body = Buffer.from(text, "utf8");
    const etag = `"${rec.version}-${key}${links?.digest ? `-${links.digest}` : ""}"`;
    const linkHeader = [
      ...(links?.pairs.length ? [`<${own.linkset}>; rel="linkset"; type="text/turtle"`] : []),
      ...(links?.adopted.length ? [`<${config.url}${ADOPTED_PATH}>; rel="linkset"; type="text/turtle"`] : []),
    ].join(", ");
    const r: Representation = {
      body,
      etag,
      headers: {
        "Content-Type": `${type}; charset=utf-8`,
        "Content-Length": String(body.length),
        ETag: etag,
        "Last-Modified": new Date(rec.updated).toUTCString(),
        Vary: "Accept",
        ...(linkHeader ? { Link: linkHeader } : {}),
      },
    };
    return r;
  };

  /** Sends a rendered representation (304 when the client has it). */
  const send = (req: Request, res: Response, r: Representation) => {
    if (req.headers["if-none-match"] === r.etag) {
      res.writeHead(304, { ETag: r.etag, Vary: "Accept" });
      return void res.end();
    }
    res.writeHead(200, r.headers);
    res.end(req.method === "HEAD" ? undefined : r.body);
  };

  const issuesToProblem = (issues: Issue[]) =>
    new UnprocessableHttpError(
      `the initiative is not valid: ${issues.map((i) => `${i.field} ${i.message}`).join("; ")}`,
      issues.map((i) => ({ ...i, ...(FIELD_PROPERTY[i.field] ? { property: FIELD_PROPERTY[i.field] } : {}) })),
    );

  router.get("/initiatives", async (req, res) => {
    const { key, type } = negotiate(req, [RDF_OFFERS[0], RDF_OFFERS[4]]);
    res.setHeader("Vary", "Accept");
    const total = await store.countInitiatives();
    if (req.query.page === undefined) {
      if (key === "html")
        return void res
          .type("text/html")
          .send(
            layout(
              config.name,
              `<h1>${esc(config.name)}</h1><p>${total} initiatives. ` +
                `<a href="${esc(iris.directory)}?page=true&amp;format=html">Browse them</a>.</p>`,
            ),
          );
      return void res.type(type).send(
        JSON.stringify({
          "@context": AS_CONTEXT,
          id: iris.directory,
          type: "OrderedCollection",
          totalItems: total,
          attributedTo: iris.actor,
          first: `${iris.directory}?page=true`,
        }),
      );
    }
    const limit = Math.min(PAGE_MAX, Math.max(1, Number(req.query.limit) || PAGE_DEFAULT));
    const cursor =
      typeof req.query.cursor === "string" && /^\d{1,16}$/.test(req.query.cursor) ? req.query.cursor : undefined;
    const page = await store.listInitiatives({ limit, ...(cursor ? { cursor } : {}) });
    const sized = req.query.limit ? `&limit=${limit}` : "";
    const self = `${iris.directory}?page=true${cursor ? `&cursor=${cursor}` : ""}${sized}`;
    const next = page.next ? `${iris.directory}?page=true&cursor=${page.next}${sized}` : undefined;
    if (key === "html") {
      const items = page.items
        .map((r) => `<li><a href="${esc(r.initiative.id)}">${esc(r.initiative.name)}</a></li>`)
        .join("");
      return void res
        .type("text/html")
        .send(
          layout(
            config.name,
            `<h1>${esc(config.name)}</h1><ul>${items}</ul>` +
              (next ? `<a href="${esc(next)}&amp;format=html">Next</a>` : ""),
          ),
        );
    }
    // Own records are served signed, so followers can relay them verifiably: signed when written
    // while someone follows, else signed now (kept in memory: a read writes nothing).
    if (deps.sign) {
      const unsigned = page.items.filter((r) => !r.signed && !r.provenance);
      const docs = unsigned.length ? await deps.sign(unsigned) : [];
      const signedNow = new Map(unsigned.map((r, n) => [r.initiative.id, JSON.stringify(docs[n])]));
      page.items = page.items.map((r) =>
        signedNow.has(r.initiative.id) ? { ...r, signed: signedNow.get(r.initiative.id)! } : r,
      );
    }
    // Items are spliced in as text: a signed item keeps its own @context (its proof covers the
    // document as signed), and a page of a thousand is not parsed and serialised again.
    const head = JSON.stringify({
      "@context": DOCUMENT_CONTEXT,
      id: self,
      type: "OrderedCollectionPage",
      partOf: iris.directory,
      totalItems: total,
      ...(next ? { next } : {}),
    });
    const items = page.items.map(
      (r) =>
        r.signed ?? JSON.stringify(initiativeToJsonLd(r, taxonomies, { owner: ownerOf(r), context: false, ...peers })),
    );
    res.type(type).send(`${head.slice(0, -1)},"orderedItems":[${items.join(",")}]}`);
    // A follower paging through the directory asks for the next page at once: sign it while the
    // follower is busy with this one.
    if (deps.sign && page.next) void signAhead(page.next, limit);
  });

  /** Signs the own, unsigned records of the page after `cursor` (once at a time). */
  let signing: Promise<void> | undefined;
  const signAhead = (cursor: string, limit: number) => {
    if (signing) return signing;
    signing = (async () => {
      const next = await store.listInitiatives({ limit, cursor });
      const unsigned = next.items.filter((r) => !r.signed && !r.provenance);
      if (unsigned.length) await deps.sign!(unsigned);
    })()
      // Signing ahead is only a head start: the next page signs what is still unsigned when asked.
      .catch(ignoreFailure("sign-ahead"))
      .finally(() => {
        signing = undefined;
      });
    return signing;
  };

  router.post("/initiatives", admin, ...body, async (req, res) => {
    const draft = await readOneDraft(req);
    const own = iris.localId(draft.id);
    if (own && (await store.getInitiative(draft.id)))
      throw new ConflictHttpError(`${draft.id} exists; PUT to replace it`, "exists");
    draft.id = own ? draft.id : iris.initiative(mintLocalId(draft.name ?? ""));
    const [result] = await directory.upsert([draft]);
    if (!result!.ok) throw issuesToProblem(result!.issues);
    res
      .status(201)
      .location(draft.id)
      .type(AS_JSONLD)
      .send(JSON.stringify(initiativeToJsonLd(result!.record, taxonomies, { owner: iris.actor, ...team })));
  });

  router.get("/initiatives/:id", async (req, res) => {
    const id = iris.initiative(req.params.id);
    const { key, type } = negotiate(req, RECORD_OFFERS);
    if (key === "html" && deps.pages) {
      // Pages for people depend on the reader's language and session: rendered for each request.
      res.setHeader("Vary", "Accept");
      const rec = await store.getInitiative(id);
      if (rec) return deps.pages.initiative(req, res, rec);
      const withheld = await store.curation.getWithheld(id);
      if (withheld) return deps.pages.withheld(req, res, withheld, `no initiative ${id}`);
      const tomb = await store.getTombstone(id);
      if (tomb) return deps.pages.gone(req, res, tomb);
      throw new NotFoundHttpError(`no initiative ${id}`);
    }
    const stamp = await store.changeStamp();
    // Decisions do not change the record's number: the links are looked up and keyed separately.
    const links = key === "jsonld" ? undefined : await linksOf(store, id);
    const ckey = links?.digest ? `${type} ${links.digest}` : type;
    const fresh = cache.fresh(id, stamp, ckey);
    if (fresh) return send(req, res, fresh);
    const seq = await store.initiativeSeq(id);
    if (seq !== undefined) {
      const cached = cache.get(id, seq, stamp, ckey);
      if (cached) return send(req, res, cached);
      const rec = await store.getInitiative(id);
      if (rec) {
        const r = await render(rec, key, type, links);
        cache.set(id, rec.seq, stamp, ckey, r);
        return send(req, res, r);
      }
    }
    const tomb = await store.getTombstone(id);
    if (!tomb) throw new NotFoundHttpError(`no initiative ${id}`);
    const gone = negotiate(req, [RDF_OFFERS[0], RDF_OFFERS[4]]);
    if (gone.key === "html")
      return void res
        .status(410)
        .type("text/html")
        .send(layout("Deleted", `<h1>Deleted</h1><p>This initiative was removed on ${esc(tomb.deleted)}.</p>`));
    res
      .status(410)
      .type(gone.type)
      .send(
        JSON.stringify({
          "@context": DOCUMENT_CONTEXT,
          id,
          type: "Tombstone",
          formerType: ["Page", "essglobal:SSEInitiative"],
          deleted: tomb.deleted,
        }),
      );
  });

  router.put("/initiatives/:id", admin, ...body, async (req, res) => {
    const draft = await readOneDraft(req);
    draft.id = iris.initiative(req.params.id as string);
    const existed = Boolean(await store.getInitiative(draft.id));
    const [result] = await directory.upsert([draft]);
    if (!result!.ok) throw issuesToProblem(result!.issues);
    res
      .status(existed ? 200 : 201)
      .location(draft.id)
      .type(AS_JSONLD)
      .send(JSON.stringify(initiativeToJsonLd(result!.record, taxonomies, { owner: iris.actor, ...team })));
  });

  router.delete("/initiatives/:id", admin, async (req, res) => {
    const id = iris.initiative(req.params.id as string);
    if (await directory.delete(id)) return void res.status(204).end();
    if (await store.getTombstone(id)) throw new GoneHttpError(`${id} was already deleted`);
    throw new NotFoundHttpError(`no initiative ${id}`);
  });

  return router;
}
