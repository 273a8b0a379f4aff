import { describe, expect, it } from "@jest/globals";
import canonicalize from "canonicalize";
import { generateCryptoKeyPair } from "@fedify/fedify/sig";
import { stableJson } from "../../domain/version.ts";
import { attachProof, verifyProof } from "./proof.ts";

describe("Integrity proofs", () => {
  it("hash JSON exactly as RFC 8785 (JCS) canonicalises it.", () => {
    const samples: unknown[] = [
      {
        b: 1,
        a: [3, { z: "é", y: null, "\u00e8": true }],
        "": "",
        "10": 0.1,
        "9": -0,
        c: 'line\nbreak \u2028 \ud83d\ude00 "q" \\',
      },
      { "€": 1, "\u20ab": 2, "a\u0000b": "x\u0007", nested: { deeper: { deepest: [1e21, 1e-7, 123456789.125] } } },
      ["unicode ordering", { "\ud800\udc00": 1, "\uffff": 2, "\u00ff": 3 }],
    ];
    for (const s of samples) expect(stableJson(s)).toBe(canonicalize(s));
  });

  it("verify for the signing key and fail for anything changed.", async () => {
    const { privateKey, publicKey } = await generateCryptoKeyPair("Ed25519");
    const doc = await attachProof(
      { "@context": ["https://www.w3.org/ns/activitystreams"], id: "https://x.example/o/1", name: "Co-op" },
      privateKey,
      "https://x.example/actors/a#k",
    );
    const key = (vm: string) =>
      Promise.resolve(
        vm === "https://x.example/actors/a#k"
          ? { key: publicKey, controller: "https://x.example/actors/a" }
          : undefined,
      );
    expect(await verifyProof(doc, key)).toBe("https://x.example/actors/a");
    expect(await verifyProof({ ...doc, name: "Other" }, key)).toBeUndefined();
    expect(
      await verifyProof(
        { ...doc, proof: { ...(doc.proof as object), verificationMethod: "https://evil.example/k" } },
        key,
      ),
    ).toBeUndefined();
    expect(await verifyProof({ id: "no proof" }, key)).toBeUndefined();
  });
});
