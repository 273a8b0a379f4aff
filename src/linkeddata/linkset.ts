/**
 * The sameAs linkset a network publishes from its confirmed duplicate pairs (issue 16): a VoID
 * linkset of its own, at its own IRI and in a named graph of that IRI, with one `owl:sameAs` per
 * confirmed pair and, for each, a reified statement saying who decided it and when. Other
 * networks' records are never edited: the links are this network's statements about them.
 */
import { createHash } from "node:crypto";
import { type Quad, type Quad_Graph } from "n3";
import { namedNode, literal, quad, defaultGraph } from "./terms.ts";
import type { AdoptedLink, DuplicatePair } from "../store/duplicates.ts";
import type { Store } from "../store/store.ts";
import { DCTERMS, ESSFED, OWL, PROV, RDF, XSD } from "./namespaces.ts";
import { writeQuads, type RdfFormat } from "./serialize.ts";

/** Where a network serves its linkset, under its base URL. */
export const LINKSET_PATH = "/linksets/sameas";

const VOID = "http://rdfs.org/ns/void#";
const STATEMENT = `${RDF.ns}Statement`;

export const linksetIri = (base: string): string => `${base}${LINKSET_PATH}`;

/** The IRI of the decision on one pair, within the linkset. */
export function decisionIri(linkset: string, p: { a: string; b: string }): string {
  return `${linkset}#${createHash("sha256").update(`${p.a} ${p.b}`).digest("hex").slice(0, 24)}`;
}

/** What the linkset is and who publishes it. */
export function linksetHeader(linkset: string, actor: string, graph: Quad_Graph = defaultGraph()): Quad[] {
  const s = namedNode(linkset);
  return [
    quad(s, namedNode(RDF.type), namedNode(`${VOID}Linkset`), graph),
    quad(s, namedNode(`${VOID}linkPredicate`), namedNode(OWL.sameAs), graph),
    quad(s, namedNode(DCTERMS.title), literal("Records this network has confirmed to be one organisation"), graph),
    quad(s, namedNode(`${DCTERMS.ns}publisher`), namedNode(actor), graph),
  ];
}

/** One confirmed pair: the link, and the decision with who took it and when. */
export function pairQuads(
  linkset: string,
  actor: string,
  p: DuplicatePair,
  graph: Quad_Graph = defaultGraph(),
): Quad[] {
  const d = namedNode(decisionIri(linkset, p));
  const out = [
    quad(namedNode(p.a), namedNode(OWL.sameAs), namedNode(p.b), graph),
    quad(d, namedNode(RDF.type), namedNode(STATEMENT), graph),
    quad(d, namedNode(`${RDF.ns}subject`), namedNode(p.a), graph),
    quad(d, namedNode(`${RDF.ns}predicate`), namedNode(OWL.sameAs), graph),
    quad(d, namedNode(`${RDF.ns}object`), namedNode(p.b), graph),
    quad(d, namedNode(PROV.wasAttributedTo), namedNode(actor), graph),
    quad(d, namedNode(`${ESSFED.ns}decidedBy`), literal(p.decidedBy ?? "unknown"), graph),
    quad(d, namedNode(`${ESSFED.ns}score`), literal(String(p.score), namedNode(XSD.decimal)), graph),
    quad(namedNode(linkset), namedNode(`${VOID}linkset`), d, graph),
  ];
  if (p.decidedAt)
    out.push(quad(d, namedNode(PROV.generatedAtTime), literal(p.decidedAt, namedNode(XSD.dateTime)), graph));
  return out;
}

/**
 * The linkset as text, a page of pairs at a time (never the whole set in memory): N-Triples,
 * N-Quads in the linkset's named graph, or Turtle (each page a valid Turtle document on its own).
 */
export async function* linksetChunks(
  store: Store,
  base: string,
  actor: string,
  format: RdfFormat,
): AsyncGenerator<string> {
  const linkset = linksetIri(base);
  const graph = format === "nquads" ? namedNode(linkset) : defaultGraph();
  yield writeQuads(linksetHeader(linkset, actor, graph), format);
  let cursor: string | undefined;
  do {
    const page = await store.duplicates.confirmedPairs(1000, cursor);
    if (page.items.length)
      yield writeQuads(
        page.items.flatMap((p) => pairQuads(linkset, actor, p, graph)),
        format,
      );
    cursor = page.next;
  } while (cursor);
}

