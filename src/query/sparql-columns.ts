/**
 * Queries over the initiative shape answered from the store's plain columns (ADR 30): when every
 * triple pattern asks for what those columns hold — the initiative's types and name, its primary
 * activity, its address node with coordinates — each record is read as its columns alone
 * (`Store.listShapes`), not its JSON, and matched as a record holding just those fields. The
 * triples they make are the ones the whole record makes for the same predicates, through the same
 * `initiativeToQuads`, so the answers are the same; records with translations (other names) come
 * whole.
 */
import { AS, ESS, GEO, GR, RDF } from "../linkeddata/namespaces.ts";
import type { ShapeRow, StoredInitiative } from "../store/store.ts";
import type { ShapedQuery, Tree } from "./sparql-shape.ts";

const FROM_COLUMNS = new Set([RDF.type, GR.name, AS.name, ESS.primarySector, ESS.hasAddress, GEO.lat, GEO.long]);
const COORDINATES = new Set([GEO.lat, GEO.long]);

/**
 * True when the columns answer every pattern. A record's address node is in the columns only
 * through its coordinates, so each `essglobal:hasAddress` pattern must sit in a basic pattern that
 * also requires a coordinate of that node (an address without coordinates then matches in neither).
 */
export function columnsSuffice(q: ShapedQuery): boolean {
  const ok = (t: Tree): boolean => {
    if (t.kind === "join") return t.inputs.every(ok);
    if (t.kind === "optional") return ok(t.left) && ok(t.right);
    return t.patterns.every(
      (p) =>
        FROM_COLUMNS.has(p.predicate.value) &&
        (p.predicate.value !== ESS.hasAddress ||
          t.patterns.some((c) => COORDINATES.has(c.predicate.value) && c.subject.equals(p.object))),
    );
  };
  return ok(q.tree);
}

/** The record as its columns give it: the fields the columns hold, nothing else. */
export function recordOfShape(r: ShapeRow): StoredInitiative {
  if (r.translated) return r.translated;
  return {
    initiative: {
      id: r.id,
      name: r.name,
      organisationalStructure: [],
      legalForm: [],
      activities: [],
      qualifiers: [],
      sameAs: [],
      ...(r.primaryActivity !== undefined ? { primaryActivity: r.primaryActivity } : {}),
      ...(r.lat !== undefined || r.long !== undefined
        ? {
            address: {
              ...(r.lat !== undefined ? { lat: r.lat } : {}),
              ...(r.long !== undefined ? { long: r.long } : {}),
            },
          }
        : {}),
    },
    published: "",
    updated: "",
    version: "",
    seq: r.seq,
  };
}
