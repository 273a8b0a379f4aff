/**
 * The rights of the people concerned (issue 17, item 4): everything this instance holds about one
 * email address or phone number — own and mirrored records, records withheld by curation, the
 * review queue, the audit log — and its erasure from the network's own records. An erasure is an
 * ordinary write through the directory, so followers get an Update without the field and every
 * instance downstream removes it.
 */
import type { Directory } from "../directory/directory.ts";
import type { Initiative } from "../domain/initiative.ts";
import type { InitiativeDraft } from "../domain/validate.ts";
import { BadRequestHttpError } from "../errors.ts";
import type { AuditActor } from "../store/accounts.ts";
import type { Store } from "../store/store.ts";

/** The one value asked about: an email address or a phone number. */
export type Subject = { email: string } | { phone: string };

const PAGE = 500;
const MAX_SUBJECT = 254;

/** Reads `{email}` or `{phone}` (exactly one, bounded) from a query or a body; refuses anything else. */
export function subjectOf(input: unknown): Subject {
  const o = (input && typeof input === "object" ? input : {}) as Record<string, unknown>;
  const email = typeof o.email === "string" ? o.email.trim() : undefined;
  const phone = typeof o.phone === "string" ? o.phone.trim() : undefined;
  const refuse = (message: string) =>
    new BadRequestHttpError(message, "invalid-subject", {
      errors: [{ field: email !== undefined ? "email" : "phone", message }],
    });
  if ((email === undefined) === (phone === undefined) || (!email && !phone))
    throw refuse("give exactly one of email or phone");
  const v = (email ?? phone)!;
  if (v.length > MAX_SUBJECT) throw refuse(`is longer than ${MAX_SUBJECT} characters`);
  if (email !== undefined && !/^[^\s@]+@[^\s@]+$/.test(email)) throw refuse("is not an email address");
  if (phone !== undefined && digits(phone).length < 5) throw refuse("is not a phone number (at least 5 digits)");
  return email !== undefined ? { email } : { phone: phone! };
}

const digits = (s: string) => s.replace(/\D/g, "");

/** Whether an initiative holds the subject (emails compared without case, phones by their digits). */
export function holds(i: Initiative | undefined, s: Subject): boolean {
  if (!i) return false;
  if ("email" in s) return i.email !== undefined && i.email.toLowerCase() === s.email.toLowerCase();
  return i.phone !== undefined && digits(i.phone) === digits(s.phone);
}

const mentions = (value: unknown, s: Subject): boolean => {
  const text = JSON.stringify(value ?? null);
  return "email" in s ? text.toLowerCase().includes(s.email.toLowerCase()) : digits(text).includes(digits(s.phone));
};

export interface PersonalDataExport {
  subject: Subject;
  /** Records served, own (no `origin`) and mirrored. */
  records: { id: string; origin?: string; initiative: Initiative }[];
  /** Records withheld by curation. */
  withheld: { id: string; state: string; initiative: Initiative }[];
  /** Queue items (changes, suggestions, reports) whose record or text holds it. */
  queue: { n: number; kind: string; target: string; received: string; text?: string; from?: string }[];
  /** Audit entries that mention it. */
  audit: { seq: number; at: string; action: string; target: string }[];
}

async function* pages<T>(list: (cursor?: string) => Promise<{ items: T[]; next?: string }>): AsyncGenerator<T> {
  let cursor: string | undefined;
  do {
    const page = await list(cursor);
    yield* page.items;
    cursor = page.next;
  } while (cursor);
}

/** Everything held about the subject, read a page at a time. */
export async function exportPersonalData(store: Store, s: Subject): Promise<PersonalDataExport> {
  const out: PersonalDataExport = { subject: s, records: [], withheld: [], queue: [], audit: [] };
  for await (const r of pages((cursor) => store.listInitiatives({ limit: PAGE, ...(cursor ? { cursor } : {}) })))
    if (holds(r.initiative, s))
      out.records.push({
        id: r.initiative.id,
        ...(r.provenance ? { origin: r.provenance.origin } : {}),
        initiative: r.initiative,
      });
  for await (const w of pages((cursor) => store.curation.listWithheld({ limit: PAGE, ...(cursor ? { cursor } : {}) })))
    if (holds(w.record.initiative, s))
      out.withheld.push({ id: w.record.initiative.id, state: w.state, initiative: w.record.initiative });
  for await (const q of pages((cursor) => store.curation.listQueue({ limit: PAGE, ...(cursor ? { cursor } : {}) })))
    if (holds(q.record?.initiative, s) || mentions([q.text, q.from], s))
      out.queue.push({
        n: q.n,
        kind: q.kind,
        target: q.target,
        received: q.received,
        ...(q.text !== undefined ? { text: q.text } : {}),
        ...(q.from !== undefined ? { from: q.from } : {}),
      });
  for await (const a of pages((cursor) => store.audit.list({ limit: PAGE, ...(cursor ? { cursor } : {}) })))
    if (mentions([a.target, a.reason, a.detail], s))
      out.audit.push({ seq: a.seq, at: a.at, action: a.action, target: a.target });
  return out;
}

/** The draft that rewrites a record as it is, without the subject's field. */
function withoutSubject(i: Initiative, s: Subject): InitiativeDraft {
  const draft: InitiativeDraft = { ...i, sharing: { ...i.sharing } };
  if ("email" in s) {
    delete draft.email;
    delete draft.sharing!.email;
  } else {
    delete draft.phone;
    delete draft.sharing!.phone;
  }
  return draft;
}

/**
 * Removes the subject's email or phone from every own record holding it, as an ordinary update
 * (followers are told, and remove it in turn). Mirrored records are their owners' to change.
 * @returns the IRIs of the records changed, and of mirrored records still holding it (their owners')
 */
export async function erasePersonalData(
  store: Store,
  directory: Directory,
  s: Subject,
  actor: AuditActor,
): Promise<{ erased: string[]; heldByOthers: { id: string; origin: string }[] }> {
  const held = await exportPersonalData(store, s);
  const own = held.records.filter((r) => !r.origin);
  const results = own.length ? await directory.upsert(own.map((r) => withoutSubject(r.initiative, s))) : [];
  const erased = own.filter((_r, n) => results[n]?.ok).map((r) => r.id);
  // The log names the record and the field, never the value erased.
  for (const id of erased)
    await store.audit.append({
      at: new Date().toISOString(),
      actor,
      action: "initiative.erase-contact",
      target: id,
      detail: { field: "email" in s ? "email" : "phone" },
    });
  return {
    erased,
    heldByOthers: held.records.flatMap((r) => (r.origin ? [{ id: r.id, origin: r.origin }] : [])),
  };
}
