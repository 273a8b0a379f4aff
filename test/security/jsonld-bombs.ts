/**
 * Hostile JSON-LD for the budget's security cases (ADR 18): each a small document (well under the
 * 1 MB any intake takes) built to make expansion costly, with the refusal it must get. Each is an
 * initiative as far as ActivityStreams goes (id, type, attributedTo under the AS context), so that
 * it reaches whatever part of the intake would expand it.
 */
export interface Bomb {
  what: string;
  /** Extra contexts after ActivityStreams and the ESSGLOBAL prefixes. */
  context: unknown[];
  /** Extra properties of the initiative. */
  props: Record<string, unknown>;
  status: number;
  code: string;
  /** The budget item the refusal names (absent for 400s). */
  limit?: string;
}

const E = "http://example.org/";
const terms = (n: number, prefix = "t", iri = E) =>
  Object.fromEntries(Array.from({ length: n }, (_, i) => [`${prefix}${i}`, `${iri}${i}`]));
const K11 = Array.from({ length: 11 }, (_, k) => k);
const long = (n: number) => `${E}${"x".repeat(n)}/`;

function scopedChain(depth: number, via: "@id" | "@type"): Record<string, unknown> {
  let ctx: Record<string, unknown> = { leaf: `${E}leaf` };
  for (let d = 0; d < depth; d++)
    ctx = { [`${via === "@id" ? "p" : "T"}${d}`]: { "@id": `${E}p${d}`, "@context": ctx } };
  return ctx;
}

function nested(depth: number): unknown {
  let v: unknown = "bottom";
  for (let d = 0; d < depth; d++) v = { [`${E}p`]: v };
  return v;
}

export const BOMBS: Bomb[] = [
  {
    what: "a term-definition bomb (5,000 terms)",
    context: [terms(5000)],
    props: {},
    status: 422,
    code: "jsonld-too-complex",
    limit: "maxTermDefinitions",
  },
  {
    what: "property-scoped contexts nested 8 deep",
    context: [scopedChain(8, "@id")],
    props: {},
    status: 422,
    code: "jsonld-too-complex",
    limit: "maxScopedContextDepth",
  },
  {
    what: "type-scoped contexts nested 8 deep",
    context: [
      (() => {
        let ctx: Record<string, unknown> = { leaf: `${E}leaf` };
        for (let d = 0; d < 8; d++) ctx = { [`T${d}`]: { "@id": `${E}T${d}`, "@context": ctx } };
        return ctx;
      })(),
    ],
    props: { "essglobal:hasAddress": { type: "T0" } },
    status: 422,
    code: "jsonld-too-complex",
    limit: "maxScopedContextDepth",
  },
  {
    what: "a 90 KB inline context",
    context: [terms(60, "big", long(1500))],
    props: {},
    status: 413,
    code: "jsonld-too-large",
    limit: "maxContextChars",
  },
  {
    what: "a document nested 40 deep",
    context: [],
    props: { [`${E}deep`]: nested(40) },
    status: 422,
    code: "jsonld-too-complex",
    limit: "maxDepth",
  },
  {
    what: "30,000 values",
    context: [],
    props: Object.fromEntries(
      Array.from({ length: 30 }, (_, k) => [`${E}many${k}`, Array.from({ length: 1000 }, (_, i) => i)]),
    ),
    status: 413,
    code: "jsonld-too-large",
    limit: "maxValues",
  },
  {
    what: "a term mapped to a 3,000-character IRI",
    context: [{ amp: long(3000) }],
    props: { "amp:x": 1 },
    status: 422,
    code: "jsonld-too-complex",
    limit: "maxIriLength",
  },
  {
    what: "a remote context URL",
    context: ["https://evil.example/context.jsonld"],
    props: {},
    status: 400,
    code: "remote-context",
  },
  {
    what: "@import of a remote context",
    context: [{ "@import": "https://evil.example/context.jsonld" }],
    props: {},
    status: 400,
    code: "remote-context",
  },
  {
    what: "a context loop (terms defined through each other)",
    context: [{ la: "lb:x", lb: "la:y" }],
    props: { "la:z": 1 },
    status: 400,
    code: "invalid-jsonld",
  },
  {
    what: "one array of 12,000 items (a set kept free of duplicates costs time quadratic in its length)",
    context: [{ nest: "@nest", v: { "@id": `${E}v`, "@container": "@set" } }],
    props: { nest: { v: Array.from({ length: 12_000 }, (_, i) => i) } },
    status: 413,
    code: "jsonld-too-large",
    limit: "maxArrayItems",
  },
  {
    what: "an expansion bomb through @list (16 lists of 1,000 items, 32,000 quads)",
    context: [{ items: `${E}items` }],
    props: { items: Array.from({ length: 16 }, () => ({ "@list": Array.from({ length: 1000 }, (_, i) => i) })) },
    status: 413,
    code: "jsonld-too-large",
    limit: "maxQuads",
  },
  {
    what: "an expansion bomb through @set and @nest (11 sets of 1,000 values inside a nest)",
    context: [
      {
        nest: "@nest",
        ...Object.fromEntries(K11.map((k) => [`v${k}`, { "@id": `${E}v${k}`, "@container": "@set", "@nest": "nest" }])),
      },
    ],
    props: { nest: Object.fromEntries(K11.map((k) => [`v${k}`, Array.from({ length: 1000 }, (_, i) => i)])) },
    status: 413,
    code: "jsonld-too-large",
    limit: "maxQuads",
  },
  {
    what: "an expansion bomb through @reverse (11 × 1,000 reverse links)",
    context: [Object.fromEntries(K11.map((k) => [`rev${k}`, { "@reverse": `${E}knows${k}`, "@type": "@id" }]))],
    props: Object.fromEntries(K11.map((k) => [`rev${k}`, Array.from({ length: 1000 }, (_, i) => `${E}n/${i}`)])),
    status: 413,
    code: "jsonld-too-large",
    limit: "maxQuads",
  },
  {
    what: "an expansion bomb through a property-scoped context (a 2,000-character @vocab on 4,800 keys)",
    context: [{ p: { "@id": `${E}p`, "@context": { "@vocab": long(2000) } } }],
    props: {
      p: Array.from({ length: 2 }, (_, n) => ({
        "@list": Array.from({ length: 600 }, (_, i) => ({ k1: i, k2: i, k3: i, k4: n })),
      })),
    },
    status: 413,
    code: "jsonld-too-large",
    limit: "maxOutputChars",
  },
];

/** An initiative document owned by `owner`, with the bomb's contexts and properties. */
export function bombDoc(bomb: Bomb, id: string, owner: string): Record<string, unknown> {
  return {
    "@context": [
      "https://www.w3.org/ns/activitystreams",
      { essglobal: "https://lod.coop/essglobal/2.1/vocab/", gr: "http://purl.org/goodrelations/v1#" },
      ...bomb.context,
    ],
    id,
    type: ["Page", "essglobal:SSEInitiative"],
    name: "Bomb Co-op",
    "gr:name": "Bomb Co-op",
    attributedTo: owner,
    published: new Date().toISOString(),
    updated: new Date().toISOString(),
    ...bomb.props,
  };
}
