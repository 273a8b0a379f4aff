/**
 * `essfed duplicates list [--state S] [--limit N]`, `duplicates confirm|reject|undo IRI OTHER
 * [--reason TEXT]`: the candidate duplicate pairs, and decisions on them (issue 16).
 */
import { loadConfig } from "../../config.ts";
import { compose } from "../../compose.ts";
import { decidePair, MAX_REASON, viewPairs } from "../../duplicates/decisions.ts";
import { DuplicateFinder } from "../../duplicates/finder.ts";
import type { PairState } from "../../store/duplicates.ts";
import { CommandError, EXIT, type Io } from "../io.ts";
import type { Parsed } from "../spec.ts";

const VERBS = ["list", "confirm", "reject", "undo"] as const;

export async function duplicatesCommand({ values, positionals }: Parsed, io: Io): Promise<number> {
  const [verb, x, y] = positionals;
  if (!(VERBS as readonly string[]).includes(verb ?? ""))
    throw new CommandError(`unknown action "${verb}": ${VERBS.join(", ")}`, EXIT.usage);
  if (verb === "list" && x) throw new CommandError("essfed duplicates list takes no IRI", EXIT.usage);
  if (verb !== "list" && (!x || !y))
    throw new CommandError(`essfed duplicates ${verb} needs the IRIs of both records`, EXIT.usage);
  const state = typeof values.state === "string" ? values.state : "candidate";
  if (!["candidate", "confirmed", "rejected"].includes(state))
    throw new CommandError(`--state is candidate, confirmed or rejected (got "${state}")`, EXIT.usage);
  const limit = typeof values.limit === "string" ? Number(values.limit) : 50;
  if (!Number.isInteger(limit) || limit < 1 || limit > 500)
    throw new CommandError(`--limit is a whole number from 1 to 500 (got "${values.limit}")`, EXIT.usage);
  const reason = typeof values.reason === "string" ? values.reason : undefined;
  if (reason !== undefined && reason.length > MAX_REASON)
    throw new CommandError(`--reason is at most ${MAX_REASON} characters`, EXIT.usage);
  const instance = await compose(loadConfig(io.env), { create: false });
  const { store, config } = instance;
  try {
    if (verb === "list") {
      await new DuplicateFinder(store, config.sameAsAuto !== undefined ? { auto: config.sameAsAuto } : {}).catchUp();
      const page = await store.duplicates.listPairs({ limit, state: state as PairState });
      for (const p of await viewPairs(store, page.items)) {
        const decided = p.decidedBy ? ` by ${p.decidedBy} ${p.decidedAt}` : "";
        const reasons = p.reasons.map((r) => `${r.kind}(${r.detail})`).join(" ");
        io.out(`${p.score.toFixed(2)}\t${p.state}${decided}\t${reasons}`);
        for (const l of p.listings) io.out(`\t${l.id}\t${l.name ?? "(not held)"}\t${l.source ?? "own"}`);
      }
      if (!page.items.length) io.out(`No ${state} pairs.`);
      else if (page.next) io.out(`… more: --limit ${Math.min(500, limit * 2)}`);
      return EXIT.ok;
    }
    const pair = await decidePair(
      store,
      x!,
      y!,
      verb as "confirm" | "reject" | "undo",
      { kind: "cli", name: "essfed duplicates" },
      reason,
    );
    if (!pair) {
      io.err(`${x} and ${y} are not a pair the duplicate finder found (see essfed duplicates list)`);
      return EXIT.failed;
    }
    io.out(`${pair.a} ${pair.b}: ${pair.state} (score ${pair.score.toFixed(2)})`);
    return EXIT.ok;
  } finally {
    await instance.close();
  }
}
