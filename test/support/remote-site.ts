/**
 * A scripted remote site for the outbound client's hostile cases, without touching the machine's
 * DNS: the instance under test gets an injected resolver and an address policy in which
 * 127.0.0.3 stands for "the public internet" and every other address is judged by the real
 * policy. The site listens on 127.0.0.3 (known as remote.test and rebind.test) and serves a
 * proper actor, plus paths that hang, drip, overflow or redirect inwards. An "internal" server
 * on 127.0.0.1, same port, stands for what an attacker would like to reach: it records every hit.
 */
import { createHash } from "node:crypto";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import { exportSpki } from "@fedify/vocab-runtime";
import { generateCryptoKeyPair, signRequest } from "@fedify/fedify/sig";
import { addressRefusal } from "../../src/federation/outbound/addresses.ts";
import type { Resolver } from "../../src/federation/outbound/fetcher.ts";
import type { TestInstance } from "./instance.ts";

export const PUBLIC_IP = "127.0.0.3";

export interface RemoteSite {
  port: number;
  /** `http://remote.test:PORT` + path (or another name the resolver knows). */
  url(path: string, host?: string): string;
  /** The site's actor: RSA key pair, served at /actor under whatever Host it is asked by. */
  keys: CryptoKeyPair;
  /** Paths requested at the public site, with whether the request was signed. */
  hits: { path: string; signed: boolean }[];
  /** Paths that reached the internal server: must stay empty. */
  internalHits: string[];
  /** Bodies POSTed to /inbox. */
  inbox: Record<string, unknown>[];
  /** How many times each name was resolved. */
  lookups: Map<string, number>;
  resolve: Resolver;
  refuseAddress: (ip: string) => string | undefined;
  /** POSTs `activity` to `inbox`, signed by the site's key under `keyId` (default: its actor's key). */
  send(inbox: string, activity: Record<string, unknown>, keyId?: string): Promise<Response>;
  close(): Promise<void>;
}

/** Names the injected resolver knows; anything else does not exist. */
const NAMES: Record<string, string[]> = {
  "remote.test": [PUBLIC_IP],
  "private.test": ["10.0.0.5"],
  "mixed.test": [PUBLIC_IP, "192.168.1.20"],
  "v6-private.test": ["fd12:3456::1"],
  "metadata.test": ["169.254.169.254"],
};

