/**
 * Curation from the command line: `essfed sources`, `essfed records`, `essfed queue`, `essfed audit`.
 * They decide through the same curator as the admin API and the console (audit actor: the
 * command), on the instance's store; what followers must be told is queued for the running server.
 */
import { loadConfig } from "../../config.ts";
import { compose, type Instance } from "../../compose.ts";
import { curatorOf, type Curating, type QueueView } from "../../curation/curator.ts";
import { HttpError } from "../../errors.ts";
import type { AuditEntry } from "../../store/accounts.ts";
import type { Policy, QueueKind } from "../../store/curation.ts";
import { CommandError, EXIT, type Io } from "../io.ts";
import type { Parsed } from "../spec.ts";

const by = (command: string): Curating => ({ kind: "cli", name: `essfed ${command}` });

async function withInstance(io: Io, fn: (i: Instance) => Promise<number>): Promise<number> {
  const instance = await compose(loadConfig(io.env), { create: false });
  try {
    return await fn(instance);
  } catch (e) {
    // The curator's refusals (a bad source, no such record, a blocked source) are the user's to fix.
    if (HttpError.isInstance(e))
      throw new CommandError(e.message, e.status === 400 || e.status === 413 ? EXIT.usage : EXIT.failed);
    throw e;
  } finally {
    await instance.close();
  }
}

const str = (v: unknown) => (typeof v === "string" ? v : undefined);
function limitOf(values: Parsed["values"]): number {
  const v = str(values.limit) ?? "50";
  const n = Number(v);
  if (!/^\d+$/.test(v) || n < 1 || n > 500)
    throw new CommandError(`--limit is a number from 1 to 500 (got "${v}")`, EXIT.usage);
  return n;
}
function cursorOf(values: Parsed["values"]): string | undefined {
  const v = str(values.cursor);
  if (v !== undefined && !/^\d{1,16}$/.test(v))
    throw new CommandError("--cursor takes the value a previous page printed", EXIT.usage);
  return v;
}
const need = (v: string | undefined, what: string): string => {
  if (!v) throw new CommandError(`give ${what}`, EXIT.usage);
  return v;
};
const more = (io: Io, next: string | undefined) => next && io.out(`more: --cursor ${next}`);

export async function sourcesCommand({ values, positionals }: Parsed, io: Io): Promise<number> {
  const [verb = "list", source] = positionals;
  if (!["list", "accept", "review", "block", "remove"].includes(verb))
    throw new CommandError(`unknown action "${verb}": list, accept, review, block or remove`, EXIT.usage);
  return withInstance(io, async (i) => {
    const curator = curatorOf(i.runtime.ctx);
    if (verb === "list") {
      const policies = await i.store.curation.listPolicies();
      if (values.json) io.out(JSON.stringify(policies, null, 2));
      else if (!policies.length) io.out("No source policies: every followed network is accepted.");
      else
        for (const p of policies)
          io.out(`${p.policy.padEnd(6)}  ${p.source}  (${p.at}${p.reason ? `: ${p.reason}` : ""})`);
      return EXIT.ok;
    }
    const s = need(source, "the SOURCE: an actor URL or a domain");
    const r =
      verb === "remove"
        ? await curator.removePolicy(by("sources"), s, str(values.reason))
        : await curator.setPolicy(by("sources"), s, verb as Policy, str(values.reason));
    io.out(`${r.source}: ${r.policy}. ${r.withheld} record(s) taken out of service, ${r.released} served again.`);
    return EXIT.ok;
  });
}

