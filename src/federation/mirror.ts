/**
 * Accepting initiatives and deletions that come from other networks: store a mirror copy with its
 * provenance, and relay what changed to our own followers. An object is accepted only with a
 * verified origin (see `proofs/trust.ts`); an object of our own is never overwritten from outside.
 */
import type { InitiativeRecord } from "../domain/initiative.ts";
import { MAX_IRI_BYTES, findUnstorableText, iriFits, visible } from "../domain/text.ts";
import { validateInitiative, type Issue } from "../domain/validate.ts";
import { versionOf } from "../domain/version.ts";
import {
  draftsFromJsonLd,
  isJsonLdRefusal,
  type JsonLdBudgetError,
  type JsonLdInputError,
} from "../linkeddata/jsonld-in.ts";
import { logger } from "../logging.ts";
import type { PutOutcome } from "../store/store.ts";
import { announce, type Json } from "./activities.ts";
import type { FederationContext } from "./context.ts";
import { deliveriesOf } from "./outbound/fan-out.ts";
import { proofOf } from "./proofs/proof.ts";
import { relayInboxes } from "./relay.ts";
import { gate } from "../curation/gate.ts";

const log = logger("federation", "mirror");

/** An initiative document whose origin has been verified. */
export interface VerifiedObject {
  doc: Json;
  /** Actor IRI of the owning network. */
  origin: string;
  /** Relays between the origin and us, nearest the origin first. */
  via: string[];
}

/**
 * `refusal`: the document was not readable JSON-LD within the budget (the inbox answers with it).
 * `held`: kept in the review queue, not served (curation); `blocked` refusals come from a blocked source.
 */
export type MirrorResult =
  | { ok: true; outcome: PutOutcome | "held"; record: InitiativeRecord }
  | {
      ok: false;
      issues: Issue[];
      refusal?: JsonLdBudgetError | JsonLdInputError;
      blocked?: boolean;
      /** One of this network's own records came back round a loop: not the sender's mistake. */
      own?: boolean;
    };

const isoOr = (v: unknown, fallback: string) =>
  typeof v === "string" && !Number.isNaN(Date.parse(v)) ? new Date(v).toISOString() : fallback;

/** Reads, validates and builds the mirror record of a verified document (no I/O). */
export async function toMirrorRecord(
  ctx: FederationContext,
  v: VerifiedObject,
  receivedAt: string,
): Promise<MirrorResult> {
  // The document itself is kept (signed) and relayed, not only what is read from it: all of it
  // must be text every store holds (ADR 19).
  const unstorable = findUnstorableText(v.doc);
  if (unstorable) return { ok: false, issues: [{ field: unstorable.path, message: unstorable.reason }] };
  if (!iriFits(v.origin))
    return {
      ok: false,
      issues: [{ field: "attributedTo", message: `the owner's IRI is longer than ${MAX_IRI_BYTES} bytes` }],
    };
  let drafts;
  try {
    drafts = await draftsFromJsonLd(v.doc);
  } catch (e) {
    // One unreadable or over-budget document is refused alone, never the page or batch it came in.
    if (!isJsonLdRefusal(e)) throw e;
    return { ok: false, issues: [{ field: "@context", message: e.message }], refusal: e };
  }
  const draft = drafts.find((d) => d.id === v.doc.id);
  if (!draft || drafts.length !== 1)
    return {
      ok: false,
      issues: [{ field: "id", message: "the document must describe exactly the one initiative it names" }],
    };
  const checked = validateInitiative(draft, ctx.taxonomies);
  if (!checked.ok) return checked;
  // What is stored from a peer: an instance sends only what its owner shares publicly, so a
  // document naming a field kept to its network (or not shared) is refused whole, neither stored
  // nor relayed (its signed text would carry the field on).
  const withheld = Object.entries(checked.initiative.sharing ?? {}).filter(([, level]) => level !== "public");
  if (withheld.length)
    return {
      ok: false,
      issues: withheld.map(([field]) => ({
        field: `sharing.${field}`,
        message: "is not shared beyond its owner's network: an instance sends only public fields",
      })),
    };
  const record: InitiativeRecord = {
    initiative: checked.initiative,
    published: isoOr(v.doc.published, receivedAt),
    updated: isoOr(v.doc.updated, receivedAt),
    version: versionOf(checked.initiative),
    provenance: { origin: v.origin, via: v.via, receivedAt },
  };
  return { ok: true, outcome: "unchanged", record };
}

/**
 * Stores verified objects as mirrors and relays those that changed (one transaction: the relays
 * are queued with the write).
 * @returns one result per object
 */
export async function acceptObjects(ctx: FederationContext, objects: VerifiedObject[]): Promise<MirrorResult[]> {
  const now = new Date().toISOString();
  const results: MirrorResult[] = [];
  const records: InitiativeRecord[] = [];
  const index: number[] = [];
  for (const v of objects) {
    if (ctx.iris.localId(String(v.doc.id))) {
      // One of ours came back round a loop: ours is the original, never overwrite it.
      results.push({ ok: false, own: true, issues: [{ field: "id", message: "is this network's own initiative" }] });
      continue;
    }
    const r = await toMirrorRecord(ctx, v, now);
    if (r.ok) {
      index.push(results.length);
      records.push(r.record);
    } else {
      // The origin's own mistake, worth a line (throttled per host): the rest of its batch is stored.
      log.info("Refused {id} from {origin}: {issues}", {
        id: visible(String(v.doc.id)),
        origin: v.origin,
        issues: r.issues,
      });
    }
    results.push(r);
  }
  if (!records.length) return results;
  // Keep the origin's signed document with the record: our directory serves it, so that our
  // followers can verify it too.
  const signed = records.map((r, k) => {
    const doc = objects[index[k]!]!.doc;
    return proofOf(doc) ? { ...r, signed: JSON.stringify(doc) } : r;
  });
  // Curation first: blocked sources are refused, reviewed ones and withheld records wait.
  const gated = await gate(ctx, signed);
  const served: number[] = [];
  gated.forEach((g, k) => {
    if (g.go === "serve") return void served.push(k);
    if (g.go === "held") (results[index[k]!] as Extract<MirrorResult, { ok: true }>).outcome = "held";
    else results[index[k]!] = { ok: false, blocked: true, issues: [{ field: "origin", message: g.reason }] };
  });
  // Who hears of what changed is read before the write; the Announces are queued inside it.
  const inboxes = await relayInboxes(
    ctx,
    served.map((k) => objects[index[k]!]!.via),
    objects[0]!.origin,
  );
  const outcomes = await ctx.writer.mirror(
    served.map((k) => signed[k]!),
    inboxes.length
      ? (done) =>
          deliveriesOf(
            served
              .filter((_k, j) => done[j] === "created" || done[j] === "updated")
              .map((k) => announce(ctx.iris, objects[index[k]!]!.doc, objects[index[k]!]!.via)),
            inboxes,
          )
      : undefined,
  );
  for (let j = 0; j < outcomes.length; j++)
    (results[index[served[j]!]!] as Extract<MirrorResult, { ok: true }>).outcome = outcomes[j]!;
  return results;
}
