/**
 * A stand-in for a Mastodon user on 127.0.0.1: a `Person` actor with an RSA key, a WebFinger
 * answer, and an inbox that records what arrives. It sends signed activities the way Mastodon does
 * (draft-cavage, rsa-sha256, signing (request-target) host date digest).
 */
import { createHash } from "node:crypto";
import { createServer, type IncomingMessage, type Server } from "node:http";
import { exportSpki } from "@fedify/vocab-runtime";
import { generateCryptoKeyPair, signRequest } from "@fedify/fedify/sig";

export interface Received { headers: IncomingMessage["headers"]; body: Record<string, unknown> }

export interface FakeMastodon {
  actor: string;
  base: string;
  inbox: Received[];
  send(inbox: string, activity: Record<string, unknown>): Promise<Response>;
  close(): Promise<void>;
}

export async function startFakeMastodon(username = "alice"): Promise<FakeMastodon> {
  const keys = await generateCryptoKeyPair("RSASSA-PKCS1-v1_5");
  const pem = await exportSpki(keys.publicKey);
  const inbox: Received[] = [];
  let base = "";
  const server: Server = createServer((req, res) => {
    const url = new URL(req.url ?? "/", base);
    const actor = `${base}/users/${username}`;
    if (req.method === "POST") {
      let body = "";
      req.on("data", (c) => (body += c));
      req.on("end", () => { inbox.push({ headers: req.headers, body: JSON.parse(body) }); res.writeHead(202).end(); });
      return;
    }
    if (url.pathname === `/users/${username}`) {
      res.writeHead(200, { "content-type": "application/activity+json" }).end(JSON.stringify({
        "@context": ["https://www.w3.org/ns/activitystreams", "https://w3id.org/security/v1"],
        id: actor, type: "Person", preferredUsername: username, inbox: `${actor}/inbox`,
        endpoints: { sharedInbox: `${base}/inbox` }, followers: `${actor}/followers`,
        publicKey: { id: `${actor}#main-key`, owner: actor, publicKeyPem: pem },
      }));
      return;
    }
    res.writeHead(404).end();
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  base = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
  const actor = `${base}/users/${username}`;
  return {
    actor, base, inbox,
    async send(target, activity) {
      const body = JSON.stringify(activity);
      const req = new Request(target, {
        method: "POST", body,
        headers: { "content-type": "application/activity+json", digest: `SHA-256=${createHash("sha256").update(body).digest("base64")}` },
      });
      return fetch(await signRequest(req, keys.privateKey, new URL(`${actor}#main-key`), { spec: "draft-cavage-http-signatures-12" }));
    },
    close: () => new Promise((r) => server.close(() => r())),
  };
}
