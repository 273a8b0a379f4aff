/**
 * Curation decisions: source policies, hiding and restoring records, the review queue and reports.
 * Each decision is written to the audit log (who, when, what, why) and its effect reaches every
 * read path at once (withheld records leave the served ones) and our followers (withdrawn or
 * announced again). The admin API, the CLI and the console all decide through here.
 */
import type { FederationContext } from "../federation/context.ts";
import { BadRequestHttpError, ConflictHttpError, ForbiddenHttpError, HttpError, NotFoundHttpError } from "../errors.ts";
import type { AuditActor, AuditEntry, Role } from "../store/accounts.ts";
import { POLICIES, type Policy, type QueueItem, type QueueKind, type SourcePolicy } from "../store/curation.ts";
import type { Page } from "../store/store.ts";
import { diffInitiatives, type FieldChange } from "./diff.ts";
import { names, normaliseSource, policyFor, type Applied } from "./policy.ts";
import { prepareReannouncement, prepareWithdrawal } from "./spread.ts";

/** Whoever decides: an audit actor, with the role of a team account. */
export type Curating = AuditActor & { role?: Role };

/** Longest reason or report text kept (Mastodon's report comment is at most 1,000 characters). */
export const MAX_TEXT = 4000;

/** A queue item as shown for a decision: the waiting version against the approved one. */
export interface QueueView extends QueueItem {
  /** Whether an approved version is served, withheld (hidden or blocked), or there is none. */
  approved: "served" | "hidden" | "blocked" | "none";
  origin?: string;
  via?: string[];
  changes?: FieldChange[];
}

export type Decision = "approve" | "reject";

const curators = new WeakMap<FederationContext, Curator>();

/** The context's curator (one per context, so its policy cache is shared). */
export function curatorOf(ctx: FederationContext): Curator {
  let c = curators.get(ctx);
  if (!c) curators.set(ctx, (c = new Curator(ctx)));
  return c;
}

function reasonOf(reason: unknown, required: boolean): string | undefined {
  if (reason === undefined || reason === null || reason === "") {
    if (required) throw new BadRequestHttpError("give a reason for this decision", "reason-required");
    return undefined;
  }
  if (typeof reason !== "string" || !reason.trim())
    throw new BadRequestHttpError("the reason must be text", "invalid-reason");
  if (reason.length > MAX_TEXT)
    throw new HttpError(413, "reason-too-long", `the reason is longer than ${MAX_TEXT} characters`, {
      limit: MAX_TEXT,
    });
  return reason.trim();
}

export class Curator {
  readonly #ctx: FederationContext;
  #cache: { at: number; list: SourcePolicy[] } | undefined;

  constructor(ctx: FederationContext) {
    this.#ctx = ctx;
  }

