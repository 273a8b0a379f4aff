/**
 * Which source policy applies to a record: a policy names an origin network (its actor IRI) or a
 * whole domain (a host name, its subdomains included). It applies to a record when it names the
 * record's origin or any network on its relay path; when several apply, the strictest wins
 * (block, then review, then accept). A record from nowhere in particular (our own) is accepted.
 */
import type { Policy, SourcePolicy } from "../store/curation.ts";

const RANK: Record<Policy, number> = { accept: 0, review: 1, block: 2 };

/**
 * The policy's source as stored: an http(s) actor IRI as given, or a lower-case domain; undefined when it is neither.
 */
export function normaliseSource(input: string): string | undefined {
  const s = input.trim();
  if (!s || s.length > 2000) return undefined;
  if (/^https?:\/\//i.test(s)) {
    try {
      const u = new URL(s);
      return u.hash || u.username || u.password ? undefined : u.href;
    } catch {
      return undefined;
    }
  }
  const d = s.toLowerCase().replace(/\.$/, "");
  // Letters, digits and hyphens in dot-separated labels (punycode for other scripts).
  return d.length <= 253 &&
    /^(?=.{1,253}$)([a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)(\.[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)*$/.test(d)
    ? d
    : undefined;
}

const hostname = (iri: string) => {
  try {
    return new URL(iri).hostname.toLowerCase();
  } catch {
    return "";
  }
};

/** Whether a policy's source names this actor (IRI equal, or the actor's host in the domain). */
export function names(source: string, actor: string): boolean {
  if (source.includes("/")) return source === actor;
  const h = hostname(actor);
  return h === source || h.endsWith(`.${source}`);
}

export interface Applied {
  policy: Policy;
  /** The policy that decided it (absent for the default). */
  by?: SourcePolicy;
}

/** The strictest policy naming any of these actors (origin and relays); accept when none does. */
export function policyFor(policies: SourcePolicy[], actors: (string | undefined)[]): Applied {
  let best: Applied = { policy: "accept" };
  for (const p of policies) {
    if (actors.some((a) => a && names(p.source, a)) && (!best.by || RANK[p.policy] > RANK[best.policy]))
      best = { policy: p.policy, by: p };
  }
  return best;
}
