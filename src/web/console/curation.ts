/**
 * Curation in the console: the review queue (changes from sources under review, changes to hidden
 * records, reports, visitors' suggestions) with what each would change field by field, decided one
 * by one or together; source policies (admins); hidden and blocked records, restored with a reason;
 * hiding a record from its page. Every decision goes through the Curator, as the admin API's and
 * the CLI's do, and is written to the audit log under the person's name.
 */
import { Router, type Response } from "express";
import { curatorOf, type Curating, type Decision } from "../../curation/curator.ts";
import type { FieldChange } from "../../curation/diff.ts";
import { POLICIES, type Policy, type QueueKind, type WithheldState } from "../../store/curation.ts";
import { BadRequestHttpError } from "../../errors.ts";
import type { PageContext } from "../render.ts";
import { consoleContext, sendConsolePage } from "./context.ts";
import type { FederationConsoleDeps } from "./federation.ts";
import { actorOf, field, formBody, formOf, signedIn, type SignedInRequest } from "./session.ts";

const PAGE = 20;
const KINDS: QueueKind[] = ["change", "report", "suggestion"];
const STATES: WithheldState[] = ["hidden", "blocked"];

const who = (req: SignedInRequest): Curating => ({ ...actorOf(req), role: req.account!.role });
const pick = <T extends string>(v: unknown, values: readonly T[]): T | undefined =>
  typeof v === "string" && values.includes(v as T) ? (v as T) : undefined;
const cursorOf = (v: unknown) => (typeof v === "string" && /^\d{1,16}$/.test(v) ? v : undefined);
const reasonOf = (v: unknown) => (typeof v === "string" && v.trim() ? v.trim() : undefined);

/**
 * A value of a changed field as a person reads it: concept IRIs by their label, lists joined, parts of an address
 * named.
 */
