/**
 * `Flag`: a report (Mastodon sends one when a person reports a post and chooses to forward it,
 * signed by the reporting server's instance actor). Taken from our followers and the networks we
 * follow (or their servers), about records this network holds; its text goes to the review queue.
 */
import { curatorOf, MAX_TEXT } from "../../curation/curator.ts";
import { ForbiddenHttpError, HttpError } from "../../errors.ts";
import type { Json } from "../activities.ts";
import type { FederationContext } from "../context.ts";
import { hostOf } from "../relay.ts";
import { idOf } from "../proofs/trust.ts";

/** A report names at most this many things (Mastodon: the account and a few posts). */
const MAX_OBJECTS = 20;

async function known(ctx: FederationContext, sender: string): Promise<boolean> {
  const host = hostOf(sender);
  const followers = await ctx.store.listFollowers("accepted");
  if (followers.some((f) => f.actor === sender || hostOf(f.actor) === host)) return true;
  return (await ctx.store.getFollowing(sender))?.state === "accepted";
}

export async function onFlag(ctx: FederationContext, activity: Json, sender: string): Promise<{ status: string }> {
  if (!(await known(ctx, sender)))
    throw new ForbiddenHttpError(
      `reports are taken from this network's followers and the networks it follows; ${sender} is neither`,
      "not-a-follower",
    );
  const content = activity.content ?? "";
  if (typeof content !== "string") throw new HttpError(400, "invalid-report", "the report's content must be text");
  if (content.length > MAX_TEXT)
    throw new HttpError(413, "report-too-long", `the report is longer than ${MAX_TEXT} characters`, {
      limit: MAX_TEXT,
    });
  const objects = (Array.isArray(activity.object) ? activity.object : [activity.object])
    .slice(0, MAX_OBJECTS)
    .map(idOf)
    .filter((x): x is string => !!x);
  const served = await ctx.store.getInitiatives(objects);
  const withheld = await ctx.store.curation.getWithhelds(objects);
  const targets = [...new Set(objects.filter((o) => served.has(o) || withheld.has(o)))];
  if (!targets.length) throw new ForbiddenHttpError("the report is about nothing this network holds", "unknown-record");
  const curator = curatorOf(ctx);
  for (const t of targets) await curator.report(t, content.trim() || "(no text)", sender);
  return { status: "reported" };
}
