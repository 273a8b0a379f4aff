/**
 * The ActivityPub side of an instance, on Fedify: the network actor (an `Organization`), WebFinger,
 * NodeInfo, followers/following/outbox collections. The inbox is essfed's own (`../inbox/`).
 * `createEssFederation(deps)` is
 * called once from `compose.ts`; nothing here is a module-level singleton.
 */
import { Temporal } from "@js-temporal/polyfill";
import { createFederation, type Federation } from "@fedify/fedify";
import { Endpoints, Organization, Create, PropertyValue, type Recipient } from "@fedify/vocab";
import type { Config } from "../../config.ts";
import type { Iris } from "../../directory/ids.ts";
import type { Store } from "../../store/store.ts";
import type { ActorKeys } from "../keys.ts";
import type { DocumentLoader } from "@fedify/vocab-runtime";
import { staticDocumentLoader } from "../../linkeddata/context.ts";
import { actorInboxPath, SHARED_INBOX_PATH } from "../inbox/paths.ts";
import { LOCAL_SOURCE } from "../../store/records.ts";

export interface FederationDeps {
  config: Config;
  store: Store;
  iris: Iris;
  keys: ActorKeys;
  /** Loads remote documents through essfed's outbound client (signed, bounded, address policy). */
  documentLoader: DocumentLoader;
  /** Actor IRIs this instance had before it moved (`alsoKnownAs`), so followers can follow a Move. */
  aliases?: string[];
}

const SOFTWARE_VERSION = "0.1.0";

export function createEssFederation(deps: FederationDeps): Federation<void> {
  const { config, store, iris, keys } = deps;
  const federation = createFederation<void>({
    kv: store.kv,
    origin: config.url,
    // Whatever Fedify fetches goes through essfed's one outbound client, which applies the
    // ESSFED_ALLOW_PRIVATE policy itself (Fedify's allowPrivateAddress cannot be combined with
    // custom loaders). Contexts come from the shipped set only.
    documentLoaderFactory: () => deps.documentLoader,
    authenticatedDocumentLoaderFactory: () => deps.documentLoader,
    contextLoaderFactory: () => staticDocumentLoader,
  });

  federation
    .setActorDispatcher("/actors/{identifier}", async (ctx, identifier) => {
      if (identifier !== config.handle) return null;
      const pairs = await ctx.getActorKeyPairs(identifier);
      return new Organization({
        id: ctx.getActorUri(identifier),
        preferredUsername: identifier,
        name: config.name,
        summary: config.summary,
        url: new URL(config.url),
        inbox: new URL(actorInboxPath(identifier), config.url),
        outbox: ctx.getOutboxUri(identifier),
        followers: ctx.getFollowersUri(identifier),
        following: ctx.getFollowingUri(identifier),
        endpoints: new Endpoints({ sharedInbox: new URL(SHARED_INBOX_PATH, config.url) }),
        streams: [new URL(iris.directory)],
        manuallyApprovesFollowers: config.followApproval === "manual",
        ...(deps.aliases?.length ? { aliases: deps.aliases.map((a) => new URL(a)) } : {}),
        discoverable: true,
        // The dataset description and the data licence, as profile fields Mastodon shows.
        attachments: termsFields(config),
        // RSA first (what Mastodon reads), then Ed25519 for RFC 9421 signatures between essfed peers.
        publicKeys: pairs.map((p) => p.cryptographicKey),
        assertionMethods: pairs.map((p) => p.multikey),
      });
    })
    .setKeyPairsDispatcher((_ctx, identifier) =>
      Promise.resolve(identifier === config.handle ? [keys.rsa, keys.ed25519] : []),
    );

  federation
    .setFollowersDispatcher("/actors/{identifier}/followers", async (_ctx, identifier) => {
      if (identifier !== config.handle) return null;
      const followers = await store.listFollowers("accepted");
      const items: Recipient[] = followers.map((f) => ({
        id: new URL(f.actor),
        inboxId: new URL(f.inbox),
        ...(f.sharedInbox ? { endpoints: { sharedInbox: new URL(f.sharedInbox) } } : {}),
      }));
      return { items };
    })
    .setCounter(async () => (await store.listFollowers("accepted")).length);

  federation
    .setFollowingDispatcher("/actors/{identifier}/following", async (_ctx, identifier) => {
      if (identifier !== config.handle) return null;
      const following = await store.listFollowing();
      return { items: following.filter((f) => f.state === "accepted").map((f) => new URL(f.actor)) };
    })
    .setCounter(async () => (await store.listFollowing()).filter((f) => f.state === "accepted").length);

  federation
    .setOutboxDispatcher("/actors/{identifier}/outbox", async (_ctx, identifier, cursor) => {
      if (identifier !== config.handle) return null;
      const page = await store.listInitiatives({ limit: 20, source: LOCAL_SOURCE, ...(cursor ? { cursor } : {}) });
      // The outbox lists the latest Create per own initiative, newest first; the full data is at
      // each object's IRI (Fedify re-serialises these, so only ActivityStreams terms appear here).
      const items = page.items.map(
        (r) =>
          new Create({
            id: new URL(`${r.initiative.id}#create-${r.version}`),
            actor: new URL(iris.actor),
            object: new URL(r.initiative.id),
            published: Temporal.Instant.from(r.updated),
          }),
      );
      return { items, nextCursor: page.next ?? null };
    })
    .setFirstCursor(() => "")
    .setCounter(async () => store.countInitiatives(LOCAL_SOURCE));

  federation.setNodeInfoDispatcher("/nodeinfo/2.1", async () => ({
    software: { name: "essfed", version: SOFTWARE_VERSION, homepage: new URL("https://github.com/essfed/essfed") },
    protocols: ["activitypub"],
    usage: {
      users: { total: 1, activeMonth: 1, activeHalfyear: 1 },
      localPosts: await store.countInitiatives(LOCAL_SOURCE),
      localComments: 0,
    },
    openRegistrations: false,
    metadata: { nodeName: config.name, directory: iris.directory },
  }));

  // No inbox listeners: essfed receives activities itself (`inbox/receive.ts`), so Fedify is not
  // told of the inbox paths and never answers them.
  return federation;
}

/** The actor's `PropertyValue` attachments naming the dataset description and the data licence. */
function termsFields(config: Config): PropertyValue[] {
  const esc = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
  const dataset = `${config.url}/dataset`;
  return [
    new PropertyValue({ name: "Dataset", value: `<a href="${esc(dataset)}" rel="describedby">${esc(dataset)}</a>` }),
    ...(config.licence
      ? [
          new PropertyValue({
            name: "Data licence",
            value: `<a href="${esc(config.licence.iri)}" rel="license">${esc(config.licence.label)}</a>`,
          }),
        ]
      : []),
  ];
}
