/**
 * The duplicate finder (issue 16): works through the records the store noted as written, changed
 * or removed, a round of a few hundred at a time. For each it computes its blocking keys, looks up
 * the records sharing one, scores those pairs and stores the candidates, in one transaction per
 * round. A record's cost depends on how many records share its keys, never on how many are held;
 * a key shared by more than {@link FinderOptions.maxBlock} records is not compared on at all.
 */
import type { InitiativeRecord } from "../domain/initiative.ts";
import { CANDIDATE_SCORE, scorePair } from "../domain/duplicates/score.ts";
import { blockingKeys, signalsOf, type Signals } from "../domain/duplicates/signals.ts";
import type { DuplicatePair, ScoredPair } from "../store/duplicates.ts";
import { pairOf } from "../store/duplicates.ts";
import type { Store } from "../store/store.ts";
import { linkChange, queueLinkChanges } from "./announce.ts";
import { regroup, regroupChanged } from "./groups.ts";

export interface FinderOptions {
  /** Confirm pairs scoring at least this without asking (ESSFED_SAMEAS_AUTO); unset = never. */
  auto?: number;
  /** Records per round. */
  batch?: number;
  /** Records a key may be shared by and still be compared on. */
  maxBlock?: number;
  /** Most other records compared with one record in a round. */
  maxCompared?: number;
}

export interface RoundFigures {
  /** Records worked through. */
  records: number;
  /** Pairs scored. */
  compared: number;
  /** Candidate pairs stored. */
  pairs: number;
  /** Keys skipped as shared by too many records. */
  crowdedKeys: number;
  autoConfirmed: DuplicatePair[];
}

/** Who an automatic confirmation is by, in the pair and in the audit log. */
export const AUTO = "auto";

export class DuplicateFinder {
  readonly #store: Store;
  readonly #o: Required<Omit<FinderOptions, "auto">> & { auto?: number };
  #running: Promise<RoundFigures> | undefined;

  constructor(store: Store, o: FinderOptions = {}) {
    this.#store = store;
    this.#o = { batch: 500, maxBlock: 50, maxCompared: 200, ...o };
  }