export async function recordsCommand({ values, positionals }: Parsed, io: Io): Promise<number> {
  const [verb, id] = positionals;
  if (!["hide", "restore", "history", "withheld"].includes(verb ?? ""))
    throw new CommandError(`unknown action "${verb}": hide, restore, history or withheld`, EXIT.usage);
  return withInstance(io, async (i) => {
    const curator = curatorOf(i.runtime.ctx);
    if (verb === "withheld") {
      const cursor = cursorOf(values);
      const page = await i.store.curation.listWithheld({ limit: limitOf(values), ...(cursor ? { cursor } : {}) });
      if (values.json) io.out(JSON.stringify(page, null, 2));
      else
        for (const w of page.items)
          io.out(
            `${w.state.padEnd(7)}  ${w.record.initiative.id}  ` +
              `${w.record.initiative.name}${w.reason ? ` (${w.reason})` : ""}`,
          );
      more(io, page.next);
      return EXIT.ok;
    }
    const target = need(id, "the record's IRI");
    if (verb === "history") {
      const served = await i.store.getInitiative(target);
      const w = served ? undefined : await i.store.curation.getWithheld(target);
      const page = await curator.history(target, limitOf(values), cursorOf(values));
      if (values.json) {
        io.out(
          JSON.stringify({ id: target, state: served ? "served" : (w?.state ?? "absent"), decisions: page }, null, 2),
        );
        return EXIT.ok;
      }
      io.out(`${target}: ${served ? "served" : w ? `${w.state}${w.reason ? ` (${w.reason})` : ""}` : "not held"}`);
      for (const e of page.items) io.out(auditLine(e));
      more(io, page.next);
      return EXIT.ok;
    }
    const reason = need(str(values.reason), "a --reason");
    if (verb === "hide") await curator.hide(by("records"), target, reason);
    else await curator.restore(by("records"), target, reason);
    io.out(`${target}: ${verb === "hide" ? "hidden" : "served again"}.`);
    return EXIT.ok;
  });
}

function itemLines(v: QueueView): string[] {
  const head =
    `#${v.n}  ${v.kind}  ${v.target}  (approved: ` +
    `${v.approved}${v.origin ? `; from ${v.origin}${v.via?.length ? ` via ${v.via.join(" → ")}` : ""}` : ""})`;
  const lines = [head];
  if (v.text) lines.push(`    "${v.text}"${v.from ? ` — ${v.from}` : ""}`);
  for (const c of v.changes ?? [])
    lines.push(
      `    ${c.field}: ${c.before === undefined ? "(none)" : JSON.stringify(c.before)} → ` +
        `${c.after === undefined ? "(none)" : JSON.stringify(c.after)}`,
    );
  return lines;
}

export async function queueCommand({ values, positionals }: Parsed, io: Io): Promise<number> {
  const [verb = "list", list] = positionals;
  if (!["list", "approve", "reject"].includes(verb))
    throw new CommandError(`unknown action "${verb}": list, approve or reject`, EXIT.usage);
  const kind = str(values.kind);
  if (kind && !["change", "report", "suggestion"].includes(kind))
    throw new CommandError(`--kind is change, report or suggestion (got "${kind}")`, EXIT.usage);
  return withInstance(io, async (i) => {
    const curator = curatorOf(i.runtime.ctx);
    if (verb === "list") {
      const page = await curator.queue(limitOf(values), cursorOf(values), kind as QueueKind | undefined);
      if (values.json) io.out(JSON.stringify(page, null, 2));
      else if (!page.items.length) io.out("Nothing waits for a decision.");
      else for (const v of page.items) for (const l of itemLines(v)) io.out(l);
      more(io, page.next);
      return EXIT.ok;
    }
    const ns = need(list, "the item numbers, as N or N,N,…")
      .split(",")
      .map((x) => Number(x.trim()));
    if (!ns.length || ns.length > 1000 || !ns.every((n) => Number.isSafeInteger(n) && n > 0))
      throw new CommandError("give the item numbers as N or N,N,… (at most 1000)", EXIT.usage);
    const results = await curator.decide(by("queue"), ns, verb as "approve" | "reject", str(values.reason));
    for (const r of results) io.out(`#${r.n}: ${r.outcome}`);
    return results.some((r) => r.outcome === "not-found" || r.outcome === "source-blocked") ? EXIT.failed : EXIT.ok;
  });
}

function auditLine(e: AuditEntry): string {
  return `${e.at}  ${e.actor.kind}:${e.actor.name}  ${e.action}  ${e.target}${e.reason ? `  "${e.reason}"` : ""}`;
}

export async function auditCommand({ values }: Parsed, io: Io): Promise<number> {
  return withInstance(io, async (i) => {
    const target = str(values.target);
    const action = str(values.action);
    const cursor = cursorOf(values);
    const page = await i.store.audit.list({
      limit: limitOf(values),
      ...(cursor ? { cursor } : {}),
      ...(target ? { target } : {}),
      ...(action ? { actionPrefix: action } : {}),
    });
    if (values.json) io.out(JSON.stringify(page, null, 2));
    else for (const e of page.items) io.out(auditLine(e));
    more(io, page.next);
    return EXIT.ok;
  });
}
