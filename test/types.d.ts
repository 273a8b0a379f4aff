// jest-rdf's matchers on @jest/globals' expect (its own typings extend the old global jest namespace).
import type { Quad } from "@rdfjs/types";

declare module "expect" {
  interface Matchers<R> {
    toBeRdfIsomorphic(expected: Quad[]): R;
    toEqualRdfQuadArray(expected: Quad[]): R;
  }
}
export {};