  /** Works through every noted record; concurrent callers share the work under way. */
  async catchUp(): Promise<RoundFigures> {
    const total: RoundFigures = { records: 0, compared: 0, pairs: 0, crowdedKeys: 0, autoConfirmed: [] };
    for (;;) {
      this.#running ??= this.#round().finally(() => {
        this.#running = undefined;
      });
      const r = await this.#running;
      total.records += r.records;
      total.compared += r.compared;
      total.pairs += r.pairs;
      total.crowdedKeys += r.crowdedKeys;
      total.autoConfirmed.push(...r.autoConfirmed);
      if (r.records < this.#o.batch) return total;
    }
  }

  async #round(): Promise<RoundFigures> {
    const dups = this.#store.duplicates;
    const done = await dups.pending(this.#o.batch);
    const figures: RoundFigures = { records: done.length, compared: 0, pairs: 0, crowdedKeys: 0, autoConfirmed: [] };
    if (!done.length) return figures;
    const held = await this.#store.getInitiatives(done.map((d) => d.id));
    const signals = new Map<string, Signals>();
    const keys = new Map<string, string[]>();
    const inBatch = new Map<string, string[]>();
    for (const { id } of done) {
      const r = held.get(id);
      if (!r) {
        keys.set(id, []);
        continue;
      }
      const s = signalsFor(r);
      signals.set(id, s);
      const ks = blockingKeys(s);
      keys.set(id, ks);
      for (const k of ks) {
        const list = inBatch.get(k);
        if (list) list.push(id);
        else inBatch.set(k, [id]);
      }
    }
    const stored = await dups.keyMembers([...inBatch.keys()], this.#o.maxBlock);
    // Who each record is compared with: the records sharing a key, stored or in this round (whose
    // stored keys are out of date), unless the key is crowded.
    const others = new Map<string, Set<string>>();
    const wanted = new Set<string>();
    for (const [id, ks] of keys) {
      const set = new Set<string>();
      for (const k of ks) {
        const members = new Set([...(stored.get(k) ?? []).filter((m) => !keys.has(m)), ...(inBatch.get(k) ?? [])]);
        if (members.size > this.#o.maxBlock || (stored.get(k)?.length ?? 0) > this.#o.maxBlock) {
          figures.crowdedKeys++;
          continue;
        }
        for (const m of members) if (m !== id && set.size < this.#o.maxCompared) set.add(m);
      }
      others.set(id, set);
      for (const m of set) if (!signals.has(m)) wanted.add(m);
    }
    for (const [id, r] of await this.#store.getInitiatives([...wanted])) signals.set(id, signalsFor(r));
    const pairs = new Map<string, ScoredPair>();
    for (const [id, set] of others) {
      for (const m of set) {
        const [a, b] = pairOf(id, m);
        const key = `${a} ${b}`;
        const sa = signals.get(a);
        const sb = signals.get(b);
        if (pairs.has(key) || !sa || !sb) continue;
        figures.compared++;
        const s = scorePair(sa, sb);
        if (s.score >= CANDIDATE_SCORE) pairs.set(key, { a, b, ...s });
      }
    }
    figures.pairs = pairs.size;
    const at = new Date().toISOString();
    figures.autoConfirmed = await dups.apply({
      done,
      keys,
      pairs: [...pairs.values()],
      at,
      ...(this.#o.auto !== undefined ? { auto: { score: this.#o.auto, by: AUTO, at } } : {}),
    });
    const ids = done.map((d) => d.id);
    const forgotten = await forgetDeleted(
      this.#store,
      ids.filter((id) => !held.has(id)),
      at,
    );
    // Groups of listings follow their records and the pairs confirmed or forgotten now (collapsed results).
    await regroupChanged(this.#store, ids);
    await regroup(this.#store, new Set([...figures.autoConfirmed, ...forgotten].flatMap((p) => [p.a, p.b])));
    await queueLinkChanges(this.#store, [
      ...figures.autoConfirmed.map((p) => linkChange("Add", p)),
      ...forgotten.filter((p) => p.state === "confirmed").map((p) => linkChange("Remove", { ...p, decidedAt: at })),
    ]);
    for (const p of figures.autoConfirmed) {
      await this.#store.audit.append({
        at,
        actor: { kind: "system", name: "duplicates" },
        action: "duplicate.confirm",
        target: `${p.a} ${p.b}`,
        reason: `score ${p.score} ≥ ESSFED_SAMEAS_AUTO ${this.#o.auto}`,
        detail: { score: p.score, reasons: p.reasons.map((r) => r.kind) },
      });
    }
    return figures;
  }
}

/** A tombstone (its network deleted it, unlike an unfollow) takes the record's sameAs links and candidates with it. */
async function forgetDeleted(store: Store, gone: string[], at: string): Promise<DuplicatePair[]> {
  const deleted: string[] = [];
  for (const id of gone) if (await store.getTombstone(id)) deleted.push(id);
  const forgotten = await store.duplicates.forget(deleted);
  for (const p of forgotten.filter((x) => x.state === "confirmed"))
    await store.audit.append({
      at,
      actor: { kind: "system", name: "duplicates" },
      action: "duplicate.undo",
      target: `${p.a} ${p.b}`,
      reason: "a listing was deleted by its network",
      detail: { score: p.score, before: "confirmed", reasons: p.reasons.map((r) => r.kind) },
    });
  return forgotten;
}

function signalsFor(r: InitiativeRecord): Signals {
  return signalsOf(r.initiative, r.provenance?.origin);
}

/**
 * Runs the finder a moment after records change (worker role): checks for noted records every
 * `everyMs` and works through them. Returns a stop function.
 */
export function startDuplicateFinder(
  finder: DuplicateFinder,
  onError: (e: unknown) => void,
  everyMs = 2000,
): () => Promise<void> {
  let busy: Promise<unknown> | undefined;
  const timer = setInterval(() => {
    busy ??= finder
      .catchUp()
      .catch(onError)
      .finally(() => {
        busy = undefined;
      });
  }, everyMs);
  timer.unref();
  return async () => {
    clearInterval(timer);
    await busy;
  };
}
