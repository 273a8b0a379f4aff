// Typings for test-only packages that ship none.
declare module "@peertube/http-signature" {
  const httpSignature: {
    parseRequest(req: unknown, options?: { headers?: string[] }): { keyId: string; [k: string]: unknown };
    verifySignature(parsed: unknown, pem: string): boolean;
    signRequest(
      req: unknown,
      options: { key: string; keyId: string; authorizationHeaderName?: string; headers?: string[] },
    ): boolean;
  };
  export default httpSignature;
}

declare module "autocannon" {
  const autocannon: (options: Record<string, unknown>) => Promise<{ requests: { average: number }; non2xx: number }>;
  export default autocannon;
}