/** An adopted link as a pair of its network's linkset. */
const adoptedPair = (l: AdoptedLink): DuplicatePair => ({
  ...l,
  reasons: [],
  state: "confirmed",
  updated: l.receivedAt,
});

/** Where a network serves the links it adopted from the networks it follows. */
export const ADOPTED_PATH = "/linksets/adopted";

/**
 * The links adopted from followed networks, each as its network published it: in N-Quads in the
 * named graph of that network's linkset, attributed to that network (never to this one).
 */
export async function* adoptedChunks(store: Store, format: RdfFormat): AsyncGenerator<string> {
  let cursor: string | undefined;
  const headed = new Set<string>();
  do {
    const page = await store.duplicates.adoptedLinks(1000, cursor);
    const quads: Quad[] = [];
    for (const l of page.items) {
      const graph = format === "nquads" ? namedNode(l.linkset) : defaultGraph();
      if (!headed.has(l.linkset)) {
        headed.add(l.linkset);
        quads.push(...linksetHeader(l.linkset, l.publisher, graph));
      }
      quads.push(...pairQuads(l.linkset, l.publisher, adoptedPair(l), graph));
    }
    yield writeQuads(quads, format);
    cursor = page.next;
  } while (cursor);
}

/** The links a record's documents carry: this network's confirmed pairs and the links adopted about it. */
export interface RecordLinks {
  pairs: DuplicatePair[];
  adopted: AdoptedLink[];
  /** Short digest of both for the record's ETag ("" when there are none). */
  digest: string;
}

/**
 * The confirmed pairs of this network's linkset that involve record `id` and the links adopted
 * from followed networks about it (at most 50 of each), with a short digest of them for the
 * record's ETag: a decision taken or undone, here or by a network we adopt from, changes the
 * representation.
 */
export async function linksOf(store: Store, id: string): Promise<RecordLinks> {
  const [page, adopted] = await Promise.all([
    store.duplicates.listPairs({ id, state: "confirmed", limit: 50 }),
    store.duplicates.adoptedLinksOf(id, 50),
  ]);
  const pairs = page.items;
  const lines = [
    ...pairs.map((p) => `${p.a} ${p.b} ${p.decidedBy ?? ""} ${p.decidedAt ?? ""} ${p.score}`),
    ...adopted.map((l) => `${l.publisher} ${l.linkset} ${l.a} ${l.b} ${l.decidedBy} ${l.decidedAt} ${l.score}`),
  ];
  const digest = lines.length ? createHash("sha256").update(lines.join("\n")).digest("hex").slice(0, 12) : "";
  return { pairs, adopted, digest };
}

/**
 * The linksets' statements about one record, added to its documents as this network serves it:
 * each link with its decision and who took it — this network for its own linkset, the publishing
 * network for an adopted link, never us — and the record pointing at each linkset
 * (`rdfs:seeAlso`). With `graphs` (N-Quads, JSON-LD) each linkset's statements are in its own
 * named graph, so their provenance survives a merge.
 */
export function recordLinkQuads(
  own: { linkset: string; actor: string },
  id: string,
  links: Pick<RecordLinks, "pairs" | "adopted">,
  graphs: boolean,
): Quad[] {
  const sets = new Map<string, { publisher: string; pairs: DuplicatePair[] }>();
  if (links.pairs.length) sets.set(own.linkset, { publisher: own.actor, pairs: links.pairs });
  for (const l of links.adopted) {
    // A network's link cannot pose as ours: an adopted linkset named like ours is left out.
    if (l.linkset === own.linkset) continue;
    const set = sets.get(l.linkset) ?? { publisher: l.publisher, pairs: [] };
    if (set.publisher !== l.publisher) continue;
    set.pairs.push(adoptedPair(l));
    sets.set(l.linkset, set);
  }
  const out: Quad[] = [];
  for (const [linkset, set] of sets) {
    const graph = graphs ? namedNode(linkset) : defaultGraph();
    out.push(
      quad(namedNode(id), namedNode("http://www.w3.org/2000/01/rdf-schema#seeAlso"), namedNode(linkset)),
      quad(namedNode(linkset), namedNode(RDF.type), namedNode(`${VOID}Linkset`), graph),
      quad(namedNode(linkset), namedNode(`${DCTERMS.ns}publisher`), namedNode(set.publisher), graph),
      ...set.pairs.flatMap((p) => pairQuads(linkset, set.publisher, p, graph)),
    );
  }
  return out;
}