function shown(v: unknown, ctx: PageContext, label: (iri: string) => string | undefined): string {
  if (v === undefined || v === null || v === "") return "—";
  if (Array.isArray(v)) return v.length ? v.map((x) => shown(x, ctx, label)).join(", ") : "—";
  if (typeof v === "object") {
    return Object.entries(v as Record<string, unknown>)
      .map(([k, x]) => `${ctx.tr.has(`form.field.${k}`) ? ctx.t(`form.field.${k}`) : k}: ${shown(x, ctx, label)}`)
      .join("; ");
  }
  const s = typeof v === "string" ? v : JSON.stringify(v); // a number or a boolean: as String() writes it
  return (/^https?:\/\//.test(s) && label(s)) || s;
}

/** Who sent an item, as the queue shows it: a visitor (with the address they left), an actor, a team member. */
function senderOf(from: string | undefined, ctx: PageContext): string | undefined {
  if (from === undefined) return undefined;
  const visitor = /^visitor(?: <(.+)>)?$/.exec(from);
  if (!visitor) return from;
  return visitor[1] ? ctx.t("curation.visitorWith", { contact: visitor[1] }) : ctx.t("curation.visitor");
}

export function curationRoutes(d: FederationConsoleDeps): Router {
  const { store, names, taxonomies, sessions } = d;
  const curator = curatorOf(d.federation);
  const router = Router();

  const changesOf = (changes: FieldChange[] | undefined, ctx: PageContext) =>
    (changes ?? []).map((c) => ({
      field:
        c.field === "address"
          ? ctx.t("initiative.where")
          : ctx.tr.has(`field.${c.field}`)
            ? ctx.t(`field.${c.field}`)
            : ctx.tr.has(`form.field.${c.field}`)
              ? ctx.t(`form.field.${c.field}`)
              : c.field,
      before: shown(c.before, ctx, (iri) => taxonomies.label(iri, ctx.locale)),
      after: shown(c.after, ctx, (iri) => taxonomies.label(iri, ctx.locale)),
    }));

  const queuePage = async (req: SignedInRequest, res: Response, data: Record<string, unknown> = {}, status = 200) => {
    const ctx = await consoleContext(d, req, res);
    const kind = pick(req.query.kind, KINDS);
    const page = await curator.queue(PAGE, cursorOf(req.query.cursor), kind);
    const known = await names.getAll(
      page.items.flatMap((i) => [i.origin, ...(i.via ?? [])].filter((x): x is string => Boolean(x))),
    );
    const items = page.items.map((i) => ({
      n: i.n,
      kind: i.kind,
      target: i.target,
      text: i.text,
      from: senderOf(i.from, ctx),
      received: i.received,
      approved: i.approved,
      name: i.record?.initiative.name ?? i.target,
      origin: i.origin ? (known.get(i.origin)?.name ?? i.origin) : d.config.name,
      via: (i.via ?? []).map((v) => known.get(v)?.name ?? v),
      changes: changesOf(i.changes, ctx),
    }));
    const waiting = await Promise.all(KINDS.map(async (k) => [k, await store.curation.countQueue(k)] as const));
    await sendConsolePage(
      d,
      req,
      res,
      "console/queue",
      "curation.queueTitle",
      {
        items,
        kind,
        kinds: KINDS,
        waiting: Object.fromEntries(waiting),
        next: page.next,
        ...data,
      },
      status,
    );
  };

  router.get("/console/queue", signedIn, (req: SignedInRequest, res) =>
    queuePage(req, res, typeof req.query.done === "string" ? { notice: req.query.done.replace(/[^a-z-]/g, "") } : {}),
  );

  router.post("/console/queue/decide", formBody, signedIn, sessions.csrf, async (req: SignedInRequest, res) => {
    const ns = ([] as unknown[])
      .concat(formOf(req).n ?? [])
      .map(Number)
      .filter((n) => Number.isInteger(n) && n > 0)
      .slice(0, 200);
    const form = formOf(req);
    const decision = pick<Decision>(form.decision, ["approve", "reject"]);
    if (!ns.length || !decision) return queuePage(req, res, { error: ns.length ? "decision" : "noneChosen" }, 422);
    const results = await curator.decide(who(req), ns, decision, reasonOf(form.reason));
    const done = results.filter((r) => !["not-found", "source-blocked"].includes(r.outcome)).length;
    res.redirect(303, `/console/queue?done=${decision === "approve" ? "approved" : "rejected"}&count=${done}`);
  });

  const sourcesPage = async (req: SignedInRequest, res: Response, data: Record<string, unknown> = {}, status = 200) => {
    const policies = await curator.policies();
    const known = await names.getAll(policies.map((p) => p.source).filter((s) => s.startsWith("http")));
    await sendConsolePage(
      d,
      req,
      res,
      "console/sources",
      "curation.sourcesTitle",
      {
        policies: policies.map((p) => ({ ...p, name: known.get(p.source)?.name })),
        choices: POLICIES,
        ...data,
      },
      status,
    );
  };

  router.get("/console/sources", signedIn, (req: SignedInRequest, res) => sourcesPage(req, res));

  router.post("/console/sources", formBody, signedIn, sessions.csrf, async (req: SignedInRequest, res) => {
    const form = formOf(req);
    const source = field(req, "source").trim();
    const policy = pick<Policy>(form.policy, POLICIES);
    if (!source || !policy) return sourcesPage(req, res, { error: "source", source }, 422);
    try {
      await curator.setPolicy(who(req), source, policy, reasonOf(form.reason));
    } catch (e) {
      if (e instanceof BadRequestHttpError)
        return sourcesPage(req, res, { error: "source", source, detail: e.message }, 422);
      throw e;
    }
    res.redirect(303, "/console/sources");
  });

  router.post("/console/sources/remove", formBody, signedIn, sessions.csrf, async (req: SignedInRequest, res) => {
    await curator.removePolicy(who(req), field(req, "source"), reasonOf(formOf(req).reason));
    res.redirect(303, "/console/sources");
  });

  router.get("/console/withheld", signedIn, async (req: SignedInRequest, res) => {
    const state = pick(req.query.state, STATES);
    // ?id= shows one record (the link from a withheld record's page), wherever it is in the list.
    const only = typeof req.query.id === "string" && req.query.id.length <= 2000 ? req.query.id : undefined;
    const one = only !== undefined ? await store.curation.getWithheld(only) : undefined;
    const page =
      only !== undefined
        ? { items: one ? [one] : [], next: undefined }
        : await store.curation.listWithheld({
            limit: PAGE,
            ...(cursorOf(req.query.cursor) ? { cursor: cursorOf(req.query.cursor)! } : {}),
            ...(state ? { state } : {}),
          });
    const known = await names.getAll(
      page.items.map((w) => w.record.provenance?.origin).filter((x): x is string => Boolean(x)),
    );
    await sendConsolePage(d, req, res, "console/withheld", "curation.withheldTitle", {
      state,
      states: STATES,
      next: page.next,
      items: page.items.map((w) => ({
        id: w.record.initiative.id,
        name: w.record.initiative.name,
        state: w.state,
        reason: w.reason,
        at: w.at,
        origin: w.record.provenance
          ? (known.get(w.record.provenance.origin)?.name ?? w.record.provenance.origin)
          : d.config.name,
      })),
      notice: typeof req.query.done === "string" ? req.query.done.replace(/[^a-z-]/g, "") : undefined,
    });
  });

  router.post("/console/records/hide", formBody, signedIn, sessions.csrf, async (req: SignedInRequest, res) => {
    await curator.hide(who(req), field(req, "id"), formOf(req).reason);
    res.redirect(303, "/console/withheld?done=hidden");
  });

  router.post("/console/records/restore", formBody, signedIn, sessions.csrf, async (req: SignedInRequest, res) => {
    await curator.restore(who(req), field(req, "id"), formOf(req).reason);
    res.redirect(303, "/console/withheld?done=restored");
  });

  return router;
}
