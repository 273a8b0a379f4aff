/**
 * The sameAs linkset travelling to followers (issue 16, ADR 27). A confirmation is sent as an
 * `Add` of the decision (a reified `owl:sameAs` statement with who decided, when and the score) to
 * the network's linkset, a confirmation undone as its `Remove`: activities of the deciding
 * network, HTTP-signed and carrying its integrity proof like its other activities. A follower
 * keeps them only when it chose to adopt its followed networks' links (`ESSFED_SAMEAS_ADOPT`), and
 * only from a network it follows; they stay that network's links, served with that provenance.
 */
import type { Iris } from "../directory/ids.ts";
import { LINKSET_QUEUE, type LinkChange } from "../duplicates/announce.ts";
import { DOCUMENT_CONTEXT } from "../linkeddata/context.ts";
import { decisionIri, linksetIri } from "../linkeddata/linkset.ts";
import { PUBLIC } from "../linkeddata/namespaces.ts";
import { logger } from "../logging.ts";
import { pairOf, type AdoptedLink } from "../store/duplicates.ts";
import type { Store } from "../store/store.ts";
import type { Json } from "./activities.ts";
import type { FederationContext } from "./context.ts";
import type { Outbox } from "./outbound/fan-out.ts";

const log = logger("federation", "linkset");
const RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#";
const SAME_AS = "http://www.w3.org/2002/07/owl#sameAs";
const GENERATED = "http://www.w3.org/ns/prov#generatedAtTime";
/** Longest IRI and decider's name taken from a link. */
const MAX_IRI = 2000;
const MAX_NAME = 200;

/** The activity telling followers of one change to this network's linkset. */
export function linkActivity(iris: Iris, c: LinkChange): Json {
  const linkset = linksetIri(iris.base);
  return {
    "@context": DOCUMENT_CONTEXT,
    id: iris.activity(c.kind),
    type: c.kind,
    actor: iris.actor,
    published: new Date().toISOString(),
    to: [PUBLIC],
    cc: [`${iris.actor}/followers`],
    target: linkset,
    object: {
      id: decisionIri(linkset, c),
      type: `${RDF}Statement`,
      [`${RDF}subject`]: { id: c.a },
      [`${RDF}predicate`]: { id: SAME_AS },
      [`${RDF}object`]: { id: c.b },
      [GENERATED]: c.decidedAt,
      "essfed:decidedBy": c.decidedBy,
      "essfed:score": c.score,
    },
  };
}

/** Sends the queued linkset changes to the followers (worker role); returns a stop function. */
export function startLinksetAnnouncer(store: Store, iris: Iris, outbox: Outbox): () => Promise<void> {
  const stop = new AbortController();
  const listening = store.queue(LINKSET_QUEUE).listen(
    async (c: LinkChange) => {
      const inboxes = await outbox.followerInboxes();
      if (inboxes.length) await outbox.send([await outbox.sign(linkActivity(iris, c))], inboxes);
    },
    { signal: stop.signal },
  );
  return async () => {
    stop.abort();
    await listening;
  };
}

const hostOf = (iri: string) => {
  try {
    return new URL(iri).host;
  } catch {
    return undefined;
  }
};
const iriOf = (v: unknown): string | undefined => {
  const id = typeof v === "string" ? v : typeof v === "object" && v !== null ? (v as Json).id : undefined;
  return typeof id === "string" && id.length <= MAX_IRI && /^https?:\/\/\S+$/.test(id) ? id : undefined;
};

/** The link an `Add` or `Remove` from `sender` carries, or why it is not one. */
export function parseLink(activity: Json, sender: string): Omit<AdoptedLink, "receivedAt"> | string {
  const linkset = iriOf(activity.target);
  if (!linkset || hostOf(linkset) !== hostOf(sender)) return "the target is not a linkset of the sender";
  const o = activity.object;
  if (typeof o !== "object" || o === null || Array.isArray(o)) return "the object is not a statement";
  const s = o as Json;
  const x = iriOf(s[`${RDF}subject`]);
  const y = iriOf(s[`${RDF}object`]);
  if (iriOf(s[`${RDF}predicate`]) !== SAME_AS || !x || !y || x === y) return "the object is not an owl:sameAs link";
  const at = s[GENERATED];
  if (typeof at !== "string" || at.length > 40 || Number.isNaN(Date.parse(at))) return "the decision has no time";
  const by = s["essfed:decidedBy"];
  const score = s["essfed:score"];
  const [a, b] = pairOf(x, y);
  return {
    publisher: sender,
    linkset,
    a,
    b,
    score: typeof score === "number" && score >= 0 && score <= 1 ? score : 0,
    decidedBy: typeof by === "string" ? by.slice(0, MAX_NAME) : "unknown",
    decidedAt: new Date(Date.parse(at)).toISOString(),
  };
}

/** Inbox: an `Add` or `Remove` of a followed network's link, kept only when this network adopts them. */
export async function onLinkChange(ctx: FederationContext, activity: Json, sender: string) {
  if (!ctx.config.sameAsAdopt) return { status: "ignored" };
  if ((await ctx.store.getFollowing(sender))?.state !== "accepted") return { status: "ignored" };
  const link = parseLink(activity, sender);
  if (typeof link === "string") {
    log.debug("Ignoring a linkset change from {sender}: {why}", { sender, why: link });
    return { status: "invalid" };
  }
  if (activity.type === "Remove") {
    await ctx.store.duplicates.unadopt(link.publisher, link.a, link.b);
    return { status: "removed" };
  }
  await ctx.store.duplicates.adopt({ ...link, receivedAt: new Date().toISOString() });
  return { status: "adopted" };
}
