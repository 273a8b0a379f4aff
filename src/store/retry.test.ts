import { describe, expect, it } from "@jest/globals";
import { RetryPolicy } from "./retry.ts";

describe("RetryPolicy", () => {
  const exact = new RetryPolicy({ jitter: 0 });

  it("doubles from one second, capped at a minute, then at an hour after twelve attempts.", () => {
    expect([1, 2, 3, 4, 6, 7, 12].map((n) => exact.next(n))).toEqual([1000, 2000, 4000, 8000, 32_000, 60_000, 60_000]);
    expect(exact.next(13)).toBe(3_600_000);
    expect(exact.next(79)).toBe(3_600_000);
  });

  it("gives up after the last attempt.", () => {
    expect(exact.next(80)).toBeUndefined();
    expect(exact.with({ maxAttempts: 3 }).next(2)).toBe(2000);
    expect(exact.with({ maxAttempts: 3 }).next(3)).toBeUndefined();
  });

  it("spreads delays by the jitter, both ways.", () => {
    expect(new RetryPolicy({ random: () => 0 }).next(3)).toBe(3200);
    expect(new RetryPolicy({ random: () => 0.999999 }).next(3)).toBe(4800);
    expect(new RetryPolicy({ random: () => 0.5 }).next(3)).toBe(4000);
  });

  it("keeps options it was not asked to change.", () => {
    const p = new RetryPolicy({ baseMs: 10, jitter: 0 }).with({ maxAttempts: 5 });
    expect(p.next(2)).toBe(20);
    expect(p.maxAttempts).toBe(5);
  });
});
