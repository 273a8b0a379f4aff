/**
 * Interoperability of what essfed signs, checked by code that is not Fedify's and not ours:
 * `@peertube/http-signature` (the draft-cavage library PeerTube federates with) verifies our
 * deliveries, and a request it signs is accepted by our inbox. Integrity proofs made by essfed are
 * verified by Fedify's own `verifyProof`, an independent implementation of eddsa-jcs-2022.
 */
import { createHash } from "node:crypto";
import { createServer, request as httpRequest, type IncomingMessage, type Server } from "node:http";
import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import httpSignature from "@peertube/http-signature";
import { exportJwk, verifyProof as fedifyVerifyProof } from "@fedify/fedify/sig";
import { DataIntegrityProof } from "@fedify/vocab";
import { exportSpki, getDocumentLoader } from "@fedify/vocab-runtime";
import { createObjectKey } from "../support/keys.ts";
import { createActivity } from "../support/sender.ts";
import { auth, startInstance, type TestInstance } from "../support/instance.ts";
import { eventually } from "../support/process.ts";

let inst: TestInstance, peer: TestInstance;
let fakeInbox: Server;
const received: { req: IncomingMessage; body: string }[] = [];

beforeAll(async () => {
  [inst, peer] = await Promise.all([
    startInstance({ ESSFED_HANDLE: "signer" }),
    startInstance({ ESSFED_HANDLE: "peer" }),
  ]);
  fakeInbox = createServer((req, res) => {
    let body = "";
    req.on("data", (c) => (body += c));
    req.on("end", () => {
      received.push({ req, body });
      res.writeHead(202).end();
    });
  });
  await new Promise<void>((r) => fakeInbox.listen(0, "127.0.0.1", r));
});
afterAll(async () => {
  fakeInbox.close();
  await Promise.all([inst?.stop(), peer?.stop()]);
});

describe("HTTP signatures", () => {
  it("on deliveries verify with an independent draft-cavage verifier, with a matching SHA-256 digest.", async () => {
    const port = (fakeInbox.address() as { port: number }).port;
    await inst.store.putFollower({
      actor: "http://127.0.0.1:1/actors/x",
      inbox: `http://127.0.0.1:${port}/inbox`,
      followId: "urn:f",
      state: "accepted",
      since: new Date().toISOString(),
    });
    const res = await fetch(`${inst.base}/initiatives`, {
      method: "POST",
      headers: { "content-type": "application/ld+json", ...auth },
      body: JSON.stringify({
        "@context": { ess: "https://lod.coop/essglobal/2.1/vocab/", gr: "http://purl.org/goodrelations/v1#" },
        "@type": "ess:SSEInitiative",
        "gr:name": "Signed Co-op",
      }),
    });
    expect(res.status).toBe(201);
    const until = Date.now() + 10_000;
    while (!received.length && Date.now() < until) await new Promise((r) => setTimeout(r, 20));
    const { req, body } = received[0]!;
    const parsed = httpSignature.parseRequest(req, { headers: ["(request-target)", "host", "date", "digest"] });
    expect(parsed.keyId).toBe(`${inst.iris.actor}#main-key`);
    const pem = await exportSpki(inst.keys.rsa.publicKey);
    expect(httpSignature.verifySignature(parsed, pem)).toBe(true);
    expect(req.headers.digest).toBe(`SHA-256=${createHash("sha256").update(body).digest("base64")}`);
    expect((JSON.parse(body) as { object: Record<string, unknown> }).object["gr:name"]).toBe("Signed Co-op");
  });

  it("made by an independent signer are accepted by our inbox.", async () => {
    // Initiatives are taken only from networks followed: inst follows peer first.
    const follow = await fetch(`${inst.base}/api/follows`, {
      method: "POST",
      headers: { ...auth, "content-type": "application/json" },
      body: JSON.stringify({ target: peer.iris.actor }),
    });
    expect(follow.status).toBe(202);
    await eventually(
      async () => (await inst.store.getFollowing(peer.iris.actor))?.state === "accepted",
      15_000,
      "inst follows peer",
    );
    const id = `${peer.base}/initiatives/peertube-signed`;
    const body = JSON.stringify(createActivity(peer.iris.actor, id));
    const jwk = await exportJwk(peer.keys.rsa.privateKey);
    const key = createObjectKey(jwk);
    const url = new URL(`${inst.base}/inbox`);
    const status = await new Promise<number>((resolve, reject) => {
      const req = httpRequest(
        url,
        {
          method: "POST",
          headers: {
            "content-type": "application/activity+json",
            "content-length": Buffer.byteLength(body),
            digest: `SHA-256=${createHash("sha256").update(body).digest("base64")}`,
            host: url.host,
          },
        },
        (res) => {
          res.resume();
          resolve(res.statusCode ?? 0);
        },
      );
      req.on("error", reject);
      httpSignature.signRequest(req, {
        key,
        keyId: `${peer.iris.actor}#main-key`,
        authorizationHeaderName: "Signature",
        headers: ["(request-target)", "host", "date", "digest"],
      });
      req.end(body);
    });
    expect(status).toBe(202);
    expect((await inst.store.getInitiative(id))?.provenance?.origin).toBe(peer.iris.actor);
  });
});

describe("Integrity proofs", () => {
  it("made by essfed verify with Fedify's verifyProof, and fail once the document changes.", async () => {
    const doc = await inst.runtime.ctx.outbox.sign({
      "@context": [
        "https://www.w3.org/ns/activitystreams",
        "https://w3id.org/security/data-integrity/v2",
        { gr: "http://purl.org/goodrelations/v1#" },
      ],
      id: `${inst.base}/initiatives/proof-test`,
      type: "Page",
      name: "Proof Co-op",
      "gr:name": "Proof Co-op",
      attributedTo: inst.iris.actor,
    });
    const loader = getDocumentLoader({ allowPrivateAddress: true });
    const options = { documentLoader: loader, contextLoader: loader };
    const proof = await DataIntegrityProof.fromJsonLd(
      { "@context": "https://w3id.org/security/data-integrity/v2", ...(doc.proof as object) },
      options,
    );
    const key = await fedifyVerifyProof(doc, proof, options);
    expect(key?.id?.href).toBe(`${inst.iris.actor}#multikey-2`);
    expect(await fedifyVerifyProof({ ...doc, "gr:name": "Forged" }, proof, options)).toBeNull();
  });
});
