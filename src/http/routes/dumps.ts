/**
 * Full dumps for researchers and other aggregators: N-Quads (one named graph per source network),
 * CSV in the SEA standard columns, GeoJSON. Each is written to a file under the data directory the
 * first time it is asked for after a change (never built in memory), then served from it with a
 * strong ETag (the store's change number), so an unchanged dump costs a 304.
 */
import { createReadStream, createWriteStream } from "node:fs";
import { mkdir, readdir, rename, rm, stat } from "node:fs/promises";
import { once } from "node:events";
import { join } from "node:path";
import { Router } from "express";
import { exportAll, type ExportFormat } from "../../exporters/export.ts";
import type { HttpDeps } from "../deps.ts";
import { NotFoundHttpError } from "../../errors.ts";
import { esc, layout } from "../html.ts";
import { sendLinkset } from "./linkset.ts";
import { termsHtml } from "./dataset.ts";
import { bySource, IRI } from "../../linkeddata/dataset.ts";
import { sharedTermsSummary } from "../terms-summary.ts";
import { own } from "../../domain/own.ts";

const DUMPS: Record<string, { format: ExportFormat; type: string }> = {
  "initiatives.nq": { format: "nquads", type: "application/n-quads" },
  "initiatives.csv": { format: "csv", type: "text/csv; charset=utf-8" },
  "initiatives.geojson": { format: "geojson", type: "application/geo+json" },
};

export function dumpRoutes(deps: HttpDeps): Router {
  const { config, store } = deps;
  const terms = sharedTermsSummary(store);
  const router = Router();
  const dir = join(config.dataDir, "dumps");
  const building = new Map<string, Promise<string>>();

  /** The file holding `name` at change number `n`, written if it is not there yet. */
  const file = (name: string, n: number): Promise<string> => {
    const key = `${name}@${n}`;
    let p = building.get(key);
    if (!p) {
      p = (async () => {
        const path = join(dir, `${n}-${name}`);
        if (
          await stat(path).then(
            () => true,
            () => false,
          )
        )
          return path;
        await mkdir(dir, { recursive: true });
        const tmp = `${path}.${process.pid}.tmp`;
        const out = createWriteStream(tmp);
        for await (const chunk of exportAll(deps, DUMPS[name]!.format)) if (!out.write(chunk)) await once(out, "drain");
        await new Promise<void>((resolve, reject) => out.end((e?: Error | null) => (e ? reject(e) : resolve())));
        await rename(tmp, path);
        // Older versions of this dump are no longer served.
        for (const f of await readdir(dir))
          if (f.endsWith(`-${name}`) && f !== `${n}-${name}`) await rm(join(dir, f), { force: true });
        return path;
      })().finally(() => building.delete(key));
      building.set(key, p);
    }
    return p;
  };

  /** Each source network in the dumps with the licences and credits its records carry (ADR 28). */
  const sourcesHtml = async (): Promise<string> => {
    const rows = [...bySource(await terms())]
      .filter(([source]) => !source || IRI.test(source))
      .map(([source, s]) => {
        const who = source ? `<a href="${esc(source)}">${esc(source)}</a>` : esc(config.name) + " (own records)";
        const licences = [...s.licences].map((l) => `<a rel="license" href="${esc(l)}">${esc(l)}</a>`);
        if (!source && config.licence)
          licences.unshift(`<a href="${esc(config.licence.iri)}">${esc(config.licence.label)}</a>`);
        const credits = [...s.credits].map(esc);
        const licence = [...new Set(licences)].join(", ") || "not named";
        const credit = credits.join(", ") || (source ? "not named" : esc(config.attribution));
        return `<li>${who}: ${s.count} held; licence: ${licence}; attribution: ${credit}</li>`;
      });
    return rows.length ? `<h2>Sources and their terms</h2><ul class="sources">${rows.join("")}</ul>` : "";
  };

  router.get("/dumps/", async (_req, res) => {
    const items =
      Object.entries(DUMPS)
        .map(([name, d]) => `<li><a href="/dumps/${name}">${name}</a> (${esc(d.type.split(";")[0])})</li>`)
        .join("") +
      `<li><a href="/dumps/sameas.nq">sameas.nq</a> (application/n-quads): this network's sameAs linkset</li>` +
      `<li><a href="/dumps/adopted.nq">adopted.nq</a> (application/n-quads): the sameAs links adopted from ` +
      `the networks this one follows, each in its deciding network's linkset graph</li>`;
    res.type("text/html").send(
      layout(
        "Dumps",
        `<h1>Dumps</h1><p>Everything this instance holds, regenerated after each change.</p><ul>${items}</ul>
<p>${termsHtml(config)}</p>${await sourcesHtml()}
<p>The <a href="/dataset">dataset description</a> (DCAT, VoID) lists these dumps and sources.</p>`,
      ),
    );
  });

  // The linkset changes with decisions, not with records: written afresh each time (it is small).
  router.get("/dumps/sameas.nq", async (_req, res) => {
    res.setHeader("Content-Disposition", `inline; filename="sameas.nq"`);
    await sendLinkset(deps, res, "application/n-quads");
  });
  router.get("/dumps/adopted.nq", async (_req, res) => {
    res.setHeader("Content-Disposition", `inline; filename="adopted.nq"`);
    await sendLinkset(deps, res, "application/n-quads", true);
  });

  router.get("/dumps/:name", async (req, res) => {
    const name = String(req.params.name);
    const d = own(DUMPS, name);
    if (!d) throw new NotFoundHttpError(`no dump ${name}; see /dumps/`);
    const n = await store.changeNumber();
    const etag = `"${n}-${d.format}"`;
    res.setHeader("ETag", etag);
    res.setHeader("Cache-Control", "no-cache");
    if (req.headers["if-none-match"] === etag) return void res.status(304).end();
    const path = await file(name, n);
    res.setHeader("Content-Type", d.type);
    res.setHeader("Content-Length", String((await stat(path)).size));
    res.setHeader("Content-Disposition", `inline; filename="${name}"`);
    if (req.method === "HEAD") return void res.end();
    createReadStream(path).pipe(res);
  });
  return router;
}