  get #c() {
    return this.#ctx.store.curation;
  }

  /** The source policies, read at most once a second (other processes' changes show within that). */
  async policies(): Promise<SourcePolicy[]> {
    if (this.#cache && Date.now() - this.#cache.at < 1000) return this.#cache.list;
    const list = await this.#c.listPolicies();
    this.#cache = { at: Date.now(), list };
    return list;
  }

  /** The policy that applies to a record from `origin` relayed through `via`. */
  async applied(origin: string | undefined, via: string[] = []): Promise<Applied> {
    return origin ? policyFor(await this.policies(), [origin, ...via]) : { policy: "accept" };
  }

  async #audit(
    who: Curating,
    action: string,
    target: string,
    reason?: string,
    detail?: Record<string, unknown>,
  ): Promise<AuditEntry> {
    const { role: _role, ...actor } = who;
    return this.#ctx.store.audit.append({
      at: new Date().toISOString(),
      actor,
      action,
      target,
      ...(reason ? { reason } : {}),
      ...(detail ? { detail } : {}),
    });
  }

  /** Sets a source's policy (admins only) and applies it to what is served. */
  async setPolicy(who: Curating, input: string, policy: Policy, reasonInput?: unknown) {
    if (who.kind === "account" && who.role !== "admin")
      throw new ForbiddenHttpError("only an admin may change source policies", "admin-only");
    if (!POLICIES.includes(policy))
      throw new BadRequestHttpError(`the policy must be one of ${POLICIES.join(", ")}`, "invalid-policy");
    const source = normaliseSource(input);
    if (!source)
      throw new BadRequestHttpError(
        "the source must be an actor URL (http or https) or a domain name",
        "invalid-source",
      );
    if (names(source, this.#ctx.iris.actor))
      throw new BadRequestHttpError("that source names this network itself", "own-source");
    const reason = reasonOf(reasonInput, false);
    const before = (await this.#c.listPolicies()).find((p) => p.source === source);
    await this.#c.putPolicy({ source, policy, at: new Date().toISOString(), ...(reason ? { reason } : {}) });
    this.#cache = undefined;
    await this.#audit(who, `source.${policy}`, source, reason, before ? { before: before.policy } : undefined);
    return {
      source,
      policy,
      ...(await this.#enforce(before?.policy === "block" && policy !== "block" ? source : undefined)),
    };
  }

  /** Removes a source's policy (admins only): back to accepting it. */
  async removePolicy(who: Curating, input: string, reasonInput?: unknown) {
    if (who.kind === "account" && who.role !== "admin")
      throw new ForbiddenHttpError("only an admin may change source policies", "admin-only");
    const source = normaliseSource(input) ?? input;
    const before = (await this.#c.listPolicies()).find((p) => p.source === source);
    if (!before) throw new NotFoundHttpError(`no policy for ${source}`);
    const reason = reasonOf(reasonInput, false);
    await this.#c.removePolicy(source);
    this.#cache = undefined;
    await this.#audit(who, "source.remove", source, reason, { before: before.policy });
    return {
      source,
      policy: "accept" as const,
      ...(await this.#enforce(before.policy === "block" ? source : undefined)),
    };
  }

  /**
   * Brings what is served in line with the policies: records a block names leave service and are
   * withdrawn from followers; records blocked before and no longer are served and announced again,
   * and the unblocked source's followed networks are reconciled at once for what was refused meanwhile.
   */
  async #enforce(unblocked?: string): Promise<{ withheld: number; released: number }> {
    const policies = await this.policies();
    const blocks = policies.filter((p) => p.policy === "block");
    const ids = new Set<string>();
    for (const s of await this.#c.servedSources())
      if (policyFor(blocks, [s]).policy === "block")
        for (const id of await this.#ctx.store.listIdsBySource(s)) ids.add(id);
    for (const f of await this.#ctx.store.listFollowing())
      if (policyFor(blocks, [f.actor]).policy === "block")
        for (const id of await this.#ctx.store.listIdsByVia(f.actor)) ids.add(id);
    // In batches: one transaction per batch, so a large source neither holds the store's write lock
    // for long nor is read into memory whole. Each batch's withdrawals and announcements are queued
    // in its own transaction.
    const all = [...ids];
    let withheld = 0;
    for (let k = 0; k < all.length; k += 2000) {
      const batch = all.slice(k, k + 2000);
      const gone = [...(await this.#ctx.store.getInitiatives(batch)).values()];
      const told = await prepareWithdrawal(this.#ctx, gone);
      withheld += await this.#ctx.writer.withhold(batch, "blocked", new Date().toISOString(), "source blocked", told);
    }
    let released = 0;
    if (unblocked) {
      let cursor: string | undefined;
      do {
        // Released a page at a time: the next page starts below this one, so releasing does not move it.
        const page = await this.#c.listWithheld({ limit: 1000, state: "blocked", ...(cursor ? { cursor } : {}) });
        const back = page.items
          .map((w) => w.record)
          .filter((r) => policyFor(policies, [r.provenance?.origin, ...(r.provenance?.via ?? [])]).policy !== "block");
        if (back.length) {
          const told = await prepareReannouncement(this.#ctx, back);
          released += (
            await this.#ctx.writer.release(
              back.map((r) => r.initiative.id),
              "blocked",
              told,
            )
          ).length;
        }
        cursor = page.next;
      } while (cursor);
      for (const f of await this.#ctx.store.listFollowing())
        if (f.state === "accepted" && names(unblocked, f.actor)) this.#ctx.scheduleBackfill(f.actor);
    }
    return { withheld, released };
  }

  /** Hides a served record (own or mirrored): kept, but no longer served or passed on. */
  async hide(who: Curating, id: string, reasonInput: unknown): Promise<void> {
    const reason = reasonOf(reasonInput, true)!;
    const served = await this.#ctx.store.getInitiative(id);
    if (!served) {
      const w = await this.#c.getWithheld(id);
      if (!w) throw new NotFoundHttpError(`this network holds no record ${id}`);
      throw new ConflictHttpError(
        w.state === "hidden" ? `${id} is already hidden` : `${id} is withheld: its source is blocked`,
        `already-${w.state}`,
      );
    }
    const told = await prepareWithdrawal(this.#ctx, [served]);
    await this.#ctx.writer.withhold([id], "hidden", new Date().toISOString(), reason, told);
    await this.#audit(who, "record.hide", id, reason);
  }

  /** Serves a hidden record again, unless its source is blocked. */
  async restore(who: Curating, id: string, reasonInput: unknown): Promise<void> {
    const reason = reasonOf(reasonInput, true)!;
    const w = await this.#c.getWithheld(id);
    if (!w || w.state !== "hidden") throw new NotFoundHttpError(`${id} is not hidden`);
    if ((await this.applied(w.record.provenance?.origin, w.record.provenance?.via)).policy === "block") {
      throw new ConflictHttpError(`${id} comes from a blocked source; unblock it first`, "source-blocked");
    }
    await this.#ctx.writer.release([id], "hidden", await prepareReannouncement(this.#ctx, [w.record]));
    await this.#audit(who, "record.restore", id, reason);
  }

  /** The decisions about a record, newest first. */
  history(id: string, limit: number, cursor?: string): Promise<Page<AuditEntry>> {
    return this.#ctx.store.audit.list({ target: id, limit, ...(cursor ? { cursor } : {}) });
  }

  /** Queue items with what they would change, oldest first. */
  async queue(limit: number, cursor?: string, kind?: QueueKind, target?: string): Promise<Page<QueueView>> {
    const page = await this.#c.listQueue({
      limit,
      ...(cursor ? { cursor } : {}),
      ...(kind ? { kind } : {}),
      ...(target ? { target } : {}),
    });
    return { ...page, items: await this.#views(page.items) };
  }

  async item(n: number): Promise<QueueView | undefined> {
    const item = await this.#c.getQueued(n);
    return item ? (await this.#views([item]))[0] : undefined;
  }

  async #views(items: QueueItem[]): Promise<QueueView[]> {
    const targets = [...new Set(items.map((i) => i.target))];
    const [served, withheld] = await Promise.all([
      this.#ctx.store.getInitiatives(targets),
      this.#c.getWithhelds(targets),
    ]);
    return items.map((i) => {
      const s = served.get(i.target);
      const w = withheld.get(i.target);
      const approved = s ?? w?.record;
      const p = (i.record ?? approved)?.provenance;
      return {
        ...i,
        approved: s ? "served" : w ? w.state : "none",
        ...(p ? { origin: p.origin, via: p.via } : {}),
        ...(i.record ? { changes: diffInitiatives(approved?.initiative, i.record.initiative) } : {}),
      };
    });
  }

  /**
   * Decides queue items. Approving a change or a suggestion serves that version (a hidden record with
   * it is served again); rejecting a change hides the record like {@link hide}, rejecting a
   * suggestion dismisses it. Approving a report hides the record it
   * is about; rejecting a report dismisses it. Each item is taken once, even by two people at once.
   */
  async decide(who: Curating, ns: number[], decision: Decision, reasonInput?: unknown) {
    if (decision !== "approve" && decision !== "reject")
      throw new BadRequestHttpError("the decision must be approve or reject", "invalid-decision");
    const reason = reasonOf(reasonInput, false);
    const wanted = await Promise.all(ns.map((n) => this.#c.getQueued(n)));
    const results: { n: number; outcome: string }[] = [];
    const ready: QueueItem[] = [];
    wanted.forEach((item, k) => {
      if (!item) results.push({ n: ns[k]!, outcome: "not-found" });
      else ready.push(item);
    });
    const blocked = new Set<number>();
    if (decision === "approve") {
      for (const i of ready) {
        const p = i.record?.provenance;
        if (p && (await this.applied(p.origin, p.via)).policy === "block") blocked.add(i.n);
      }
    }
    for (const i of ready.filter((x) => blocked.has(x.n))) results.push({ n: i.n, outcome: "source-blocked" });
    const taken = await this.#c.dequeue(ready.filter((x) => !blocked.has(x.n)).map((x) => x.n));
    const takenNs = new Set(taken.map((t) => t.n));
    for (const i of ready) if (!blocked.has(i.n) && !takenNs.has(i.n)) results.push({ n: i.n, outcome: "not-found" });
    const now = new Date().toISOString();
    for (const i of taken) {
      const outcome = await this.#apply(i, decision, now, reason);
      await this.#audit(who, `queue.${decision}`, i.target, reason, { n: i.n, kind: i.kind, outcome });
      results.push({ n: i.n, outcome });
    }
    return results.sort((a, b) => a.n - b.n);
  }

  /** Applies one decision; what followers are told is queued with its write. */
  async #apply(i: QueueItem, decision: Decision, now: string, reason: string | undefined): Promise<string> {
    const served = await this.#ctx.store.getInitiative(i.target);
    const hideServed = async (why: string) =>
      this.#ctx.writer.withhold([i.target], "hidden", now, why, await prepareWithdrawal(this.#ctx, [served!]));
    if (i.kind === "report") {
      if (decision === "reject") return "dismissed";
      if (!served) return "not-served";
      await hideServed(reason ?? `report: ${i.text ?? ""}`.slice(0, MAX_TEXT));
      return "hidden";
    }
    if (!i.record) return "empty";
    // A visitor's suggestion that is turned down is only dismissed: the record it is about stays as it is.
    if (i.kind === "suggestion" && decision === "reject") return "dismissed";
    if (decision === "approve") {
      const record = i.record;
      const told = await prepareReannouncement(this.#ctx, [record]);
      await this.#c.dropWithheld(i.target);
      const [outcome] = await this.#ctx.writer.put([record], ([o]) =>
        o === "created" || o === "updated" ? told([record]) : [],
      );
      return outcome!;
    }
    if (served) await hideServed(reason ?? "rejected");
    await this.#c.putWithheld(i.record, "hidden", now, reason ?? "rejected");
    return "hidden";
  }

  /** Files a report about a record this network holds (served or withheld). */
  async report(target: string, textInput: unknown, from: string, who?: Curating): Promise<QueueItem> {
    if (typeof textInput !== "string" || !textInput.trim())
      throw new BadRequestHttpError("a report needs its text", "text-required");
    if (textInput.length > MAX_TEXT)
      throw new HttpError(413, "report-too-long", `the report is longer than ${MAX_TEXT} characters`, {
        limit: MAX_TEXT,
      });
    if (!(await this.#ctx.store.getInitiative(target)) && !(await this.#c.getWithheld(target)))
      throw new NotFoundHttpError(`this network holds no record ${target}`);
    const item = await this.#c.enqueue({
      kind: "report",
      target,
      text: textInput.trim(),
      from,
      received: new Date().toISOString(),
    });
    if (who) await this.#audit(who, "report.create", target, undefined, { n: item.n });
    return item;
  }
}
