/**
 * Reading initiatives from request bodies: JSON-LD (any correct context, no remote ones, within the
 * JSON-LD budget of ADR 18) or Turtle.
 */
import type { Request } from "express";
import { Parser } from "n3";
import type { InitiativeDraft } from "../domain/validate.ts";
import { draftsFromQuads } from "../linkeddata/initiative-rdf.ts";
import { JsonLdBudgetError, JsonLdInputError, draftsFromJsonLd } from "../linkeddata/jsonld-in.ts";
import { BadRequestHttpError, HttpError, UnprocessableHttpError, UnsupportedMediaTypeHttpError } from "../errors.ts";

export const BODY_LIMIT = 1024 * 1024;
export const JSON_TYPES = ["application/ld+json", "application/activity+json", "application/json"];
export const TURTLE_TYPES = ["text/turtle"];

/** Exactly one initiative from the body, or a 4xx that says why not. */
export async function readOneDraft(req: Request): Promise<InitiativeDraft> {
  const type = (req.headers["content-type"] ?? "").split(";")[0]!.trim().toLowerCase();
  let drafts: InitiativeDraft[];
  if (JSON_TYPES.includes(type)) {
    if (typeof req.body !== "object" || req.body === null)
      throw new BadRequestHttpError("the body must be a JSON-LD object", "invalid-jsonld");
    try {
      drafts = await draftsFromJsonLd(req.body);
    } catch (e) {
      if (e instanceof JsonLdInputError) throw new BadRequestHttpError(e.message, e.code, {}, { cause: e });
      if (e instanceof JsonLdBudgetError) throw new HttpError(e.status, e.code, e.message, e.extensions, { cause: e });
      throw e;
    }
  } else if (TURTLE_TYPES.includes(type)) {
    try {
      drafts = draftsFromQuads(
        new Parser({ format: "text/turtle", baseIRI: "urn:essfed:body:" }).parse(String(req.body ?? "")),
      );
    } catch (e) {
      throw new BadRequestHttpError(`invalid Turtle: ${(e as Error).message}`, "invalid-turtle", {}, { cause: e });
    }
  } else {
    throw new UnsupportedMediaTypeHttpError([...JSON_TYPES, ...TURTLE_TYPES]);
  }
  if (drafts.length !== 1) {
    throw new UnprocessableHttpError(
      drafts.length
        ? `the body describes ${drafts.length} initiatives; send one`
        : "the body describes no essglobal:SSEInitiative",
      [{ field: "type", property: "@type", message: "exactly one node typed essglobal:SSEInitiative is required" }],
      drafts.length ? "too-many-initiatives" : "no-initiative",
    );
  }
  return drafts[0]!;
}
