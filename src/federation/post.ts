/**
 * Sends a signed delivery over node:http(s) with keep-alive agents. `fetch` (undici) builds and
 * clones several stream-backed objects per request; a delivery is a small body to a few hosts,
 * again and again, and this costs a fraction of that per POST.
 */
import { Agent as HttpAgent, request as httpRequest } from "node:http";
import { Agent as HttpsAgent, request as httpsRequest } from "node:https";

const httpAgent = new HttpAgent({ keepAlive: true, maxSockets: 64 });
const httpsAgent = new HttpsAgent({ keepAlive: true, maxSockets: 64 });

/** POSTs `body` with the (signed) request's URL and headers; resolves with the status code. */
export function post(signed: Request, body: Uint8Array, timeoutMs: number): Promise<number> {
  const url = new URL(signed.url);
  const headers: Record<string, string> = {};
  signed.headers.forEach((v, k) => { headers[k] = v; });
  headers["content-length"] = String(body.byteLength);
  const https = url.protocol === "https:";
  return new Promise((resolve, reject) => {
    const req = (https ? httpsRequest : httpRequest)(url, { method: "POST", headers, agent: https ? httpsAgent : httpAgent, timeout: timeoutMs }, (res) => {
      res.resume();
      res.on("end", () => resolve(res.statusCode ?? 0));
      res.on("error", reject);
    });
    req.on("timeout", () => req.destroy(new Error(`no answer within ${timeoutMs} ms`)));
    req.on("error", reject);
    req.end(body);
  });
}
