/**
 * Solutions of a shaped query over a record's plain columns without matching triples (ADR 39).
 * A record without translations makes, from its columns, the same few triples every time: only
 * which of its optional columns are present (primary activity, latitude, longitude) changes
 * which ones, and the values in them. So the pattern is matched once per combination of present
 * columns (eight), against triples whose values stand for the column they come from; each
 * solution found is a template saying, per variable, which column's term it binds (or which
 * fixed term, a type). A record's solutions are then its combination's templates filled from its
 * columns.
 *
 * That is exact only when no step of the match compares a column's value with anything but itself:
 * no constant object except a type, no FILTER-fixed variable, and no variable shared by two
 * different columns (a latitude equal to the longitude would join where the stand-ins do not).
 * Such queries are not planned here and are matched record by record as before.
 */
import type { Quad, Term } from "n3";
import { decimal, NODE } from "../linkeddata/initiative-jsonld.ts";
import { AS, ESS, GEO, GR, RDF } from "../linkeddata/namespaces.ts";
import { namedNode } from "../linkeddata/terms.ts";
import type { ShapeRow } from "../store/store.ts";
import { decimalLiteral, shapeTriples, stringLiteral } from "./sparql-columns.ts";
import { matchTriples, type RecordMatcher } from "./sparql-record.ts";
import type { ShapedQuery, Tree } from "./sparql-shape.ts";

type Solution = Map<string, Term>;

/** Where a variable's term comes from: a column (its number in `COLUMN_OF`), or a fixed term. */
type Source = number | Term;
const ROOT = 0;
const ADDRESS = 1;
const NAME = 2;
const PRIMARY = 3;
const LAT = 4;
const LONG = 5;

/** The column an object of each predicate comes from. */
const COLUMN_OF: Record<string, number> = {
  [GR.name]: NAME,
  [AS.name]: NAME,
  [ESS.primarySector]: PRIMARY,
  [ESS.hasAddress]: ADDRESS,
  [GEO.lat]: LAT,
  [GEO.long]: LONG,
};
const TYPE = -1;

/** Stand-in values: none of them is a type's IRI or another column's value. */
const STAND_IN = { id: "urn:x-essfed:column:root", name: "\u0000name", primary: "urn:x-essfed:column:primary" };
const STAND_IN_LAT = 0.25;
const STAND_IN_LONG = 0.75;

function patternsOf(t: Tree): Quad[] {
  if (t.kind === "bgp") return t.patterns as unknown as Quad[];
  if (t.kind === "join") return t.inputs.flatMap(patternsOf);
  return [...patternsOf(t.left), ...patternsOf(t.right)];
}

/** True when matching stand-ins decides every comparison as the record's own values would. */
function decidable(q: ShapedQuery): boolean {
  if (q.fixed.size) return false;
  const columns = new Map<string, number>();
  const note = (v: string, c: number) => {
    const held = columns.get(v);
    if (held === undefined) columns.set(v, c);
    return held === undefined || held === c;
  };
  for (const p of patternsOf(q.tree)) {
    // Subjects are the root or its address node (the only node the columns hold).
    if (!note(p.subject.value, p.subject.value === q.root ? ROOT : ADDRESS)) return false;
    if (p.predicate.value === RDF.type) {
      // Types are fixed terms: compared as themselves.
      if (p.object.termType === "Variable" && !note(p.object.value, TYPE)) return false;
      continue;
    }
    const column = COLUMN_OF[p.predicate.value];
    if (column === undefined || p.object.termType !== "Variable" || !note(p.object.value, column)) return false;
  }
  return true;
}

/** The column a stand-in term stands for, or the term itself (a type). */
function sourceOf(t: Term): Source {
  if (t.termType === "NamedNode") {
    if (t.value === STAND_IN.id) return ROOT;
    if (t.value === STAND_IN.id + NODE.address) return ADDRESS;
    if (t.value === STAND_IN.primary) return PRIMARY;
    return t;
  }
  if (t.termType === "Literal") {
    if (t.value === STAND_IN.name) return NAME;
    if (t.value === decimal(STAND_IN_LAT)) return LAT;
    if (t.value === decimal(STAND_IN_LONG)) return LONG;
  }
  return t;
}

/** Which of a row's optional columns are present, as the number of its templates. */
const combination = (r: ShapeRow) =>
  (r.primaryActivity ? 1 : 0) | (r.lat !== undefined ? 2 : 0) | (r.long !== undefined ? 4 : 0);

/**
 * The query's solutions over a record without translations, from its columns, when the query
 * allows (see above); undefined otherwise.
 */
export function columnRows(q: ShapedQuery, m: RecordMatcher): ((r: ShapeRow) => Solution[]) | undefined {
  if (!decidable(q)) return undefined;
  const templates: [string, Source][][][] = [];
  for (let k = 0; k < 8; k++) {
    const standIn: ShapeRow = {
      seq: 0,
      id: STAND_IN.id,
      name: STAND_IN.name,
      ...(k & 1 ? { primaryActivity: STAND_IN.primary } : {}),
      ...(k & 2 ? { lat: STAND_IN_LAT } : {}),
      ...(k & 4 ? { long: STAND_IN_LONG } : {}),
    };
    const solutions = matchTriples(m, shapeTriples(standIn, m.predicates), namedNode(standIn.id));
    templates.push(solutions.map((s) => [...s].map(([v, t]): [string, Source] => [v, sourceOf(t)])));
  }
  const terms: (Term | undefined)[] = new Array<Term | undefined>(6).fill(undefined);
  const column = (r: ShapeRow, c: number): Term => {
    const held = terms[c];
    if (held) return held;
    let t: Term;
    if (c === ROOT) t = namedNode(r.id);
    else if (c === ADDRESS) t = namedNode(r.id + NODE.address);
    else if (c === NAME) t = stringLiteral(r.name);
    else if (c === PRIMARY) t = namedNode(r.primaryActivity!);
    else if (c === LAT) t = decimalLiteral(r.lat!);
    else t = decimalLiteral(r.long!);
    return (terms[c] = t);
  };
  return (r) => {
    const found = templates[combination(r)]!;
    if (!found.length) return [];
    terms.fill(undefined);
    return found.map((template) => {
      const out: Solution = new Map();
      for (const [v, source] of template) out.set(v, typeof source === "number" ? column(r, source) : source);
      return out;
    });
  };
}
