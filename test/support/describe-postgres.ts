/** Jest helper: PostgreSQL suites run when POSTGRES_URL is set (CI sets it) and are skipped visibly otherwise. */
import { describe } from "@jest/globals";
import { POSTGRES_URL } from "./postgres.ts";

/** `describe`, or `describe.skip` with the reason in its name when there is no database. */
export function describePostgres(name: string, fn: () => void): void {
  (POSTGRES_URL ? describe : describe.skip)(POSTGRES_URL ? name : `${name} (skipped: POSTGRES_URL is not set)`, fn);
}
