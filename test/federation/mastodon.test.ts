/**
 * What a Mastodon server requires of a remote actor, checked against a running instance: WebFinger
 * and its round trip, the actor document, a Follow from a Mastodon-style `Person`, and the posts
 * its followers receive — readable as Mastodon renders a converted `Page`: name, place and
 * summary, and a link.
 */
import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import { auth, startInstance, type TestInstance } from "../support/instance.ts";
import { eventually } from "../support/process.ts";
import { startFakeMastodon, type FakeMastodon } from "../support/fake-mastodon.ts";

/** The parts of our actor document these tests read as Mastodon does. */
interface PublicKeyDoc {
  id: string;
  publicKeyPem: string;
  owner: string;
}
type ActorDoc = Record<string, unknown> & {
  id: string;
  url: string;
  endpoints: { sharedInbox: string };
  publicKey: PublicKeyDoc | PublicKeyDoc[];
};

let inst: TestInstance, alice: FakeMastodon;
let host: string;
beforeAll(async () => {
  inst = await startInstance({ ESSFED_HANDLE: "coops", ESSFED_NAME: "Co-ops of the North" });
  alice = await startFakeMastodon();
  host = new URL(inst.base).host;
});
afterAll(async () => {
  await alice?.close();
  await inst?.stop();
});

const AP = "application/activity+json";
const ACTIVITY_TYPES = [
  "application/activity+json",
  'application/ld+json; profile="https://www.w3.org/ns/activitystreams"',
];

