import { beforeEach, expect } from "@jest/globals";
import "jest-rdf";

// Every test must assert something: a test that asserts nothing is a defect.
beforeEach(() => {
  expect.hasAssertions();
});
