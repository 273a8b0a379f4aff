/**
 * The shipped vocabularies: the ESSGLOBAL ontology and SKOS schemes (rewritten to the canonical
 * base), and the JSON-LD context, so that anyone can read what the data means from the instance.
 */
import { Router } from "express";
import { ESS_CONTEXT } from "../../linkeddata/context.ts";
import { VOCAB_FILES, vocabularyQuads } from "../../linkeddata/vocabulary.ts";
import { writeQuads } from "../../linkeddata/serialize.ts";
import { NotFoundHttpError } from "../../errors.ts";
import { esc, layout } from "../html.ts";
import { negotiate, type Offer } from "../middleware/negotiate.ts";

const OFFERS = [
  { key: "turtle", types: ["text/turtle"], formats: ["ttl", "turtle"] },
  { key: "ntriples", types: ["application/n-triples"], formats: ["nt", "ntriples"] },
] as const satisfies readonly Offer[];

export function vocabRoutes(): Router {
  const router = Router();
  const rendered = new Map<string, string>();
  const context = JSON.stringify({ "@context": ESS_CONTEXT }, null, 2);

  router.get("/vocab/", (_req, res) => {
    const items = VOCAB_FILES.map((f) => `<li><a href="/vocab/${f}">${esc(f)}</a></li>`).join("");
    res
      .type("text/html")
      .send(
        layout(
          "Vocabularies",
          `<h1>Vocabularies</h1><ul>${items}` +
            '<li><a href="/vocab/essglobal-context.jsonld">essglobal-context.jsonld</a> (JSON-LD context)</li></ul>',
        ),
      );
  });
  router.get("/vocab/essglobal-context.jsonld", (_req, res) => {
    res.type("application/ld+json").setHeader("Access-Control-Allow-Origin", "*");
    res.send(context);
  });
  router.get("/vocab/:name", (req, res) => {
    const name = String(req.params.name).replace(/\.(ttl|nt)$/, "");
    if (!VOCAB_FILES.includes(name)) throw new NotFoundHttpError(`no vocabulary ${name}`);
    const ext: "turtle" | "ntriples" | undefined = /\.nt$/.test(String(req.params.name))
      ? "ntriples"
      : /\.ttl$/.test(String(req.params.name))
        ? "turtle"
        : undefined;
    const { key, type } = ext
      ? { key: ext, type: ext === "turtle" ? "text/turtle" : "application/n-triples" }
      : negotiate(req, OFFERS);
    const cacheKey = `${name}.${key}`;
    let text = rendered.get(cacheKey);
    if (!text) rendered.set(cacheKey, (text = writeQuads(vocabularyQuads().get(name)!, key)));
    res.setHeader("Access-Control-Allow-Origin", "*");
    res.setHeader("Vary", "Accept");
    res.type(type).send(text);
  });
  return router;
}
