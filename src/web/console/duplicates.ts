/**
 * Deciding duplicates in the console (admins): the candidate pairs the finder found, highest score
 * first, each with both listings side by side (name, network, place, website), the score and its
 * reasons; confirmed and rejected pairs on their own tabs, to undo. Decisions go through
 * `decidePair`, as the admin API's and the command line's do: in the audit log under the person's
 * name, regrouping collapsed results and telling the followers.
 */
import { Router, type Response } from "express";
import { decidePair, MAX_REASON, type Decision } from "../../duplicates/decisions.ts";
import { NotFoundHttpError } from "../../errors.ts";
import type { PairState } from "../../store/duplicates.ts";
import { sendConsolePage } from "./context.ts";
import type { FederationConsoleDeps } from "./federation.ts";
import { actorOf, adminOnly, field, formBody, signedIn, type SignedInRequest } from "./session.ts";

const PAGE = 10;
const STATES: PairState[] = ["candidate", "confirmed", "rejected"];
const DECISIONS: Decision[] = ["confirm", "reject", "undo"];

export function duplicateRoutes(d: FederationConsoleDeps): Router {
  const { store, names, sessions } = d;
  const router = Router();

  const page = async (req: SignedInRequest, res: Response) => {
    const state = STATES.find((s) => s === req.query.state) ?? "candidate";
    const cursor = typeof req.query.cursor === "string" && /^\d{1,9}$/.test(req.query.cursor) ? req.query.cursor : "";
    const listed = await store.duplicates.listPairs({ limit: PAGE, state, ...(cursor ? { cursor } : {}) });
    const held = await store.getInitiatives(listed.items.flatMap((p) => [p.a, p.b]));
    const known = await names.getAll([...held.values()].flatMap((r) => (r.provenance ? [r.provenance.origin] : [])));
    const side = (id: string) => {
      const r = held.get(id);
      if (!r) return { id, held: false };
      const i = r.initiative;
      const a = i.address ?? {};
      return {
        id,
        held: true,
        name: i.name,
        network: r.provenance ? (known.get(r.provenance.origin)?.name ?? r.provenance.origin) : d.config.name,
        place: [a.streetAddress, a.locality, a.postcode].filter(Boolean).join(", "),
        homepage: i.homepage,
      };
    };
    await sendConsolePage(d, req, res, "console/duplicates", "duplicates.title", {
      state,
      states: STATES,
      next: listed.next,
      pending: await store.duplicates.pendingCount(),
      notice: typeof req.query.done === "string" ? DECISIONS.find((x) => x === req.query.done) : undefined,
      pairs: listed.items.map((p) => ({
        a: side(p.a),
        b: side(p.b),
        score: Math.round(p.score * 100),
        reasons: p.reasons.map((r) => ({ kind: r.kind, detail: r.kind === "near" ? distance(r.detail) : r.detail })),
        decidedBy: p.decidedBy,
        decidedAt: p.decidedAt,
      })),
    });
  };

  router.get("/console/duplicates", signedIn, adminOnly, page);

  router.post(
    "/console/duplicates/decide",
    formBody,
    signedIn,
    adminOnly,
    sessions.csrf,
    async (req: SignedInRequest, res) => {
      const decision = DECISIONS.find((x) => x === field(req, "decision"));
      const reason = field(req, "reason").trim().slice(0, MAX_REASON);
      const pair =
        decision &&
        (await decidePair(store, field(req, "a"), field(req, "b"), decision, actorOf(req), reason || undefined));
      if (!pair) throw new NotFoundHttpError("no such pair of listings to decide on");
      const back = field(req, "state");
      res.redirect(
        303,
        `/console/duplicates?done=${decision}${STATES.includes(back as PairState) ? `&state=${back}` : ""}`,
      );
    },
  );

  return router;
}

/** The finder gives a distance in kilometres ("0.00"); people read "40 m" or "1.2 km". */
function distance(km: string | undefined): string | undefined {
  const n = Number(km);
  if (km === undefined || !Number.isFinite(n)) return km;
  return n < 1 ? `${Math.round(n * 1000)} m` : `${n.toFixed(1)} km`;
}
