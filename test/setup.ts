import { beforeEach, expect } from "@jest/globals";
import "jest-rdf";

// Every test must assert something (STYLE.md §28): a test that asserts nothing is a defect.
beforeEach(() => {
  expect.hasAssertions();
});