describe("For Mastodon", () => {
  it("WebFinger answers acct:handle@host with a self link Mastodon accepts, and the round trip holds.", async () => {
    const res = await fetch(`${inst.base}/.well-known/webfinger?resource=acct:coops@${host}`, {
      headers: { accept: "application/jrd+json, application/json" },
    });
    expect(res.status).toBe(200);
    const jrd = (await res.json()) as { subject: string; links: { rel: string; type?: string; href: string }[] };
    expect(jrd.subject).toBe(`acct:coops@${host}`);
    const self = jrd.links.find((l) => l.rel === "self")!;
    expect(ACTIVITY_TYPES).toContain(self.type);
    expect(self.href).toBe(inst.iris.actor);
    const actor = (await (await fetch(self.href, { headers: { accept: AP } })).json()) as Record<string, unknown>;
    // Mastodon re-runs WebFinger for preferredUsername@host(actor.id) and expects the same actor.
    const acct = `${String(actor.preferredUsername)}@${new URL(String(actor.id)).host}`;
    const again = (await (
      await fetch(`${inst.base}/.well-known/webfinger?resource=acct:${acct}`)
    ).json()) as typeof jrd;
    expect(again.links.find((l) => l.rel === "self")!.href).toBe(actor.id);
  });

  it("the actor document has what Mastodon requires and uses.", async () => {
    const actor = (await (await fetch(inst.iris.actor, { headers: { accept: AP } })).json()) as ActorDoc;
    expect(actor["@context"]).toContain("https://www.w3.org/ns/activitystreams");
    expect(["Application", "Group", "Organization", "Person", "Service"]).toContain(actor.type);
    expect(actor.preferredUsername).toBe("coops");
    expect(actor.name).toBe("Co-ops of the North");
    expect(actor.id).toMatch(/^https?:\/\//);
    expect(actor.inbox).toBe(`${inst.iris.actor}/inbox`);
    expect(actor.endpoints.sharedInbox).toBe(`${inst.base}/inbox`);
    for (const k of ["outbox", "followers", "following"]) expect(typeof actor[k]).toBe("string");
    // Mastodon takes the first publicKey: the RSA one.
    const publicKey = Array.isArray(actor.publicKey) ? actor.publicKey[0]! : actor.publicKey;
    expect(publicKey.id).toBe(`${actor.id}#main-key`);
    expect(publicKey.publicKeyPem).toContain("BEGIN PUBLIC KEY");
    expect(publicKey.owner).toBe(actor.id);
    expect(new URL(actor.url).host).toBe(new URL(actor.id).host);
    expect(actor.streams).toBe(inst.iris.directory);
    // Profile fields Mastodon shows: the dataset description (and the licence, when one is declared).
    const fields = [actor.attachment].flat();
    expect(fields).toEqual([
      expect.objectContaining({
        type: "PropertyValue",
        name: "Dataset",
        value: expect.stringContaining(`href="${inst.base}/dataset"`),
      }),
    ]);
  });

  it("accepts a Follow from a Mastodon user and sends the Accept to its inbox.", async () => {
    const follow = {
      "@context": "https://www.w3.org/ns/activitystreams",
      id: `${alice.base}/follows/1`,
      type: "Follow",
      actor: alice.actor,
      object: inst.iris.actor,
    };
    expect((await alice.send(`${inst.iris.actor}/inbox`, follow)).status).toBe(202);
    const accept = await eventually(() => alice.inbox.find((r) => r.body.type === "Accept"), 10_000, "Accept");
    expect(accept.body.actor).toBe(inst.iris.actor);
    expect((accept.body.object as Record<string, unknown>).id).toBe(follow.id);
    expect((await inst.store.getFollower(alice.actor))?.sharedInbox).toBe(`${alice.base}/inbox`);
  });

  it("followers receive a readable, signed post for each new initiative.", async () => {
    const res = await fetch(`${inst.base}/initiatives`, {
      method: "POST",
      headers: { "content-type": "application/ld+json", ...auth },
      body: JSON.stringify({
        "@context": {
          ess: "https://lod.coop/essglobal/2.1/vocab/",
          gr: "http://purl.org/goodrelations/v1#",
          vcard: "http://www.w3.org/2006/vcard/ns#",
          dcterms: "http://purl.org/dc/terms/",
        },
        "@type": "ess:SSEInitiative",
        "gr:name": "Leeds Bread Co-op",
        "dcterms:description": "A worker-owned bakery since 1978.",
        "ess:organisationalStructure": {
          "@id": "https://lod.coop/essglobal/2.1/standard/organisational-structure/OS60",
        },
        "ess:country_id": { "@id": "https://lod.coop/essglobal/2.1/standard/countries-iso/GB" },
        "ess:hasAddress": { "@type": "ess:Address", "vcard:locality": "Leeds" },
      }),
    });
    const id = res.headers.get("location")!;
    const create = await eventually(() => alice.inbox.find((r) => r.body.type === "Create"), 10_000, "Create");
    const object = create.body.object as Record<string, unknown> & { id: string };
    expect(create.body.actor).toBe(inst.iris.actor);
    expect(create.body.to).toContain("https://www.w3.org/ns/activitystreams#Public");
    // A converted type Mastodon shows as name, summary and link; never an ESS-only type.
    expect(object.type).toEqual(["Page", "essglobal:SSEInitiative"]);
    expect(new URL(object.id).host).toBe(new URL(inst.iris.actor).host);
    expect(object.attributedTo).toBe(inst.iris.actor);
    const shown = [object.name, object.summary, object.url ?? object.id].join("\n\n");
    expect(shown).toContain("Leeds Bread Co-op");
    expect(shown).toContain("Leeds, United Kingdom");
    expect(shown).toContain("Workers cooperative");
    expect(shown).toContain("A worker-owned bakery since 1978.");
    expect(shown).toContain(id);
    // Signed as Mastodon verifies: rsa-sha256 over (request-target), host, date and digest.
    const sig = String(create.headers.signature);
    expect(sig).toContain('algorithm="rsa-sha256"');
    expect(sig).toMatch(/headers="\(request-target\) host date digest"|headers="[^"]*\(request-target\)[^"]*"/);
    for (const h of ["host", "date", "digest"]) expect(sig).toContain(h);
    // And the object dereferences for Mastodon's own fetches.
    const fetched = (await (await fetch(id, { headers: { accept: AP } })).json()) as Record<string, unknown>;
    expect(fetched.id).toBe(id);
  });

  it("changes and removals reach followers as Update and Delete.", async () => {
    const id = (
      await fetch(`${inst.base}/initiatives`, {
        method: "POST",
        headers: { "content-type": "application/ld+json", ...auth },
        body: JSON.stringify({
          "@context": { ess: "https://lod.coop/essglobal/2.1/vocab/", gr: "http://purl.org/goodrelations/v1#" },
          "@type": "ess:SSEInitiative",
          "gr:name": "Short-lived Co-op",
        }),
      })
    ).headers.get("location")!;
    await fetch(id, {
      method: "PUT",
      headers: { "content-type": "application/ld+json", ...auth },
      body: JSON.stringify({
        "@context": { ess: "https://lod.coop/essglobal/2.1/vocab/", gr: "http://purl.org/goodrelations/v1#" },
        "@type": "ess:SSEInitiative",
        "gr:name": "Renamed Co-op",
      }),
    });
    await fetch(id, { method: "DELETE", headers: auth });
    const update = await eventually(
      () => alice.inbox.find((r) => r.body.type === "Update" && (r.body.object as { id?: unknown }).id === id),
      10_000,
      "Update",
    );
    expect((update.body.object as { name?: unknown }).name).toBe("Renamed Co-op");
    const del = await eventually(() => alice.inbox.find((r) => r.body.type === "Delete"), 10_000, "Delete");
    expect((del.body.object as { id?: unknown }).id).toBe(id);
  });
});
