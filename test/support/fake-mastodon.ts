/**
 * A stand-in for a Mastodon user on 127.0.0.1: a `Person` actor with an RSA key, a WebFinger
 * answer, and an inbox that records what arrives. It sends signed activities the way Mastodon does
 * (draft-cavage, rsa-sha256, signing (request-target) host date digest), and accepts Follows the
 * way an unlocked account does (an Accept sent to the follower's inbox).
 *
 * With `secure`, it behaves like a server in secure mode (AUTHORIZED_FETCH): every GET other than
 * WebFinger needs a valid HTTP signature (checked against the signer's published key) or gets
 * 401, and so does every POST to its inbox.
 */
import { createHash } from "node:crypto";
import { createServer, type IncomingMessage, type Server } from "node:http";
import { exportSpki, getDocumentLoader } from "@fedify/vocab-runtime";
import { generateCryptoKeyPair, signRequest, verifyRequest } from "@fedify/fedify/sig";

export interface Received {
  headers: IncomingMessage["headers"];
  body: Record<string, unknown>;
  verified: boolean;
}

export interface FakeMastodon {
  actor: string;
  base: string;
  inbox: Received[];
  /** Every GET it answered: the path, whose key signed it (if anyone's) and the status given. */
  gets: { path: string; keyId?: string; status: number }[];
  send(inbox: string, activity: Record<string, unknown>): Promise<Response>;
  close(): Promise<void>;
}

export async function startFakeMastodon(username = "alice", o: { secure?: boolean } = {}): Promise<FakeMastodon> {
  const keys = await generateCryptoKeyPair("RSASSA-PKCS1-v1_5");
  const pem = await exportSpki(keys.publicKey);
  const inbox: Received[] = [];
  const gets: FakeMastodon["gets"] = [];
  const loader = getDocumentLoader({ allowPrivateAddress: true });
  let base = "";
  const actorOf = () => `${base}/users/${username}`;

  /** Verifies a request's signature as Mastodon does; returns the key's id, or undefined. */
  async function signer(req: IncomingMessage, body?: string): Promise<string | undefined> {
    const headers = new Headers();
    for (const [k, v] of Object.entries(req.headers)) if (typeof v === "string") headers.set(k, v);
    const request = new Request(new URL(req.url ?? "/", base), {
      method: req.method,
      headers,
      ...(body !== undefined ? { body } : {}),
    });
    const key = await verifyRequest(request, { documentLoader: loader, contextLoader: loader }).catch(() => null);
    return key?.id?.href;
  }

  async function send(target: string, activity: Record<string, unknown>): Promise<Response> {
    const body = JSON.stringify(activity);
    const req = new Request(target, {
      method: "POST",
      body,
      headers: {
        "content-type": "application/activity+json",
        digest: `SHA-256=${createHash("sha256").update(body).digest("base64")}`,
      },
    });
    return fetch(
      await signRequest(req, keys.privateKey, new URL(`${actorOf()}#main-key`), {
        spec: "draft-cavage-http-signatures-12",
      }),
    );
  }

  /** An unlocked account accepts a Follow at once. */
  async function acceptFollow(follow: Record<string, unknown>): Promise<void> {
    const follower = (await (
      await fetch(String(follow.actor), { headers: { accept: "application/activity+json" } })
    ).json()) as { inbox: string };
    await send(follower.inbox, {
      "@context": "https://www.w3.org/ns/activitystreams",
      id: `${actorOf()}#accepts/${Date.now()}`,
      type: "Accept",
      actor: actorOf(),
      object: follow,
    });
  }

  const server: Server = createServer((req, res) => {
    void (async () => {
      const url = new URL(req.url ?? "/", base);
      if (req.method === "POST") {
        let body = "";
        for await (const c of req) body += c;
        const verified = Boolean(await signer(req, body));
        if (o.secure && !verified) return void res.writeHead(401).end();
        const activity = JSON.parse(body) as Record<string, unknown>;
        inbox.push({ headers: req.headers, body: activity, verified });
        res.writeHead(202).end();
        if (activity.type === "Follow" && activity.object === actorOf()) await acceptFollow(activity);
        return;
      }
      if (url.pathname === "/.well-known/webfinger") {
        return void res.writeHead(200, { "content-type": "application/jrd+json" }).end(
          JSON.stringify({
            subject: `acct:${username}@${url.host}`,
            links: [{ rel: "self", type: "application/activity+json", href: actorOf() }],
          }),
        );
      }
      const keyId = await signer(req);
      const respond = (status: number, body?: string) => {
        gets.push({ path: url.pathname, ...(keyId ? { keyId } : {}), status });
        res.writeHead(status, body ? { "content-type": "application/activity+json" } : {}).end(body);
      };
      if (o.secure && !keyId) return respond(401);
      if (url.pathname !== `/users/${username}`) return respond(404);
      respond(
        200,
        JSON.stringify({
          "@context": ["https://www.w3.org/ns/activitystreams", "https://w3id.org/security/v1"],
          id: actorOf(),
          type: "Person",
          preferredUsername: username,
          inbox: `${actorOf()}/inbox`,
          endpoints: { sharedInbox: `${base}/inbox` },
          followers: `${actorOf()}/followers`,
          publicKey: { id: `${actorOf()}#main-key`, owner: actorOf(), publicKeyPem: pem },
        }),
      );
    })().catch(() => {
      if (!res.headersSent) res.writeHead(500).end();
    });
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  base = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
  return {
    actor: actorOf(),
    base,
    inbox,
    gets,
    send,
    close: () =>
      new Promise((r) => {
        server.closeAllConnections();
        server.close(() => r());
      }),
  };
}
