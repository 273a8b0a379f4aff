/**
 * Queries over the initiative shape answered from the store's plain columns (ADR 30): when every
 * triple pattern asks for what those columns hold — the initiative's types and name, its primary
 * activity, its address node with coordinates — each record is read as its columns alone
 * (`Store.listShapes`), not its JSON, and matched as a record holding just those fields. The
 * triples they make are the ones the whole record makes for the same predicates, through the same
 * `initiativeToQuads`, so the answers are the same; records with translations (other names) come
 * whole. The triples of a record without translations are made from its columns directly
 * (`shapeTriples`), the same ones `initiativeToQuads` makes of the record `recordOfShape` gives.
 */
import { Literal, type NamedNode, type Term } from "n3";
import { decimal, NODE } from "../linkeddata/initiative-jsonld.ts";
import { AS, ESS, GEO, GR, RDF, XSD } from "../linkeddata/namespaces.ts";
import { namedNode } from "../linkeddata/terms.ts";
import type { ShapeRow, StoredInitiative } from "../store/store.ts";
import type { Held, Triples } from "./sparql-record.ts";
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

const PAGE = namedNode(AS.Page);
const INITIATIVE = namedNode(ESS.SSEInitiative);
const ADDRESS = namedNode(ESS.Address);
const DECIMAL = namedNode(XSD.decimal);
const STRING = namedNode(XSD.string);

/**
 * An n3 literal whose parts are held instead of parsed out of its id at each read (n3 parses them
 * every time, and the writers and matcher read them for every row); the same id as n3's literal of
 * the same value and datatype, so equal to it.
 */
export class ColumnLiteral extends Literal {
  override readonly value: string;
  override readonly language = "";
  override readonly datatype: NamedNode;
  override readonly datatypeString: string;

  constructor(value: string, datatype: NamedNode) {
    super(datatype === STRING ? `"${value}"` : `"${value}"^^${datatype.value}`);
    this.value = value;
    this.datatype = datatype;
    this.datatypeString = datatype.value;
  }
}

export const stringLiteral = (value: string): Literal => new ColumnLiteral(value, STRING);
export const decimalLiteral = (n: number): Literal => new ColumnLiteral(decimal(n), DECIMAL);

/**
 * The triples, among those whose predicate is in `predicates`, that `initiativeToQuads` makes of
 * `recordOfShape(r)` for a record without translations, indexed by subject then predicate, made
 * from the columns without building the record (a test holds the two equal).
 */
export function shapeTriples(r: ShapeRow, predicates: ReadonlySet<string>): Triples {
  const s = namedNode(r.id);
  const own = new Map<string, Held[]>();
  const out: Triples = new Map([[r.id, own]]);
  const add = (on: Map<string, Held[]>, subject: Term, p: string, object: Term) => {
    if (!predicates.has(p)) return;
    const list = on.get(p);
    if (list) list.push({ subject, object });
    else on.set(p, [{ subject, object }]);
  };
  add(own, s, RDF.type, PAGE);
  add(own, s, RDF.type, INITIATIVE);
  if (predicates.has(AS.name) || predicates.has(GR.name)) {
    const name = stringLiteral(r.name);
    add(own, s, AS.name, name);
    add(own, s, GR.name, name);
  }
  if (r.primaryActivity && predicates.has(ESS.primarySector))
    add(own, s, ESS.primarySector, namedNode(r.primaryActivity));
  if (r.lat === undefined && r.long === undefined) return out;
  const id = r.id + NODE.address;
  const n = namedNode(id);
  add(own, s, ESS.hasAddress, n);
  const node = new Map<string, Held[]>();
  out.set(id, node);
  add(node, n, RDF.type, ADDRESS);
  if (r.lat !== undefined && predicates.has(GEO.lat)) add(node, n, GEO.lat, decimalLiteral(r.lat));
  if (r.long !== undefined && predicates.has(GEO.long)) add(node, n, GEO.long, decimalLiteral(r.long));
  return out;
}