export async function startRemoteSite(): Promise<RemoteSite> {
  const keys = await generateCryptoKeyPair("RSASSA-PKCS1-v1_5");
  const pem = await exportSpki(keys.publicKey);
  const hits: RemoteSite["hits"] = [];
  const internalHits: string[] = [];
  const inbox: Record<string, unknown>[] = [];
  const lookups = new Map<string, number>();
  let port = 0;

  const actorDoc = (req: IncomingMessage, inboxUrl?: string) => {
    const id = `http://${req.headers.host}${req.url}`;
    return JSON.stringify({
      "@context": ["https://www.w3.org/ns/activitystreams", "https://w3id.org/security/v1"],
      id,
      type: "Person",
      preferredUsername: "remote",
      inbox: inboxUrl ?? `http://${req.headers.host}/inbox`,
      publicKey: { id: `${id}#main-key`, owner: id, publicKeyPem: pem },
    });
  };
  const routes: Record<string, (req: IncomingMessage, res: ServerResponse) => void> = {
    "/actor": (req, res) => void res.writeHead(200, { "content-type": "application/activity+json" }).end(actorDoc(req)),
    "/actor-private-inbox": (req, res) =>
      void res
        .writeHead(200, { "content-type": "application/activity+json" })
        .end(actorDoc(req, `http://private.test:${port}/inbox`)),
    "/hang": () => {},
    "/drip": (_req, res) => {
      res.writeHead(200, { "content-type": "application/activity+json" });
      const timer = setInterval(() => res.write(" "), 50);
      res.on("close", () => clearInterval(timer));
    },
    "/big": (_req, res) =>
      void res
        .writeHead(200, { "content-type": "application/activity+json", "content-length": String(50 * 1024 * 1024) })
        .end(),
    "/big-chunked": (_req, res) => {
      res.writeHead(200, { "content-type": "application/activity+json" });
      const chunk = `{"pad":"${"x".repeat(64 * 1024)}`;
      let sent = 0;
      const more = () => {
        while (sent++ < 400 && res.write(chunk));
        if (sent < 400) res.once("drain", more);
        else res.end();
      };
      res.on("close", () => {
        sent = 400;
      });
      more();
    },
    "/gzip": (_req, res) =>
      void res
        .writeHead(200, { "content-type": "application/activity+json", "content-encoding": "gzip" })
        .end("\x1f\x8b not really"),
    "/to-private": (_req, res) => void res.writeHead(302, { location: `http://private.test:${port}/actor` }).end(),
    "/to-loopback": (_req, res) => void res.writeHead(301, { location: `http://127.0.0.1:${port}/actor` }).end(),
    "/to-metadata": (_req, res) =>
      void res.writeHead(307, { location: "http://169.254.169.254/latest/meta-data/" }).end(),
    "/loop": (_req, res) => void res.writeHead(302, { location: "/loop" }).end(),
    "/busy": (_req, res) => void res.writeHead(429, { "retry-after": "30" }).end(),
    "/down": (_req, res) => void res.writeHead(502).end(),
    "/gone": (_req, res) => void res.writeHead(410).end(),
  };
  const site: Server = createServer((req, res) => {
    const path = new URL(req.url ?? "/", "http://x").pathname;
    if (req.method === "POST") {
      let body = "";
      req.on("data", (c) => (body += c));
      req.on("end", () => {
        try {
          inbox.push(JSON.parse(body) as Record<string, unknown>);
        } catch {
          /* recorded as nothing */
        }
        res.writeHead(202).end();
      });
      return;
    }
    hits.push({ path, signed: typeof req.headers.signature === "string" });
    (routes[path] ?? ((_q, r) => void r.writeHead(404).end()))(req, res);
  });
  const internal: Server = createServer((req, res) => {
    internalHits.push(req.url ?? "");
    res.writeHead(200, { "content-type": "application/activity+json" }).end(actorDoc(req));
  });
  // The internal server takes the same port on 127.0.0.1, so that a rebound name would reach it.
  for (let attempt = 0; ; attempt++) {
    await new Promise<void>((r) => site.listen(0, PUBLIC_IP, r));
    port = (site.address() as { port: number }).port;
    const ok = await new Promise<boolean>((r) => {
      internal.once("error", () => r(false));
      internal.listen(port, "127.0.0.1", () => r(true));
    });
    if (ok) break;
    await new Promise<void>((r) => site.close(() => r()));
    if (attempt > 20) throw new Error("no port free on both addresses");
  }

  let rebinds = 0;
  const resolve: Resolver = (name) => {
    lookups.set(name, (lookups.get(name) ?? 0) + 1);
    // DNS rebinding: public at the first answer, loopback at every later one.
    if (name === "rebind.test")
      return Promise.resolve([{ address: rebinds++ === 0 ? PUBLIC_IP : "127.0.0.1", family: 4 }]);
    const found = NAMES[name];
    if (!found) return Promise.reject(Object.assign(new Error(`getaddrinfo ENOTFOUND ${name}`), { code: "ENOTFOUND" }));
    return Promise.resolve(found.map((address) => ({ address, family: address.includes(":") ? 6 : 4 })));
  };

  return {
    port,
    keys,
    hits,
    internalHits,
    inbox,
    lookups,
    resolve,
    url: (path, host = "remote.test") => `http://${host}:${port}${path}`,
    refuseAddress: (ip) => (ip === PUBLIC_IP ? undefined : addressRefusal(ip, false)),
    async send(target, activity, keyId) {
      const body = JSON.stringify(activity);
      const req = new Request(target, {
        method: "POST",
        body,
        headers: {
          "content-type": "application/activity+json",
          digest: `SHA-256=${createHash("sha256").update(body).digest("base64")}`,
        },
      });
      const key = new URL(keyId ?? `${String(activity.actor)}#main-key`);
      return fetch(await signRequest(req, keys.privateKey, key, { spec: "draft-cavage-http-signatures-12" }));
    },
    close: async () => {
      for (const s of [site, internal]) {
        s.closeAllConnections();
        await new Promise<void>((r) => s.close(() => r()));
      }
    },
  };
}

/**
 * Runs a hostile request and, while it is in flight, an ordinary one (the instance's actor
 * document); returns both. The ordinary one must be answered, and — when the hostile one waits
 * on a remote that stalls — answered first.
 */
export async function alongside<T>(
  inst: TestInstance,
  hostile: () => Promise<T>,
): Promise<{ hostile: T; ordinary: number; ordinaryFirst: boolean }> {
  let hostileDone = false;
  const h = hostile().finally(() => {
    hostileDone = true;
  });
  const ordinary = (async () => {
    const res = await fetch(inst.iris.actor, { headers: { accept: "application/activity+json" } });
    await res.arrayBuffer();
    return { status: res.status, first: !hostileDone };
  })();
  const [hv, o] = await Promise.all([h, ordinary]);
  return { hostile: hv, ordinary: o.status, ordinaryFirst: o.first };
}
